"""The request letter: content from policy data, DOCX and PDF that say the same words, summaries, CLI."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from pypdf import PdfReader

from discretion.casefile import load_case
from discretion.cli import main
from discretion.errors import DocumentError
from discretion.exhibits import Exhibit
from discretion.facts import CaseFacts, RequestedAction
from discretion.letters import (
    build_letter,
    build_summary,
    render_docx,
    render_pdf,
    render_summary_docx,
    render_summary_pdf,
)
from discretion.policies import load_policies
from discretion.rules import Kind
from discretion.screening import Screening, screen

ROOT = Path(__file__).resolve().parents[2]
MARIA = ROOT / "examples" / "maria-lopez.yaml"
ON = date(2026, 11, 28)

POLICY_A = """
id: test-alpha
title: Alpha guidance on prosecutorial discretion
short_title: the Alpha memo
issuer: Test office
issued: 2026-01-01
effective: 2026-01-01
status: current
summary: For tests only.
not_priority_argument: Under the Alpha memo the Respondent is outside every enforcement priority.
sources:
  - {id: alpha, title: Alpha memo, date: 2026-01-01, confidence: confirmed}
priorities:
  - id: alpha_national_security
    label: Threat to national security
    test: national_security_concern
    cite: [{source: alpha, pin: "§ 1"}]
    confidence: confirmed
mitigating:
  - id: alpha_long_presence
    label: Long presence
    test: years_present_at_least
    with: {years: 10}
    cite: [{source: alpha, pin: "§ 2"}]
    confidence: confirmed
    letter: The Respondent has lived in the United States for more than two decades.
  - id: alpha_caretaker
    label: Primary caretaker
    test: primary_caretaker
    cite: [{source: alpha, pin: "§ 3"}]
    confidence: confirmed
    letter: The Respondent is the primary caretaker of a U.S.-citizen child with a serious illness.
  - id: alpha_military
    label: Military service
    test: military_service
    cite: [{source: alpha, pin: "§ 4"}]
    confidence: confirmed
    letter: The Respondent served in the armed forces.
aggravating:
  - id: alpha_record
    label: Criminal record
    test: criminal_conduct_recorded
    cite: [{source: alpha, pin: "§ 5"}]
    confidence: confirmed
    letter: The Respondent's only brush with the law was a traffic matter, long resolved.
"""

POLICY_B = """
id: test-beta
title: Beta guidance
short_title: the Beta memo
issuer: Test office
issued: 2026-01-01
effective: 2026-02-01
status: current
summary: For tests only.
not_priority_argument: The Beta memo sets no categories; the Respondent threatens neither public safety nor national security.
sources:
  - {id: beta, title: Beta memo, date: 2026-02-01, confidence: partial}
mitigating:
  - id: beta_long_presence
    label: Long presence
    test: years_present_at_least
    with: {years: 10}
    cite: [{source: beta}]
    confidence: partial
    letter: Long residence has always weighed in favor of discretion.
"""

EXHIBITS = (
    Exhibit("A", "Form G-28", pages=1),
    Exhibit("B", "Leases and tax transcripts, 2004–2025", proves=("alpha_long_presence",), pages=40),
    Exhibit("C", "Letter of Dr. Patel & records on Sofía's diabetes", proves=("alpha_caretaker",), pages=3),
    Exhibit("D", "Declaration of the Respondent", proves=("alpha_caretaker", "alpha_long_presence"), pages=6),
    Exhibit("E", "Certified disposition, Queens County", proves=("alpha_record",), pages=2),
)


@pytest.fixture(scope="module")
def policies(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("policies")
    (folder / "test-alpha-2026-01-01.yaml").write_text(POLICY_A, encoding="utf-8")
    (folder / "test-beta-2026-02-01.yaml").write_text(POLICY_B, encoding="utf-8")
    catalogue = load_policies(folder)
    return {"alpha": catalogue.get("test-alpha"), "beta": catalogue.get("test-beta"), "dir": folder}


def make_letter(policy, facts=None, exhibits=EXHIBITS, on=ON, **kw):
    facts = facts or load_case(MARIA)
    return build_letter(facts, screen(facts, policy, on=on), policy, on=on, exhibits=exhibits, **kw)


@pytest.fixture(scope="module")
def letter(policies):
    return make_letter(policies["alpha"])


@pytest.fixture(scope="module")
def docx_bytes(letter):
    return render_docx(letter)


@pytest.fixture(scope="module")
def pdf_bytes(letter):
    return render_pdf(letter)


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def squash(text: str) -> str:
    # Typst hyphenates and both engines break lines differently: compare the letters only.
    return re.sub(r"[\s\-\u00ad\u2010\u2011]", "", text)


def test_it_writes_the_re_block_and_the_precise_request(docx_bytes, pdf_bytes):
    for text in (docx_text(docx_bytes), pdf_text(pdf_bytes)):
        flat = " ".join(text.split())
        assert "Request for Prosecutorial Discretion: Administrative Closure" in flat
        assert "María Elena López Hernández" in flat
        assert "208-555-014" in flat
        assert "New York - Broadway Immigration Court" in flat
        assert "February 9, 2027, 8:30 AM (master calendar hearing)" in flat
        assert "Not detained" in flat
        assert "motion to administratively close these proceedings" in squash(flat) or squash(
            "motion to administratively close these proceedings"
        ) in squash(flat)


def test_admin_closure_after_the_vacatur_is_marked_not_asserted(letter):
    ask = letter.section("request").paragraphs[0].text
    assert "vacated on June 22, 2026" in ask
    assert "[verify before sending:" in ask
    assert "pursuant to 8 C.F.R." not in ask


def test_dismissal_cites_its_vehicle_without_a_mark(policies):
    facts = load_case(MARIA).model_copy(update={"requested_action": RequestedAction.DISMISSAL})
    ask = make_letter(policies["alpha"], facts=facts).section("request").paragraphs[0].text
    assert "move to dismiss these removal proceedings" in ask
    assert "pursuant to 8 C.F.R. §§ 239.2(c) and 1239.2(c)." in ask
    assert "[verify" not in ask


def test_admin_closure_before_the_vacatur_cites_the_2024_rule(policies):
    letter = make_letter(policies["alpha"], on=date(2026, 3, 2))
    paragraphs = [p.text for p in letter.section("request").paragraphs]
    assert paragraphs[0].endswith("pursuant to 8 C.F.R. §§ 1003.18(c) and 1003.1(l).")
    assert any("unusual, clearly identified, and supported reasons" in p for p in paragraphs)


def test_each_met_favourable_factor_is_a_numbered_paragraph_with_its_exhibits(letter, docx_bytes, pdf_bytes):
    numbered = [p for p in letter.section("equities").paragraphs if p.style == "numbered"]
    assert [p.text for p in numbered] == [
        "The Respondent has lived in the United States for more than two decades (Exhs. B, D).",
        "The Respondent is the primary caretaker of a U.S.-citizen child with a serious illness (Exhs. C, D).",
    ]
    assert [p.number for p in numbered] == [1, 2]
    doc = Document(io.BytesIO(docx_bytes))
    listed = [p.text for p in doc.paragraphs if p.style.name == "List Number"]
    assert listed == [p.text for p in numbered]
    pdf = squash(pdf_text(pdf_bytes))
    for p in numbered:
        assert squash(p.text) in pdf
    assert "armed forces" not in pdf  # military_service is not met: no paragraph


def test_negative_factors_are_addressed_candidly(docx_bytes, pdf_bytes):
    for text in (docx_text(docx_bytes), pdf_text(pdf_bytes)):
        flat = squash(text)
        assert squash("Negative Factors") in flat
        assert (
            squash("The Respondent's only brush with the law was a traffic matter, long resolved (Exh. E).")
            in flat
        )
        assert squash("Driving without a valid licence (N.Y. Veh. & Traf. Law § 509(1))") in flat
        assert squash("no custodial sentence; sentence completed.") in flat


def test_the_not_priority_argument_comes_from_the_policy(letter):
    section = letter.section("not_priority")
    assert (
        section.paragraphs[0].text
        == "Under the Alpha memo the Respondent is outside every enforcement priority."
    )


def test_the_priorities_not_met_are_named(letter):
    assert letter.section("not_priority").paragraphs[1].text == (
        "On the facts set out below, the Respondent falls within none of the enforcement priorities "
        "of the Alpha memo: threat to national security."
    )


def test_a_standard_argument_is_marked_when_a_negative_factor_is_met(letter):
    # Maria's traffic conviction meets alpha_record: the standard argument must be reviewed.
    mark = letter.section("not_priority").paragraphs[2].text
    assert mark.startswith("[verify before sending: this is the policy's standard argument")
    assert "criminal record" in mark
    assert any("adapt it" in w for w in letter.warnings)


def test_draft_marks_are_highlighted_in_the_docx(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    marked = [
        run.text
        for p in doc.paragraphs
        for run in p.runs
        if run.font.highlight_color is not None and run.text.startswith("[verify")
    ]
    assert "[verify before sending]" in marked  # the unverified office address
    assert any("vacated on June 22, 2026" in text for text in marked)


def test_the_narrative_is_used_verbatim(letter):
    intro = load_case(MARIA).narrative.introduction
    assert any(
        p.text == intro.strip() and p.source == "narrative.introduction"
        for p in letter.section("request").paragraphs
    )


def test_signature_block_notes_the_forms_on_file(docx_bytes, pdf_bytes):
    for text in (docx_text(docx_bytes), pdf_text(pdf_bytes)):
        flat = " ".join(text.split())
        assert "Respectfully submitted," in flat
        assert "Ana Ruiz" in flat
        assert "Attorney for the Respondent" in flat
        assert "Form G-28 on file; Form EOIR-28 on file" in flat
        assert "Bar No. NY 5551234 · EOIR ID ZZ123456" in flat


def test_the_exhibit_index_lists_every_exhibit(docx_bytes, pdf_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    index = doc.tables[-1]
    rows = [[c.text for c in row.cells] for row in index.rows]
    assert rows[0] == ["Tab", "Description", "Pages"]
    assert rows[1:] == [[e.tab, e.description, str(e.pages)] for e in EXHIBITS]
    assert "Letter of Dr. Patel & records on Sofía's diabetes" in pdf_text(pdf_bytes)  # & survives


def test_pdf_pages_are_numbered_page_x_of_n(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    n = len(reader.pages)
    assert n >= 2
    for i, page in enumerate(reader.pages, start=1):
        assert f"Page {i} of {n}" in page.extract_text()
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # US Letter


def test_docx_footer_has_page_and_numpages_fields(docx_bytes):
    footer = Document(io.BytesIO(docx_bytes)).sections[0].footer
    xml = footer._element.xml
    assert " PAGE " in xml and " NUMPAGES " in xml
    assert "María Elena López Hernández · A-Number 208-555-014" in footer.paragraphs[0].text


def test_docx_and_pdf_say_the_same_words(letter, docx_bytes, pdf_bytes):
    docx_flat, pdf_flat = squash(docx_text(docx_bytes)), squash(pdf_text(pdf_bytes))
    for line in letter.words():
        assert squash(line) in docx_flat, line
        assert squash(line) in pdf_flat, line


def test_provenance_is_recorded_in_both_documents(letter, policies, docx_bytes, pdf_bytes):
    policy = policies["alpha"]
    props = Document(io.BytesIO(docx_bytes)).core_properties
    assert policy.sha256 in props.comments
    assert letter.provenance.facts_digest in props.comments
    assert "as of 2026-11-28" in props.comments
    assert props.keywords.startswith("policy:test-alpha")
    meta = PdfReader(io.BytesIO(pdf_bytes)).metadata
    assert f"policy-sha256:{policy.sha256}" in meta["/Keywords"]
    assert letter.provenance.facts_digest in meta["/Keywords"]
    assert meta.title.startswith("Request for Prosecutorial Discretion")


def test_a_different_policy_changes_the_argument_text(policies):
    alpha, beta = make_letter(policies["alpha"]), make_letter(policies["beta"])
    assert beta.section("not_priority").paragraphs[0].text.startswith("The Beta memo sets no categories")
    factors = [p.text for p in beta.section("equities").paragraphs if p.style == "numbered"]
    assert factors == ["Long residence has always weighed in favor of discretion. [partly confirmed]"]
    assert (
        beta.provenance.policy_id == "test-beta"
        and alpha.provenance.policy_sha256 != beta.provenance.policy_sha256
    )


def test_unknown_office_gives_the_verify_mark(policies):
    facts = load_case(MARIA)
    facts = facts.model_copy(
        update={"proceedings": facts.proceedings.model_copy(update={"court": "Atlantis"})}
    )
    letter = make_letter(policies["alpha"], facts=facts)
    assert letter.addressee[-1] == "[verify before sending]"
    assert "Office of the Chief Counsel" in letter.addressee
    assert any("no OPLA field location" in w for w in letter.warnings)
    assert "U.S. Immigration and Customs Enforcement [verify before sending]" in " ".join(
        docx_text(render_docx(letter)).split()
    )


def test_an_unverified_office_address_is_marked(letter):
    assert "26 Federal Plaza, Room 1130" in letter.addressee
    assert letter.addressee_verified is False and letter.addressee[-1] == "[verify before sending]"


def test_a_letter_from_a_stored_screening_is_the_same_letter(policies, letter):
    # The web app stores Screening.to_dict() and builds the letter later from it.
    policy = policies["alpha"]
    facts = load_case(MARIA)
    stored = Screening.from_dict(screen(facts, policy, on=ON).to_dict())
    again = build_letter(facts, stored, policy, on=ON, exhibits=EXHIBITS)
    assert again.words() == letter.words()


def test_a_screening_from_another_policy_version_is_refused(policies):
    facts = load_case(MARIA)
    stored = screen(facts, policies["alpha"], on=ON).to_dict()
    stored["policy"]["sha256"] = "0" * 64
    with pytest.raises(DocumentError, match="another version of policy 'test-alpha'"):
        build_letter(facts, Screening.from_dict(stored), policies["alpha"], on=ON)


def test_a_letter_needs_a_requested_action(policies):
    facts = load_case(MARIA).model_copy(update={"requested_action": None})
    with pytest.raises(DocumentError, match="requested_action"):
        make_letter(policies["alpha"], facts=facts)


def test_a_custom_template_works(letter, tmp_path):
    doc = Document()
    doc.add_paragraph("FIRM LETTERHEAD — {{ letterhead.name }}")
    doc.add_paragraph("{{ subject }} for {{ re[0].value }}")
    doc.add_paragraph("{%p for s in sections %}")
    doc.add_paragraph("{%p for p in s.paragraphs %}")
    doc.add_paragraph("{{ p.text }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ signature.name }}")
    template = tmp_path / "firm.docx"
    doc.save(template)
    text = docx_text(render_docx(letter, template=template))
    assert "FIRM LETTERHEAD — Queens Community Legal Services" in text
    assert (
        "Request for Prosecutorial Discretion: Administrative Closure for María Elena López Hernández" in text
    )
    assert (
        "The Respondent is the primary caretaker of a U.S.-citizen child with a serious illness (Exhs. C, D)."
        in text
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not a Word .docx file"),
        ("{{ clientname }}", "'clientname' is undefined"),
        ("{% for x in %}", "Jinja syntax error"),
    ],
)
def test_a_bad_template_gives_one_clear_line(letter, tmp_path, content, message):
    template = tmp_path / "bad.docx"
    if content is None:
        template.write_text("not a zip")
    else:
        doc = Document()
        doc.add_paragraph(content)
        doc.save(template)
    with pytest.raises(DocumentError, match=re.escape(message)) as caught:
        render_docx(letter, template=template)
    assert "bad.docx" in str(caught.value) and "\n" not in str(caught.value)


def test_pdfa_is_available(letter):
    pdf = render_pdf(letter, pdfa=True)
    xmp = PdfReader(io.BytesIO(pdf)).xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8", "replace")
    assert "<pdfaid:part>2</pdfaid:part>" in raw
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in raw


def test_summaries_in_english_and_spanish(letter):
    facts = load_case(MARIA)
    en_pdf = render_summary_pdf(build_summary(letter, facts, "en"))
    width = float(PdfReader(io.BytesIO(en_pdf)).pages[0].mediabox.width)
    assert width < 5 * 72  # a narrow page in large type reads on a phone without zooming
    en = pdf_text(en_pdf)
    es = pdf_text(render_summary_pdf(build_summary(letter, facts, "es")))
    en_flat, es_flat = " ".join(en.split()), " ".join(es.split())
    assert "It does not give you legal status or a green card." in en_flat
    assert "This request does NOT cancel your hearings." in en_flat
    assert "February 9, 2027 at 8:30 AM" in en_flat
    assert "Esta solicitud NO cancela sus audiencias." in es_flat
    assert "No le da un estatus legal ni una tarjeta de residencia (green card)." in es_flat
    assert "9 de febrero de 2027 a las 8:30 AM" in es_flat
    assert "pausa" in es_flat  # the administrative-closure ask, in Spanish
    doc = Document(io.BytesIO(render_summary_docx(build_summary(letter, facts, "es"))))
    assert any("NO cancela" in p.text for p in doc.paragraphs)


def test_unknown_summary_language_is_one_line(letter):
    with pytest.raises(DocumentError, match="summary language 'fr' is not available"):
        build_summary(letter, load_case(MARIA), "fr")


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_writes_letter_and_summaries(tmp_path, policies):
    result = run_cli(
        "letter",
        str(MARIA),
        "-o",
        str(tmp_path),
        "--as-of",
        "2026-11-28",
        "--policies-dir",
        str(policies["dir"]),
        "--summary",
        "en,es",
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "LOPEZ-2026-014-request.docx",
        "LOPEZ-2026-014-request.pdf",
        "LOPEZ-2026-014-summary-en.docx",
        "LOPEZ-2026-014-summary-en.pdf",
        "LOPEZ-2026-014-summary-es.docx",
        "LOPEZ-2026-014-summary-es.pdf",
    ]
    assert "item(s) to check" in result.output
    assert "Page 1 of" in pdf_text((tmp_path / "LOPEZ-2026-014-request.pdf").read_bytes())


def test_cli_reads_an_exhibits_folder(tmp_path, policies):
    folder = tmp_path / "exhibits"
    folder.mkdir()
    (folder / "exhibits.yaml").write_text(
        "exhibits:\n"
        "  - {file: decl.pdf, description: Declaration of the Respondent, proves: [alpha_caretaker]}\n",
        encoding="utf-8",
    )
    (folder / "decl.pdf").write_bytes(render_pdf(make_letter(policies["beta"], exhibits=())))
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli(
        "letter",
        str(MARIA),
        "-o",
        str(out),
        "--as-of",
        "2026-11-28",
        "--policies-dir",
        str(policies["dir"]),
        "--policy",
        "test-alpha",
        "--exhibits",
        str(folder),
        "--format",
        "pdf",
    )
    assert result.exit_code == 0, result.output
    text = squash(pdf_text((out / "LOPEZ-2026-014-request.pdf").read_bytes()))
    assert squash("with a serious illness (Exh. A).") in text
    assert squash("Index of Exhibits") in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--template", "{tmp}/missing.docx"], "missing.docx: no such file"),
        (["--format", "odt"], "--format: odt is not one of docx, pdf"),
        (["--as-of", "2026-02-30"], "--as-of: '2026-02-30' is not a real date"),
    ],
)
def test_cli_bad_input_is_one_line_and_leaves_nothing(tmp_path, policies, args, message):
    out = tmp_path / "out"
    out.mkdir()
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "discretion"),
            "letter",
            str(MARIA),
            "-o",
            str(out),
            *args,
            "--policies-dir",
            str(policies["dir"]),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert list(out.iterdir()) == []


def test_cli_creates_the_output_folder_only_on_success(tmp_path, policies):
    out = tmp_path / "new" / "letters"
    bad = run_cli("letter", str(MARIA), "-o", str(out), "--template", str(tmp_path / "none.docx"))
    assert bad.exit_code != 0 and not (tmp_path / "new").exists()
    good = run_cli(
        "letter", str(MARIA), "-o", str(out), "--policies-dir", str(policies["dir"]), "--format", "pdf"
    )
    assert good.exit_code == 0 and (out / "LOPEZ-2026-014-request.pdf").is_file()


def test_cli_bad_case_file_is_one_line(tmp_path):
    bad = tmp_path / "case.yaml"
    bad.write_text("identity: {nmae: X}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["letter", str(bad), "-o", str(tmp_path)])
    assert result.exit_code != 0
    assert "identity.nmae" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_word_fields_print_page_x_of_n_when_converted(docx_bytes, tmp_path):
    source = tmp_path / "letter.docx"
    source.write_bytes(docx_bytes)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    reader = PdfReader(tmp_path / "letter.pdf")
    n = len(reader.pages)
    assert f"Page 1 of {n}" in reader.pages[0].extract_text()
    assert f"Page {n} of {n}" in reader.pages[-1].extract_text()


def test_an_exhibit_proving_a_checklist_item_is_cited_for_the_items_rule():
    evidence = pytest.importorskip("discretion.evidence")
    from discretion.policies import shipped

    facts = load_case(MARIA)
    policy = shipped().select(ON)
    screening = screen(facts, policy, on=ON)
    checklist = evidence.build_checklist(facts, screening)
    met = {f.id for f in screening.findings if f.outcome.value == "met" and f.kind.value == "mitigating"}
    item = next((i for i in checklist.items if met & set(i.rule_ids)), None)
    if item is None:
        pytest.skip("no checklist item supports a met factor under the shipped policy")
    rule_id = sorted(met & set(item.rule_ids))[0]
    letter = build_letter(
        facts, screening, policy, on=ON, exhibits=[Exhibit("K", "Proof", proves=(item.id,))]
    )
    cited = [p for p in letter.section("equities").paragraphs if p.source == f"rule:{rule_id}"]
    assert cited and "(Exh. K)" in cited[0].text and cited[0].exhibits == ("K",)


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_with_a_request_renders(path, policies):
    facts = load_case(path)
    if facts.requested_action is None:
        with pytest.raises(DocumentError, match="requested_action"):
            make_letter(policies["alpha"], facts=facts, exhibits=())
        return
    letter = make_letter(policies["alpha"], facts=facts, exhibits=())
    text = pdf_text(render_pdf(letter))
    assert "Page 1 of" in text
    assert squash(letter.section("conclusion").paragraphs[0].text) in squash(text)
    assert letter.re[0].value in docx_text(render_docx(letter))


def test_a_pro_se_letter_speaks_in_the_first_person(policies):
    facts = CaseFacts.model_validate(
        {
            "requested_action": "continuance",
            "identity": {"name": "Pat Doe"},
            "representative": {"kind": "pro_se"},
        }
    )
    letter = make_letter(policies["alpha"], facts=facts, exhibits=())
    assert (
        letter.section("request")
        .paragraphs[0]
        .text.startswith("I, Pat Doe, the Respondent in these proceedings")
    )
    assert letter.signature.name == "Pat Doe" and letter.signature.lines == ("Respondent, pro se",)
    assert letter.letterhead == ("Pat Doe",)
    negative = [p.text for p in letter.section("negative_factors").paragraphs]
    assert any("does not record the Respondent's criminal history" in t for t in negative)
    assert any("criminal history" in p.text for p in letter.section("not_priority").paragraphs[1:])


def test_the_index_shows_dates_and_translations(policies):
    exhibits = (
        Exhibit("A", "Birth certificate of Sofía López", date="2014-02-03", pages=1),
        Exhibit("B", "Acta de nacimiento", language="es", translation=Path("b-en.pdf"), pages=2),
        Exhibit("C", "Carta de la parroquia", language="es", pages=1),
    )
    letter = make_letter(policies["alpha"], exhibits=exhibits)
    assert [row.description for row in letter.exhibits] == [
        "Birth certificate of Sofía López (February\u00a03, 2014)",
        "Acta de nacimiento, with certified English translation",
        "Carta de la parroquia",
    ]
    assert any("exhibit C is not in English" in w for w in letter.warnings)


# --- review 2026-11-28: forms, informed consent, per-policy heading, named risks ---------------


def with_request(action: RequestedAction, **proceedings):
    facts = load_case(MARIA)
    return facts.model_copy(
        update={
            "requested_action": action,
            "proceedings": facts.proceedings.model_copy(update=proceedings),
        }
    )


def highlighted(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    return [run.text for p in doc.paragraphs for run in p.runs if run.font.highlight_color is not None]


# Form numbers the domain digest confirms: I-360 (§5.9, §5.11 [C]) and I-601A (§3.3 [S], §5.12 [C]).
CONFIRMED_FORMS = {"I-360", "I-601A"}


def test_only_form_numbers_the_digest_confirms_are_printed_without_a_mark():
    from discretion.letters.wording import wording

    for kind, label in wording().applications.items():
        form = re.search(r"\(Form ([^ )]+)( \[verify form number\])?\)$", label)
        if form is None:
            continue
        number, marked = form.groups()
        assert (number in CONFIRMED_FORMS) != bool(marked), (kind, label)


def test_unconfirmed_form_numbers_are_marked_in_the_letter(policies):
    from discretion.facts import PendingApplication

    apps = [
        PendingApplication(kind="asylum", forum="court", filed_on=date(2021, 3, 1)),
        PendingApplication(kind="withholding", forum="court", filed_on=date(2021, 3, 1)),
        PendingApplication(kind="u_visa", forum="uscis", filed_on=date(2022, 5, 2)),
        PendingApplication(kind="i601a", forum="uscis", filed_on=date(2023, 6, 3)),
    ]
    facts = with_request(RequestedAction.ADMINISTRATIVE_CLOSURE, pending_applications=apps)
    letter = make_letter(policies["alpha"], facts=facts, exhibits=())
    relief = [p.text for p in letter.section("relief_posture").paragraphs]
    # Asylum and withholding are still one application, its form number marked.
    assert relief[0].startswith(
        "The Respondent filed an application for asylum and withholding of removal "
        "(Form I-589 [verify form number]) with the Immigration Court"
    )
    assert "(Form I-918 [verify form number]) with USCIS" in relief[1]
    assert "(Form I-601A) with USCIS" in relief[2]
    assert any("[verify form number]" in w for w in letter.warnings)
    docx = render_docx(letter)
    assert "[verify form number]" in highlighted(docx)
    flat = squash(pdf_text(render_pdf(letter)))
    assert squash("(Form I-589 [verify form number])") in flat
    assert squash("(Form I-601A) with USCIS") in flat


def test_the_example_cancellation_application_is_described_with_a_marked_form(letter):
    relief = " ".join(p.text for p in letter.section("relief_posture").paragraphs)
    assert (
        "cancellation of removal for certain nonpermanent residents (Form EOIR-42B [verify form number])"
        in relief
    )


def test_a_dismissal_letter_records_informed_consent_for_the_preparer_to_confirm(policies):
    letter = make_letter(policies["alpha"], facts=with_request(RequestedAction.DISMISSAL))
    keys = [s.key for s in letter.sections]
    assert keys.index("risk_consent") == keys.index("conclusion") - 1
    text, mark = (p.text for p in letter.section("risk_consent").paragraphs)
    assert text.startswith("Before this request was made, counsel reviewed with the Respondent the risks")
    assert "expedited removal under INA § 235(b)(1)" in text
    assert (
        "employment authorization that depends on an application pending before the Immigration Court" in text
    )
    assert text.endswith("The Respondent has given informed consent to this request.")
    assert mark.startswith("[verify before sending: confirm that this review took place")
    docx = render_docx(letter)
    assert "Informed Consent" in docx_text(docx)
    assert mark in highlighted(docx)
    flat = squash(pdf_text(render_pdf(letter)))
    assert squash("Informed Consent") in flat and squash(text) in flat and squash(mark) in flat


def test_only_dismissal_letters_carry_the_consent_paragraph(letter):
    assert letter.section("risk_consent") is None
    assert "informed consent" not in " ".join(letter.words()).lower()


def test_a_pro_se_dismissal_request_consents_in_the_first_person(policies):
    facts = CaseFacts.model_validate(
        {
            "requested_action": "dismissal",
            "identity": {"name": "Pat Doe"},
            "representative": {"kind": "pro_se"},
        }
    )
    text, mark = (
        p.text
        for p in make_letter(policies["alpha"], facts=facts, exhibits=()).section("risk_consent").paragraphs
    )
    assert "ICE may arrest me and seek my removal through expedited removal" in text
    assert text.endswith("I give my informed consent to this request.")
    assert mark.startswith("[verify before sending:")


def test_the_argument_heading_follows_whether_the_policy_has_priorities(policies):
    with_priorities = make_letter(policies["alpha"])
    without = make_letter(policies["beta"])  # Beta has no priority rules, like EO 14159
    assert with_priorities.section("not_priority").heading == "The Respondent Is Not an Enforcement Priority"
    heading = "The Respondent Presents No Threat to Public Safety or National Security"
    assert without.section("not_priority").heading == heading
    assert heading in docx_text(render_docx(without))
    assert squash(heading) in squash(pdf_text(render_pdf(without)))
    assert "Enforcement Priority" not in " ".join(without.words())


def test_under_eo_14159_the_letter_does_not_call_the_person_a_non_priority():
    catalogue = load_policies()
    policy = catalogue.get("eo14159-2025")
    assert not policy.rules_of(Kind.PRIORITY)
    letter = make_letter(policy, exhibits=())
    heading = letter.section("not_priority").heading
    assert heading in {
        "The Respondent Presents No Threat to Public Safety or National Security",
        "Public Safety and National Security",  # when an unfavourable factor is met
    }
    assert "Not an Enforcement Priority" not in " ".join(letter.words())


def test_the_dismissal_summary_names_the_risks_in_both_languages(policies):
    facts = with_request(RequestedAction.DISMISSAL, ead_based_on_pending_application=True)
    letter = make_letter(policies["alpha"], facts=facts)
    en = " ".join(pdf_text(render_summary_pdf(build_summary(letter, facts, "en"))).split())
    es = " ".join(pdf_text(render_summary_pdf(build_summary(letter, facts, "es"))).split())
    assert "Risks to know about" in en
    assert "ICE may arrest you" in en and "“expedited removal”" in en
    assert "without a hearing before a judge" in en
    assert "If your work permit depends on your court case, you may lose it" in en
    assert "can carry risks" not in en
    assert "Riesgos que debe conocer" in es
    assert "riesgo de que ICE lo arreste" in es and "expulsión acelerada" in es
    assert "sin audiencia ante un juez" in es
    assert "Si su permiso de trabajo depende de su caso en la corte, puede perderlo" in es
    doc = Document(io.BytesIO(render_summary_docx(build_summary(letter, facts, "es"))))
    assert any("expulsión acelerada" in p.text for p in doc.paragraphs)


def test_the_work_permit_risk_is_left_out_when_the_file_says_it_does_not_apply(policies):
    facts = with_request(RequestedAction.DISMISSAL, ead_based_on_pending_application=False)
    summary = build_summary(make_letter(policies["alpha"], facts=facts), facts, "en")
    words = " ".join(summary.words())
    assert "ICE may arrest you" in words and "work permit depends" not in words


def test_the_closure_summary_says_the_case_can_be_put_back_on_the_calendar(letter):
    facts = load_case(MARIA)  # administrative closure
    en = " ".join(pdf_text(render_summary_pdf(build_summary(letter, facts, "en"))).split())
    es = " ".join(build_summary(letter, facts, "es").words())
    assert "The government can ask the judge to put your case back on the court’s calendar." in en
    assert "expedited removal" not in en
    assert "vuelva a poner su caso en el calendario de la corte" in es


def test_a_continuance_summary_has_no_risk_block(policies):
    facts = with_request(RequestedAction.CONTINUANCE)
    summary = build_summary(make_letter(policies["alpha"], facts=facts), facts, "en")
    assert "Risks to know about" not in [heading for heading, _ in summary.blocks]
