"""`discretion` commands: packet (preflight, then cover letter + index + stamped exhibits)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from discretion.casefile import load_case
from discretion.errors import NoPolicyInForce
from discretion.exhibits import Exhibit
from discretion.packets import (
    DEFAULT_DPI,
    DEFAULT_MAX_MB,
    MAX_MB_SOURCE,
    bates_prefix_of,
    build_packet,
    caption_of,
    load_exhibits,
    run_preflight,
)
from discretion.packets import cover as collaborators
from discretion.packets.build import CoverSource


@click.command("packet")
@click.argument("case", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--exhibits",
    "folder",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of exhibit files, with an optional exhibits.yaml manifest.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="The packet PDF to write."
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date of the letter and screening (default today).",
)
@click.option("--policy", "policy_id", help="Policy id for the letter (default: the one in force).")
@click.option("--bates-prefix", help="Bates prefix, e.g. LOPEZ- (default from the case id or surname).")
@click.option(
    "--max-mb",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_MAX_MB,
    show_default=True,
    help=f"Size limit for the packet file ({MAX_MB_SOURCE}).",
)
@click.option("--compress", is_flag=True, help="Downsample and re-encode scans denser than --compress-dpi.")
@click.option(
    "--compress-dpi",
    type=click.IntRange(72, 600),
    default=DEFAULT_DPI,
    show_default=True,
    help="Resolution scans are reduced to by --compress.",
)
@click.option(
    "--split",
    is_flag=True,
    help="If the packet is over --max-mb, also write PACKET_Part1.pdf, _Part2 ... each under it (ECAS asks for parts).",
)
@click.option("--preflight-only", is_flag=True, help="Check the inputs and stop; write nothing.")
@click.option(
    "--cover",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A cover letter PDF to use instead of generating the letter.",
)
@click.option(
    "--override-high-risk",
    "override_reason",
    metavar="REASON",
    help="Ask for an action the screen rates HIGH risk anyway, recording why (audited beside the packet).",
)
@click.option("--signed-by", help="Who decides the override (default: the representative).")
@click.option(
    "--send-to", metavar="ADDRESS", help="A sending channel you have verified, for the letter's Via line."
)
def packet(
    case: Path,
    folder: Path,
    output: Path | None,
    as_of: dt.datetime | None,
    policy_id: str | None,
    bates_prefix: str | None,
    max_mb: float,
    compress: bool,
    compress_dpi: int,
    split: bool,
    preflight_only: bool,
    cover: Path | None,
    override_reason: str | None,
    signed_by: str | None,
    send_to: str | None,
) -> None:
    """Check the exhibits in the --exhibits folder, then build the filing packet for CASE.

    The packet is the request letter (or --cover), an index of exhibits with page ranges, and
    a tab page before each exhibit, every page stamped "Page N of M" and with a Bates number,
    with a bookmark per exhibit. Exits 1 when preflight finds errors.
    """
    if output is None and not preflight_only:
        raise click.UsageError("give -o PACKET.pdf, or --preflight-only")
    facts = load_case(case)
    on = as_of.date() if as_of else dt.date.today()
    exhibits = load_exhibits(folder)
    screening: dict[str, Any] = {}

    def screened() -> tuple[Any, Any]:
        # Screening needs a policy in force; it is computed only when the letter or the
        # checklist is there to use it, so a --cover packet never fails on policy dates.
        if not screening:
            from discretion.policies import shipped
            from discretion.screening import screen

            catalogue = shipped()
            policy = catalogue.get(policy_id) if policy_id else catalogue.select(on)
            screening["policy"], screening["result"] = policy, screen(facts, policy, on=on)
        return screening["result"], screening["policy"]

    required = None
    if collaborators.checklist_available():
        try:
            basis = screened()[0]
        except NoPolicyInForce:
            if policy_id:
                raise
            basis = None  # no policy governs the date: the checklist follows the facts alone
        required = collaborators.required_items(facts, basis, on=on)
    check = run_preflight(exhibits, required=required, max_mb=max_mb, compress=compress)
    click.echo(check.report())
    if not check.ok:
        sys.exit(1)
    if preflight_only:
        return
    assert output is not None
    cover_pdf: CoverSource
    if cover is not None:
        cover_pdf = cover.read_bytes()
    elif collaborators.letters_available():
        from discretion.cli.letters import override_from_options

        result, policy = screened()
        override = override_from_options(facts, result, on, override_reason, signed_by)
        options: dict[str, Any] = {"override": override, "send_to": send_to}

        def cover_pdf(placed: Sequence[Exhibit]) -> bytes:
            # Called again once the packet's page numbers are known, so the letter cites them.
            pdf = collaborators.letter_pdf(facts, result, policy, on=on, exhibits=placed, **options)
            assert pdf is not None
            return pdf

    else:
        cover_pdf = None
        click.echo("note: the letter writer is not available; the packet has no cover letter (give --cover)")
    report = build_packet(
        cover_pdf,
        exhibits,
        caption=caption_of(facts),
        bates_prefix=bates_prefix if bates_prefix is not None else bates_prefix_of(facts),
        out_path=output,
        preflight=check,
        max_mb=max_mb,
        compress_dpi=compress_dpi if compress else None,
        split=split,
    )
    click.echo(report.summary())
    if cover is None and collaborators.letters_available():
        _write_review(facts, screened(), on, report, output, options)


def _write_review(
    facts: Any, screened: tuple[Any, Any], on: dt.date, report: Any, output: Path, options: dict[str, Any]
) -> None:
    """The cover letter's review sheet beside the packet, and the override in the audit log."""
    from discretion.cli.letters import AUDIT_LOG, _append, audit_entry
    from discretion.letters import build_letter

    result, policy = screened
    letter = build_letter(
        facts, result, policy, on=on, exhibits=list(report.exhibits), in_packet=True, **options
    )
    assert letter.review is not None
    review = output.with_name(f"{output.stem}-review.md")
    review.write_text(letter.review.markdown(), encoding="utf-8")
    click.echo(f"wrote {review} ({len(letter.review.items)} item(s) to check before sending)")
    if options.get("override") is not None:
        _append(output.parent / AUDIT_LOG, audit_entry(letter, options["override"]))
        click.echo(f"recorded the HIGH-risk override in {output.parent / AUDIT_LOG}")


COMMANDS: list[click.Command] = [packet]
