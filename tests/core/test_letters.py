"""The request letter: content from policy data, DOCX and PDF that say the same words, summaries, CLI."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from discretion.casefile import load_case
from discretion.cli import main
from discretion.errors import DocumentError
from discretion.exhibits import Exhibit
from discretion.facts import RequestedAction
from discretion.letters import build_letter, render_docx, render_pdf
from discretion.letters.model import MARK_PATTERN
from discretion.policies import load_policies
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


def review_texts(letter) -> list[str]:
    return [i.text for i in letter.review.items]


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
        assert squash("motion to administratively close these proceedings") in squash(flat)


def test_the_request_is_tied_to_the_next_hearing(letter):
    paragraphs = [p.text for p in letter.section("request").paragraphs]
    assert paragraphs[1] == (
        "The Respondent's next hearing is the master calendar hearing set for February\u00a09, 2027, "
        "at 8:30\u00a0AM. We ask that OPLA let us know its position before that hearing, so that a "
        "joint or unopposed motion can be presented to the Court then."
    )


def test_a_vacated_vehicle_is_not_cited_and_the_review_sheet_says_why(letter):
    ask = letter.section("request").paragraphs[0].text
    assert "pursuant to" not in ask and "[" not in ask
    item = next(i for i in letter.review.items if i.kind == "unsure" and i.anchor == "request.0")
    assert "vacated on June 22, 2026" in item.text


def test_dismissal_cites_its_vehicle(policies):
    facts = load_case(MARIA).model_copy(update={"requested_action": RequestedAction.DISMISSAL})
    ask = make_letter(policies["alpha"], facts=facts).section("request").paragraphs[0].text
    assert "move to dismiss these removal proceedings" in ask
    assert ask.endswith("pursuant to 8 C.F.R. §§ 239.2(c) and 1239.2(c).")


def test_admin_closure_before_the_vacatur_cites_the_2024_rule(policies):
    letter = make_letter(policies["alpha"], on=date(2026, 3, 2))
    paragraphs = [p.text for p in letter.section("request").paragraphs]
    assert paragraphs[0].endswith("pursuant to 8 C.F.R. §§ 1003.18(c) and 1003.1(l).")
    assert any("unusual, clearly identified, and supported reasons" in p for p in paragraphs)


def test_a_rule_of_its_own_letter_overrides_the_shared_template(letter, docx_bytes, pdf_bytes):
    numbered = [p for p in letter.section("equities").paragraphs if p.style == "numbered"]
    assert [p.text for p in numbered] == [
        "The Respondent has lived in the United States for more than two decades (Exhs. B, D).",
        "The Respondent is the primary caretaker of a U.S.-citizen child with a serious illness (Exhs. C, D).",
    ]
    assert [p.number for p in numbered] == [1, 2]
    doc = Document(io.BytesIO(docx_bytes))
    assert [p.text for p in doc.paragraphs if p.style.name == "List Number"] == [p.text for p in numbered]
    pdf = squash(pdf_text(pdf_bytes))
    assert all(squash(p.text) in pdf for p in numbered)
    assert "armed forces" not in pdf  # military_service is not met: no paragraph


def test_the_record_is_listed_and_answered(docx_bytes, pdf_bytes, letter):
    negative = [p.text for p in letter.section("negative_factors").paragraphs]
    assert negative[0] == "In candor, the Respondent's criminal history consists of one matter:"
    assert negative[1].startswith(
        "May\u00a02, 2012: Driving without a valid license (N.Y. Veh. & Traf. Law § 509(1))"
    )
    assert negative[1].endswith("no custodial sentence; sentence completed (Exh. E).")
    # criminal_conduct_recorded is record-based: answered with the default policy answer.
    assert negative[2].startswith("This record does not reflect who the Respondent is today.")
    assert "14 years before this letter" in negative[2]
    for text in (docx_text(docx_bytes), pdf_text(pdf_bytes)):
        assert squash("Criminal and Immigration History") in squash(text)


def test_the_not_priority_argument_comes_from_the_policy_when_every_priority_is_settled(letter):
    assert letter.section("not_priority").paragraphs[0].text == (
        "Under the Alpha memo the Respondent is outside every enforcement priority."
    )
    assert any("read the two together" in t for t in review_texts(letter))


def test_an_unsettled_priority_is_not_argued_as_settled(policies):
    facts = load_case(MARIA)
    facts = facts.model_copy(
        update={"security": facts.security.model_copy(update={"terrorism_or_espionage": None})}
    )
    letter = make_letter(policies["alpha"], facts=facts)
    section = letter.section("not_priority")
    assert section is None or "outside every enforcement priority" not in section.paragraphs[0].text
    assert any(
        "do not yet show that the Respondent is outside: threat to national security" in t
        for t in review_texts(letter)
    )


def test_the_narrative_is_used_verbatim(letter):
    intro = load_case(MARIA).narrative.introduction
    assert any(
        p.text == intro.strip() and p.source == "narrative.introduction"
        for p in letter.section("request").paragraphs
    )


def test_signature_block_is_complete(docx_bytes, pdf_bytes):
    for text in (docx_text(docx_bytes), pdf_text(pdf_bytes)):
        flat = " ".join(text.split())
        assert "Respectfully submitted," in flat
        assert "Ana Ruiz" in flat and "Attorney for the Respondent" in flat
        assert "Form G-28 on file; Form EOIR-28 on file" in flat
        assert "New York Bar No. 5551234 · EOIR ID ZZ123456" in flat
        assert "87-12 Roosevelt Avenue, Suite 4, Queens, NY 11372" in flat


def test_the_exhibit_index_lists_every_exhibit(docx_bytes, pdf_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    rows = [[c.text for c in row.cells] for row in doc.tables[-1].rows]
    assert rows[0] == ["Tab", "Description", "Pages"]
    assert rows[1:] == [[e.tab, e.description, str(e.pages)] for e in EXHIBITS]
    assert "Letter of Dr. Patel & records on Sofía's diabetes" in pdf_text(pdf_bytes)  # & survives
    assert "Enclosures: Exhibits A–E (see Index of Exhibits)" in docx_text(docx_bytes)


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


def test_both_documents_are_in_us_english(docx_bytes, pdf_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    lang = (
        doc.styles.element.find(qn("w:docDefaults"))
        .find(qn("w:rPrDefault"))
        .find(qn("w:rPr"))
        .find(qn("w:lang"))
    )
    assert lang.get(qn("w:val")) == "en-US"
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        assert str(pdf.Root.Lang) == "en-US"


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


def test_a_different_policy_changes_the_argument_and_marks_nothing(policies):
    alpha, beta = make_letter(policies["alpha"]), make_letter(policies["beta"])
    assert beta.section("not_priority").paragraphs[0].text.startswith("The Beta memo sets no categories")
    factors = [p.text for p in beta.section("equities").paragraphs if p.style == "numbered"]
    assert factors == ["Long residence has always weighed in favor of discretion."]
    item = next(i for i in beta.review.items if i.kind == "unsure" and i.anchor == "equities.0")
    assert "Long presence" in item.text and "partly confirmed" in item.text and "Beta memo" in item.source
    assert alpha.provenance.policy_sha256 != beta.provenance.policy_sha256


def test_an_unknown_office_is_left_for_the_review_sheet(policies):
    facts = load_case(MARIA)
    facts = facts.model_copy(
        update={"proceedings": facts.proceedings.model_copy(update={"court": "Atlantis"})}
    )
    letter = make_letter(policies["alpha"], facts=facts)
    assert letter.addressee == (
        "Chief Counsel",
        "U.S. Immigration and Customs Enforcement",
        "Office of the Principal Legal Advisor",
    )
    assert letter.via is None
    assert any("No OPLA field location was found for the court 'Atlantis'" in t for t in review_texts(letter))


def test_an_unverified_address_is_never_printed_as_the_channel(letter, docx_bytes, pdf_bytes):
    assert letter.addressee_verified is False
    assert "26 Federal Plaza, Room 1130" not in letter.addressee
    assert letter.via is None
    for text in (docx_text(docx_bytes), pdf_text(pdf_bytes)):
        assert "26 Federal Plaza" not in text and "Via " not in text
    assert any("26 Federal Plaza, Room 1130" in t and "not verified" in t for t in review_texts(letter))


def test_a_verified_channel_given_by_the_practitioner_is_printed(policies):
    letter = make_letter(policies["alpha"], send_to="pd-newyork@example.gov")
    assert letter.via == "Via e-mail to pd-newyork@example.gov"
    assert letter.transmittal.to == "pd-newyork@example.gov"


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


def test_the_draft_marks_each_item_where_it_applies_and_is_highlighted(letter):
    draft = letter.as_draft()
    assert draft.draft and not letter.draft
    text = "\n".join(draft.words())
    assert "[check: The procedural vehicle is not cited" in text
    assert "DRAFT FOR REVIEW" in text
    docx = render_docx(draft)
    marked = [r.text for p in Document(io.BytesIO(docx)).paragraphs for r in p.runs if r.font.highlight_color]
    assert any(m.startswith("[check: The procedural vehicle") and m.endswith("]") for m in marked)
    pdf = pdf_text(render_pdf(draft))
    assert "DRAFT FOR REVIEW — NOT FOR FILING" in pdf
    # The filing copy has none of it.
    assert not re.search(MARK_PATTERN, "\n".join(letter.words()))


def test_the_draft_never_carries_the_risks_or_the_advice(policies):
    facts = load_case(MARIA)
    from discretion.policies import shipped

    policy = shipped().select(ON)
    letter = build_letter(facts, screen(facts, policy, on=ON), policy, on=ON)
    assert letter.review.of("risks") and letter.review.of("advice")
    text = "\n".join(letter.as_draft().words())
    assert "courthouse" not in text.lower() and "explained" not in text and "K'iche' interpreter" not in text


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
    assert any("Exhibit C is not in English" in t for t in review_texts(letter))


def test_an_exhibit_proving_a_checklist_item_is_cited_for_the_items_rule():
    evidence = pytest.importorskip("discretion.evidence")
    from discretion.policies import shipped

    facts = load_case(MARIA)
    policy = shipped().select(ON)
    screening = screen(facts, policy, on=ON)
    checklist = evidence.build_checklist(facts, screening)
    met = {f.id for f in screening.findings if f.outcome.value == "met" and f.kind.value == "mitigating"}
    # A paragraph whose wording names the items it cites (factors-en.yaml `cites:`) cites only
    # those (test_a_paragraph_cites_only_the_exhibits_for_what_it_says); take one that does not.
    from discretion.letters.arguments import factor_wording

    wording = factor_wording().favourable
    tests = {r.id: r.test for r in policy.rules}
    pairs = [
        (i, r)
        for i in checklist.items
        for r in sorted(met & set(i.rule_ids))
        if (w := wording.get(tests.get(r, ""))) is None or w.cites is None or i.id.split(".")[0] in w.cites
    ]
    if not pairs:
        pytest.skip("no checklist item supports a met factor under the shipped policy")
    item, rule_id = pairs[0]
    letter = build_letter(
        facts, screening, policy, on=ON, exhibits=[Exhibit("K", "Proof", proves=(item.id,))]
    )
    cited = [p for p in letter.section("equities").paragraphs if p.source == f"rule:{rule_id}"]
    assert cited and "(Exh. K)" in cited[0].text and cited[0].exhibits == ("K",)


# --- the command line ----------------------------------------------------------------------


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_writes_the_filing_copy_review_sheet_email_and_summaries(tmp_path, policies):
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
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "LOPEZ-2026-014-request.docx",
        "LOPEZ-2026-014-request.pdf",
        "LOPEZ-2026-014-review.md",
        "LOPEZ-2026-014-review.pdf",
        "LOPEZ-2026-014-summary-en.docx",
        "LOPEZ-2026-014-summary-en.pdf",
        "LOPEZ-2026-014-summary-es.docx",
        "LOPEZ-2026-014-summary-es.pdf",
        "LOPEZ-2026-014-transmittal.eml",
    ]
    assert "item(s) to check on the review sheet" in result.output
    assert "Page 1 of" in pdf_text((tmp_path / "LOPEZ-2026-014-request.pdf").read_bytes())
    review = (tmp_path / "LOPEZ-2026-014-review.md").read_text(encoding="utf-8")
    assert review.startswith("# Review sheet: Request for Prosecutorial Discretion: Administrative Closure")
    assert "- [ ] " in review
    assert "Review sheet" in pdf_text((tmp_path / "LOPEZ-2026-014-review.pdf").read_bytes())


def test_cli_draft_writes_the_marked_copy_beside_the_clean_one(tmp_path, policies):
    result = run_cli(
        "letter",
        str(MARIA),
        "-o",
        str(tmp_path),
        "--as-of",
        "2026-11-28",
        "--policies-dir",
        str(policies["dir"]),
        "--draft",
    )
    assert result.exit_code == 0, result.output
    clean = docx_text((tmp_path / "LOPEZ-2026-014-request.docx").read_bytes())
    draft = docx_text((tmp_path / "LOPEZ-2026-014-request-DRAFT.docx").read_bytes())
    assert "[check:" in draft and "[check:" not in clean
    assert "DRAFT FOR REVIEW" in pdf_text((tmp_path / "LOPEZ-2026-014-request-DRAFT.pdf").read_bytes())


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
        (["--override-high-risk", "short"], "--override-high-risk: say why"),
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


def test_a_paragraph_cites_only_the_exhibits_for_what_it_says():
    # The family-or-community rule is proved by the children's birth certificates as well as by
    # support letters, but when the children are argued in their own paragraph the community
    # paragraph speaks only of the community: citing the birth certificates there would point
    # OPLA at the wrong proof.
    from discretion.policies import shipped

    facts = load_case(MARIA)
    policy = shipped().select(ON)
    screening = screen(facts, policy, on=ON)
    exhibits = [
        Exhibit(
            "A", "Birth certificate of Daniel López", proves=("usc_child_birth_certificate.daniel-lopez",)
        ),
        Exhibit("B", "Letters of support", proves=("support_letters",)),
        Exhibit("C", "Endocrinologist's letter", proves=("dependant_medical_records",)),
    ]
    letter = build_letter(facts, screening, policy, on=ON, exhibits=exhibits)
    paragraphs = {p.source: p for p in letter.section("equities").paragraphs}
    community = next(p for s, p in paragraphs.items() if s and s.endswith("family_or_community_ties"))
    family = next(p for s, p in paragraphs.items() if s and s.endswith("usc_lpr_family"))
    carer = next(p for s, p in paragraphs.items() if s and s.endswith("primary_caretaker"))
    assert "letters in support" in community.text and community.exhibits == ("B",)
    assert "Daniel López" in family.text and family.exhibits == ("A",)
    assert "diabetes" in carer.text and carer.exhibits == ("C",)


@pytest.mark.parametrize(
    ("days", "said"),
    [
        (1095, "sentenced to 3 years"),
        (365, "sentenced to 1 year"),
        (90, "sentenced to 90 days"),
        (400, "sentenced to 400 days"),
        (1, "sentenced to 1 day"),
    ],
)
def test_a_custodial_term_reads_as_the_court_would_say_it(days, said):
    from discretion.letters.history import event_text

    event = {
        "on": None,
        "offense": "Theft",
        "statute": None,
        "jurisdiction": None,
        "disposition": "convicted",
        "convicted_on": None,
        "level": None,
        "sentence_days": days,
        "suspended": False,
        "completed": False,
        "rehabilitation": None,
    }
    text = event_text(event)
    assert said in text and "1,095" not in text
