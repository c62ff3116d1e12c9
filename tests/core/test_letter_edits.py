"""The practitioner's edits of a generated letter: applied, followed, checked and never lost."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from discretion.casefile import load_case
from discretion.errors import DocumentError
from discretion.letters import build_letter, render_docx
from discretion.letters.edits import Edit, apply_edits, changed, clean_text, editable
from discretion.letters.model import Paragraph
from discretion.policies import shipped
from discretion.screening import screen

ROOT = Path(__file__).resolve().parents[2]
ON = date(2026, 11, 28)


@pytest.fixture(scope="module")
def letter():
    facts = load_case(ROOT / "examples" / "maria-lopez.yaml")
    policy = shipped().select(ON)
    return build_letter(facts, screen(facts, policy, on=ON), policy, on=ON)


def docx_text(letter) -> str:
    doc = Document(io.BytesIO(render_docx(letter)))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [" ".join(c.text for c in row.cells) for row in table.rows]
    return " ".join(" ".join(parts).split())


def equity(letter, word: str):
    return next(p for p in editable(letter) if p.section == "equities" and word in p.text)


def test_an_edited_paragraph_replaces_the_generated_one_in_the_filing_copy(letter):
    target = equity(letter, "diabetes")
    mine = "Ms. López gives Sofía her insulin four times a day and takes her to every clinic visit."
    edits = changed(letter, {target.anchor: mine})
    assert [e.anchor for e in edits] == [target.anchor] and edits[0].base == target.text
    text = docx_text(apply_edits(letter, edits))
    assert mine in text and "managed with an insulin pump" not in text
    # Every other paragraph is still the generated one.
    assert "continuously since November 15, 2004" in text


def test_untouched_paragraphs_are_not_edits_and_an_earlier_edit_keeps_its_base(letter):
    texts = {p.anchor: p.text for p in editable(letter)}
    assert changed(letter, texts) == []
    target = equity(letter, "diabetes")
    first = changed(letter, {target.anchor: "First words."})
    second = changed(letter, {target.anchor: "Second words."}, previous=first)
    assert second[0].text == "Second words." and second[0].base == target.text
    # A paragraph not in the submission keeps its earlier edit.
    assert changed(letter, {}, previous=first) == first


def test_an_empty_paragraph_is_left_out_and_a_blank_line_starts_a_new_one(letter):
    target = equity(letter, "diabetes")
    other = equity(letter, "Sunrise Commercial Cleaning")
    edits = changed(
        letter,
        {
            target.anchor: "",
            other.anchor: "She has worked for 15 years.\n\nHer employer calls her indispensable.",
        },
    )
    edited = apply_edits(letter, edits)
    words = [p.text for p in edited.section("equities").paragraphs]
    assert not any("diabetes" in w for w in words)
    assert "She has worked for 15 years." in words and "Her employer calls her indispensable." in words


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("She is kind [check: verify this].", "preparer mark"),
        ("She is kind [partly confirmed].", "preparer mark"),
        ("Bell\x07 character", "control character (U+0007)"),
        ("x" * 6001, "at most 6,000"),
    ],
)
def test_words_a_filing_copy_cannot_hold_are_refused_naming_the_paragraph(letter, text, complaint):
    target = equity(letter, "diabetes")
    with pytest.raises(DocumentError) as err:
        changed(letter, {target.anchor: text})
    assert complaint in str(err.value) and f"paragraph {target.number}" in str(err.value)


def test_a_vertical_tab_from_word_is_a_line_break_not_an_error():
    assert clean_text("one\vtwo", where="p") == "one two"
    assert clean_text("one\v\vtwo", where="p") == "one\n\ntwo"


def test_an_edit_follows_its_factor_when_another_paragraph_comes_before_it(letter):
    target = equity(letter, "diabetes")
    edits = changed(letter, {target.anchor: "My own words on the care she gives."})
    # The facts change and a new factor is argued first: every paragraph moves down one place.
    section = letter.section("equities")
    moved = (Paragraph("A new first factor.", "numbered", 1, "rule:new.one", (), "equities.0"),) + tuple(
        replace(p, anchor=f"equities.{i + 1}") for i, p in enumerate(section.paragraphs)
    )
    shifted = replace(
        letter,
        sections=tuple(replace(s, paragraphs=moved) if s.key == "equities" else s for s in letter.sections),
    )
    edited = apply_edits(shifted, edits)
    words = [p.text for p in edited.section("equities").paragraphs]
    assert words[0] == "A new first factor." and "My own words on the care she gives." in words
    assert not any("insulin pump" in w for w in words)


def test_an_edit_whose_paragraph_is_gone_is_listed_not_lost(letter):
    edit = Edit("equities.9", "rule:gone.rule", "Old wording.", "My words for a factor no longer met.")
    edited = apply_edits(letter, [edit])
    items = edited.review.of("edits")
    assert (
        len(items) == 1
        and "no longer has a paragraph" in items[0].text
        and "My words for a factor" in items[0].text
    )


def test_when_the_facts_move_under_an_edit_the_review_sheet_says_so(letter):
    target = equity(letter, "diabetes")
    stale = Edit(target.anchor, target.source, "The generated wording as it was last month.", "My words.")
    edited = apply_edits(letter, [stale])
    items = edited.review.of("edits")
    assert items and items[0].anchor == target.anchor and "has changed since you edited it" in items[0].text
    assert target.text in items[0].text  # the new generated wording is shown to compare


def test_edited_words_that_tell_ice_about_exposure_must_be_resolved(letter):
    target = equity(letter, "diabetes")
    edits = changed(
        letter,
        {target.anchor: "We explained the risks: she could face Expedited Removal and lose her work permit."},
    )
    blocking = apply_edits(letter, edits).review.blocking
    flagged = [i for i in blocking if i.anchor == target.anchor]
    assert flagged and "“expedited removal”" in flagged[0].text and "“work permit”" in flagged[0].text
    # A plain edit raises nothing.
    clean = apply_edits(letter, changed(letter, {target.anchor: "She gives Sofía her insulin."}))
    assert not [i for i in clean.review.blocking if i.anchor == target.anchor]


def test_edits_round_trip_as_data(letter):
    target = equity(letter, "diabetes")
    edits = changed(letter, {target.anchor: "Words."})
    assert [Edit.from_dict(e.to_dict()) for e in edits] == edits
