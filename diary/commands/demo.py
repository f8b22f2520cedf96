"""A plausible demo diary: a patient through a course of IV ketamine, and their provider.

Deterministic (fixed seed) so screenshots and demos look the same each time.
"""
import datetime as dt
import math
import random
from collections.abc import Iterator

from flask import current_app
from sqlite_utils import Database

from ..security import otp, passwords
from ..services import records, safety, two_factor
from ..store import entries as entries_store
from ..store import mfa as mfa_store
from ..store import safety as safety_store
from ..store import sessions as sessions_store
from ..store import sharing as sharing_store
from ..store import users as users_store
from ..timeutil import today_in

PATIENT = {"email": "demo.patient@example.com", "password": "demo-patient-2026",
           "display_name": "Alex (demo)", "timezone": "America/Chicago"}
PROVIDER = {"email": "demo.provider@example.com", "password": "demo-provider-2026",
            "display_name": "Dr. Rivera (demo)", "timezone": "America/Chicago"}
DAYS = 120

# Extra anxiety a trigger brings on a day it is present, and how often it shows up.
TRIGGERS = {"work": (1.2, 0.45), "sleep": (1.6, 0.25), "social": (0.8, 0.2), "caffeine": (0.5, 0.3),
            "family": (0.9, 0.15), "news": (0.4, 0.2), "exercise": (-0.8, 0.2)}
# Days (from the start of the diary) of the course: six infusions over three weeks, then boosters;
# the last one six days before today, so Trends has a window ahead to show.
SESSION_DAYS = (30, 33, 37, 40, 44, 47, 72, 95, 113)
REFLECTIONS = (
    "Felt like floating above the worry for a while. Want to remember how small the work stuff looked.",
    "Harder one. Some nausea at the start, then a lot of memories of my dad. Cried afterwards, felt lighter.",
    "Noticed I could think about the deadline without my chest tightening. Talked to my therapist about it.",
    "Mostly calm and a bit dissociated. The music helped. Tomorrow I'll try the breathing exercise again.",
    "Time felt strange. Afterwards I slept 9 hours, first time in weeks.",
    "Less dramatic than the first ones, but a steady quiet afterwards. Good session.",
    "Booster. The anxiety had been creeping back; this reset it a bit.",
    "Booster. Shorter and gentler. I want to keep logging my sleep, it clearly matters.",
    "Booster before the holidays. Calm afterwards; booked the next one for the new year.",
)
# Side effects as the reflections tell them (name, severity, hours): strongest early in the course.
SIDE_EFFECTS = (
    (("dissociation", "moderate", 2), ("altered_time_perception", "mild", 2)),
    (("nausea", "moderate", 1), ("dissociation", "moderate", 2)),
    (("dizziness", "mild", 1), ("dissociation", "mild", 1.5)),
    (("dissociation", "moderate", 2),),
    (("altered_time_perception", "moderate", 3), ("headache", "mild", 4)),
    (("dissociation", "mild", 1),),
    (("dissociation", "mild", 1),),
    (("dizziness", "mild", 0.5),),
    (("dissociation", "mild", 1),),
)
NOTES = ("", "", "", "Long day.", "Slept badly.", "Walk at lunch helped.", "Busy at work.",
         "Quiet evening.", "Argument with my sister.", "Felt okay today.", "Too much coffee.")


# The course as it felt: (first day, last day) of each series of sessions and how many days the
# relief held after its last session before anxiety climbed back over about two days.
SERIES = ((30, 47, 9), (72, 72, 8), (95, 95, 9), (113, 113, 9))
PRE_TREATMENT = 6.6   # anxiety before treatment (triggers add about 1.3 on top, on average)
RELIEF_DEPTH = 4.0


def _expected_anxiety(day: int) -> float:
    """Before treatment ~6.6; each series brings anxiety down by ~4 while it holds, then it comes
    back over about two days; psychotherapy lowers the level slowly (~1 point over the course)."""
    level = PRE_TREATMENT - 1.0 * min(1, max(0, day - SERIES[0][0]) / 80)
    relief = 0.0
    for first, last, holds in SERIES:
        if day < first:
            continue
        if day <= last:
            depth = RELIEF_DEPTH * min(1, (day - first + 1) / 3)  # the first infusions build on each other
        elif day - last <= holds:
            depth = RELIEF_DEPTH
        else:
            depth = RELIEF_DEPTH * math.exp(-(day - last - holds) / 1.2)
        relief = max(relief, depth)
    return level - relief


def seed_demo(db: Database) -> Iterator[str]:
    """Create the demo accounts and diary; yields lines to print. Does nothing twice."""
    patient: users_store.User | None  # each is created here, or found by email further down
    provider: users_store.User | None
    existing = users_store.get_user_by_email(db, PATIENT["email"])
    if existing is None:
        patient = users_store.create_user(
            db, password_hash=passwords.hash_password(PATIENT["password"]), role="patient",
            **{k: PATIENT[k] for k in ("email", "display_name", "timezone")},
        )
        _seed_diary(db, patient["id"], today_in(PATIENT["timezone"]))
        yield (f"Seeded {DAYS} days of check-ins, {len(SESSION_DAYS)} sessions, {2 * len(QUESTIONNAIRE_DAYS)}"
               " questionnaires and a safety plan for the demo patient.")
    else:
        yield "The demo accounts already exist; their data is left as it is."
    if users_store.get_user_by_email(db, PROVIDER["email"]) is None:
        provider = users_store.create_user(
            db, password_hash=passwords.hash_password(PROVIDER["password"]), role="provider",
            **{k: PROVIDER[k] for k in ("email", "display_name", "timezone")},
        )
        # The demo patient shares everything with the demo provider, as if they had given a code.
        patient = users_store.get_user_by_email(db, PATIENT["email"])
        assert patient is not None  # created above, if it wasn't there already
        invite = sharing_store.create_invite(db, patient["id"], "full")
        sharing_store.redeem_invite(db, provider["id"], invite["code"])
        # The demo provider has already seen (and acknowledged) the one item-9 answer.
        safety.acknowledge(db, provider["id"], patient["id"])
        yield "The demo patient shares their diary with the demo provider (who acknowledged a safety alert)."
        yield from seed_practice(db, provider["id"], today_in(PROVIDER["timezone"]))
        # Providers must have two-factor on: a fresh secret for every demo database.
        codes = otp.new_recovery_codes()
        hashes = [two_factor.hash_recovery_code(code) for code in codes]
        mfa_store.enable(db, provider["id"], two_factor.seal(current_app.config["MFA_KEY"], otp.new_secret()), None,
                         hashes)
        yield ("Demo provider's recovery codes (each logs in once instead of an app code; shown only now): "
               + ", ".join(codes[:2]))
    yield f"Demo patient:  {PATIENT['email']}  password: {PATIENT['password']}"
    yield f"Demo provider: {PROVIDER['email']}  password: {PROVIDER['password']}"
    provider = users_store.get_user_by_email(db, PROVIDER["email"])
    enrolled = mfa_store.get_secret(db, provider["id"]) if provider else None
    if enrolled:
        secret = two_factor.unseal(current_app.config["MFA_KEY"], enrolled["secret"])
        # A demo account: its key is printed on every run, so the tour works from any terminal.
        yield ("  then a code from an authenticator app (Google Authenticator, Aegis, 1Password...) set up"
               " with this key, time-based, 6 digits:")
        yield f"  key: {otp.grouped(secret)}"
        yield f"  or as a URI: {otp.provisioning_uri(secret, PROVIDER['email'])}"
        yield ("  or, without an app: .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('"
               + secret + "').now())\"")
    elif provider:
        yield "  (seeded before two-factor: after logging in, the provider is asked to set it up)"


# Days (from the start of the diary) of a GAD-7 and a PHQ-9: before treatment, then about every two
# weeks. PHQ-9 item 9 was answered "several days" once, early in the course.
QUESTIONNAIRE_DAYS = (22, 36, 50, 64, 78, 92, 106, 118)
ITEM9_DAY = 36
SAFETY_PLAN = {
    "warning_signs": "Not sleeping, cancelling plans, the thought \"what's the point\" coming back.",
    "coping_strategies": "Box breathing for five minutes. A walk around the block. A hot shower.",
    "distractions": "The café on Elm Street. Calling my sister about nothing in particular.",
    "people_to_ask": "Jordan (sister) 555-0147. Sam (friend) 555-0162.",
    "professionals": "Lakeside Clinic 555-0100 (weekdays). 988 any time.",
    "safer_environment": "Jordan keeps the spare medication.",
    "reasons_for_living": "My dog, Biscuit. Seeing my niece grow up.",
}


def _answers(rng: random.Random, items: int, level: float) -> list[int]:
    """Answers (0-3) scattered around ``level`` per item."""
    return [max(0, min(3, round(level + rng.gauss(0, 0.6)))) for _ in range(items)]


def _seed_questionnaires(db: Database, user_id: int, start: dt.date, rng: random.Random) -> None:
    for day in QUESTIONNAIRE_DAYS:
        level = _expected_anxiety(day) / 3.4  # ~1.9 before treatment, ~0.3 by the end
        date = start + dt.timedelta(days=day)
        records.create_assessment(db, user_id, {"instrument": "gad7", "date": date,
                                                "answers": _answers(rng, 7, level), "private": False})
        phq = _answers(rng, 8, level * 0.9) + [1 if day == ITEM9_DAY else 0]
        records.create_assessment(db, user_id, {"instrument": "phq9", "date": date, "answers": phq,
                                                "difficulty": 1 if level > 1 else 0, "private": False})


def _seed_diary(db: Database, user_id: int, today: dt.date) -> None:
    rng = random.Random(20261123)
    start = today - dt.timedelta(days=DAYS - 1)
    for day in range(DAYS):
        date = start + dt.timedelta(days=day)
        if rng.random() < 0.08:  # a few missed days, as in real life
            continue
        for hour in sorted(rng.sample((8, 12, 17, 21), rng.choice((1, 1, 2, 2, 3)))):
            triggers = [name for name, (_, p) in TRIGGERS.items() if rng.random() < p]
            level = _expected_anxiety(day) + sum(TRIGGERS[t][0] for t in triggers) + rng.gauss(0, 0.9)
            entries_store.create_entry(db, user_id, {
                "date": date, "time": f"{hour:02d}:{rng.randrange(60):02d}",
                "anxiety": max(0, min(10, round(level))), "triggers": triggers,
                "note": rng.choice(NOTES), "private": rng.random() < 0.05,
            })
    for number, day in enumerate(SESSION_DAYS):
        before = max(1, min(10, round(_expected_anxiety(day - 1) + 1.3 + rng.gauss(0.3, 0.5))))
        sessions_store.create_session(db, user_id, {
            "date": start + dt.timedelta(days=day), "time": "10:00", "treatment": "iv_ketamine",
            # 0.5 mg/kg for the first infusions, then 0.6, at 70 kg (the clinic records mg/kg).
            "dose_unit": "mg/kg", "dose_value": 0.5 if number < 3 else 0.6, "weight_kg": 70.0,
            "dose_mg": 35.0 if number < 3 else 42.0,
            "bp_before_systolic": 124 + number, "bp_before_diastolic": 80,
            "bp_after_systolic": 138 + number, "bp_after_diastolic": 88, "anxiety_before": before,
            "anxiety_after": max(1, before - rng.randint(2, 4)),
            "side_effects": [{"name": name, "severity": severity, "hours": hours}
                             for name, severity, hours in SIDE_EFFECTS[number]],
            "reflection": REFLECTIONS[number], "private": False,
        })
    _seed_questionnaires(db, user_id, start, rng)
    safety_store.save_plan(db, user_id, SAFETY_PLAN)


# The rest of the demo provider's practice, so the outcomes page has something to say: each
# patient's (pre-treatment level, relief depth, days relief holds, GAD-7 and PHQ-9 levels per item
# before and at the end, days from the start of their diary of each session, scope shared).
PRACTICE = (
    ("Sam (demo)", 7.0, 4.5, 12, (2.0, 0.6), (1.8, 0.5), (20, 23, 27, 30, 60), "full"),
    ("Priya (demo)", 6.5, 3.0, 6, (1.9, 1.0), (1.6, 1.1), (25, 28, 32, 35, 58, 80), "scores"),
    ("Jordan (demo)", 6.0, 1.0, 2, (1.4, 2.1), (1.3, 2.0), (18, 22, 26), "full"),  # worse: no relief
    ("Lee (demo)", 7.5, 5.0, 15, (2.4, 0.3), (2.0, 0.4), (30, 33, 37, 40, 75), "full"),  # remits
    ("Maria (demo)", 6.8, 3.5, 8, (2.1, 1.8), (1.7, 1.5), (35, 38, 42), "scores"),  # no reliable change
)
PRACTICE_DAYS = 100


def seed_practice(db: Database, provider_id: int, today: dt.date) -> Iterator[str]:
    """Five more patients sharing with the demo provider, each with their own course (does nothing
    for a patient already there)."""
    for number, (name, level, depth, holds, gad, phq, session_days, scope) in enumerate(PRACTICE):
        email = f"demo.{name.split()[0].lower()}@example.com"
        if users_store.get_user_by_email(db, email) is not None:
            continue
        user = users_store.create_user(db, email=email, password_hash=passwords.hash_password(PATIENT["password"]),
                                       role="patient", display_name=name, timezone=PROVIDER["timezone"])
        rng = random.Random(20261206 + number)
        start = today - dt.timedelta(days=PRACTICE_DAYS - 1)

        def expected(day: int) -> float:
            relief = 0.0
            for session in session_days:
                if day >= session:
                    gone = max(0, day - session - holds)
                    relief = max(relief, depth * math.exp(-gone / 1.5))
            return level - relief
        for day in range(PRACTICE_DAYS):
            if rng.random() < 0.1:
                continue
            entries_store.create_entry(db, user["id"], {
                "date": start + dt.timedelta(days=day), "time": f"{rng.choice((9, 13, 20)):02d}:00",
                "anxiety": max(0, min(10, round(expected(day) + rng.gauss(0, 0.8)))), "triggers": [],
                "note": "", "private": False})
        for day in session_days:
            sessions_store.create_session(db, user["id"], {
                "date": start + dt.timedelta(days=day), "treatment": "iv_ketamine",
                "anxiety_before": max(0, min(10, round(expected(day - 1)))),
                "anxiety_after": max(0, min(10, round(expected(day - 1) - depth))), "private": False})
        first = session_days[0]
        for day in (first - 5, first + 28, PRACTICE_DAYS - 3):
            share_done = (day - first + 5) / (PRACTICE_DAYS - 3 - first + 5)
            for key, (before, after), items in (("gad7", gad, 7), ("phq9", phq, 8)):
                per_item = before + (after - before) * share_done
                answers = _answers(rng, items, per_item) + ([0] if key == "phq9" else [])
                records.create_assessment(db, user["id"], {"instrument": key, "date": start + dt.timedelta(days=day),
                                                           "answers": answers, "private": False})
        invite = sharing_store.create_invite(db, user["id"], scope)
        sharing_store.redeem_invite(db, provider_id, invite["code"])
    yield f"{len(PRACTICE)} more demo patients share with the demo provider (the outcomes page)."
