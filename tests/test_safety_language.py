"""Crisis language as people really write it, through the app: every phrase a review found passing
silently now shows the support card and raises the clinic's flag (a shared record), through the
API and the Today form, in English and Spanish; the near misses show nothing. The detector itself
is measured on a corpus in tests/insights/test_crisis_corpus.py."""
import datetime as dt
import re

import pytest
from helpers import share, user_id

TODAY = dt.date.today().isoformat()

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
    response = care["patient"].post("/api/v1/entries", json={"date": TODAY, "anxiety": 4, "note": note})
    assert response.status_code == 201
    assert response.get_json()["support"] == {"reason": "crisis_language"}
    assert safety_of(care["provider"])["reason"] == "Crisis language in a check-in"


@pytest.mark.parametrize("note", FOUND)
def test_through_the_today_form_the_card_and_the_flag(care, note):
    patient = care["patient"]
    assert patient.post("/", data={"date": TODAY, "anxiety": "4", "note": note}).status_code == 302
    html = shown(patient.get("/").get_data(as_text=True))
    assert 'data-support-reason="crisis_language"' in html, note
    assert safety_of(care["provider"])["reason"] == "Crisis language in a check-in"


@pytest.mark.parametrize("trigger", ["wanna die", "unalive", "sewerslide", "not be here anymore", "kms"])
def test_a_trigger_name_in_slang_shows_the_card(care, trigger):
    body = care["patient"].post("/api/v1/entries", json={"date": TODAY, "anxiety": 3, "triggers": [trigger]})
    assert body.get_json()["support"] == {"reason": "crisis_language"}
    assert safety_of(care["provider"]) is not None


def test_a_reflection_about_ending_it_shows_the_card(care):
    session = {"date": TODAY, "treatment": "iv_ketamine", "anxiety_before": 7, "anxiety_after": 3,
               "reflection": "I keep thinking about ending it"}
    body = care["patient"].post("/api/v1/sessions", json=session).get_json()
    assert body["support"] == {"reason": "crisis_language"}
    assert safety_of(care["provider"])["reason"] == "Crisis language in a session reflection"


@pytest.mark.parametrize("note", NEAR_MISSES)
def test_near_misses_show_no_card_and_raise_no_flag(care, note):
    body = care["patient"].post("/api/v1/entries", json={"date": TODAY, "anxiety": 4, "note": note}).get_json()
    assert body["support"] is None
    assert care["patient"].post("/", data={"date": TODAY, "anxiety": "4", "note": note}).status_code == 302
    assert "data-support-reason" not in shown(care["patient"].get("/").get_data(as_text=True))
    assert safety_of(care["provider"]) is None


def test_a_private_crisis_note_shows_the_card_but_tells_the_clinic_nothing(care):
    body = care["patient"].post("/api/v1/entries", json={"date": TODAY, "anxiety": 4, "note": "quiero morir",
                                                         "private": True}).get_json()
    assert body["support"] == {"reason": "crisis_language"}
    assert safety_of(care["provider"]) is None
