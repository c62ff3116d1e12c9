"""Read case data written under an older ``schema_version`` as the current schema.

Runs before validation on every case read (files, the web's stored facts, docket rows), so
old files and stored cases stay valid without a separate conversion step; saving writes the
current version. Each step is a pure function of plain data and never drops a fact: a value
with no place in the new schema is kept in a notes field, and nothing is guessed from free text
(a v1 ``harm_caused`` sentence becomes ``harm_description``; only an explicit "none" / "no"
becomes ``harm: none``, anything else leaves ``harm`` unknown for counsel to set).
"""

from __future__ import annotations

from typing import Any

CURRENT = 2

# Free-text answers to v1's harm_caused that plainly mean "no harm".
_NO_HARM = frozenset({"", "none", "no", "no harm", "n/a", "na", "nobody was hurt", "no one was hurt"})


def migrate(data: object) -> object:
    """``data`` as the current schema's plain data (unchanged if it is not a mapping or is current)."""
    if not isinstance(data, dict):
        return data
    version = data.get("schema_version", 1)
    if version == CURRENT or not isinstance(version, int) or version > CURRENT or version < 1:
        return data  # current, or unsupported: validation names the bad version
    out = dict(data)
    if version == 1:
        out = _v1_to_v2(out)
    return out


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    data["schema_version"] = 2
    entry = data.get("entry")
    if isinstance(entry, dict) and any(
        k in entry for k in ("parole_ends_on", "parole_terminated", "parole_program")
    ):
        entry = dict(entry)
        parole = {
            "ends_on": entry.pop("parole_ends_on", None),
            "terminated": entry.pop("parole_terminated", None),
            "program": entry.pop("parole_program", None),
        }
        parole = {k: v for k, v in parole.items() if v is not None}
        # Schema 1's parole was the last entry's: its date is the last entry's date.
        if parole and entry.get("manner") == "paroled" and entry.get("last_entry_on") is not None:
            parole = {"paroled_on": entry["last_entry_on"], **parole}
        if parole and "paroles" not in entry:
            entry["paroles"] = [parole]
        data["entry"] = entry
    presence = data.get("presence")
    if isinstance(presence, dict) and "evidence" in presence:
        presence = dict(presence)
        evidence = presence.pop("evidence")
        if "proofs" not in presence:
            presence["proofs"] = evidence  # strings become typed items in Presence
        data["presence"] = presence
    history = data.get("immigration_history")
    if isinstance(history, dict) and ("has_245i_petition" in history or "section_245i_filed_on" in history):
        history = dict(history)
        has = history.pop("has_245i_petition", None)
        filed = history.pop("section_245i_filed_on", None)
        if "grandfathering_filings" not in history:
            if has is False and filed is None:
                history["grandfathering_filings"] = []
            elif has or filed is not None:
                history["grandfathering_filings"] = [{"filed_on": filed} if filed is not None else {}]
        data["immigration_history"] = history
    events = data.get("criminal_history")
    if isinstance(events, list):
        data["criminal_history"] = [_v1_event(e) for e in events]
    return data


def _v1_event(event: object) -> object:
    if not isinstance(event, dict) or "harm_caused" not in event:
        return event
    event = dict(event)
    text = event.pop("harm_caused")
    if text is None:
        return event
    if isinstance(text, str) and text.strip().lower().rstrip(".") in _NO_HARM:
        event.setdefault("harm", "none")
    if isinstance(text, str) and text.strip() and text.strip().lower().rstrip(".") not in _NO_HARM:
        event.setdefault("harm_description", text)
    elif not isinstance(text, str):
        event.setdefault("harm_description", text)  # validation names the bad value
    return event
