"""The facts of one removal case: the input to every screen, checklist, letter and packet.

Unknown is not false. Every fact a rule reads is optional: ``None`` means *unknown*, and a
rule that needs an unknown fact answers ``unknown`` and lists the fact as missing. For lists,
``None`` means "not asked yet" and ``[]`` means "asked: there are none".

The model is frozen and strict about keys (``extra="forbid"``), so a typo in a case file is an
error that names the field, never a silently ignored fact. ``schema_version`` lets the file
format evolve; the JSON Schema shipped in ``discretion/data/case.schema.json`` is generated
from these classes (``discretion schema``).
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from discretion.counsel import Counsel, FactorNote

Date = date  # alias: a field named `date` would shadow the type inside its class

SCHEMA_VERSION: Literal[1] = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def _normalise_a_number(value: object) -> object:
    """A-numbers are 9 digits; an 8-digit number gets a leading 0; anything else is an error."""
    if value is None:
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("must be a string of 8 or 9 digits")
    digits = re.sub(r"[\s-]", "", value.strip())
    if digits[:1] in ("A", "a"):
        digits = digits[1:]
    if not digits.isdigit() or len(digits) not in (8, 9):
        raise ValueError(f"{value!r} is not an A-number: expected 8 or 9 digits (e.g. 012-345-678)")
    return digits.rjust(9, "0")


ANumber = Annotated[str, BeforeValidator(_normalise_a_number)]
# Ranges that keep a typo (tax year -3, 10^14 years worked) out of the rules (issue 9).
TaxYear = Annotated[int, Field(ge=1900, le=2100)]


# --- enumerations -----------------------------------------------------------------------


class EntryManner(StrEnum):
    ADMITTED = "admitted"
    PAROLED = "paroled"
    WITHOUT_INSPECTION = "without_inspection"


class HearingKind(StrEnum):
    MASTER = "master"
    INDIVIDUAL = "individual"
    BOND = "bond"
    OTHER = "other"


class Disposition(StrEnum):
    CONVICTED = "convicted"
    PENDING = "pending"  # charged, not resolved
    DISMISSED = "dismissed"
    ACQUITTED = "acquitted"
    VACATED = "vacated"
    EXPUNGED = "expunged"
    DEFERRED = "deferred"  # deferred adjudication / diversion
    NO_CHARGE = "no_charge"  # arrested, never charged


class OffenceLevel(StrEnum):
    FELONY = "felony"
    MISDEMEANOR = "misdemeanor"
    INFRACTION = "infraction"  # incl. minor traffic


class OffenceCategory(StrEnum):
    AGGRAVATED_FELONY = "aggravated_felony"  # INA 101(a)(43), as assessed by counsel
    CIMT = "cimt"  # crime involving moral turpitude, as assessed by counsel
    VIOLENT = "violent"
    SEXUAL = "sexual"
    DOMESTIC_VIOLENCE = "domestic_violence"
    DUI = "dui"
    DRUGS_POSSESSION = "drugs_possession"
    DRUGS_TRAFFICKING = "drugs_trafficking"
    FIREARMS = "firearms"
    BURGLARY = "burglary"
    THEFT = "theft"
    FRAUD = "fraud"
    GANG = "gang"
    IMMIGRATION_STATUS = "immigration_status"  # offence whose essential element is status
    MINOR_TRAFFIC = "minor_traffic"
    TERRORISM = "terrorism"
    OTHER = "other"


class Relationship(StrEnum):
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    OTHER = "other"


class RelativeStatus(StrEnum):
    USC = "usc"
    LPR = "lpr"
    OTHER_LAWFUL = "other_lawful"
    UNDOCUMENTED = "undocumented"
    UNKNOWN = "unknown"


class ApplicationKind(StrEnum):
    ASYLUM = "asylum"
    WITHHOLDING = "withholding"
    CAT = "cat"
    CANCELLATION_NON_LPR = "cancellation_non_lpr"
    CANCELLATION_LPR = "cancellation_lpr"
    VAWA_CANCELLATION = "vawa_cancellation"
    ADJUSTMENT = "adjustment"
    I130 = "i130"
    I601A = "i601a"
    U_VISA = "u_visa"
    T_VISA = "t_visa"
    SIJS = "sijs"
    VAWA_SELF_PETITION = "vawa_self_petition"
    TPS = "tps"
    DACA = "daca"
    NATURALIZATION = "naturalization"
    OTHER = "other"


class Forum(StrEnum):
    COURT = "court"
    USCIS = "uscis"


class RequestedAction(StrEnum):
    DISMISSAL = "dismissal"
    ADMINISTRATIVE_CLOSURE = "administrative_closure"
    CONTINUANCE = "continuance"
    STIPULATION = "stipulation"
    JOIN_MOTION_TO_REOPEN = "join_motion_to_reopen"
    JOIN_MOTION_TO_RECALENDAR_AND_TERMINATE = "join_motion_to_recalendar_and_terminate"
    NOT_APPEAL = "not_appeal"
    CANCEL_NTA = "cancel_nta"
    BOND_STIPULATION = "bond_stipulation"


class Discharge(StrEnum):
    HONORABLE = "honorable"
    GENERAL = "general"
    OTHER_THAN_HONORABLE = "other_than_honorable"
    BAD_CONDUCT = "bad_conduct"
    DISHONORABLE = "dishonorable"
    STILL_SERVING = "still_serving"


# --- parts ------------------------------------------------------------------------------


class Identity(_Model):
    name: str | None = Field(None, description="Full legal name as on the NTA.")
    other_names: list[str] | None = None
    a_number: ANumber | None = Field(None, description="Alien registration number, 9 digits.")
    date_of_birth: date | None = None
    country_of_birth: str | None = None
    citizenship: list[str] | None = Field(None, description="Countries of citizenship.")
    languages: list[str] | None = Field(None, description="Languages spoken, best first.")
    needs_interpreter: bool | None = None
    married: bool | None = None
    sex: Literal["female", "male", "other"] | None = None
    removal_impracticable: bool | None = Field(
        None,
        description="Nationality makes removal unlikely (e.g. stateless, or the country does not accept returns).",
    )


class Hearing(_Model):
    date: Date
    kind: HearingKind = HearingKind.MASTER
    time: str | None = Field(None, description="Local time as printed on the hearing notice.")


class PendingApplication(_Model):
    kind: ApplicationKind
    forum: Forum | None = None
    filed_on: date | None = None
    receipt_number: str | None = None
    approved: bool | None = None
    note: str | None = None


class PriorRequest(_Model):
    sent_on: date | None = None
    requested: RequestedAction | None = None
    outcome: Literal["granted", "denied", "no_response", "withdrawn", "pending"] | None = None


class Proceedings(_Model):
    in_proceedings: bool | None = Field(None, description="An NTA has been filed with the immigration court.")
    nta_served_on: date | None = None
    nta_filed_on: date | None = None
    nta_has_time_and_place: bool | None = Field(
        None, description="The NTA itself named the hearing's time and place (Pereira; Niz-Chavez)."
    )
    charges: list[str] | None = Field(
        None, description="Charges of removability, e.g. 'INA 212(a)(6)(A)(i)'."
    )
    court: str | None = Field(
        None, description="Immigration court, by city or EOIR code (e.g. 'New York - Broadway')."
    )
    judge: str | None = None
    next_hearing: Hearing | None = None
    detained: bool | None = None
    detention_facility: str | None = None
    pending_applications: list[PendingApplication] | None = None
    administratively_closed: bool | None = None
    ead_based_on_pending_application: bool | None = Field(
        None, description="The person's work permit depends on an application pending in court."
    )
    prior_pd_requests: list[PriorRequest] | None = None
    opla_attorney: str | None = None
    opla_office: str | None = Field(
        None,
        description=(
            "The OPLA field location that receives requests, when it is not the one the court "
            "directory gives for the court: an office id of data/offices.yaml ('houston'), or "
            "office/location ('houston/conroe')."
        ),
    )


class Entry(_Model):
    first_entry_on: date | None = None
    last_entry_on: date | None = None
    manner: EntryManner | None = Field(None, description="Manner of the last entry.")
    age_at_first_entry: int | None = Field(None, ge=0, le=120, description="If the dates are not known.")
    apprehended_at_entry: bool | None = Field(
        None, description="Apprehended at the border or a port of entry while attempting to enter unlawfully."
    )
    apprehended_in_interior_on: date | None = Field(
        None, description="Date apprehended inside the U.S. after an unlawful entry, if ever."
    )
    parole_ends_on: date | None = None
    parole_terminated: bool | None = None
    parole_program: str | None = Field(None, description="e.g. CBP One, CHNV, humanitarian parole.")
    visa_overstay: bool | None = None
    lawful_status_years: int | None = Field(None, ge=0, le=120, description="Years spent in lawful status.")


class Absence(_Model):
    left_on: date
    returned_on: date | None = None
    reason: str | None = None


class Presence(_Model):
    continuous_since: date | None = Field(
        None, description="Date from which continuous presence can be documented."
    )
    absences: list[Absence] | None = None
    evidence: list[str] | None = Field(
        None, description="Kinds of proof on hand: leases, taxes, school, medical..."
    )


class Removal(_Model):
    removed_on: date | None = None
    kind: Literal["removal", "expedited_removal", "voluntary_return", "voluntary_departure"] = "removal"


class ImmigrationHistory(_Model):
    prior_removals: list[Removal] | None = None
    reentered_after_removal: bool | None = None
    final_order: bool | None = Field(None, description="An unexecuted final order of removal exists.")
    final_order_on: date | None = None
    final_order_in_absentia: bool | None = None
    failed_to_depart: bool | None = None
    missed_hearings: int | None = Field(None, ge=0, le=100)
    immigration_fraud: bool | None = None
    visa_program_abuse: bool | None = None
    public_benefits_abuse: bool | None = Field(
        None, description="Found to have abused a public-benefits program (EO 13768 sec. 5(e))."
    )
    smuggling: bool | None = Field(
        None, description="Has a history of smuggling people (a Doyle 2022 border-security consideration)."
    )
    prior_relief_granted: list[str] | None = Field(
        None, description="Prior cancellation, suspension or 212(c) relief, which bars another cancellation."
    )
    ever_had_daca: bool | None = None
    lpr_since: date | None = Field(
        None, description="Date of admission as a lawful permanent resident, if any."
    )
    has_245i_petition: bool | None = Field(
        None,
        description=(
            "Beneficiary of an immigrant petition or labor certification filed on or before "
            "2001-04-30 (INA 245(i) grandfathering)."
        ),
    )
    section_245i_filed_on: date | None = Field(
        None, description="Filing date of that grandfathering petition or labor certification."
    )
    present_on_2000_12_21: bool | None = Field(
        None,
        description="Physically present in the U.S. on 2000-12-21 (needed under 245(i) if filed after 1998-01-14).",
    )


class CriminalEvent(_Model):
    offence: str
    statute: str | None = None
    jurisdiction: str | None = None
    offence_on: date | None = Field(
        None, description="Date the offence was committed (stop-time runs from here)."
    )
    arrested_on: date | None = None
    convicted_on: date | None = None
    disposition: Disposition | None = None
    level: OffenceLevel | None = None
    categories: list[OffenceCategory] = Field(default_factory=list)
    sentence_days: int | None = Field(None, ge=0, le=400_000, description="Custody imposed, in days.")
    sentence_suspended: bool | None = None
    max_penalty_days: int | None = Field(
        None, ge=0, le=400_000, description="Maximum possible custody for the offence."
    )
    outstanding_warrant: bool | None = None
    weapon_used: bool | None = None
    sophisticated: bool | None = Field(
        None,
        description="The offence involved planning or sophistication (a Mayorkas 2021 aggravating factor).",
    )
    harm_caused: str | None = None
    completed_sentence: bool | None = None
    rehabilitation: str | None = None


class Gang(_Model):
    alleged: bool | None = None
    convicted_of_gang_offence: bool | None = None
    age_at_participation: int | None = Field(None, ge=0, le=120)
    source: str | None = Field(
        None, description="Where the allegation comes from (database, police report...)."
    )


class Security(_Model):
    terrorism_or_espionage: bool | None = None
    human_rights_violations: bool | None = None
    persecutor: bool | None = None


class FamilyMember(_Model):
    name: str | None = None
    relationship: Relationship
    status: RelativeStatus = RelativeStatus.UNKNOWN
    date_of_birth: date | None = None
    age: int | None = Field(None, ge=0, le=130)
    in_us: bool | None = None
    lives_with: bool | None = None
    dependent: bool | None = Field(None, description="Depends on the person financially or for care.")
    serious_illness: bool | None = None
    disability: bool | None = None
    military_service: bool | None = None
    abuser: bool | None = Field(None, description="This relative abused the person (VAWA).")


class Employment(_Model):
    employed: bool | None = None
    employer: str | None = None
    years_worked_in_us: int | None = Field(None, ge=0, le=100)
    filed_taxes: bool | None = None
    tax_years: list[TaxYear] | None = None
    primary_earner: bool | None = None


class Education(_Model):
    enrolled_now: bool | None = None
    us_high_school_diploma_or_ged: bool | None = None
    us_college: bool | None = None
    highest: str | None = None


class Military(_Model):
    served: bool | None = None
    branch: str | None = None
    active_duty_months: int | None = Field(None, ge=0, le=720)
    combat: bool | None = None
    discharge: Discharge | None = None
    in_us_at_enlistment: bool | None = None


class HealthCondition(_Model):
    description: str
    serious: bool | None = None
    mental: bool | None = None
    treatment_available_in_home_country: bool | None = None
    under_treatment: bool | None = None


class Health(_Model):
    conditions: list[HealthCondition] | None = None
    pregnant: bool | None = Field(
        None, description="Pregnant now (some memos name pregnancy but not nursing)."
    )
    pregnant_or_nursing: bool | None = None
    spouse_pregnant_or_nursing: bool | None = None
    disability: bool | None = None
    mental_condition_contributed_to_conduct: bool | None = None


class Caretaker(_Model):
    primary_caretaker: bool | None = None
    of_whom: str | None = Field(None, description="Who depends on the person's care.")
    dependant_condition: str | None = Field(None, description="The dependant's illness, disability or age.")


class Victimisation(_Model):
    domestic_violence: bool | None = None
    abuser_status: RelativeStatus | None = Field(None, description="Immigration status of the abuser.")
    abuser_relationship: Relationship | None = None
    trafficking: bool | None = None
    crime_victim: bool | None = Field(None, description="Victim of a crime in the United States.")
    crime: str | None = None
    substantial_harm: bool | None = None
    helpful_to_law_enforcement: bool | None = None
    certification_obtainable: bool | None = Field(
        None, description="A law-enforcement certification (I-918B) can be had."
    )
    witness_or_party_in_proceedings: bool | None = None
    labor_or_housing_dispute: bool | None = None


class Fear(_Model):
    fears_return: bool | None = None
    protected_ground: bool | None = Field(
        None, description="Fear tied to race, religion, nationality, social group or opinion."
    )
    torture_fear: bool | None = None
    past_persecution: bool | None = None
    asylum_filed_on: date | None = None
    unaccompanied_child: bool | None = None
    changed_circumstances: bool | None = None
    extraordinary_circumstances: bool | None = None


class Juvenile(_Model):
    juvenile_court_order: bool | None = None
    reunification_not_viable: bool | None = Field(
        None, description="Abuse, neglect or abandonment by a parent."
    )


class Community(_Model):
    ties: bool | None = None
    activities: list[str] | None = None
    support_letters: int | None = Field(None, ge=0, le=10_000)


class Representative(_Model):
    name: str | None = None
    kind: Literal["attorney", "accredited_representative", "law_student", "pro_se"] | None = None
    organisation: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    bar_number: str | None = None
    bar_state: str | None = Field(None, description="The state (or D.C.) whose bar the number belongs to.")
    eoir_id: str | None = None
    g28_filed: bool | None = None
    eoir28_filed: bool | None = None


class Narrative(_Model):
    """The practitioner's own paragraphs, used verbatim by the letter."""

    introduction: str | None = None
    procedural_history: str | None = None
    equities: str | None = None
    negative_factors: str | None = None
    humanitarian: str | None = None
    relief_posture: str | None = None
    conclusion: str | None = None
    factors: list[FactorNote] | None = Field(
        None, description="Own words for single factors, added to or replacing the generated paragraph."
    )


class CaseFacts(_Model):
    """Everything the rules, checklists and letters read about one case."""

    schema_version: Literal[1] = SCHEMA_VERSION
    case_id: str | None = Field(None, description="The practitioner's own reference for the case.")
    requested_action: RequestedAction | None = None
    identity: Identity = Identity()
    proceedings: Proceedings = Proceedings()
    entry: Entry = Entry()
    presence: Presence = Presence()
    immigration_history: ImmigrationHistory = ImmigrationHistory()
    criminal_history: list[CriminalEvent] | None = Field(
        None, description="Every arrest, charge and conviction. [] means none; omitted means not yet asked."
    )
    gang: Gang = Gang()
    security: Security = Security()
    family: list[FamilyMember] | None = Field(
        None, description="Relatives. [] means none; omitted means not yet asked."
    )
    employment: Employment = Employment()
    education: Education = Education()
    military: Military = Military()
    health: Health = Health()
    caretaker: Caretaker = Caretaker()
    victimisation: Victimisation = Victimisation()
    fear: Fear = Fear()
    juvenile: Juvenile = Juvenile()
    community: Community = Community()
    representative: Representative = Representative()
    narrative: Narrative = Narrative()
    counsel: Counsel = Field(
        Counsel(), description="Advice given, consent and overrides: privileged, never printed in a letter."
    )
