"""The person's side in Debian's Chromium at phone size (390x844): book a consultation in
Spanish; complete an invitation in Spanish, closing the browser halfway and resuming from the
link, with a phone photo; the practitioner reviews the difference, accepts part and returns
the rest; two people book the same time at once and one booking results; and every client page,
in English and Spanish, is under 50 KB of HTML, loads nothing from another host and is
axe-clean (no violation of any impact)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_files import phone_photo_jpeg
from browser_kit import PHONE, Session, look
from client_walk import HTML_LIMIT, PAGE_SLUG, Figures, invite, set_up, walk
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def person_case(browser, server):
    alice = Session(browser, server, "alice")
    code = set_up(alice)
    alice.close()
    return code


def _phone(browser, lang="es"):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale=f"{lang}-US")
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _to_check(page, server, *, day_index=0, time_index=0, name="María Pérez"):
    page.goto(f"{server.url}/book/{PAGE_SLUG}/")
    page.get_by_role("link", name="Español").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pida una cita gratis")
    page.get_by_role("link", name="Empezar").click()
    page.get_by_label("Sí").check()
    page.get_by_role("button", name="Siguiente").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Siguiente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("¿Cuándo es su próxima fecha de corte?")
    page.get_by_role("button", name="No sé").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Elija un día para su cita")
    page.locator(".days a").nth(day_index).click()
    page.locator(".slots label").nth(time_index).click()
    chosen = page.locator(".slots label").nth(time_index).inner_text().strip()
    page.get_by_role("button", name="Siguiente").click()
    page.get_by_label("Su nombre").fill(name)
    page.get_by_label("Su número de teléfono").fill("212 555 0199")
    page.get_by_label("Su correo electrónico (puede dejarlo vacío)").fill("maria@example.org")
    page.get_by_role("button", name="Siguiente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revise y pida la cita")
    return chosen


def test_a_person_books_a_consultation_in_spanish_on_a_phone(browser, server, person_case):
    context, page = _phone(browser)
    try:
        chosen = _to_check(page, server, day_index=1)
        look(page, "person-book-check")
        page.get_by_role("button", name="Pedir esta hora").click()
        expect(page.locator(".box.ok")).to_contain_text("Su cita está lista.")
        expect(page.locator("dl.review")).to_contain_text(chosen)
        look(page, "person-book-confirmed")
        with page.expect_download() as download:
            page.get_by_role("link", name="Ponerla en mi calendario").click()
        ics = Path(download.value.path()).read_text(encoding="utf-8")
        assert "BEGIN:VEVENT" in ics and "STATUS:CONFIRMED" in ics
    finally:
        context.close()
    # The practitioner sees it.
    alice = Session(browser, server, "alice")
    alice.goto("/consultations/")
    expect(alice.page.locator("#booking-list")).to_contain_text("María Pérez")
    alice.close()


def _answer_dont_know_until(page, stop_heading: str, limit: int = 40) -> None:
    for _ in range(limit):
        if page.get_by_role("heading", level=1).inner_text().strip() == stop_heading:
            return
        page.get_by_role("button", name="No sé").click()
    raise AssertionError(f"never reached {stop_heading!r}")


def test_an_invitation_in_spanish_survives_a_closed_browser_then_the_review_accepts_part(
    browser, server, person_case
):
    link = invite(Session(browser, server, "alice"), person_case, "es")

    # First visit: two answers, then the browser closes.
    context, page = _phone(browser)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("le hace unas preguntas")
    assert "/i/" not in page.url, "the token does not stay in the address bar"
    look(page, "person-intake-home")
    page.get_by_role("link", name="Empezar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("¿Tiene un caso en la corte de inmigración?")
    look(page, "person-intake-first")
    page.get_by_label("Sí").check()
    page.get_by_role("button", name="Siguiente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("¿Está detenido por inmigración ahora?")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Siguiente").click()
    resume_at = page.get_by_role("heading", level=1).inner_text().strip()
    context.close()

    # The link again, in a new browser: it resumes where the person stopped.
    context, page = _phone(browser)
    try:
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenido otra vez")
        page.get_by_role("link", name="Seguir").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(resume_at)
        page.locator("#q-proceedings-next-hearing-date").fill("2027-05-20")
        page.get_by_role("button", name="Siguiente").click()
        _answer_dont_know_until(page, "¿Cuál es su fecha de nacimiento?")
        page.locator("#q-identity-date-of-birth").fill("1988-07-14")
        page.get_by_role("button", name="Siguiente").click()
        _answer_dont_know_until(page, "Fotos de sus papeles", limit=60)
        look(page, "person-intake-papers")
        page.get_by_role("link", name=re.compile("Su pasaporte")).click()
        page.locator("#photo").set_input_files(
            {"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": phone_photo_jpeg()}
        )
        page.get_by_role("button", name="Enviar").click()
        expect(page.locator(".box.ok")).to_contain_text("Gracias. Lo recibimos.")
        expect(page.locator("main")).to_contain_text("IMG_0042.jpg")
        look(page, "person-intake-photo")
        page.get_by_role("link", name="Volver a la lista de papeles").click()
        page.get_by_role("link", name="Siguiente: revisar sus respuestas").click()
        expect(page.locator("dl.review")).to_contain_text("14 de julio de 1988")
        expect(page.locator("main")).to_contain_text("IMG_0042.jpg")
        look(page, "person-intake-review")
        page.get_by_role("button", name=re.compile("^Enviar a ")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Gracias. Su equipo legal recibió sus respuestas."
        )

        # The practitioner reviews the difference, accepts part, returns the rest.
        alice = Session(browser, server, "alice")
        ap = alice.page
        alice.goto(f"/cases/{person_case}/intake/")
        ap.locator("#invitation-list a").first.click()
        table = ap.locator("#difference")
        expect(table).to_contain_text("The person says")
        expect(table).to_contain_text("Do you have a case in immigration court?")
        expect(table).to_contain_text("July 14, 1988")
        look(ap, "person-review-difference")
        ap.get_by_role("checkbox", name="Accept: Do you have a case in immigration court?").check()
        ap.get_by_role("checkbox", name="Accept: When is your next court date?").check()
        ap.locator("input[name=file]").first.check()
        ap.locator("#accept-selected").click()
        expect(ap.locator(".messages")).to_contain_text("Accepted 3 item(s)")
        ap.get_by_label("Note to the person (they see it on their link)").fill(
            "Por favor, revise su fecha de nacimiento."
        )
        ap.locator("#return").click()
        expect(ap.locator(".messages")).to_contain_text("Returned")
        expect(ap.locator("#inv-status")).to_have_text("Returned to the person")
        alice.goto(f"/cases/{person_case}/")
        expect(ap.locator("main")).to_contain_text("May 20, 2027")  # the accepted court date is in the case
        alice.goto(f"/cases/{person_case}/evidence/")
        expect(ap.locator("main")).to_contain_text("IMG_0042.jpg")
        alice.close()

        # The person sees the note, and the accepted answers are locked.
        page.goto(server.url + "/intake/")
        expect(page.locator("main")).to_contain_text("Por favor, revise su fecha de nacimiento.")
        look(page, "person-intake-returned")
        page.get_by_role("link", name="Seguir").click()
        expect(page.get_by_role("heading", level=1)).not_to_have_text(
            "¿Tiene un caso en la corte de inmigración?"
        )
    finally:
        context.close()


def test_two_people_booking_the_same_time_at_once_make_one_booking(browser, server, person_case):
    a, pa = _phone(browser)
    b, pb = _phone(browser)
    try:
        first = _to_check(pa, server, day_index=3, time_index=2, name="Persona Uno")
        second = _to_check(pb, server, day_index=3, time_index=2, name="Persona Dos")
        assert first == second
        # Both press "book" before either answer comes back.
        pa.get_by_role("button", name="Pedir esta hora").click(no_wait_after=True)
        pb.get_by_role("button", name="Pedir esta hora").click(no_wait_after=True)
        pa.wait_for_load_state("load")
        pb.wait_for_load_state("load")
        texts = [pa.locator("main").inner_text(), pb.locator("main").inner_text()]
        booked = [t for t in texts if "Su cita está lista." in t]
        taken = [t for t in texts if "Otra persona acaba de tomar esa hora" in t]
        assert len(booked) == 1 and len(taken) == 1, texts
    finally:
        a.close()
        b.close()
    alice = Session(browser, server, "alice")
    alice.goto("/consultations/")
    rows = alice.page.locator("#booking-list tbody tr").filter(has_text=re.compile("Persona (Uno|Dos)"))
    expect(rows).to_have_count(1)
    alice.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_client_page_is_light_local_and_axe_clean(browser, server, person_case, lang):
    link = invite(Session(browser, server, "alice"), person_case, lang)
    results: list[Figures] = []
    walk(browser, server, lang=lang, invitation=link, results=results)
    assert len(results) >= 30
    problems = []
    for f in results:
        if f.html_bytes > HTML_LIMIT:
            problems.append(f"{f.name}: {f.html_bytes} bytes of HTML")
        if f.third_party:
            problems.append(f"{f.name}: requests to other hosts {f.third_party}")
        if f.violations:
            problems.append(f"{f.name}: axe {f.violations}")
    assert not problems, "\n".join(problems)
