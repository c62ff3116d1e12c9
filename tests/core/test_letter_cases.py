"""Letters a practitioner can file as written, read back from the rendered filing copy.

Over every example and the fictional cases in ``letter_cases/``: the person's own facts are in
the DOCX and the PDF (names, ages, years, dates, service, conditions, convictions), nothing of
the risk screen, counsel's advice or a preparer mark is, "enclosed" appears only with exhibits,
quotation marks hold only verbatim memo text, the last page is never a signature alone, and the
review sheet lists every statement resting on a partial or unverified source. Then each refusal,
the draft, the transmittal e-mail and the client summary.
"""

from __future__ import annotations

import email
import io
import re
from datetime import date
from email import policy as email_policy
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from discretion.casefile import load_case
from discretion.counsel import FactorNote, HighRiskOverride
from discretion.exhibits import Exhibit
from discretion.facts import CaseFacts
from discretion.letters import (
    LetterRefused,
    Override,
    build_letter,
    build_summary,
    render_docx,
    render_pdf,
    render_review_pdf,
    render_summary_docx,
    render_summary_pdf,
    safer_asks,
)
from discretion.letters.arguments import policy_wording
from discretion.letters.model import MARK_PATTERN
from discretion.policies import shipped
from discretion.predicates import Outcome
from discretion.rules import Kind
from discretion.screening import screen

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CASES = Path(__file__).parent / "letter_cases"
ON = date(2026, 11, 28)

# The person's own facts each filing copy must state, as of its date.
EXPECTED: dict[str, tuple[date, tuple[str, ...], tuple[str, ...]]] = {
    "maria-lopez": (
        ON,
        (
            "continuously since November 15, 2004",
            "22 years as of the date of this letter",
            "Daniel López (age 17) and Sofía López (age 12)",
            "two U.S.-citizen children",
            "primary caretaker of Sofía López (daughter, 12), who lives with type 1 diabetes",
            "Sunrise Commercial Cleaning LLC",
            "every year from 2015 through 2025",
            "Volunteer at the St. Sebastian parish food pantry",
            "Driving without a valid license",
        ),
        ("Carlos Méndez",),  # recorded as undocumented: never named to ICE
    ),
    "lpr-old-conviction": (
        ON,
        (
            "as a lawful permanent resident",
            "August 14, 1992",
            "34 years",
            "U.S.-citizen spouse, Lan Nguyen",
            "lawful-permanent-resident parent, Hoa Tran (age 76)",
            "primary caretaker of Hoa Tran (mother, 76), who lives with Parkinson's disease",
            "Bay Area Transit Maintenance (union machinist)",
            "Possession of a controlled substance (methamphetamine)",
            "convicted on September 8, 2003",
            "Completed residential treatment in 2004",
        ),
        (),
    ),
    "daca-young-adult": (
        ON,
        (
            "continuously since July 1, 2005",
            "at the age of 5",
            "Lakeview Hospital",
            "Associate degree; enrolled in a BSN program",
            "every year from 2019 through 2025",
            "Youth soccer coach; Church choir",
        ),
        (),
    ),
    "detained-felony": (
        ON,
        (
            "lawful-permanent-resident spouse, Carmen Morales",
            "two U.S.-citizen children (ages 14 and 10)",
            "post-traumatic stress disorder",
            "Assault with a deadly weapon",
            "convicted on January 20, 2023",
            "Anger-management course",
            "release on a reasonable bond",
        ),
        (),
    ),
    "trafficking-victim": (
        ON,
        (
            "a victim of human trafficking: forced labor by a recruiting agency",
            "The Respondent has helped law enforcement",
            "T nonimmigrant status (Form I-914)",
            "EAC2455500063",
        ),
        (),
    ),
    "recent-ewi-no-proof": (
        ON,
        ("worked in the United States for 1 year.",),
        (),
    ),
    "veteran-continuance": (
        ON,
        (
            "served in the United States Army for 48 months of active duty, including in combat, and was honorably discharged",
            "U.S.-citizen spouse, Grace Okoro",
            "Adaeze Okoro (age 8)",
            "individual (merits) hearing set for January 12, 2027",
            "Veterans of Foreign Wars Post 2681 member",
        ),
        ("Baby Okoro",),  # born after the letter's date
    ),
    "pro-se-continuance": (
        ON,
        ("I, Aminata Diallo", "Harlem Home Care Agency", "Respondent, pro se", "410 W. 145th Street"),
        (),
    ),
    "doyle-elder": (
        date(2024, 3, 1),
        (
            "69 years old (born November 30, 1954)",
            "Rush University Medical Center",
            "Theft over $500",
            "convicted on July 20, 2009",
            "15 years have passed since the Respondent's most recent offense",
            "“the existence of a criminal history alone, regardless of severity",
        ),
        (),
    ),
    "johnson-felony": (
        date(2015, 6, 1),
        (
            "“compelling and exceptional factors that clearly indicate the alien is not a threat”",
            "Lucía Reyes (age 11) and Mateo Reyes (age 7)",
            "drug-free since 2013",
        ),
        (),
    ),
}

# Nothing from the risk screen or counsel's advice, and no preparer mark, in a filing copy.
FORBIDDEN = [
    r"expedited removal",
    r"informed consent",
    r"\bconsent",
    r"work permit",
    r"employment authori[sz]ation",
    r"\bEAD\b",
    r"courthouse",
    r"without a hearing",
    r"counsel (?:reviewed|advised|explained)",
    r"verify",
    r"\[partly confirmed\]",
    r"UNVERIFIED",
    r"\[check",
    r"\[fill in",
    r"undocumented",
]
BRITISH = r"\b(?:offence|licence|favour|labour|honour|defence|behaviour|colour|counsell?or|recognis|authoris|organis)"


def case_path(name: str) -> Path:
    return EXAMPLES / f"{name}.yaml" if (EXAMPLES / f"{name}.yaml").exists() else CASES / f"{name}.yaml"


def letter_for(name: str, **kw):
    on = EXPECTED[name][0]
    facts = load_case(case_path(name))
    policy = shipped().select(on)
    screening = screen(facts, policy, on=on)
    if name == "recent-ewi-no-proof":  # refused without an override: see test_a_high_risk_request_is_refused
        kw.setdefault(
            "override",
            Override("Luis Pérez", on, "Client insists after advice.", _high(screening, facts), "test"),
        )
    return facts, screening, policy, build_letter(facts, screening, policy, on=on, **kw)


def _high(screening, facts) -> tuple[str, ...]:
    action = facts.requested_action.value
    return tuple(
        r.id
        for r in screening.risks
        if r.outcome is Outcome.MET and r.level == "high" and action in r.applies_to
    )


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [" ".join(c.text for c in row.cells) for row in table.rows]
    return " ".join(" ".join(parts).split())


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    # Typst hyphenates and both engines break lines differently: compare with single spaces,
    # no soft hyphens, no line-end hyphens, and ordinary spaces for no-break ones.
    text = text.replace("\u00a0", " ").replace("\u00ad", "")
    text = re.sub(r"-\s*\n\s*", "-", text)
    return " ".join(text.split())


def squash(text: str) -> str:
    return re.sub(r"[\s\-\u00ad\u2010\u2011\u00a0]", "", text)


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def rendered(request):
    name = request.param
    facts, screening, policy, letter = letter_for(name)
    return name, facts, screening, policy, letter, render_docx(letter), render_pdf(letter)


def test_the_filing_copy_states_the_persons_own_facts(rendered):
    name, _, _, _, letter, docx, pdf = rendered
    expected, absent = EXPECTED[name][1], EXPECTED[name][2]
    docx_flat, pdf_flat = flat(docx_text(docx)), squash(" ".join(pdf_pages(pdf)))
    for phrase in expected:
        assert flat(phrase) in docx_flat, (name, phrase)
        assert squash(phrase) in pdf_flat, (name, phrase)
    for phrase in absent:
        assert phrase not in docx_flat and squash(phrase) not in pdf_flat, (name, phrase)


def test_the_filing_copy_says_nothing_that_hurts_the_client(rendered):
    name, _, _, _, letter, docx, pdf = rendered
    for text in (docx_text(docx), flat(" ".join(pdf_pages(pdf)))):
        for pattern in FORBIDDEN:
            assert not re.search(pattern, text, re.IGNORECASE), (name, pattern)
        assert not re.search(MARK_PATTERN, text), name


def test_enclosures_are_claimed_only_with_exhibits(rendered):
    name, _, _, _, letter, docx, pdf = rendered
    for text in (docx_text(docx), flat(" ".join(pdf_pages(pdf)))):
        assert not re.search(r"enclos|supporting evidence|as the .{0,20}records show", text, re.IGNORECASE), (
            name
        )
        assert "Index of Exhibits" not in text and "(Exh" not in text


def test_it_is_written_in_us_english(rendered):
    name, _, _, _, letter, docx, _ = rendered
    assert not re.search(BRITISH, docx_text(docx), re.IGNORECASE), name


def test_quotation_marks_hold_only_verbatim_memo_text(rendered):
    name, facts, _, _, letter, docx, _ = rendered
    verbatim = {q.text for wording in policy_wording().values() for q in wording.quotes.values()}
    own = " ".join(filter(None, [*facts.narrative.model_dump(exclude={"factors"}).values()]))
    for quoted in re.findall(r"“([^”]+)”", docx_text(docx)):
        if quoted == "Respondent" or quoted in own:
            continue
        assert quoted in verbatim, (name, quoted)


def test_the_last_page_is_never_a_signature_alone(rendered):
    name, _, _, _, letter, _, pdf = rendered
    last = pdf_pages(pdf)[-1]
    if "Index of Exhibits" in last:  # the index page follows the letter
        last = pdf_pages(pdf)[-2]
    assert "Respectfully submitted," in last, name
    before = last.split("Respectfully submitted,")[0].strip().splitlines()
    body = [
        line for line in before if line.strip() and "A-Number" not in line and not line.startswith("Page ")
    ]
    assert len(body) >= 2, (name, before)


def test_the_review_sheet_lists_every_unsure_statement(rendered):
    name, _, screening, _, letter, _, _ = rendered
    unsure = [
        f
        for f in screening.findings
        if f.kind is Kind.MITIGATING and f.outcome is Outcome.MET and f.confidence.is_unsure
    ]
    listed = " ".join(i.text for i in letter.review.of("unsure"))
    for f in unsure:
        paragraph = next(
            (p for s in letter.sections for p in s.paragraphs if p.source == f"rule:{f.id}"), None
        )
        if paragraph is None:  # said by another factor's paragraph (covered), nothing to mark
            continue
        assert f.label in listed, (name, f.id)
        assert any(i.anchor == paragraph.anchor for i in letter.review.of("unsure")), (name, f.id)


def test_the_review_sheet_renders_as_markdown_and_pdf(rendered):
    name, _, _, _, letter, _, _ = rendered
    md = letter.review.markdown()
    assert md.startswith("# Review sheet:")
    for item in letter.review.items:
        assert item.text.split(":")[0].replace("_", "\\_").replace("*", "\\*")[:30] in md
    text = flat(" ".join(pdf_pages(render_review_pdf(letter.review))))
    assert "NEVER SEND TO ICE" in text


def test_every_example_without_a_request_is_refused():
    facts = load_case(EXAMPLES / "many-unknowns.yaml")
    policy = shipped().select(ON)
    with pytest.raises(LetterRefused, match="requested_action"):
        build_letter(facts, screen(facts, policy, on=ON), policy, on=ON)


# --- what is left out, and why -----------------------------------------------------------------


def test_a_fact_dated_after_the_letter_is_left_out_and_listed():
    _, _, _, letter = letter_for("veteran-continuance")
    later = letter.review.of("later")
    assert any("family[2].date_of_birth is 2027-02-20" in i.text for i in later)


def test_a_missing_piece_is_left_out_and_named_with_its_fact_path():
    _, _, _, letter = letter_for("veteran-continuance")
    work = next(p for p in letter.section("equities").paragraphs if "worked in the United States" in p.text)
    assert work.text.startswith("The Respondent has worked in the United States for 8 years.")
    assert "currently for" not in work.text
    missing = [i for i in letter.review.of("missing") if i.anchor == work.anchor]
    assert any("employment.employer" in i.text for i in missing)


def test_a_relative_without_lawful_status_is_never_named():
    _, _, _, letter = letter_for("maria-lopez")
    assert "Carlos" not in " ".join(letter.words())
    assert any(
        "Carlos Méndez (spouse), recorded as undocumented" in i.text for i in letter.review.of("withheld")
    )


def test_the_practitioners_words_replace_a_factor_when_asked():
    _, _, _, letter = letter_for("doyle-elder")
    texts = [p.text for p in letter.section("equities").paragraphs]
    assert any(t.startswith("Ms. Petrova lives with congestive heart failure.") for t in texts)
    assert not any(t.startswith("The Respondent has congestive heart failure") for t in texts)


def test_the_practitioners_words_follow_a_factor_by_default():
    facts = load_case(EXAMPLES / "maria-lopez.yaml")
    facts = facts.model_copy(
        update={
            "narrative": facts.narrative.model_copy(
                update={
                    "factors": [
                        FactorNote(factor="work_history", text="Her supervisor calls her indispensable.")
                    ]
                }
            )
        }
    )
    policy = shipped().select(ON)
    letter = build_letter(facts, screen(facts, policy, on=ON), policy, on=ON)
    work = next(p for p in letter.section("equities").paragraphs if "Sunrise Commercial Cleaning" in p.text)
    assert work.text.endswith("primary earner. Her supervisor calls her indispensable.")


def test_a_factor_the_tool_does_not_argue_must_be_written_by_counsel():
    facts = load_case(CASES / "johnson-felony.yaml")
    facts = CaseFacts.model_validate(
        {**facts.model_dump(), "gang": {"alleged": True, "age_at_participation": 19}}
    )
    on = date(2015, 6, 1)
    policy = shipped().select(on)
    letter = build_letter(facts, screen(facts, policy, on=on), policy, on=on)
    assert "gang" not in " ".join(letter.words()).lower()
    assert any("does not argue it" in i.text for i in letter.review.blocking)


def test_exhibits_are_cited_and_enclosed_only_when_present():
    facts = load_case(EXAMPLES / "maria-lopez.yaml")
    policy = shipped().select(ON)
    screening = screen(facts, policy, on=ON)
    caretaker = next(f.id for f in screening.findings if "caretaker" in f.id and f.outcome is Outcome.MET)
    exhibits = (Exhibit("A", "Letter of Dr. Patel", proves=(caretaker,), pages=2),)
    letter = build_letter(facts, screening, policy, on=ON, exhibits=exhibits)
    text = docx_text(render_docx(letter))
    assert "endocrinology visits (Exh. A)." in text
    assert "Enclosure: Exhibit A (see Index of Exhibits)" in text
    inside = build_letter(facts, screening, policy, on=ON, exhibits=exhibits, in_packet=True)
    pdf = pdf_pages(render_pdf(inside))
    assert "Index of Exhibits that follows" in flat(" ".join(pdf))
    assert not any("Index of Exhibits Tab" in flat(p) for p in pdf)
    assert not any(re.search(r"Page \d+ of \d+", p) for p in pdf)  # the packet numbers its pages


# --- refusals -----------------------------------------------------------------------------------


def test_a_high_risk_request_is_refused_naming_each_risk_and_the_safer_asks():
    facts = load_case(EXAMPLES / "recent-ewi-no-proof.yaml")
    policy = shipped().select(ON)
    screening = screen(facts, policy, on=ON)
    with pytest.raises(LetterRefused) as caught:
        build_letter(facts, screening, policy, on=ON)
    message = str(caught.value)
    for risk in _high(screening, facts):
        assert f"[{risk}]" in message
    assert "lowered by: Asking for a PD form that keeps the case in court" in message
    safer = safer_asks(facts, policy, ON)
    assert safer and all(a.value in message for a in safer)
    assert "dismissal" not in {a.value for a in safer}
    assert "--override-high-risk" in message


def test_an_override_must_cover_every_high_risk():
    facts = load_case(EXAMPLES / "recent-ewi-no-proof.yaml")
    policy = shipped().select(ON)
    screening = screen(facts, policy, on=ON)
    partial = Override(
        "Luis Pérez", ON, "Client insists after advice.", _high(screening, facts)[:1], "command line"
    )
    with pytest.raises(LetterRefused, match="does not cover"):
        build_letter(facts, screening, policy, on=ON, override=partial)
    full = Override("Luis Pérez", ON, "Client insists after advice.", _high(screening, facts), "command line")
    letter = build_letter(facts, screening, policy, on=ON, override=full)
    assert any("Client insists after advice." in i.text for i in letter.review.of("override"))
    assert any("did not consent" in i.text for i in letter.review.blocking)


def test_an_override_recorded_in_the_case_file_is_honoured():
    _, _, _, letter = letter_for("lpr-old-conviction")
    (item,) = letter.review.of("override")
    assert "Grace Park on 2026-11-23 (case file)" in item.text and "r25.d3_court_only_relief" in item.text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"bar_state": None}, "representative.bar_state"),
        ({"eoir_id": None}, "representative.eoir_id"),
        ({"address": None, "email": None}, "representative.address"),
        ({"g28_filed": None}, "representative.g28_filed"),
        ({"kind": None}, "representative.kind"),
    ],
)
def test_an_incomplete_representative_block_is_refused_naming_the_field(change, field):
    facts = load_case(EXAMPLES / "maria-lopez.yaml")
    facts = facts.model_copy(update={"representative": facts.representative.model_copy(update=change)})
    policy = shipped().select(ON)
    with pytest.raises(LetterRefused, match=re.escape(field)):
        build_letter(facts, screen(facts, policy, on=ON), policy, on=ON)


def test_a_representative_without_a_g28_on_file_is_refused():
    facts = load_case(EXAMPLES / "maria-lopez.yaml")
    facts = facts.model_copy(
        update={"representative": facts.representative.model_copy(update={"g28_filed": False})}
    )
    policy = shipped().select(ON)
    with pytest.raises(LetterRefused, match="file a Form G-28"):
        build_letter(facts, screen(facts, policy, on=ON), policy, on=ON)


def test_a_letter_without_the_a_number_is_refused():
    facts = load_case(EXAMPLES / "maria-lopez.yaml")
    facts = facts.model_copy(update={"identity": facts.identity.model_copy(update={"a_number": None})})
    policy = shipped().select(ON)
    with pytest.raises(LetterRefused, match="identity.a_number"):
        build_letter(facts, screen(facts, policy, on=ON), policy, on=ON)


def test_the_override_in_the_case_file_needs_a_reason():
    with pytest.raises(ValueError, match="reason"):
        HighRiskOverride.model_validate({"by": "A", "decided_on": "2026-01-01", "reason": "", "risks": ["x"]})


# --- the transmittal e-mail ---------------------------------------------------------------------


def test_the_transmittal_email_carries_the_identifying_block_and_nothing_privileged():
    _, _, _, letter = letter_for("maria-lopez")
    pdf = render_pdf(letter)
    raw = letter.transmittal.message(pdf, sender="aruiz@example.org", on=ON)
    message = email.message_from_bytes(raw, policy=email_policy.default)
    assert message["Subject"] == "A208-555-014 - Request for Prosecutorial Discretion"
    assert message["To"] is None  # no verified channel: the practitioner adds it
    assert message["X-Unsent"] == "1"
    body = message.get_body(("plain",)).get_content()
    for line in (
        "Respondent: María Elena López Hernández",
        "A-Number: 208-555-014",
        "Custody: Not detained",
        "Next hearing: February 9, 2027, 8:30 AM",
        "Representative: Ana Ruiz",
        "Forms on file: Form G-28",
    ):
        assert line in body.replace("\u00a0", " "), line
    for pattern in FORBIDDEN[:9]:
        assert not re.search(pattern, body, re.IGNORECASE), pattern
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "LOPEZ-2026-014-request.pdf"
    assert attachment.get_content() == pdf
    assert any("no recipient" in i.text for i in letter.review.of("channel"))


def test_an_office_with_its_own_subject_rules_is_flagged():
    _, _, _, letter = letter_for("detained-felony")  # OPLA Los Angeles (Adelanto)
    assert any("own subject-line rules" in i.text for i in letter.review.of("channel"))


# --- the client summary -------------------------------------------------------------------------


def summary_for(name: str, lang: str):
    facts, screening, policy, letter = letter_for(name)
    return build_summary(letter, facts, lang, screening=screening, policy=policy)


def test_a_permanent_resident_is_never_told_pd_gives_no_status():
    en, es = summary_for("lpr-old-conviction", "en"), summary_for("lpr-old-conviction", "es")
    assert "It does not give you legal status or a green card." not in en.words()
    assert (
        "You are a permanent resident (you have a green card). This request does not change that."
        in en.words()
    )
    assert not any("No le da un estatus legal" in w for w in es.words())
    assert not any("expedited removal" in w for w in en.words())  # an LPR is not exposed to it


def test_a_person_exposed_to_expedited_removal_is_told_in_plain_words():
    summary = summary_for("recent-ewi-no-proof", "en")
    assert any(
        w.startswith("You came into the United States without being inspected") for w in summary.words()
    )
    assert "r25.er1_dismissal_expedited_removal" in summary.risks
    assert "You told us that you do not agree. We will not send this request." in summary.words()


def test_every_risk_line_comes_from_the_persons_own_screen():
    for name in ("maria-lopez", "daca-young-adult", "veteran-continuance"):
        facts, screening, policy, letter = letter_for(name)
        summary = build_summary(letter, facts, "en", screening=screening, policy=policy)
        met = {r.id for r in screening.risks if r.outcome is Outcome.MET}
        assert set(summary.risks) <= met
        assert not any("expedited removal" in w.lower() for w in summary.words()), name


def test_a_bond_request_is_never_described_as_ending_the_case():
    summary = summary_for("detained-felony", "en")
    text = " ".join(summary.words())
    assert "Your case does NOT end." in text
    assert "end your case" not in text and "ended case" not in text


def test_the_summary_records_the_advice_given():
    en, es = summary_for("maria-lopez", "en"), summary_for("maria-lopez", "es")
    assert (
        "On November\u00a020, 2026, Ana Ruiz explained these risks to you in Spanish, with Rosa Ixcoy (K'iche' interpreter) interpreting."
        in en.words()
    )
    assert "You told us that you agree that we send this request." in en.words()
    assert any("le explicó estos riesgos en español" in w for w in es.words())


def test_the_summary_prints_on_letter_paper_and_the_docx_has_headings_and_its_language():
    summary = summary_for("maria-lopez", "es")
    reader = PdfReader(io.BytesIO(render_summary_pdf(summary)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    with pikepdf.open(io.BytesIO(render_summary_pdf(summary))) as pdf:
        assert str(pdf.Root.Lang).startswith("es")
    doc = Document(io.BytesIO(render_summary_docx(summary)))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "Qué pedimos" in headings and "Riesgos que debe conocer" in headings
    assert doc.paragraphs[0].style.name == "Title"
    lang = (
        doc.styles.element.find(qn("w:docDefaults"))
        .find(qn("w:rPrDefault"))
        .find(qn("w:rPr"))
        .find(qn("w:lang"))
    )
    assert lang.get(qn("w:val")) == "es-US"
    assert doc.core_properties.language == "es-US"


def test_an_unknown_summary_language_is_one_line():
    facts, screening, policy, letter = letter_for("maria-lopez")
    with pytest.raises(Exception, match="summary language 'fr' is not available"):
        build_summary(letter, facts, "fr", screening=screening)
