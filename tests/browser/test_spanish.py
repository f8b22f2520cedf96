"""A Spanish-speaking patient, on a phone whose browser asks for Spanish: registers, checks in, fills
in the PHQ-9 as the official Spanish form words it, meets the support card after writing crisis
words, and reads how long relief lasts, all in Spanish. Each page passes axe (nothing serious or
critical) and fits 375 px without scrolling sideways (Spanish runs longer than English)."""
import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from helpers import four_rounds_of_relief

from .test_accessibility import check_page
from .test_trends import post_json

pytestmark = pytest.mark.browser
_emails = (f"paciente{n}@example.com" for n in itertools.count())
# The official PHQ-9, Spanish for the USA (diary/insights/questionnaires.py cites it).
PHQ9_ITEM_1 = "Poco interés o placer en hacer cosas"
ANSWERS = ("Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días")


@pytest.fixture
def telefono(browser):
    """A 375 px phone in Chicago whose browser asks for Spanish (Accept-Language: es-US)."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, timezone_id="America/Chicago",
                                  locale="es-US", has_touch=True, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


def registrarse(page, live_server, problems):
    page.goto(live_server + "/register")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Crear una cuenta"
    check_page(page, "es-register", problems)
    page.get_by_label("una persona que lleva su propio diario").check()
    page.get_by_label("Su nombre").fill("Ana")
    page.get_by_label("Correo electrónico").fill(next(_emails))
    page.get_by_label("Contraseña").fill("a long enough password")
    page.get_by_role("button", name="Crear cuenta").click()
    page.wait_for_url(live_server + "/")


def test_a_spanish_speaking_patient_from_registering_to_relief(telefono, live_server):
    page, problems = telefono, []
    registrarse(page, live_server, problems)
    assert page.locator("html").get_attribute("lang") == "es"
    check_page(page, "es-today", problems)

    # A check-in, saved without a reload: the confirmation in Spanish.
    page.locator("label.scale-option", has_text="6").first.click()
    page.get_by_label("Nota").fill("Una mañana difícil, más tranquila por la tarde.")
    page.get_by_role("button", name="Guardar registro").click()
    page.get_by_role("status").filter(has_text="Registro guardado.").wait_for()
    day = dt.datetime.now(ZoneInfo("America/Chicago")).date()
    weekday = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")[day.weekday()]
    assert f"{weekday} {day.day}" in page.locator("article.entry").inner_text()

    # The PHQ-9 in the official Spanish, character for character.
    page.goto(live_server + "/assessments/new?instrument=phq9")
    assert page.locator("#item_1 legend, #item_1 .question").first.inner_text().strip().endswith(PHQ9_ITEM_1)
    check_page(page, "es-phq9", problems)
    for n, value in enumerate((1, 1, 0, 0, 0, 0, 0, 0, 0), start=1):
        page.locator(f"#item_{n} label.answer", has_text=ANSWERS[value]).click()
    page.get_by_role("button", name="Ver mi puntuación").click()
    page.wait_for_url("**/assessments/*")
    assert page.locator(".score-big").inner_text().split() == ["2", "de", "27"]
    check_page(page, "es-phq9-result", problems)

    # Crisis words, in Spanish: the support card, in Spanish, the Spanish line first.
    page.goto(live_server + "/")
    page.locator("label.scale-option", has_text="7").first.click()
    page.get_by_label("Nota").fill("a veces quiero morir")
    page.get_by_role("button", name="Guardar registro").click()
    card = page.locator("main .support-card")
    card.wait_for()
    text = card.inner_text()
    assert "No tiene que cargar con esto a solas." in text and "If you might act" not in text
    assert text.index("988 Lifeline en español") < text.index("988 Suicide & Crisis Lifeline (US)")
    check_page(page, "es-support-card", problems)

    # Four rounds of treatment with check-ins between: Trends answers in Spanish, with a date.
    today = dt.datetime.now(ZoneInfo("America/Chicago")).date()

    def check_in(days_ago, anxiety):
        date = (today - dt.timedelta(days=days_ago)).isoformat()
        assert post_json(page, "/api/v1/entries", {"date": date, "anxiety": anxiety}) == 201

    def log_session(days_ago):
        date = (today - dt.timedelta(days=days_ago)).isoformat()
        assert post_json(page, "/api/v1/sessions", {"date": date, "treatment": "iv_ketamine",
                                                    "anxiety_before": 7, "anxiety_after": 3}) == 201
    four_rounds_of_relief(check_in, log_session, last_ago=1)
    page.goto(live_server + "/trends")
    answer = page.locator("#answer-title").inner_text()
    assert answer.startswith("El alivio suele durar aproximadamente ") and answer.endswith(" días")
    sentence = page.locator("#answer-title + p").inner_text()
    assert "su última sesión del" in sentence and "podría empezar a disminuir" in sentence
    check_page(page, "es-trends", problems)
    assert problems == []
