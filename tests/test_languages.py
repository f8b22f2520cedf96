"""English and Spanish: who reads which, and what changes with it (docs/TRANSLATING.md).

The language is the account's, chosen at registration (the browser's Accept-Language unless the
form says) and on Account; before logging in, the switch's cookie or the browser's. Pages,
messages, dates, questionnaires, the support card, reminders and the relief answer follow it;
CSV columns, JSON keys, enumerations and what people wrote never do."""
import csv
import datetime as dt
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
from helpers import PASSWORD, four_rounds_of_relief, share
from push_service import PushService

from diary.config import crisis_contacts

SPANISH = {"Accept-Language": "es-US,es;q=0.9,en;q=0.5"}
LONDON = ZoneInfo("Europe/London")


def today():
    return dt.datetime.now(LONDON).date()


def ago(days):
    return (today() - dt.timedelta(days=days)).isoformat()


def register(client, email="ana@example.com", headers=None, **fields):
    response = client.post("/register", headers=headers or {}, data={
        "email": email, "password": PASSWORD, "role": "patient", "display_name": "Ana",
        "timezone": "Europe/London", **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def paciente(client):
    """A patient who registered from a browser asking for Spanish."""
    register(client, headers=SPANISH)
    return client


def html_lang(page):
    return re.search(r'<html lang="([a-z]+)">', page).group(1)


# --- Choosing the language --------------------------------------------------------------------

def test_registration_takes_the_browsers_language(client):
    page = client.get("/register", headers=SPANISH).get_data(as_text=True)
    assert html_lang(page) == "es" and "Crear una cuenta" in page
    # The language field starts at the browser's.
    assert re.search(r'<option value="es" lang="es"\s+selected>Español</option>', page)
    register(client, headers=SPANISH)
    # From now on the account decides, whatever the browser asks.
    assert client.get("/api/v1/me").get_json()["language"] == "es"
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_lang(page) == "es" and "Hoy" in page


def test_a_browser_asking_for_english_or_nothing_gets_english(client):
    for headers in ({}, {"Accept-Language": "en-GB,en;q=0.9"}, {"Accept-Language": "fr-FR,fr;q=0.9"}):
        page = client.get("/login", headers=headers).get_data(as_text=True)
        assert html_lang(page) == "en" and "<h1>Log in</h1>" in page
    register(client, headers={"Accept-Language": "fr"})
    assert client.get("/api/v1/me").get_json()["language"] == "en"


def test_the_form_choice_beats_the_browser(client):
    register(client, headers=SPANISH, language="en")
    assert client.get("/api/v1/me").get_json()["language"] == "en"


def test_the_switch_before_logging_in_is_kept_and_becomes_the_accounts(client):
    page = client.get("/login").get_data(as_text=True)
    # The switch names the other language in itself, and comes back to the page it was on.
    assert 'name="language" value="es" lang="es"' in page and ">Español</button>" in page
    response = client.post("/language", data={"language": "es", "next": "/register"})
    assert response.status_code == 303 and response.headers["Location"] == "/register"
    assert "lang=es" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    page = client.get("/register", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_lang(page) == "es" and ">English</button>" in page
    register(client)
    assert client.get("/api/v1/me").get_json()["language"] == "es"


def test_a_wrong_language_or_a_foreign_next_changes_nothing(client):
    response = client.post("/language", data={"language": "fr"}, headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"language": ["Must be one of: en, es."]}}
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]
    response = client.post("/language", data={"language": "es", "next": "https://elsewhere.example/"})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_account_changes_the_language_and_logged_in_switch_too(patient):
    assert patient.get("/api/v1/me").get_json()["language"] == "en"
    response = patient.post("/account/profile", data={"display_name": "Pat", "timezone": "Europe/London",
                                                      "language": "es"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert html_lang(page) == "es" and "Perfil guardado." in page
    assert patient.get("/api/v1/me").get_json()["language"] == "es"
    response = patient.post("/account/profile", data={"display_name": "Pat", "timezone": "Europe/London",
                                                      "language": "de"})
    assert response.status_code == 422 and patient.get("/api/v1/me").get_json()["language"] == "es"
    patient.post("/language", data={"language": "en", "next": "/account"})
    assert patient.get("/api/v1/me").get_json()["language"] == "en"


# --- What a Spanish reader reads --------------------------------------------------------------

def test_dates_are_in_the_readers_language(paciente):
    day = today() - dt.timedelta(days=1)
    assert paciente.post("/api/v1/entries", json={"date": day.isoformat(), "anxiety": 4}).status_code == 201
    page = paciente.get("/history").get_data(as_text=True)
    weekday = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")[day.weekday()]
    month = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic")[day.month - 1]
    # es_US writes September "sep"; the others are the same in every Spanish.
    month = "sep" if day.month == 9 else month
    assert f">{weekday} {day.day} {month}<" in page.replace("</time>", "<")


def test_validation_messages_are_spanish_and_keys_stay_english(paciente):
    response = paciente.post("/api/v1/entries", json={"date": ago(0), "anxiety": 11})
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"anxiety": ["Debe ser un número entero del 0 al 10."]}}
    page = paciente.post("/", data={"date": ago(0), "note": "sin número"}).get_data(as_text=True)
    assert "Elija un número del 0 al 10." in page


def test_the_phq9_reads_as_the_official_spanish_form_and_its_fhir_says_so(paciente):
    page = paciente.get("/assessments/new?instrument=phq9").get_data(as_text=True)
    assert "Poco interés o placer en hacer cosas" in page
    assert "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?" in page
    assert ("¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario – muy "
            "inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo normal") in page
    for answer in ("Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días"):
        assert answer in page
    response = paciente.post("/api/v1/assessments", json={"instrument": "phq9", "date": ago(0),
                                                          "answers": [1, 1, 0, 0, 0, 0, 0, 0, 0]})
    assert response.status_code == 201 and response.get_json()["severity"] == "minimal"
    bundle = paciente.get("/export/fhir.json").get_json()
    [answered] = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert answered["language"] == "es-US"
    assert answered["item"][0]["text"] == "Poco interés o placer en hacer cosas"
    # LOINC's codes and display names don't change with the form's language.
    assert answered["item"][0]["answer"][0]["valueCoding"] == {"system": "http://loinc.org", "code": "LA6569-3",
                                                               "display": "Several days"}


def test_an_english_form_stays_english_in_fhir_after_switching(patient):
    assert patient.post("/api/v1/assessments", json={"instrument": "gad7", "date": ago(0),
                                                     "answers": [0] * 7}).status_code == 201
    patient.post("/language", data={"language": "es"})
    bundle = patient.get("/export/fhir.json").get_json()
    [answered] = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert answered["language"] == "en-US"
    assert answered["item"][0]["text"] == "Feeling nervous, anxious or on edge"


def test_crisis_words_bring_the_support_card_in_spanish_with_spanish_help_first(paciente):
    response = paciente.post("/", data={"date": ago(0), "anxiety": "6", "note": "quiero morir"},
                             follow_redirects=True)
    page = response.get_data(as_text=True)
    card = page[page.index('class="support-card'):]
    card = card[:card.index("</section>")]
    assert "988 Lifeline en español" in card
    # The Spanish line before the English one, the emergency sentence in Spanish.
    assert card.index("988 Lifeline en español") < card.index("988 Suicide &amp; Crisis Lifeline (US)")
    assert "911" in card and "If you might act" not in card
    api = paciente.post("/api/v1/entries", json={"date": ago(0), "anxiety": 3, "note": "me quiero matar"})
    support = api.get_json()["support"]
    assert support["reason"] == "crisis_language"


def test_the_relief_answer_in_spanish(paciente):
    def check_in(days_ago, anxiety):
        assert paciente.post("/api/v1/entries", json={"date": ago(days_ago), "anxiety": anxiety}).status_code == 201

    def log_session(days_ago):
        assert paciente.post("/api/v1/sessions", json={"date": ago(days_ago), "treatment": "iv_ketamine",
                                                       "anxiety_before": 7, "anxiety_after": 3}).status_code == 201
    four_rounds_of_relief(check_in, log_session)
    relief = paciente.get("/api/v1/trends?days=all").get_json()["relief"]
    assert relief["status"] == "enough"  # the enumeration stays English
    assert relief["headline"].startswith("El alivio suele durar aproximadamente ")
    page = paciente.get("/trends").get_data(as_text=True)
    assert relief["headline"] in page and "Relief" not in relief["sentence"]
    weekday = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")[(today() - dt.timedelta(days=4)).weekday()]
    assert f"su última sesión del {weekday} " in relief["sentence"]


def test_csv_columns_and_codes_do_not_change_with_the_language(paciente, patient_csv_header):
    response = paciente.post("/api/v1/sessions", json={"date": ago(1), "treatment": "iv_ketamine",
                                                       "anxiety_before": 7, "anxiety_after": 3,
                                                       "side_effects": [{"name": "nausea", "severity": "moderate"}]})
    assert response.status_code == 201, response.get_data(as_text=True)
    text = paciente.get("/export/entries.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == patient_csv_header
    session = dict(zip(rows[0], rows[1]))
    assert session["treatment"] == "iv_ketamine" and session["side_effects"] == "nausea (moderate)"


@pytest.fixture
def patient_csv_header(app):
    other = app.test_client()
    register(other, email="en@example.com")
    return next(csv.reader(io.StringIO(other.get("/export/entries.csv").get_data(as_text=True))))


# --- Reminders and the clinician --------------------------------------------------------------

def test_a_reminder_goes_out_in_the_patients_language(app, paciente, runner):
    with PushService() as push:
        browser = push.browser("ana-phone")
        body = browser.subscription(remind_at="20:00")
        assert paciente.post("/api/v1/push/subscriptions", json=body).status_code == 201
        when = dt.datetime.combine(today(), dt.time(20, 5), tzinfo=LONDON).isoformat()
        result = runner.invoke(args=["send-reminders", "--now", when])
        assert result.exit_code == 0 and "sent 1," in result.output
        assert browser.decrypt(push.received[0]["body"]) == {
            "title": "Diario de síntomas", "body": "Es hora de su registro de hoy.", "url": "/", "tag": "diary-reminder"}


def test_each_clinician_reads_the_same_patient_in_their_own_language(app, paciente, provider):
    share(paciente, provider)
    assert paciente.post("/api/v1/entries", json={"date": ago(0), "anxiety": 9}).status_code == 201
    # The English clinician's view stores the dashboard line; a Spanish one reads it in Spanish.
    english = provider.get("/api/v1/patients").get_json()["patients"][0]
    assert "spike" in english["flags"]
    provider.post("/language", data={"language": "es"})
    page = provider.get("/provider/").get_data(as_text=True)
    day = today()
    weekday = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")[day.weekday()]
    assert f"Registró 9 el {weekday} {day.day}" in page
    assert provider.get("/api/v1/patients").get_json()["patients"][0]["flags"] == english["flags"]


def test_a_clinics_contacts_may_name_their_language(tmp_path, monkeypatch):
    monkeypatch.setenv("DIARY_CRISIS_CONTACTS", '[{"name": "Línea local", "phone": "555 0100", "language": "es"},'
                                                ' {"name": "Local line", "phone": "555 0101", "language": "en"},'
                                                ' {"name": "Clinic", "phone": "555 0102"}]')
    contacts = crisis_contacts.load(tmp_path)
    assert [c["name"] for c in crisis_contacts.for_reader(contacts, "es")] == ["Línea local", "Clinic", "Local line"]
    assert [c["name"] for c in crisis_contacts.for_reader(contacts, "en")] == ["Local line", "Clinic", "Línea local"]
    monkeypatch.setenv("DIARY_CRISIS_CONTACTS", '[{"name": "X", "phone": "555 0100", "language": "fr"}]')
    with pytest.raises(ValueError, match="language"):
        crisis_contacts.load(tmp_path)


# --- Nothing English left on a Spanish reader's pages -----------------------------------------

# Words that are English and not Spanish: one on a Spanish page is a text that bypassed the
# catalog (a template's or Python's). What people wrote here is Spanish, so none of it matches.
ENGLISH = {"the", "and", "your", "you", "with", "days", "from", "this", "that", "have", "has", "been", "after",
           "before", "about", "check-in", "check-ins", "session", "sessions", "anxiety", "week", "will", "when",
           "what", "which", "than", "there", "their", "would", "could", "every", "never", "please", "save",
           "delete", "edit", "log", "trigger", "triggers", "relief", "today", "yesterday", "score", "scores",
           "share", "shared", "sharing", "patient", "patients", "note", "notes", "private", "average", "mild",
           "moderate", "severe", "minimal", "none", "nothing", "back", "last", "first", "next", "more", "less",
           "day", "of", "on", "in", "for", "is", "are", "was", "it", "by", "at", "or", "an"}
# Shown as their services name themselves (an English-speaking line, on every reader's card), or
# not words of either language.
AS_NAMED = ("988 Suicide &amp; Crisis Lifeline (US)", "988 Suicide & Crisis Lifeline (US)", "Call or text, any time, free.",
            "Samaritans (UK and Ireland)", "Call any time, free.", "Kaplan–Meier", "findahelpline.com")


def visible_words(page):
    """The text a reader sees or hears on ``page``: without scripts, styles, the time-zone list (zone
    names), e-mail addresses and the contacts named as their services name themselves."""
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>|<select id=\"timezone\".*?</select>", " ", page, flags=re.S)
    spoken = " ".join(re.findall(r'(?:title|aria-label|placeholder|alt|data-label)="([^"]*)"', page))
    text = re.sub(r"<[^>]+>", " ", page) + " " + spoken
    for name in AS_NAMED:
        text = text.replace(name, " ")
    return re.sub(r"\S+@\S+", " ", text)


def english_on(page):
    """Each English word on ``page`` with the words around it (what the failure shows)."""
    text = " ".join(visible_words(page).split())
    return sorted({text[max(0, m.start() - 50):m.end() + 30] for m in re.finditer(r"(?<![\w/-])[^\W\d_][\w-]*", text)
                   if m.group().lower() in ENGLISH})


def test_no_english_on_a_spanish_readers_pages(app, paciente):
    """Every page of a Spanish-speaking patient with a full diary, and of a Spanish-speaking
    clinician they share with, read in Spanish."""
    from helpers import enrol

    for d in range(40, -1, -1):
        assert paciente.post("/api/v1/entries", json={
            "date": ago(d), "anxiety": (2, 7, 4, 9, 3)[d % 5], "time": "08:30",
            "triggers": ["trabajo"] if d % 2 else ["familia"], "note": "un día largo"}).status_code == 201
    for d in (30, 20, 10, 3):
        assert paciente.post("/api/v1/sessions", json={
            "date": ago(d), "treatment": "iv_ketamine", "anxiety_before": 7, "anxiety_after": 3, "time": "10:00",
            "dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": 70, "reflection": "me sentí en calma",
            "side_effects": [{"name": "nausea", "severity": "moderate", "hours": 2}, "dissociation"],
            "bp_before_systolic": 128, "bp_before_diastolic": 82, "bp_after_systolic": 141,
            "bp_after_diastolic": 90}).status_code == 201
    for d, answers in ((35, [2, 2, 2, 1, 1, 1, 1]), (1, [0, 1, 0, 1, 0, 0, 0])):
        assert paciente.post("/api/v1/assessments", json={"instrument": "gad7", "date": ago(d),
                                                          "answers": answers}).status_code == 201
    phq = paciente.post("/api/v1/assessments", json={"instrument": "phq9", "date": ago(2),
                                                     "answers": [2, 2, 2, 2, 2, 2, 2, 2, 1]}).get_json()
    paciente.post("/safety-plan", data={"warning_signs": "no duermo", "reasons_for_living": "mi hija"})
    session_id = paciente.get("/api/v1/sessions").get_json()["sessions"][0]["id"]
    entry_id = paciente.get("/api/v1/entries").get_json()["entries"][0]["id"]

    doctor = app.test_client()
    register(doctor, email="dra@example.com", headers=SPANISH, role="provider")
    enrol(app, "dra@example.com")
    share(paciente, doctor)
    patient_id = paciente.get("/api/v1/me").get_json()["id"]

    pages = {paciente: ["/", "/history", "/triggers", "/sessions/", f"/sessions/{session_id}/edit",
                        f"/entries/{entry_id}/edit", "/trends", "/trends?range=30d", "/trends?range=1y", "/report",
                        "/assessments/", f"/assessments/{phq['id']}", "/assessments/new?instrument=phq9",
                        "/safety-plan", "/support", "/care-team", "/account", "/offline"],
             doctor: ["/provider/", f"/provider/patients/{patient_id}", "/provider/outcomes", "/account"]}
    # The check sees English where there is some (an English reader's login page).
    assert english_on(app.test_client().get("/login").get_data(as_text=True))
    found = {}
    for client, paths in pages.items():
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            words = english_on(response.get_data(as_text=True))
            if words:
                found[path] = words
    # And what the page scripts will show (their words come with every page, diary/web/js_words.py).
    page = paciente.get("/").get_data(as_text=True)
    scripts = json.loads(re.search(r'<script type="application/json" id="diary-words">(.*?)</script>', page, re.S).group(1))
    texts = " ".join(" ".join(v) if isinstance(v, list) else v for v in scripts.values())
    words = english_on(re.sub(r"%\(\w+\)(?:\.\d+)?[sdf]", " ", texts))  # the placeholders the scripts fill
    if words:
        found["scripts' words"] = words
    assert found == {}


def test_deleting_an_account_asks_for_the_word_in_the_readers_language(app, paciente):
    page = paciente.get("/account/delete").get_data(as_text=True)
    assert "Escriba &#34;eliminar&#34; para confirmar" in page or 'Escriba "eliminar" para confirmar' in page
    response = paciente.post("/account/delete", data={"password": PASSWORD, "confirmation": "borrar"})
    assert response.status_code == 422 and "Escriba &#34;eliminar&#34; para confirmar." in response.get_data(as_text=True)
    response = paciente.post("/account/delete", data={"password": PASSWORD, "confirmation": "Eliminar"})
    assert response.status_code == 302
    # The English word works too, whatever the language.
    other = app.test_client()
    register(other, email="luz@example.com", headers=SPANISH)
    assert other.post("/account/delete", data={"password": PASSWORD, "confirmation": "delete"}).status_code == 302


# --- Found in review: each test failed before its fix -------------------------------------------

def test_the_validation_librarys_own_messages_are_spanish_too(paciente):
    """marshmallow's own messages (an unknown field, a missing one, a malformed id) and a length
    limit's, not only the app's."""
    response = paciente.post("/api/v1/sessions", json={"date": ago(0), "bogus": 1, "anxiety_before": 7,
                                                       "anxiety_after": 3})
    errors = response.get_json()["errors"]
    assert response.status_code == 422 and set(errors) == {"bogus", "treatment"}
    assert errors["bogus"] == ["Campo desconocido."] and errors["treatment"] == ["Falta este dato obligatorio."]
    response = paciente.post("/api/v1/entries", json={"id": "not-a-uuid", "date": ago(0), "anxiety": 3})
    assert response.get_json()["errors"]["id"] == ["No es un UUID válido."]
    paciente.post("/logout")  # the login form, in the language this browser keeps
    response = paciente.post("/login", data={"email": "x" * 300 + "@example.com", "password": "p"})
    assert "Debe tener como máximo 254 caracteres." in response.get_data(as_text=True)


def test_a_logged_out_page_keeps_the_accounts_language(client):
    register(client, headers=SPANISH)
    client.post("/logout")
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_lang(page) == "es"


def test_a_backslashed_next_is_not_followed(client):
    for target in ("//elsewhere.example/", "/\\elsewhere.example", "/\t/elsewhere.example"):
        response = client.post("/language", data={"language": "es", "next": target})
        assert response.headers["Location"] == "/", target


def test_pages_that_change_with_the_language_say_so_to_caches(client):
    for path in ("/login", "/offline", "/manifest.webmanifest", "/sw.js"):
        response = client.get(path)
        assert "Accept-Language" in response.headers.get("Vary", ""), path


def test_a_phq9_signal_reads_in_english_whatever_the_request(app):
    from diary.services import safety
    from diary.web import i18n

    event = {"source": "assessment", "reason": "phq9_item9", "detail": "several days", "date": ago(0),
             "raised_at": "2026-12-01T10:00:00.000Z"}
    with app.test_request_context(), i18n.speaking("es"):
        said = safety.explain(event)
        assert "“varios días”" in str(said)  # the reader's words, inside a Spanish request
        assert "“several days”" in said.english() and "varios" not in said.english()


def test_a_stored_message_keeps_its_day_only_dates_and_context():
    from diary.messages import DayOnly, Msg, context_msg, msg

    day = dt.date(2026, 12, 9)
    message = msg("between %(first)s and %(last)s", first=DayOnly(day), last=day,
                  severity=context_msg("side effect", "moderate"))
    import json as json_module
    again = Msg.from_json(json_module.loads(json_module.dumps(message.to_json())))
    assert again == message and again.args["first"] == DayOnly(day) and again.args["severity"].context == "side effect"


def test_a_questionnaire_keeps_the_language_of_the_form_it_was_answered_on(paciente):
    """Shown in Spanish, sent after the account switched to English (another tab): still Spanish."""
    page = paciente.get("/assessments/new?instrument=gad7").get_data(as_text=True)
    assert 'name="form_language" value="es"' in page
    paciente.post("/language", data={"language": "en"})
    response = paciente.post("/assessments/new?instrument=gad7", data={
        **{f"item_{n}": "0" for n in range(1, 8)}, "date": ago(0), "form_language": "es",
        "id": "7b0e7d4c-4f5e-4a43-9f57-2f1a3f0d6a11"})
    assert response.status_code == 302, response.get_data(as_text=True)
    bundle = paciente.get("/export/fhir.json").get_json()
    [answered] = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert answered["language"] == "es-US"
