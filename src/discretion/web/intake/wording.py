"""The plain words of the intake: one question per fact the person may be asked, and the names
of the documents they may send. English here is the msgid; every other language is a message
catalog (web/locale/<code>/LC_MESSAGES/django.po), so adding a language adds no code.

What kind of question each is (yes/no, a date, a number, a choice, a list of entries), its
choices and its limits come from the case schema (``discretion.facts``), not from here; which
questions are asked, and when, is decided by the screening (``intake.plan``). This file only
says which facts a person can answer, in words a person understands, and leaves the rest to
the practitioner (``PRACTITIONER_ONLY``). ``tests/web/test_intake_wording.py`` fails when the
schema gains a field that is in neither, so a new fact is never silently skipped or asked in
a practitioner's words.

The English is kept at grade 6 or below (``benchmarks/readability.py`` prints the figures).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Wording:
    question: Promise
    hint: Promise | str = ""
    choices: Mapping[str, Promise] = field(default_factory=dict)
    # A list of entries (family, arrests...): which fields of one entry to ask, and the words
    # of the entry page.
    item_fields: tuple[str, ...] = ()
    entry_title: Promise | str = ""
    another: Promise | str = ""
    entry_name: Promise | str = ""


YES_NO = {"yes": _("Yes"), "no": _("No")}

RELATIONSHIP = {
    "spouse": _("Husband or wife"),
    "child": _("Son or daughter"),
    "parent": _("Mother or father"),
    "sibling": _("Brother or sister"),
    "grandparent": _("Grandmother or grandfather"),
    "grandchild": _("Grandson or granddaughter"),
    "other": _("Other family"),
}
STATUS = {
    "usc": _("U.S. citizen"),
    "lpr": _("Green card (permanent resident)"),
    "other_lawful": _("Other legal status"),
    "undocumented": _("No papers"),
    "unknown": _("I don't know"),
}
DISPOSITION = {
    "convicted": _("Found guilty (convicted)"),
    "pending": _("Not finished yet"),
    "dismissed": _("Dropped (dismissed)"),
    "acquitted": _("Found not guilty"),
    "vacated": _("Cancelled later by a court (vacated)"),
    "expunged": _("Erased from the record (expunged)"),
    "deferred": _("A program or deal instead of a sentence"),
    "no_charge": _("Arrested, but never charged"),
    "arrested": _("Arrested, and I don't know yet if there will be a charge"),
}
PROOF = {
    "lease": _("A lease or rent receipts"),
    "tax_return": _("Tax returns or W-2s"),
    "school_record": _("School papers"),
    "medical_record": _("Medical or hospital papers"),
    "pay_stub": _("Pay stubs"),
    "employment_letter": _("A letter from a boss"),
    "bank_statement": _("Bank papers"),
    "utility_bill": _("Bills for light, gas, water or phone"),
    "property_record": _("Papers for a house you own"),
    "religious_record": _("Church papers, like a baptism"),
    "immigration_record": _("Immigration papers"),
    "court_record": _("Court papers or tickets"),
    "birth_certificate_of_child": _("The U.S. birth certificate of your child"),
    "remittance_receipt": _("Receipts for money you sent home"),
    "affidavit": _("A signed letter from someone who knows you"),
    "photo": _("Photos with dates"),
    "other": _("Something else"),
}
CITIZENSHIP_BY = {
    "birth": _("Born a U.S. citizen"),
    "naturalization": _("Became a citizen later (naturalized)"),
    "derivation": _("Became a citizen through a parent"),
}
ATD = {
    "ankle_monitor": _("An ankle monitor"),
    "smartlink": _("A phone app (SmartLINK)"),
    "telephonic": _("Phone calls"),
    "wrist_device": _("A wrist device"),
    "other": _("Something else"),
}
APPLICATION = {
    "asylum": _("Asylum (safety from harm at home)"),
    "withholding": _("Withholding of removal"),
    "cat": _("Protection from torture (CAT)"),
    "cancellation_non_lpr": _("Cancellation of removal"),
    "cancellation_lpr": _("Cancellation of removal for green card holders"),
    "vawa_cancellation": _("Cancellation for victims of abuse (VAWA)"),
    "adjustment": _("Green card (adjustment of status)"),
    "i130": _("Family petition (I-130)"),
    "i601a": _("Waiver (I-601A)"),
    "u_visa": _("U visa (victims of crime)"),
    "t_visa": _("T visa (victims of trafficking)"),
    "sijs": _("Special immigrant juvenile status"),
    "vawa_self_petition": _("VAWA petition (victims of abuse)"),
    "tps": _("TPS"),
    "daca": _("DACA"),
    "naturalization": _("U.S. citizenship"),
    "other": _("Something else"),
}
REMOVAL = {
    "removal": _("A judge ordered me removed"),
    "expedited_removal": _("Sent back at the border without a judge"),
    "voluntary_return": _("I agreed to go back at the border"),
    "voluntary_departure": _("A judge let me leave on my own"),
}
ENTRY = {
    "admitted": _("With a visa or other papers, at a border post or airport"),
    "paroled": _("With parole (a paper that let me in for a time)"),
    "without_inspection": _("Without papers, and nobody checked me"),
}
FORUM = {"court": _("The immigration court"), "uscis": _("USCIS (the immigration office)")}

# Asked first whenever the case does not know them: what keeps the person safe and in court.
FIRST = ("proceedings.in_proceedings", "proceedings.detained", "proceedings.next_hearing.date")

# In the order they are asked (after FIRST). A path with ".*." words one field of an entry.
QUESTIONS: dict[str, Wording] = {
    "proceedings.in_proceedings": Wording(
        _("Do you have a case in immigration court?"),
        _("You have a case if you got a paper called a Notice to Appear, or a letter with a court date."),
    ),
    "proceedings.detained": Wording(
        _("Are you held by immigration now?"),
        _("This means in a detention center or jail because of immigration."),
    ),
    "proceedings.next_hearing.date": Wording(
        _("When is your next court date?"),
        _("Look for the date on your court papers."),
    ),
    "fear.fears_return": Wording(_("Are you afraid to go back to your home country?")),
    "fear.past_persecution": Wording(
        _("Were you hurt or threatened in your home country because of who you are or what you believe?")
    ),
    "fear.protected_ground": Wording(
        _(
            "Is your fear because of your race, religion, country, political ideas, or a group you are part of?"
        )
    ),
    "fear.torture_fear": Wording(
        _("Do you fear that you would be tortured if you go back?"),
        _(
            "Torture means very bad pain or harm on purpose, by the police, the army or people they let do it."
        ),
    ),
    "fear.unaccompanied_child": Wording(_("Did you come to the U.S. as a child, without a parent?")),
    "proceedings.pending_applications": Wording(
        _("Have you asked immigration or the court for help that is not decided yet?"),
        _("For example: asylum, a green card, or a visa for victims of crime."),
        item_fields=("kind", "forum", "filed_on"),
        entry_title=_("Tell us about one request for help"),
        another=_("Did you ask for any other help that is not decided yet?"),
        entry_name=_("Request for help"),
    ),
    "proceedings.pending_applications.*.kind": Wording(_("What did you ask for?"), choices=APPLICATION),
    "proceedings.pending_applications.*.forum": Wording(_("Where did you ask?"), choices=FORUM),
    "proceedings.pending_applications.*.filed_on": Wording(_("When did you ask?")),
    "proceedings.ead_based_on_pending_application": Wording(
        _("Do you have a work permit because of a request that is not decided yet?")
    ),
    "identity.date_of_birth": Wording(_("What is your date of birth?")),
    "identity.country_of_birth": Wording(_("In what country were you born?")),
    "identity.citizenship": Wording(
        _("What country are you a citizen of?"), _("If more than one, write each on its own line.")
    ),
    "identity.languages": Wording(
        _("What languages do you speak?"), _("Write the one you speak best first. One on each line.")
    ),
    "identity.needs_interpreter": Wording(_("Do you need an interpreter to talk with us or in court?")),
    "identity.married": Wording(_("Are you married?")),
    "entry.first_entry_on": Wording(
        _("When did you first come to the U.S.?"),
        _("If you do not know the day, write only the month and year, like 03/2009, or only the year."),
    ),
    "entry.age_at_first_entry": Wording(_("How old were you when you first came to the U.S.?")),
    "entry.last_entry_on": Wording(
        _("When did you last come into the U.S.?"),
        _("If you never left after you first came, write that date again."),
    ),
    "entry.manner": Wording(_("How did you last come into the U.S.?"), choices=ENTRY),
    "entry.apprehended_at_entry": Wording(_("When you came in, did border officers stop you?")),
    "entry.visa_overstay": Wording(_("Did you stay longer than your visa allowed?")),
    "entry.paroles": Wording(
        _("Did immigration give you parole to be in the U.S.?"),
        _("Parole is a paper that lets you stay in the U.S. for a time, for example through CBP One."),
        item_fields=("paroled_on", "port", "ends_on"),
        entry_title=_("Tell us about one time you got parole"),
        another=_("Did you get parole any other time?"),
        entry_name=_("Parole"),
    ),
    "entry.paroles.*.paroled_on": Wording(_("When did you get the parole?")),
    "entry.paroles.*.port": Wording(_("Where did you get it?"), _("The border post, airport or city.")),
    "entry.paroles.*.ends_on": Wording(_("When does the parole end?")),
    "presence.continuous_since": Wording(
        _("Since when have you lived in the U.S. without leaving?"),
        _("Choose the date you came back after your last trip out of the U.S."),
    ),
    "presence.proofs": Wording(
        _("What papers do you have that show you lived in the U.S.?"),
        _("Add each paper on its own. Papers with dates help most."),
        item_fields=("kind", "dated_from"),
        entry_title=_("Tell us about one paper"),
        another=_("Do you have any other paper that shows you lived here?"),
        entry_name=_("Paper"),
    ),
    "presence.proofs.*.kind": Wording(_("What kind of paper is it?"), choices=PROOF),
    "presence.proofs.*.dated_from": Wording(_("What date is on it?")),
    "immigration_history.final_order": Wording(_("Has a judge ever ordered you removed (deported)?")),
    "immigration_history.missed_hearings": Wording(
        _("How many immigration court dates have you missed?"), _("Write 0 if you never missed one.")
    ),
    "immigration_history.prior_removals": Wording(
        _("Have you ever been deported or sent back from the U.S.?"),
        item_fields=("removed_on", "kind"),
        entry_title=_("Tell us about one time you were sent back"),
        another=_("Were you sent back any other time?"),
        entry_name=_("Time sent back"),
    ),
    "immigration_history.prior_removals.*.removed_on": Wording(_("When were you sent back?")),
    "immigration_history.prior_removals.*.kind": Wording(_("How were you sent back?"), choices=REMOVAL),
    "immigration_history.ever_had_daca": Wording(_("Have you ever had DACA?")),
    "criminal_history": Wording(
        _("Have you ever been arrested, charged with a crime, or found guilty of a crime, in any country?"),
        _("Tell us even if the case was dropped or was long ago. We need to know to protect you."),
        item_fields=("offence", "offence_on", "jurisdiction", "disposition"),
        entry_title=_("Tell us about one arrest or charge"),
        another=_("Were you arrested or charged any other time?"),
        entry_name=_("Arrest or charge"),
    ),
    "criminal_history.*.offence": Wording(_("What were you arrested or charged for?")),
    "criminal_history.*.offence_on": Wording(_("When did it happen?")),
    "criminal_history.*.jurisdiction": Wording(
        _("Where did it happen?"), _("The city and state, or the country.")
    ),
    "criminal_history.*.disposition": Wording(_("How did the case end?"), choices=DISPOSITION),
    "family": Wording(
        _("Do you have family: a husband or wife, children, parents, brothers or sisters?"),
        _("Tell us about each one, in the U.S. or in another country."),
        item_fields=("relationship", "name", "status", "date_of_birth", "lives_with", "dependent"),
        entry_title=_("Tell us about one family member"),
        another=_("Do you want to add another family member?"),
        entry_name=_("Family member"),
    ),
    "family.*.relationship": Wording(_("Who is this person to you?"), choices=RELATIONSHIP),
    "family.*.name": Wording(_("What is their first name?")),
    "family.*.status": Wording(_("What is their immigration status?"), choices=STATUS),
    "family.*.date_of_birth": Wording(_("What is their date of birth?")),
    "family.*.lives_with": Wording(_("Do they live with you?")),
    "family.*.dependent": Wording(_("Do they need you for money or care?")),
    "family.*.citizenship_by": Wording(_("How did they become a U.S. citizen?"), choices=CITIZENSHIP_BY),
    "family.*.deceased": Wording(_("Has this person died?")),
    "employment.employed": Wording(_("Do you have a job now?")),
    "employment.years_worked_in_us": Wording(_("How many years have you worked in the U.S.?")),
    "employment.filed_taxes": Wording(_("Have you filed taxes in the U.S.?")),
    "employment.primary_earner": Wording(_("Do you earn most of the money for your family?")),
    "education.enrolled_now": Wording(_("Are you in school now?")),
    "education.us_high_school_diploma_or_ged": Wording(
        _("Did you finish high school in the U.S., or get a GED?")
    ),
    "education.us_college": Wording(_("Have you gone to college in the U.S.?")),
    "military.served": Wording(_("Have you served in the U.S. military?")),
    "health.conditions": Wording(
        _("Do you have a serious health problem?"),
        item_fields=("description", "under_treatment"),
        entry_title=_("Tell us about one health problem"),
        another=_("Do you have any other serious health problem?"),
        entry_name=_("Health problem"),
    ),
    "health.conditions.*.description": Wording(_("What is the health problem?")),
    "health.conditions.*.under_treatment": Wording(_("Are you getting care from a doctor for it?")),
    "health.conditions.*.diagnosed_on": Wording(_("When did a doctor find it?")),
    "health.pregnant": Wording(_("Are you pregnant now?")),
    "health.pregnant_or_nursing": Wording(_("Are you pregnant or breastfeeding now?")),
    "health.spouse_pregnant_or_nursing": Wording(_("Is your wife or partner pregnant or breastfeeding now?")),
    "health.disability": Wording(_("Do you have a disability?")),
    "caretaker.primary_caretaker": Wording(
        _("Do you care for someone who needs you every day?"),
        _("For example: a child, or a sick or old person."),
    ),
    "caretaker.of_whom": Wording(_("Who do you care for?")),
    "victimisation.domestic_violence": Wording(
        _("Has a husband, wife, partner or family member hurt you or made you afraid at home?"),
        _("Your answer is private. It can help your case."),
    ),
    "victimisation.trafficking": Wording(
        _("Has anyone forced you to work or to have sex, or kept you from leaving?")
    ),
    "victimisation.crime_victim": Wording(_("Has someone done a crime against you in the U.S.?")),
    "victimisation.crime": Wording(_("What crime was done against you?")),
    "victimisation.crime_in_united_states": Wording(_("Did the crime happen in the U.S.?")),
    "victimisation.crime_place": Wording(
        _("Where did the crime happen?"), _("The city and state, or the country.")
    ),
    "victimisation.crime_on": Wording(_("When did the crime happen?")),
    "victimisation.substantial_harm": Wording(
        _("Were you badly hurt by the crime, in your body or your mind?")
    ),
    "victimisation.helpful_to_law_enforcement": Wording(_("Did you help the police with the case?")),
    "victimisation.witness_or_party_in_proceedings": Wording(
        _("Are you a witness, or one of the sides, in a court case that is not about immigration?")
    ),
    "victimisation.labor_or_housing_dispute": Wording(
        _("Do you have a fight with a boss or a landlord about your rights?"),
        _("For example: unpaid pay, safety at work, or a home that is not safe."),
    ),
    "juvenile.reunification_not_viable": Wording(
        _("Did a parent hurt you, not take care of you, or leave you?")
    ),
    "supervision.check_ins": Wording(
        _("Do you go to meetings (check-ins) at an ICE office?"),
        item_fields=("on", "office", "attended"),
        entry_title=_("Tell us about one check-in"),
        another=_("Did you have any other check-in?"),
        entry_name=_("Check-in"),
    ),
    "supervision.check_ins.*.on": Wording(_("When was the check-in?")),
    "supervision.check_ins.*.office": Wording(_("Which ICE office?")),
    "supervision.check_ins.*.attended": Wording(_("Did you go?")),
    "supervision.atd": Wording(
        _("Does ICE check on you with an ankle monitor, a phone app or calls?"),
        _("This is called ATD or ISAP."),
    ),
    "supervision.atd_kind": Wording(_("How does ICE check on you?"), choices=ATD),
    "tps.country": Wording(_("If you have TPS, for what country?")),
    "tps.valid_until": Wording(
        _("When does your TPS end?"), _("Look at your work permit or your TPS paper.")
    ),
    "community.ties": Wording(_("Are you part of a church, a school or another group where you live?")),
    "community.activities": Wording(
        _("What do you do in your community?"),
        _("For example: church, school, sports, or helping others. One on each line."),
    ),
}

# Facts a practitioner establishes (legal judgments, court records, representation): never
# asked of the person.
PRACTITIONER_ONLY = frozenset(
    {
        "case_id",
        "requested_action",
        "identity.name",
        "identity.other_names",
        "identity.a_number",
        "identity.sex",
        "identity.removal_impracticable",
        "proceedings.nta_served_on",
        "proceedings.nta_filed_on",
        "proceedings.nta_has_time_and_place",
        "proceedings.charges",
        "proceedings.court",
        "proceedings.judge",
        "proceedings.next_hearing.kind",
        "proceedings.next_hearing.time",
        "proceedings.detention_facility",
        "proceedings.pending_applications.*.receipt_number",
        "proceedings.pending_applications.*.approved",
        "proceedings.pending_applications.*.note",
        "proceedings.administratively_closed",
        "proceedings.prior_pd_requests",
        "proceedings.opla_attorney",
        "proceedings.opla_office",
        "entry.apprehended_in_interior_on",
        "entry.port",
        "entry.visa_class",
        "entry.i94_admit_until",
        "entry.i94_duration_of_status",
        "entry.lawful_status_years",
        "presence.absences",
        "proceedings.hearing_notices",
        "proceedings.next_hearing.notes",
        "immigration_history.reentered_after_removal",
        "immigration_history.final_order_on",
        "immigration_history.final_order_in_absentia",
        "immigration_history.failed_to_depart",
        "immigration_history.immigration_fraud",
        "immigration_history.visa_program_abuse",
        "immigration_history.public_benefits_abuse",
        "immigration_history.smuggling",
        "immigration_history.prior_relief_granted",
        "immigration_history.lpr_since",
        "immigration_history.grandfathering_filings",
        "immigration_history.present_on_2000_12_21",
        "criminal_history.*.statute",
        "criminal_history.*.arrested_on",
        "criminal_history.*.convicted_on",
        "criminal_history.*.level",
        "criminal_history.*.categories",
        "criminal_history.*.sentence_days",
        "criminal_history.*.sentence_suspended",
        "criminal_history.*.max_penalty_days",
        "criminal_history.*.outstanding_warrant",
        "criminal_history.*.weapon_used",
        "criminal_history.*.sophisticated",
        "criminal_history.*.harm",
        "criminal_history.*.harm_description",
        "criminal_history.*.charged_on",
        "criminal_history.*.incident",
        "criminal_history.*.time_served_days",
        "criminal_history.*.drug_substance",
        "criminal_history.*.drug_quantity_grams",
        "criminal_history.*.admits_elements",
        "criminal_history.*.completed_sentence",
        "criminal_history.*.rehabilitation",
        "gang",
        "security",
        "family.*.age",
        "family.*.in_us",
        "family.*.serious_illness",
        "family.*.disability",
        "family.*.military_service",
        "family.*.abuser",
        "employment.employer",
        "employment.tax_years",
        "education.highest",
        "military.branch",
        "military.active_duty_months",
        "military.combat",
        "military.discharge",
        "military.in_us_at_enlistment",
        "health.conditions.*.serious",
        "health.conditions.*.mental",
        "health.conditions.*.treatment_available_in_home_country",
        "health.mental_condition_contributed_to_conduct",
        "caretaker.dependant_condition",
        "victimisation.abuser_status",
        "victimisation.abuser_relationship",
        "victimisation.certification_obtainable",
        "fear.asylum_filed_on",
        "fear.credible_fear",
        "fear.credible_fear_kind",
        "fear.credible_fear_on",
        "victimisation.u_bona_fide",
        "victimisation.u_bona_fide_on",
        "juvenile.best_interest_finding",
        "juvenile.order_on",
        "juvenile.court",
        "family.*.naturalized_on",
        "family.*.status_since",
        "family.*.died_on",
        "tps.status",
        "tps.applied_on",
        "tps.granted_on",
        "tps.notes",
        "supervision.released_on",
        "supervision.release_document",
        "supervision.next_check_in_on",
        "supervision.missed_check_ins",
        "supervision.atd_since",
        # The practitioner's bookkeeping: notes, claimed / documented markers, disputed versions.
        "notes",
        "date_basis",
        "disputes",
        "fear.changed_circumstances",
        "fear.extraordinary_circumstances",
        "juvenile.juvenile_court_order",
        "community.support_letters",
        "representative",
        "narrative",
        "counsel",  # counsel's advice, the person's consent, a HIGH-risk override: the practitioner's record
    }
)

# Checklist items (discretion/data/evidence.yaml ids) the person can send a photo or file of,
# in plain words. Items not here (forms only a representative files, the letter's own
# declaration) are never asked of the person.
DOCUMENTS: dict[str, Promise] = {
    "passport": _("Your passport"),
    "birth_certificate": _("Your birth certificate"),
    "consular_id": _("Your ID card from your country"),
    "usc_child_birth_certificate": _("The U.S. birth certificate of your child"),
    "marriage_certificate": _("Your marriage certificate"),
    "relative_citizenship": _("Proof that your family member is a U.S. citizen"),
    "relative_green_card": _("Your family member's green card (both sides)"),
    "relative_relationship": _("Proof of how you are related (for example, a birth certificate)"),
    "military_records": _("Your U.S. military papers"),
    "relative_military_records": _("Your family member's U.S. military papers"),
    "school_records": _("Your school papers: a diploma, grades or a letter from the school"),
    "medical_records": _("A letter from your doctor and your medical papers"),
    "treatment_unavailable": _("Papers that show you cannot get the care you need in your country"),
    "pregnancy_letter": _("A letter from the doctor about the pregnancy or breastfeeding"),
    "dependant_medical_records": _("Medical papers of the person you care for"),
    "caregiver_proof": _("Proof that you care for this person"),
    "juvenile_court_order": _("The order from the state court about you as a child"),
    "dv_evidence": _("Proof of the abuse: police reports, photos, or letters"),
    "trafficking_evidence": _("Proof of what was done to you: reports, letters or messages"),
    "crime_victim_evidence": _("Proof of the crime against you: a police report or court papers"),
    "residence_proof": _("Proof that you live in the U.S.: leases, bills or letters with your name"),
    "two_year_presence": _("Proof that you have lived in the U.S. for two years or more"),
    "childhood_arrival": _("Papers from your first years in the U.S.: school or doctor records"),
    "employer_letter": _("A letter from your boss and your recent pay stubs"),
    "tax_transcripts": _("Your U.S. tax papers"),
    "support_letters": _("Letters from people who know you (family, church, work)"),
    "volunteer_records": _("Papers about your volunteer or community work"),
    "certified_disposition": _("The court papers that show how a criminal case ended"),
    "sentence_completed": _("Proof that you finished your sentence"),
    "rehabilitation": _("Proof of the good things you did after: classes, programs or letters"),
    "uscis_receipt": _("The letters from USCIS about your request"),
    "court_application_filed": _("Proof that you filed your request with the court"),
}
# Never asked of the person: a representative's own forms, and the declaration counsel drafts.
PRACTITIONER_DOCUMENTS = frozenset({"g28", "eoir28", "respondent_declaration"})
