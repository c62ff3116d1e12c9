"""A case leaves as a case file the CLI screens the same way, comes back in as a new case, and the
case list leaves as a CSV no spreadsheet will run."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from web_builders import make_case

from discretion.web.audit.models import AuditEvent
from discretion.web.cases import actions
from discretion.web.cases.exports import spreadsheet_safe
from discretion.web.cases.models import Case

HERE = Path(__file__).parent
EXAMPLE = HERE.parent.parent / "examples" / "maria-lopez.yaml"


def _rich_case(org, alice):
    """The example case file, every section filled in, as a case of ``org``."""
    from discretion.casefile import load_case

    return actions.create_case(org, facts=load_case(EXAMPLE), by=alice, assigned_to=alice)


def _cli_screen(path: Path, on: str) -> dict:
    from discretion.cli import main as cli

    result = CliRunner().invoke(
        cli,
        ["screen", str(path), "--as-of", on, "--format", "json", "--policies-dir", str(HERE / "policies")],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_exported_case_file_screens_the_same_with_the_cli(client, alice, alpha, tmp_path):
    case = _rich_case(alpha, alice)
    client.force_login(alice)
    web = actions.preview_screening(case, on=__import__("datetime").date(2025, 6, 1))

    for name, suffix in (("cases:export_yaml", ".yaml"), ("cases:export", ".json")):
        r = client.get(reverse(name, kwargs={"code": case.code}))
        assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"
        assert r["Content-Disposition"] == f'attachment; filename="case-LOPEZ-2026-014{suffix}"'
        path = tmp_path / f"exported{suffix}"
        path.write_bytes(r.content)
        cli = _cli_screen(path, "2025-06-01")
        assert cli["facts_digest"] == web["facts_digest"]
        assert (
            cli["findings"] == web["findings"]
            and cli["risks"] == web["risks"]
            and cli["summary"] == web["summary"]
        )
    text = client.get(reverse("cases:export_yaml", kwargs={"code": case.code})).content.decode()
    assert text.startswith("# Case file exported from the PD workbench")
    assert "María Elena López Hernández" in text  # readable, not escaped
    assert yaml.safe_load(text)["identity"]["a_number"] == "208555014"
    assert AuditEvent.objects.filter(action="export", case=case).count() == 3


def test_export_then_import_gives_the_same_facts(client, alice, alpha):
    case = _rich_case(alpha, alice)
    client.force_login(alice)
    exported = client.get(reverse("cases:export_yaml", kwargs={"code": case.code})).content

    r = client.post(reverse("cases:import"), {"file": SimpleUploadedFile("maria.yaml", exported)})

    assert r.status_code == 302
    copy = Case.objects.exclude(pk=case.pk).get()
    assert r["Location"] == reverse("cases:detail", kwargs={"code": copy.code})
    assert copy.facts == case.facts and copy.assigned_to == alice
    assert copy.screenings.exists()  # a single imported case is screened at once
    page = client.get(r["Location"]).content.decode()
    assert "same A-number as María Elena López Hernández" in page


def _import(client, *files):
    return client.post(reverse("cases:import"), {"file": [SimpleUploadedFile(n, d) for n, d in files]})


def test_every_bad_case_file_names_the_file_line_and_field_and_nothing_is_imported(client, alice, case):
    client.force_login(alice)
    good = b"identity:\n  name: Good Person\n"
    r = _import(
        client,
        ("good.yaml", good),
        ("date.yaml", b"identity:\n  name: Bad Date\n  date_of_birth: 31/02/1990\n"),
        ("typo.yml", b"identity:\n  nmae: Typo\n"),
        ("broken.json", b'{"identity": {"name": "Broken",}}'),
        ("badjson.json", b'{\n  "identity": {\n    "a_number": "12"\n  }\n}'),
        ("dup.yaml", b"identity:\n  name: A\n  name: B\n"),
        ("list.yaml", b"- just\n- a list\n"),
        ("empty.yaml", b""),
        ("binary.yaml", b"\xff\xfe\x00binary"),
        ("notes.txt", b"hello"),
    )
    body = r.content.decode()
    assert r.status_code == 400 and "Nothing was imported: 9 problems to fix" in body
    for expected in (
        "date.yaml:3</th><td>identity.date_of_birth:",
        "typo.yml:2</th><td>identity.nmae: unknown field",
        "broken.json:1</th>",
        "badjson.json:3</th><td>identity.a_number:",
        "dup.yaml:3</th>",
        "list.yaml</th><td>(top level): a case file must be a mapping",
        "empty.yaml</th><td>the file is empty",
        "binary.yaml</th>",
        "notes.txt</th><td>not a file this import reads",
    ):
        assert expected in body, expected
    assert "Traceback" not in body
    assert Case.objects.count() == 1  # the good file was not imported either; the old case is kept


def test_case_files_and_a_docket_import_together(client, alice):
    client.force_login(alice)
    docket = b"identity.name,identity.a_number\nRow One,208555201\nRow Two,208555202\n"
    r = _import(client, ("docket.csv", docket), ("one.json", b'{"identity": {"name": "From JSON"}}'))
    assert r.status_code == 302 and r["Location"] == reverse("cases:list")
    assert sorted(Case.objects.values_list("name", flat=True)) == ["From JSON", "Row One", "Row Two"]


def test_a_bad_docket_row_is_named_with_its_file(client, alice):
    client.force_login(alice)
    r = _import(client, ("docket.csv", b"identity.name,proceedings.next_hearing.date\nA,05/01/2027\n"))
    assert "docket.csv, row 2" in r.content.decode() and not Case.objects.exists()


def test_read_only_members_cannot_import_case_files(client, rita):
    client.force_login(rita)
    assert _import(client, ("a.yaml", b"identity:\n  name: X\n")).status_code == 403
    assert not Case.objects.exists()


# --- the case list as CSV -----------------------------------------------------------------------


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_case_list_csv_has_the_filtered_cases(client, alice, bob, alpha):
    make_case(alpha, assigned_to=alice, identity={"name": "Ana Mine", "a_number": "208555301"}, case_id="R-1")
    make_case(alpha, assigned_to=bob, identity={"name": "Ben Theirs"})
    client.force_login(alice)

    everyone = _rows(client.get(reverse("cases:list_csv")))
    mine = _rows(client.get(reverse("cases:list_csv"), {"assignee": "me"}))

    assert everyone[0][:3] == ["Reference", "Name", "A-number"]
    assert sorted(r[1] for r in everyone[1:]) == ["Ana Mine", "Ben Theirs"]
    assert [r[:3] for r in mine[1:]] == [["R-1", "Ana Mine", "208-555-301"]]
    assert mine[1][6] == "Intake" and mine[1][12].startswith("http://testserver/cases/")
    assert AuditEvent.objects.filter(action="export", summary__contains="assignee=me").exists()


def test_no_cell_of_the_csv_can_run_as_a_formula(client, alice, alpha):
    for i, evil in enumerate(['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]):
        make_case(alpha, assigned_to=alice, identity={"name": f"Person {i}"}, case_id=evil)
    client.force_login(alice)
    rows = _rows(client.get(reverse("cases:list_csv")))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert sorted(r[0] for r in rows[1:])[0].startswith("'")


def test_spreadsheet_safe():
    assert [spreadsheet_safe(v) for v in ["=1", "+1", "-1", "@a", "\tx", "\rx", "ok", None, 3, " =x"]] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "ok",
        "",
        "3",
        " =x",
    ]


def test_the_list_page_links_to_the_csv_with_its_filters(client, alice, case):
    client.force_login(alice)
    body = client.get(reverse("cases:list"), {"q": "Alma", "status": "intake"}).content.decode()
    assert 'href="/cases/export.csv?q=Alma&amp;status=intake"' in body
