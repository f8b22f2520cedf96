"""Crisis language as people really write it, through the app: every phrase a review found passing
silently now shows the support card and raises the clinic's flag (a shared record), through the
API and the Today form, in English and Spanish; the near misses show nothing. The detector itself
is measured on a corpus in tests/insights/test_crisis_corpus.py."""
import datetime as dt
import re

import pytest
from helpers import share, today_iso, user_id

# Each passed silently before ("support": null, no flag).
FOUND = [
    "me quiero matar. suicdal again. kms",
    "quiero morir",
    "no quiero vivir",
    "pensamientos suicidas",
    "suicidle",
    "want to kil myself",
    "never wake up",
    "took too many pills on purpose",
    "OD'd",
    "I've been cutting again",
    "jumping off the bridge",
    "planning my death",
    "writing goodbye letters",
    "I keep thinking about ending it",
]
NEAR_MISSES = [
    "killing it at work",
    "dying to see it",
    "a deadline killing me",
    "watched the Suicide Squad film",
    "my grandmother died",
    "cut myself chopping onions",
    "my self-esteem is better",
    "overdosed on coffee",
]


@pytest.fixture
def care(patient, provider):
    share(patient, provider, "full")
    return {"patient": patient, "provider": provider, "patient_id": user_id(patient)}


def safety_of(provider):
    [row] = provider.get("/api/v1/patients").get_json()["patients"]
    return row["safety"]


def shown(html):
    return re.sub(r"<template\b.*?</template>", "", html, flags=re.S)


@pytest.mark.parametrize("note", FOUND)
def test_through_the_api_the_card_and_the_flag(care, note):
    response = care["patient"].post("/api/v1/entries", json={"date": today_iso(), "anxiety": 4, "note": note})
    assert response.status_code == 201
    assert response.get_json()["support"] == {"reason": "crisis_language"}
    assert safety_of(care["provider"])["reason"] == "Crisis language in a check-in"


@pytest.mark.parametrize("note", FOUND)
def test_through_the_today_form_the_card_and_the_flag(care, note):
    patient = care["patient"]
    assert patient.post("/", data={"date": today_iso(), "anxiety": "4", "note": note}).status_code == 302
    html = shown(patient.get("/").get_data(as_text=True))
    assert 'data-support-reason="crisis_language"' in html, note
    assert safety_of(care["provider"])["reason"] == "Crisis language in a check-in"


@pytest.mark.parametrize("trigger", ["wanna die", "unalive", "sewerslide", "not be here anymore", "kms"])
def test_a_trigger_name_in_slang_shows_the_card(care, trigger):
    body = care["patient"].post("/api/v1/entries", json={"date": today_iso(), "anxiety": 3, "triggers": [trigger]})
    assert body.get_json()["support"] == {"reason": "crisis_language"}
    assert safety_of(care["provider"]) is not None


def test_a_reflection_about_ending_it_shows_the_card(care):
    session = {"date": today_iso(), "treatment": "iv_ketamine", "anxiety_before": 7, "anxiety_after": 3,
               "reflection": "I keep thinking about ending it"}
    body = care["patient"].post("/api/v1/sessions", json=session).get_json()
    assert body["support"] == {"reason": "crisis_language"}
    assert safety_of(care["provider"])["reason"] == "Crisis language in a session reflection"


@pytest.mark.parametrize("note", NEAR_MISSES)
def test_near_misses_show_no_card_and_raise_no_flag(care, note):
    body = care["patient"].post("/api/v1/entries", json={"date": today_iso(), "anxiety": 4, "note": note}).get_json()
    assert body["support"] is None
    assert care["patient"].post("/", data={"date": today_iso(), "anxiety": "4", "note": note}).status_code == 302
    assert "data-support-reason" not in shown(care["patient"].get("/").get_data(as_text=True))
    assert safety_of(care["provider"]) is None


def test_a_private_crisis_note_shows_the_card_but_tells_the_clinic_nothing(care):
    body = care["patient"].post("/api/v1/entries", json={"date": today_iso(), "anxiety": 4, "note": "quiero morir",
                                                         "private": True}).get_json()
    assert body["support"] == {"reason": "crisis_language"}
    assert safety_of(care["provider"]) is None


# --- "scores only" keeps its promise ---------------------------------------------------------

WITHHELD = "(words not shown)"


def scores_only(patient, provider):
    share(patient, provider, "scores")
    return user_id(patient)


def days_ago(n):
    return (dt.date.today() - dt.timedelta(days=n)).isoformat()


def provider_reads(provider, pid):
    """Everything a provider can read about the patient: pages, the CSV, the API."""
    paths = ("/provider/", f"/provider/patients/{pid}", f"/provider/patients/{pid}?range=all", "/api/v1/patients",
             f"/api/v1/patients/{pid}/entries", f"/api/v1/patients/{pid}/trends",
             f"/api/v1/patients/{pid}/trends?range=all", f"/provider/patients/{pid}/export/entries.csv")
    return {path: provider.get(path).get_data(as_text=True) for path in paths}


def test_a_trigger_in_crisis_words_is_never_shown_by_name_under_scores_only(patient, provider):
    pid = scores_only(patient, provider)
    # Six days with "wanna die" and six without, so Trends has enough to say what the trigger does.
    for n in range(12):
        triggers = ["wanna die", "work"] if n % 2 else ["work"]
        body = patient.post("/api/v1/entries", json={"date": days_ago(n), "anxiety": 7 if n % 2 else 3,
                                                     "triggers": triggers}).get_json()
        assert body["support"] == ({"reason": "crisis_language"} if n % 2 else None)
    for path, body in provider_reads(provider, pid).items():
        assert "wanna die" not in body.casefold(), path
    entries = provider.get(f"/api/v1/patients/{pid}/entries").get_json()["entries"]
    assert {tuple(e["triggers"]) for e in entries} == {("work",), (WITHHELD, "work")}
    trends = provider.get(f"/api/v1/patients/{pid}/trends").get_json()
    assert WITHHELD in {t["name"] for t in trends["triggers"]}
    csv_text = provider.get(f"/provider/patients/{pid}/export/entries.csv").get_data(as_text=True)
    assert f"work; {WITHHELD}" in csv_text or f"{WITHHELD}; work" in csv_text
    page = provider.get(f"/provider/patients/{pid}").get_data(as_text=True)
    assert WITHHELD in page and "Safety alert" in page
    # The flag says that it happened, as for notes.
    assert safety_of(provider)["reason"] == "Crisis language in a check-in"
    # The patient's own views keep their words.
    assert "wanna die" in patient.get("/api/v1/entries").get_data(as_text=True)


def test_under_a_full_share_the_trigger_is_shown_as_written(patient, provider):
    share(patient, provider, "full")
    patient.post("/api/v1/entries", json={"date": today_iso(), "anxiety": 6, "triggers": ["wanna die"]})
    pid = user_id(patient)
    assert provider.get(f"/api/v1/patients/{pid}/entries").get_json()["entries"][0]["triggers"] == ["wanna die"]


def test_no_other_words_reach_a_scores_only_provider(patient, provider):
    """Notes, reflections and the safety plan (the fields of a patient's own words): none of them
    under "scores only", on any page, CSV or API. Questionnaires hold no free text (answers only)."""
    pid = scores_only(patient, provider)
    patient.post("/api/v1/entries", json={"date": today_iso(), "anxiety": 5, "note": "quiero morir hoy"})
    patient.post("/api/v1/sessions", json={"date": today_iso(), "treatment": "iv_ketamine", "anxiety_before": 7,
                                           "anxiety_after": 3, "reflection": "planning my death again"})
    patient.put("/api/v1/safety-plan", json={"warning_signs": "the bridge on Elm Street"})
    answers = patient.post("/api/v1/assessments", json={"instrument": "phq9", "date": today_iso(),
                                                        "answers": [1] * 9}).get_json()
    assert set(answers) <= {"id", "instrument", "date", "answers", "total", "severity", "difficulty", "private",
                            "created_at", "updated_at", "support", "item9"}
    for path, body in provider_reads(provider, pid).items():
        for words in ("quiero morir", "planning my death", "Elm Street"):
            assert words not in body, (path, words)
