"""Regenerate the `courts:` section of src/discretion/data/offices.yaml from the shared court CSV.

The OPLA offices above the `courts:` line are curated by hand (their addresses had to be split
into lines). The courts below it come from `immigration-courts.csv` (EOIR list of 2025-11-20 and
the FOIA base-city table) plus ROUTES, which turns the CSV's free-text `opla_field_location`
into an office id and location id that the curated section defines.

    python scripts/build_offices_courts.py [--csv PATH] [--check]

`--check` exits 1 and prints the differences instead of writing, so CI or a reviewer can see
that the package data still matches the research data.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "discretion" / "data" / "offices.yaml"
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "immigration-courts.csv"
MARKER = "courts:\n"

# code -> (office id, location id or None for the office's main address)
ROUTES: dict[str, tuple[str | None, str | None]] = {
    "ADL": ("los-angeles", "adelanto"),
    "WAS": ("washington-dc", "annandale"),
    "ATL": ("atlanta", "peachtree"),
    "ATD": ("atlanta", None),
    "AUR": ("denver", None),
    "BAL": ("baltimore", None),
    "BTV": ("buffalo", "batavia"),
    "BOS": ("boston", None),
    "BUF": ("buffalo", None),
    "CHL": ("atlanta", "charlotte"),
    "LOW": ("boston", None),
    "CHI": ("chicago", None),
    "CLE": ("detroit", "cleveland"),
    "CCC": ("san-francisco", None),
    "CIC": ("houston", "conroe"),
    "DAL": ("dallas", None),
    "DEN": ("denver", None),
    "DET": ("detroit", None),
    "ELP": ("el-paso", None),
    "EPD": ("el-paso", None),
    "ELZ": ("newark", "elizabeth"),
    "ELO": ("phoenix", "eloy"),
    "FLO": ("phoenix", "florence"),
    "BLM": ("minneapolis-st-paul", None),
    "SAJ": ("miami", "san-juan"),
    "HLG": ("san-antonio", "harlingen"),
    "HAR": ("boston", "hartford"),
    "HON": ("honolulu", None),
    "HOU": ("houston", None),
    "HGP": ("houston", None),
    "HSG": ("houston", None),
    "HYA": ("hyattsville", None),
    "IMP": ("san-diego", "imperial"),
    "INP": ("chicago", "indianapolis"),
    "KAN": ("chicago", "kansas-city"),
    "LRO": ("san-antonio", None),
    "JNA": ("new-orleans", "jena"),
    "LVG": ("los-angeles", "las-vegas"),
    "NLA": ("los-angeles", "north-los-angeles"),
    "WLA": ("los-angeles", None),
    "PIS": ("san-antonio", "los-fresnos"),
    "SDC": ("atlanta", "lumpkin"),
    "MEM": ("new-orleans", "memphis"),
    "MIA": ("miami", None),
    "KRO": ("miami", "krome"),
    "ULS": ("new-york", "newburgh"),
    "NEW": ("newark", None),
    "NOL": ("new-orleans", None),
    "NYB": ("new-york", None),
    "NYC": ("new-york", None),
    "NYV": ("new-york", "varick"),
    "OAK": ("new-orleans", "oakdale"),
    "OMA": ("minneapolis-st-paul", "omaha"),
    "ORL": ("orlando", None),
    "OTM": ("san-diego", "otay-mesa"),
    "OTO": ("el-paso", "chaparral"),
    "PSD": ("san-antonio", "pearsall"),
    "PHI": ("philadelphia", None),
    "PHO": ("phoenix", None),
    "POO": ("seattle", "portland"),
    "SMO": ("san-francisco", "sacramento"),
    "SAI": ("honolulu", None),
    "SLC": ("denver", "salt-lake-city"),
    "SNA": ("san-antonio", None),
    "SND": ("san-diego", None),
    "SFR": ("san-francisco", None),
    "SNC": ("los-angeles", "santa-ana"),
    "SEA": ("seattle", None),
    "STE": ("washington-dc", "sterling"),
    "TAC": ("seattle", "tacoma"),
    "TUC": ("phoenix", "tucson"),
    "VNS": ("los-angeles", "van-nuys"),
    # Adjudication centres: which OPLA office litigates their cases is not published.
    "FCI": (None, None),
    "FTW": (None, None),
    "RIC": (None, None),
    "BTR": ("new-orleans", None),
    "AGA": ("honolulu", None),
    "LOU": ("chicago", "louisville"),
}

# A second active base-city code at the same address (named in the CSV notes).
OTHER_CODES = {"WAS": ["ANN"], "LOW": ["CHE"], "PIS": ["PEP"], "POO": ["POR"]}

# What practitioners call a court besides its EOIR name; matched exactly after normalising.
ALIASES = {
    "NYB": ["290 Broadway"],
    "NYC": ["26 Federal Plaza", "Federal Plaza"],
    "NYV": ["201 Varick", "Varick"],
    "KRO": ["Krome"],
    "SDC": ["Stewart", "Lumpkin"],
    "JNA": ["Jena", "LaSalle"],
    "OTO": ["Otero", "Chaparral"],
    "PIS": ["Port Isabel", "Los Fresnos"],
    "BLM": ["Fort Snelling", "Bloomington", "Minneapolis", "St. Paul"],
    "SAJ": ["San Juan", "Guaynabo"],
    "SLC": ["Salt Lake City", "West Valley City"],
    "ULS": ["Ulster", "Napanoch"],
    "CIC": ["Conroe", "Montgomery Processing Center"],
    "EPD": ["El Paso SPC", "El Paso Service Processing Center"],
    "WLA": ["West Los Angeles", "West LA"],
    "NLA": ["North Los Angeles", "N. Los Angeles Street", "300 N. Los Angeles Street"],
    "LOW": ["Chelmsford", "Lowell"],
    "WAS": ["Annandale", "Arlington"],
    "CCC": ["Concord"],
    "AGA": ["Guam", "Hagatna"],
    "LOU": ["Louisville"],
    "ATL": ["Peachtree", "W. Peachtree Street", "West Peachtree"],
    "ATD": ["Ted Turner Drive", "Atlanta Detained"],
    "HGP": ["Greenspoint Park", "Greenspoint"],
    "HSG": ["South Gessner", "Gessner"],
    "HOU": ["Jefferson Street"],
}

ROUTING = {"yes": "confirmed", "partial": "partial", "no": "unverified"}

# The court's time zone (for hearing times), from its state: the standard time zone boundaries
# of 49 CFR Part 71, named as in the IANA time zone database (tzdata 2025b, zone1970.tab); the
# source entry `us-time-zones` at the top of offices.yaml says so. A state that lies wholly in one
# zone gives the zone: `confirmed`.
STATE_ZONES = {
    "CA": "America/Los_Angeles",
    "CO": "America/Denver",
    "CT": "America/New_York",
    "GA": "America/New_York",
    "GU": "Pacific/Guam",
    "HI": "Pacific/Honolulu",
    "IL": "America/Chicago",
    "LA": "America/Chicago",
    "MA": "America/New_York",
    "MD": "America/New_York",
    "MN": "America/Chicago",
    "MO": "America/Chicago",
    "MP": "Pacific/Saipan",
    "NC": "America/New_York",
    "NJ": "America/New_York",
    "NM": "America/Denver",
    "NY": "America/New_York",
    "OH": "America/New_York",
    "PA": "America/New_York",
    "PR": "America/Puerto_Rico",
    "UT": "America/Denver",
    "VA": "America/New_York",
    "WA": "America/Los_Angeles",
}
# States that lie in more than one zone (or, Arizona, keep two clocks): the zone is taken from the
# court's city, not guessed from the state, and marked `partial` with the reason.
SPLIT_STATES = {
    "AZ": "Arizona keeps two clocks: most of the state stays on standard time all year, the Navajo Nation observes daylight time",
    "FL": "Florida spans the Eastern and Central zones",
    "IN": "Indiana spans the Eastern and Central zones",
    "KY": "Kentucky spans the Eastern and Central zones",
    "MI": "Michigan spans the Eastern and Central zones",
    "NE": "Nebraska spans the Central and Mountain zones",
    "NV": "Nevada spans the Pacific and Mountain zones",
    "OR": "Oregon spans the Pacific and Mountain zones",
    "TN": "Tennessee spans the Eastern and Central zones",
    "TX": "Texas spans the Central and Mountain zones",
}
CITY_ZONES = {
    ("AZ", "Eloy"): "America/Phoenix",
    ("AZ", "Florence"): "America/Phoenix",
    ("AZ", "Phoenix"): "America/Phoenix",
    ("AZ", "Tucson"): "America/Phoenix",
    ("FL", "Miami"): "America/New_York",
    ("FL", "Orlando"): "America/New_York",
    ("IN", "Indianapolis"): "America/Indiana/Indianapolis",
    ("KY", "Louisville"): "America/Kentucky/Louisville",
    ("MI", "Detroit"): "America/Detroit",
    ("NE", "Omaha"): "America/Chicago",
    ("NV", "Las Vegas"): "America/Los_Angeles",
    ("OR", "Portland"): "America/Los_Angeles",
    ("TN", "Memphis"): "America/Chicago",
    ("TX", "Conroe"): "America/Chicago",
    ("TX", "Dallas"): "America/Chicago",
    ("TX", "El Paso"): "America/Denver",
    ("TX", "Fort Worth"): "America/Chicago",
    ("TX", "Harlingen"): "America/Chicago",
    ("TX", "Houston"): "America/Chicago",
    ("TX", "Laredo"): "America/Chicago",
    ("TX", "Los Fresnos"): "America/Chicago",
    ("TX", "Pearsall"): "America/Chicago",
    ("TX", "San Antonio"): "America/Chicago",
}


def time_zone_of(code: str, city: str, state: str) -> dict[str, object]:
    if state in STATE_ZONES:
        return {"time_zone": STATE_ZONES[state], "time_zone_confidence": "confirmed", "time_zone_note": None}
    if state in SPLIT_STATES:
        if (state, city) not in CITY_ZONES:
            raise SystemExit(f"court {code}: {city}, {state} lies in a split state; add it to CITY_ZONES")
        return {
            "time_zone": CITY_ZONES[(state, city)],
            "time_zone_confidence": "partial",
            "time_zone_note": f"{SPLIT_STATES[state]}; this zone is the one of {city}: check the hearing notice",
        }
    raise SystemExit(f"court {code}: no time zone for the state {state}; add it to STATE_ZONES or SPLIT_STATES")


def courts_from_csv(path: Path) -> list[dict[str, object]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    courts = []
    for row in rows:
        code = row["court_code"].strip()
        if code not in ROUTES:
            raise SystemExit(f"{path.name}: court {code} has no entry in ROUTES; add one")
        office, location = ROUTES[code]
        courts.append(
            {
                "code": code,
                "other_codes": OTHER_CODES.get(code, []),
                "name": row["court_name"].strip(),
                "city": row["city"].strip(),
                "state": row["state"].strip(),
                "address": row["address"].strip() or None,
                "office": office,
                "location": location,
                "routing": ROUTING[row["confirmed"].strip()] if office else "unknown",
                "routing_note": row["opla_field_location"].strip() or None,
                "aliases": ALIASES.get(code, []),
                "notes": row["notes"].strip() or None,
                "source": row["source"].strip(),
                **time_zone_of(code, row["city"].strip(), row["state"].strip()),
            }
        )
    return courts


def render(courts: list[dict[str, object]]) -> str:
    body = yaml.safe_dump(courts, sort_keys=False, allow_unicode=True, width=100)
    return MARKER + "\n".join("  " + line if line else line for line in body.splitlines()) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--check", action="store_true", help="report drift instead of writing")
    args = parser.parse_args()
    text = TARGET.read_text(encoding="utf-8")
    head, sep, _ = text.partition("\n" + MARKER)
    if not sep:
        raise SystemExit(f"{TARGET}: no top-level `courts:` line to replace")
    new = head + "\n" + render(courts_from_csv(args.csv))
    if args.check:
        if new != text:
            print(
                f"{TARGET.name} differs from {args.csv}; run without --check to regenerate", file=sys.stderr
            )
            return 1
        print("offices.yaml matches the court CSV")
        return 0
    TARGET.write_text(new, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
