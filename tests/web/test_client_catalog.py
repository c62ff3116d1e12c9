"""The person's words: the message catalogs are complete, compiled, current and plain, and every
fact of the case schema is either asked in plain words or left to the practitioner."""

from __future__ import annotations

import gettext
import re
import shutil
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "src" / "discretion" / "web"
LOCALE = WEB / "locale"
sys.path.insert(0, str(ROOT / "benchmarks"))

import readability  # noqa: E402


def _po(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


def test_every_message_has_a_spanish_translation_with_the_same_placeholders():
    po = _po("es")
    assert len(po) > 200
    for e in po:
        assert not e.obsolete and "fuzzy" not in e.flags, e.msgid
        forms = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        assert all(forms), f"no Spanish for {e.msgid!r}"
        want = set(re.findall(r"%\(\w+\)s", e.msgid))
        for f in forms:
            assert set(re.findall(r"%\(\w+\)s", f)) == want, f"placeholders differ in {e.msgid!r}"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_compiled_catalog_matches_its_source(lang):
    with open(LOCALE / lang / "LC_MESSAGES" / "django.mo", "rb") as f:
        mo = gettext.GNUTranslations(f)
    for e in _po(lang):
        if e.msgid_plural or not e.msgstr:
            continue
        got = mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt else mo.gettext(e.msgid)
        assert got == e.msgstr, f"django.mo is stale for {e.msgid!r}: run compilemessages"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is installed by ./dev setup")
def test_the_catalog_holds_every_message_of_the_code(tmp_path, settings):
    """makemessages over a copy of the web app finds nothing the committed catalog lacks."""
    import os

    from django.core.management import call_command

    copy = tmp_path / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    settings.LOCALE_PATHS = [copy / "locale"]
    here = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["es"], no_wrap=True, no_location=True, verbosity=0)
    finally:
        os.chdir(here)
    fresh = polib.pofile(str(copy / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid) for e in _po("es") if not e.obsolete}
    new = {(e.msgctxt, e.msgid) for e in fresh if not e.obsolete}
    assert new - committed == set(), "messages missing from django.po: run makemessages -l es -l en"
    assert committed - new == set(), "django.po holds messages the code no longer uses"


def test_english_reads_at_grade_six_or_below_and_spanish_reads_easily():
    english = readability.english_scores(readability.corpus("en"))
    assert english["Flesch-Kincaid grade"] <= readability.TARGET_GRADE
    spanish = readability.spanish_scores(readability.corpus("es"))
    assert spanish["Szigriszt-Pazos (INFLESZ)"] >= 65  # INFLESZ "fairly easy" or easier
    assert spanish["Crawford grade"] <= readability.TARGET_GRADE


# --- the questions against the case schema ---------------------------------------------------


def _leaves(model, prefix: str = ""):
    """Every fact path of the schema: a leaf, or a list of entries (whose fields are leaves too)."""
    from discretion.web.intake.questions import _unwrap, kind_of

    for name, info in model.model_fields.items():
        if name == "schema_version":
            continue
        path = prefix + name
        tp = _unwrap(info.annotation)
        kind, _values, item = kind_of(tp)
        if kind == "entries":
            yield path
            yield from _leaves(item, path + ".*.")
        elif isinstance(tp, type) and hasattr(tp, "model_fields"):
            yield from _leaves(tp, path + ".")
        else:
            yield path


def _classified(path: str) -> bool:
    from discretion.web.intake.wording import PRACTITIONER_ONLY, QUESTIONS

    parts = path.split(".")
    return any(
        ".".join(parts[:i]) in PRACTITIONER_ONLY or ".".join(parts[:i]) in QUESTIONS
        for i in range(1, len(parts) + 1)
    )


def test_every_fact_of_the_schema_is_asked_in_plain_words_or_left_to_the_practitioner():
    """A field added to discretion.facts fails here until intake/wording.py says which it is."""
    from discretion.facts import CaseFacts

    unclassified = [p for p in _leaves(CaseFacts) if not _classified(p)]
    assert unclassified == [], f"classify these in intake/wording.py: {unclassified}"


def test_every_question_names_a_real_field_of_a_kind_it_can_ask():
    from discretion.web.intake.questions import question
    from discretion.web.intake.wording import QUESTIONS

    for path, wording in QUESTIONS.items():
        q = question(path)
        assert q is not None, f"{path}: not a field of the case schema, or of a kind the intake cannot ask"
        if q.kind == "choice":
            values = {v for v, _ in q.choices}
            assert values <= set(wording.choices), (
                f"{path}: no plain words for {values - set(wording.choices)}"
            )
        if q.kind == "entries":
            assert len(q.items) == len(wording.item_fields) and wording.entry_title and wording.another, path
            required = {i.name for i in q.items if i.required}
            from discretion.web.intake.questions import schema_field

            item_model = schema_field(path)[0].__args__[0]
            needed = {n for n, f in item_model.model_fields.items() if f.is_required()}
            assert needed <= required, (
                f"{path}: an entry needs {needed - required} but the page does not ask it"
            )


def test_every_checklist_item_is_named_for_the_person_or_left_to_the_practitioner():
    from discretion.evidence import EVIDENCE_FILE
    from discretion.web.intake.wording import DOCUMENTS, PRACTITIONER_DOCUMENTS

    ids = re.findall(r"^  - id: ([a-z0-9_]+)$", EVIDENCE_FILE.read_text(), flags=re.M)
    items = [
        i
        for i in ids
        if not i.startswith(
            (
                "digest",
                "daca-",
                "detroit",
                "presence-",
                "practice",
                "nipnlg",
                "morton",
                "sverdloff",
                "cfr-",
                "icpm",
            )
        )
    ]
    assert items, "no checklist items found"
    missing = [i for i in items if i not in DOCUMENTS and i not in PRACTITIONER_DOCUMENTS]
    assert missing == [], f"name these documents in intake/wording.py DOCUMENTS: {missing}"
