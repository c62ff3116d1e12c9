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

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from discretion.counsel import Counsel, FactorNote
from discretion.partial_dates import FactDate, MaybeFactDate

Date = date  # alias: a field named `date` would shadow the type inside its class

SCHEMA_VERSION: Literal[2] = 2


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
    ARRESTED = "arrested"  # arrested; no charging decision known yet


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
    # The person is not in removal proceedings: there is nothing to ask OPLA for, and no
    # request letter is ever written (the screen still advises on risks and relief).
    NONE_NOT_IN_PROCEEDINGS = "none_not_in_proceedings"


class Discharge(StrEnum):
    HONORABLE = "honorable"
    GENERAL = "general"
    OTHER_THAN_HONORABLE = "other_than_honorable"
    BAD_CONDUCT = "bad_conduct"
    DISHONORABLE = "dishonorable"
    STILL_SERVING = "still_serving"


class Basis(StrEnum):
    """Where a fact comes from: the person's word, or a document on hand."""

    CLAIMED = "claimed"  # the person says so; no document yet
    DOCUMENTED = "documented"  # a document on file shows it


class Harm(StrEnum):
    """Harm to a person caused in an offence, as the record shows it (never read from free text)."""

    NONE = "none"
    MINOR = "minor"
    SERIOUS = "serious"
    UNKNOWN = "unknown"


class ProofKind(StrEnum):
    """Kinds of proof of presence in the United States."""

    LEASE = "lease"
    TAX_RETURN = "tax_return"
    SCHOOL_RECORD = "school_record"
    MEDICAL_RECORD = "medical_record"
    PAY_STUB = "pay_stub"
    EMPLOYMENT_LETTER = "employment_letter"
    BANK_STATEMENT = "bank_statement"
    UTILITY_BILL = "utility_bill"
    PROPERTY_RECORD = "property_record"  # mortgage, deed, property tax
    RELIGIOUS_RECORD = "religious_record"
    IMMIGRATION_RECORD = "immigration_record"  # I-94, NTA, receipt notices, EOIR filings
    COURT_RECORD = "court_record"
    BIRTH_CERTIFICATE_OF_CHILD = "birth_certificate_of_child"
    REMITTANCE_RECEIPT = "remittance_receipt"
    AFFIDAVIT = "affidavit"
    PHOTO = "photo"
    OTHER = "other"


class CitizenshipBy(StrEnum):
    BIRTH = "birth"
    NATURALIZATION = "naturalization"
    DERIVATION = "derivation"  # derived from a parent (INA 320 / former 321)


class ReleaseDocument(StrEnum):
    """The paper on which ICE released the person (the "release paper")."""

    ORDER_OF_RECOGNIZANCE = "order_of_recognizance"  # I-220A
    ORDER_OF_SUPERVISION = "order_of_supervision"  # I-220B
    PAROLE = "parole"  # I-94 parole from custody
    BOND = "bond"  # delivery bond, I-352
    OTHER = "other"


class ATDKind(StrEnum):
    ANKLE_MONITOR = "ankle_monitor"
    SMARTLINK = "smartlink"  # phone app check-ins
    TELEPHONIC = "telephonic"
    WRIST_DEVICE = "wrist_device"
    OTHER = "other"


class FearResult(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEGATIVE_AFFIRMED_BY_IJ = "negative_affirmed_by_ij"
    NEGATIVE_VACATED_BY_IJ = "negative_vacated_by_ij"
    PENDING = "pending"


class BonaFide(StrEnum):
    """USCIS's U-visa bona fide determination (BFD), with deferred action and work permit."""

    GRANTED = "granted"
    DENIED = "denied"  # not bona fide; the petition goes on to full review
    PENDING = "pending"
    WAITING_LIST = "waiting_list"  # placed on the U-visa waiting list (8 CFR 214.14(d)(2))


class TPSStatus(StrEnum):
    GRANTED = "granted"
    PENDING = "pending"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"  # the designation ended or was terminated


class GrandfatheringKind(StrEnum):
    IMMIGRANT_PETITION = "immigrant_petition"  # I-130, I-140, I-360, I-526
    LABOR_CERTIFICATION = "labor_certification"


class GrandfatheredPerson(StrEnum):
    SELF = "self"  # the person was the principal beneficiary
    PARENT = "parent"  # a parent's petition (the person a derivative child)
    SPOUSE = "spouse"  # a spouse's petition (the person a derivative spouse)


NOTES = "The practitioner's notes on this record; never read by a rule."
BASIS = "claimed (the person's word) or documented (a document on file shows it)."


# --- parts ------------------------------------------------------------------------------


class Identity(_Model):
    name: str | None = Field(None, description="Full legal name as on the NTA.")
    other_names: list[str] | None = None
    a_number: ANumber | None = Field(None, description="Alien registration number, 9 digits.")
    date_of_birth: MaybeFactDate = None
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
    notes: str | None = Field(None, description=NOTES)


class HearingNotice(_Model):
    """One notice of hearing: what was sent, where, and whether it arrived (in-absentia motions)."""

    issued_on: MaybeFactDate = Field(None, description="Date printed on the notice.")
    hearing_on: Date | None = Field(None, description="Hearing date the notice set.")
    sent_by: Literal["mail", "personal_service", "electronic", "in_court"] | None = None
    sent_to: str | None = Field(None, description="Address (or counsel) the notice went to.")
    received: bool | None = Field(None, description="The person (or counsel) received it.")
    returned_undeliverable: bool | None = None
    attended: bool | None = Field(None, description="The person attended the hearing it set.")
    basis: Basis | None = Field(None, description=BASIS)
    notes: str | None = Field(None, description=NOTES)


class PendingApplication(_Model):
    kind: ApplicationKind
    forum: Forum | None = None
    filed_on: MaybeFactDate = None
    receipt_number: str | None = None
    approved: bool | None = None
    note: str | None = None
    basis: Basis | None = Field(None, description=BASIS)
    notes: str | None = Field(None, description=NOTES)


class PriorRequest(_Model):
    sent_on: MaybeFactDate = None
    requested: RequestedAction | None = None
    outcome: Literal["granted", "denied", "no_response", "withdrawn", "pending"] | None = None
    notes: str | None = Field(None, description=NOTES)


class Proceedings(_Model):
    in_proceedings: bool | None = Field(None, description="An NTA has been filed with the immigration court.")
    nta_served_on: MaybeFactDate = None
    nta_filed_on: MaybeFactDate = None
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
    hearing_notices: list[HearingNotice] | None = Field(
        None, description="Every notice of hearing, oldest first. [] means none was ever sent."
    )
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


class Parole(_Model):
    """One grant of parole (CBP One, CHNV, humanitarian, parole in place, parole from custody)."""

    paroled_on: MaybeFactDate = Field(None, description="Date of the parole (the I-94's date).")
    port: str | None = Field(None, description="Port of entry or place paroled, e.g. 'San Ysidro'.")
    ends_on: MaybeFactDate = Field(None, description="End date of the parole as granted.")
    program: str | None = Field(None, description="e.g. CBP One, CHNV, humanitarian parole, parole in place.")
    terminated: bool | None = Field(None, description="DHS terminated the parole before its end date.")
    terminated_on: MaybeFactDate = None
    basis: Basis | None = Field(None, description=BASIS)
    notes: str | None = Field(None, description=NOTES)


class Entry(_Model):
    first_entry_on: MaybeFactDate = None
    last_entry_on: MaybeFactDate = Field(
        None, description="As recorded; the screen also derives it from the absences recorded."
    )
    manner: EntryManner | None = Field(None, description="Manner of the last entry.")
    age_at_first_entry: int | None = Field(None, ge=0, le=120, description="If the dates are not known.")
    apprehended_at_entry: bool | None = Field(
        None, description="Apprehended at the border or a port of entry while attempting to enter unlawfully."
    )
    apprehended_in_interior_on: MaybeFactDate = Field(
        None, description="Date apprehended inside the U.S. after an unlawful entry, if ever."
    )
    port: str | None = Field(None, description="Port of entry of the last entry, if through one.")
    visa_class: str | None = Field(
        None, description="Class of the visa used at the last entry, e.g. B-2, F-1, H-2A."
    )
    i94_admit_until: MaybeFactDate = Field(None, description="The I-94's admit-until date.")
    i94_duration_of_status: bool | None = Field(
        None, description="The I-94 reads D/S (duration of status) instead of a date."
    )
    paroles: list[Parole] | None = Field(
        None, description="Every parole, oldest first. [] means never paroled."
    )
    visa_overstay: bool | None = None
    lawful_status_years: int | None = Field(None, ge=0, le=120, description="Years spent in lawful status.")

    # Schema 1 had one parole; these read the latest parole so rules written for it still work.
    @property
    def latest_parole(self) -> Parole | None:
        return self.paroles[-1] if self.paroles else None

    @property
    def parole_ends_on(self) -> Date | None:
        return self.paroles[-1].ends_on if self.paroles else None

    @property
    def parole_terminated(self) -> bool | None:
        return self.paroles[-1].terminated if self.paroles else None

    @property
    def parole_program(self) -> str | None:
        return self.paroles[-1].program if self.paroles else None


class Absence(_Model):
    left_on: FactDate
    returned_on: MaybeFactDate = None
    reason: str | None = None
    basis: Basis | None = Field(None, description=BASIS)
    notes: str | None = Field(None, description=NOTES)


class PresenceProof(_Model):
    """One document that shows the person was in the United States on a date or over a period."""

    kind: ProofKind
    dated_from: MaybeFactDate = Field(None, description="First date the item shows (or its only date).")
    dated_to: MaybeFactDate = Field(
        None, description="Last date the item shows, for a lease or a school year."
    )
    description: str | None = Field(None, description="What the item is, in the practitioner's words.")
    on_file: bool | None = Field(None, description="The item itself is on file (not only described).")
    notes: str | None = Field(None, description=NOTES)


def _proof_items(value: object) -> object:
    """A line of text, or a list of words, becomes one typed item per entry.

    "lease, tax returns 2019; school record" and the three items entered one by one give the same
    list, so typing style can never change a result.
    """
    from discretion.proof_kinds import proof_items

    return proof_items(value)


class Presence(_Model):
    continuous_since: MaybeFactDate = Field(
        None, description="Date from which continuous presence can be documented."
    )
    absences: list[Absence] | None = None
    proofs: Annotated[list[PresenceProof] | None, BeforeValidator(_proof_items)] = Field(
        None,
        description=(
            "Proofs of presence on hand, one typed item each (lease, tax return, school record...). "
            "A comma-separated line is split into items. [] means none."
        ),
    )

    @property
    def evidence(self) -> list[str] | None:
        """Schema 1's list of proofs, read from ``proofs``: one entry per *kind* of proof (the first
        item's words), so three pay stubs and "pay stubs" count alike."""
        if self.proofs is None:
            return None
        seen: dict[ProofKind, str] = {}
        for proof in self.proofs:
            seen.setdefault(proof.kind, proof.description or proof.kind.value.replace("_", " "))
        return list(seen.values())


class Removal(_Model):
    removed_on: MaybeFactDate = None
    kind: Literal["removal", "expedited_removal", "voluntary_return", "voluntary_departure"] = "removal"
    basis: Basis | None = Field(None, description=BASIS)
    notes: str | None = Field(None, description=NOTES)


class GrandfatheringFiling(_Model):
    """An immigrant petition or labor certification that may grandfather the person under INA 245(i)."""

    kind: GrandfatheringKind | None = None
    form: str | None = Field(None, description="e.g. I-130, I-140, I-360, ETA-750.")
    beneficiary: GrandfatheredPerson | None = Field(
        None, description="Whose filing: the person's own, or a parent's or spouse's (derivative)."
    )
    filed_on: MaybeFactDate = Field(None, description="Filing date (must be on or before 2001-04-30).")
    approvable_when_filed: bool | None = Field(
        None, description="Properly filed and not frivolous when filed (8 CFR 245.10(a)(3))."
    )
    receipt_number: str | None = None
    basis: Basis | None = Field(None, description=BASIS)
    notes: str | None = Field(None, description=NOTES)


class ImmigrationHistory(_Model):
    prior_removals: list[Removal] | None = None
    reentered_after_removal: bool | None = None
    final_order: bool | None = Field(None, description="An unexecuted final order of removal exists.")
    final_order_on: MaybeFactDate = None
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
    lpr_since: MaybeFactDate = Field(
        None, description="Date of admission as a lawful permanent resident, if any."
    )
    grandfathering_filings: list[GrandfatheringFiling] | None = Field(
        None,
        description=(
            "Immigrant petitions or labor certifications (the person's own or a parent's or spouse's) "
            "that may grandfather the person under INA 245(i). [] means none."
        ),
    )
    present_on_2000_12_21: bool | None = Field(
        None,
        description="Physically present in the U.S. on 2000-12-21 (needed under 245(i) if filed after 1998-01-14).",
    )

    # Schema 1's single 245(i) answer, read from the list.
    @property
    def has_245i_petition(self) -> bool | None:
        if self.grandfathering_filings is None:
            return None
        return bool(self.grandfathering_filings)

    @property
    def section_245i_filed_on(self) -> Date | None:
        dates = [f.filed_on for f in self.grandfathering_filings or () if f.filed_on]
        return min(dates) if dates else None


class CriminalEvent(_Model):
    offence: str
    statute: str | None = None
    jurisdiction: str | None = None
    offence_on: MaybeFactDate = Field(
        None, description="Date the offence was committed (stop-time runs from here)."
    )
    arrested_on: MaybeFactDate = None
    charged_on: MaybeFactDate = None
    convicted_on: MaybeFactDate = None
    disposition: Disposition | None = Field(
        None,
        description=(
            "How the case stands. A pending charge (pending) or an arrest (arrested, no_charge) "
            "is its own record."
        ),
    )
    incident: str | None = Field(
        None,
        description="A label shared by the records that arose from one incident (e.g. 'incident-2014-03').",
    )
    level: OffenceLevel | None = None
    categories: list[OffenceCategory] = Field(default_factory=list)
    sentence_days: int | None = Field(None, ge=0, le=400_000, description="Custody imposed, in days.")
    sentence_suspended: bool | None = None
    time_served_days: int | None = Field(
        None,
        ge=0,
        le=400_000,
        description="Custody actually served, in days (apart from the sentence imposed).",
    )
    max_penalty_days: int | None = Field(
        None, ge=0, le=400_000, description="Maximum possible custody for the offence."
    )
    outstanding_warrant: bool | None = None
    weapon_used: bool | None = None
    sophisticated: bool | None = Field(
        None,
        description="The offence involved planning or sophistication (a Mayorkas 2021 aggravating factor).",
    )
    harm: Harm | None = Field(
        None,
        description="Harm caused to a person: none / minor / serious / unknown (the rules read only this).",
    )
    harm_description: str | None = Field(
        None, description="The harm in words, for the letter and the file; never read by a rule."
    )
    drug_substance: str | None = Field(None, description="For a drug offence: the substance, e.g. marijuana.")
    drug_quantity_grams: float | None = Field(
        None,
        ge=0,
        description="For a drug offence: the quantity, in grams (30 g of marijuana matters: INA 237(a)(2)(B)(i)).",
    )
    admits_elements: bool | None = Field(
        None, description="The person admits acts that make up the offence's essential elements."
    )
    completed_sentence: bool | None = None
    rehabilitation: str | None = None
    basis: Basis | None = Field(None, description=BASIS)
    notes: str | None = Field(None, description=NOTES)


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
    citizenship_by: CitizenshipBy | None = Field(
        None, description="For a U.S. citizen: by birth, naturalization or derivation."
    )
    naturalized_on: MaybeFactDate = None
    status_since: MaybeFactDate = Field(
        None, description="Date the relative gained the status (LPR since...)."
    )
    date_of_birth: MaybeFactDate = None
    age: int | None = Field(None, ge=0, le=130)
    in_us: bool | None = None
    lives_with: bool | None = None
    dependent: bool | None = Field(None, description="Depends on the person financially or for care.")
    serious_illness: bool | None = None
    disability: bool | None = None
    military_service: bool | None = None
    abuser: bool | None = Field(None, description="This relative abused the person (VAWA).")
    deceased: bool | None = None
    died_on: MaybeFactDate = None
    basis: Basis | None = Field(None, description=BASIS)
    notes: str | None = Field(None, description=NOTES)


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
    serious: bool | None = Field(
        None, description="Counsel's assessment that the condition is serious (the tool never decides it)."
    )
    mental: bool | None = None
    treatment_available_in_home_country: bool | None = None
    under_treatment: bool | None = None
    diagnosed_on: MaybeFactDate = None
    ended_on: MaybeFactDate = Field(None, description="When the condition resolved, if it has.")
    basis: Basis | None = Field(None, description=BASIS)
    notes: str | None = Field(None, description=NOTES)


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
    crime_victim: bool | None = Field(None, description="Victim of a crime (where: crime_in_united_states).")
    crime: str | None = None
    crime_in_united_states: bool | None = Field(
        None,
        description="The crime took place in the United States (or violated U.S. law): a U visa needs it.",
    )
    crime_place: str | None = Field(None, description="Where the crime took place (city, state or country).")
    crime_on: MaybeFactDate = None
    substantial_harm: bool | None = None
    helpful_to_law_enforcement: bool | None = None
    certification_obtainable: bool | None = Field(
        None, description="A law-enforcement certification (I-918B) can be had."
    )
    u_bona_fide: BonaFide | None = Field(
        None, description="USCIS's U-visa bona fide determination (or waiting-list placement)."
    )
    u_bona_fide_on: MaybeFactDate = None
    witness_or_party_in_proceedings: bool | None = None
    labor_or_housing_dispute: bool | None = None


class Fear(_Model):
    fears_return: bool | None = None
    protected_ground: bool | None = Field(
        None, description="Fear tied to race, religion, nationality, social group or opinion."
    )
    torture_fear: bool | None = None
    past_persecution: bool | None = None
    asylum_filed_on: MaybeFactDate = None
    credible_fear: FearResult | None = Field(
        None, description="Result of a credible-fear (or reasonable-fear) screening, if any."
    )
    credible_fear_kind: Literal["credible", "reasonable"] | None = None
    credible_fear_on: MaybeFactDate = None
    unaccompanied_child: bool | None = None
    changed_circumstances: bool | None = None
    extraordinary_circumstances: bool | None = None


class Juvenile(_Model):
    juvenile_court_order: bool | None = None
    reunification_not_viable: bool | None = Field(
        None, description="Abuse, neglect or abandonment by a parent."
    )
    best_interest_finding: bool | None = Field(
        None,
        description="A state court found it is not in the child's best interest to return to the home country.",
    )
    order_on: MaybeFactDate = Field(None, description="Date of the state-court order.")
    court: str | None = Field(None, description="The state court (and state) that made the order.")


class TemporaryProtectedStatus(_Model):
    country: str | None = Field(None, description="The TPS country the person registered under.")
    status: TPSStatus | None = None
    applied_on: MaybeFactDate = None
    granted_on: MaybeFactDate = None
    valid_until: MaybeFactDate = Field(
        None, description="End of the current TPS validity on the person's papers."
    )
    notes: str | None = Field(None, description=NOTES)


class CheckIn(_Model):
    on: FactDate
    office: str | None = Field(None, description="ICE office, e.g. 'ERO New York'.")
    attended: bool | None = None
    notes: str | None = Field(None, description=NOTES)


class ICESupervision(_Model):
    """Release from ICE custody, reporting and Alternatives to Detention (ATD)."""

    released_on: MaybeFactDate = None
    release_document: ReleaseDocument | None = Field(
        None, description="The release paper: I-220A, I-220B, parole, bond..."
    )
    check_ins: list[CheckIn] | None = Field(None, description="ICE check-ins, oldest first. [] means none.")
    next_check_in_on: Date | None = None
    missed_check_ins: int | None = Field(None, ge=0)
    atd: bool | None = Field(None, description="Enrolled in Alternatives to Detention (ISAP).")
    atd_kind: ATDKind | None = None
    atd_since: MaybeFactDate = None


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


class FactVersion(_Model):
    """One alternative version of a disputed fact, with where it comes from."""

    value: object = Field(description="The fact's value in this version, written as in the case file.")
    source: str | None = Field(
        None, description="Where this version comes from: the client, the NTA, FOIA..."
    )
    basis: Basis | None = Field(None, description=BASIS)
    notes: str | None = Field(None, description=NOTES)


class DisputedFact(_Model):
    """A fact whose value is disputed: the case file's value is one version, these are the others."""

    fact: str = Field(
        description="Field path of the fact, e.g. entry.first_entry_on or criminal_history[0].harm."
    )
    recorded_source: str | None = Field(
        None, description="Where the value recorded in the case file comes from."
    )
    versions: list[FactVersion] = Field(min_length=1, description="The alternative versions.")
    notes: str | None = Field(None, description=NOTES)


class CaseFacts(_Model):
    """Everything the rules, checklists and letters read about one case."""

    schema_version: Literal[2] = SCHEMA_VERSION
    case_id: str | None = Field(None, description="The practitioner's own reference for the case.")
    requested_action: RequestedAction | None = Field(
        None,
        description="What to ask OPLA for; none_not_in_proceedings means no request is made.",
    )
    notes: str | None = Field(None, description="The practitioner's notes on the case; never read by a rule.")
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
    tps: TemporaryProtectedStatus = TemporaryProtectedStatus()
    supervision: ICESupervision = ICESupervision()
    community: Community = Community()
    representative: Representative = Representative()
    narrative: Narrative = Narrative()
    counsel: Counsel = Field(
        Counsel(), description="Advice given, consent and overrides: privileged, never printed in a letter."
    )
    date_basis: dict[str, Basis] | None = Field(
        None,
        description=(
            "Claimed / documented marker for dates outside records, keyed by field path "
            "(e.g. entry.first_entry_on: claimed). Records carry their own basis."
        ),
    )
    disputes: list[DisputedFact] | None = Field(
        None, description="Facts with alternative versions; the screen runs on each version."
    )

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: object) -> object:
        """Files and stored cases written under schema 1 are read as schema 2."""
        from discretion.migration import migrate

        return migrate(data)

    @field_validator("date_basis")
    @classmethod
    def _basis_paths(cls, value: dict[str, Basis] | None) -> dict[str, Basis] | None:
        from discretion.fact_paths import check_date_path

        for path in value or {}:
            check_date_path(path)
        return value

    @model_validator(mode="after")
    def _dispute_versions(self) -> CaseFacts:
        from discretion.disputes import check_versions

        check_versions(self)
        return self

    def basis_of(self, path: str) -> Basis | None:
        """The claimed / documented marker of a section date (records: ``record.basis``)."""
        return (self.date_basis or {}).get(path)
