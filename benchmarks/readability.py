"""How plain the person's pages read: readability of the message catalogs, printed.

    .venv/bin/python benchmarks/readability.py            # summary and the hardest messages
    .venv/bin/python benchmarks/readability.py --all      # every message

The catalogs (``src/discretion/web/locale/<lang>/LC_MESSAGES/django.po``) hold every word the
person sees on the booking and intake pages and in their e-mails, and nothing else (the
practitioner's pages are not translated). English is scored with textstat's Flesch-Kincaid
grade (the U.S. school grade needed), with Flesch reading ease, Coleman-Liau and the
Dale-Chall score beside it; Spanish with Fernández-Huerta and Szigriszt-Pazos (INFLESZ
scale: 55-65 "normal", above 65 "fairly easy") and the Crawford grade (years of schooling).

Placeholders (``%(org)s``) read as one short word, and each message counts as one or more
sentences (a button label is a sentence of its own), which is how a person meets it on a page.
Format strings for dates and times are left out. The goal is grade 6 or below for English.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import polib
import textstat

LOCALE = Path(__file__).resolve().parents[1] / "src" / "discretion" / "web" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)s")
TARGET_GRADE = 6.0


@dataclass(frozen=True)
class Message:
    msgid: str
    text: str  # what the person reads, in the catalog's language


def messages(lang: str) -> list[Message]:
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    out = []
    for entry in po:
        if entry.obsolete or (entry.msgctxt and "format" in entry.msgctxt):
            continue
        forms = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        if lang != "en":
            forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in forms:
            if text:
                out.append(Message(entry.msgid, text))
    return out


def readable(text: str) -> str:
    """The message as prose: a placeholder is one word, and the message ends a sentence."""
    text = PLACEHOLDER.sub("it", text).replace("“", "").replace("”", "").replace("«", "").replace("»", "")
    text = text.strip()
    return text if text[-1:] in ".?!:" else text + "."


def corpus(lang: str) -> str:
    return " ".join(readable(m.text) for m in messages(lang))


def english_scores(text: str) -> dict[str, float]:
    textstat.set_lang("en_US")
    return {
        "Flesch-Kincaid grade": textstat.flesch_kincaid_grade(text),
        "Flesch reading ease": textstat.flesch_reading_ease(text),
        "Coleman-Liau index": textstat.coleman_liau_index(text),
        "Dale-Chall score": textstat.dale_chall_readability_score(text),
    }


def spanish_scores(text: str) -> dict[str, float]:
    textstat.set_lang("es")
    try:
        return {
            "Fernández-Huerta": textstat.fernandez_huerta(text),
            "Szigriszt-Pazos (INFLESZ)": textstat.szigriszt_pazos(text),
            "Crawford grade": textstat.crawford(text),
        }
    finally:
        textstat.set_lang("en_US")


def hardest(lang: str, n: int) -> list[tuple[float, str]]:
    textstat.set_lang("en_US" if lang == "en" else "es")
    score = textstat.flesch_kincaid_grade if lang == "en" else textstat.crawford
    rows = sorted(((score(readable(m.text)), m.text) for m in messages(lang)), reverse=True)
    textstat.set_lang("en_US")
    return rows[:n]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--all", action="store_true", help="print every message with its grade")
    args = parser.parse_args(argv)
    en, es = corpus("en"), corpus("es")
    print(f"English catalog: {len(messages('en'))} messages, {textstat.lexicon_count(en)} words")
    for name, value in english_scores(en).items():
        print(f"  {name:<28} {value:6.1f}")
    grade = english_scores(en)["Flesch-Kincaid grade"]
    print(f"  goal: grade {TARGET_GRADE:.0f} or below -> {'met' if grade <= TARGET_GRADE else 'NOT MET'}")
    print(f"Spanish catalog: {len(messages('es'))} messages, {textstat.lexicon_count(es)} words")
    for name, value in spanish_scores(es).items():
        print(f"  {name:<28} {value:6.1f}")
    n = 10_000 if args.all else 10
    print(f"\nHardest English messages (Flesch-Kincaid grade){'' if args.all else ', top 10'}:")
    for g, text in hardest("en", n):
        print(f"  {g:5.1f}  {text}")
    print(f"\nHardest Spanish messages (Crawford grade){'' if args.all else ', top 10'}:")
    for g, text in hardest("es", n):
        print(f"  {g:5.1f}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
