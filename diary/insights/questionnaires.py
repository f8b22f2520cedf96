"""GAD-7 and PHQ-9: the instruments as data, and their scoring. Pure: no Flask, no SQL.

Sources (both instruments are free to reproduce; no permission is required):
- GAD-7: Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized
  anxiety disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092-1097.
  Severity: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe.
- PHQ-9: Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity
  measure. J Gen Intern Med. 2001;16(9):606-613.
  Severity: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe.
- Item wording as on the forms distributed by Pfizer (phqscreeners.com): the GAD-7 stem says
  "the following problems", the PHQ-9 stem "any of the following problems".
- LOINC (loinc.org): GAD-7 panel 69737-5, total 70274-6, items 69725-0 … 69736-7 (as listed
  in the PHQ-SADS panel 69729-2); PHQ-9 panel 44249-1, total 44261-6, items 44250-9 … 44260-8
  (item 9: 44260-8), difficulty 69722-7; frequency answers LA6568-5, LA6569-3, LA6570-1, LA6571-9
  (answer list LL358-3); difficulty answers LA6572-7, LA6573-5, LA6575-0, LA6574-3 (LL359-1).
"""
from collections.abc import Sequence
from dataclasses import dataclass

# (value, wording, LOINC answer code)
ANSWERS = (
    (0, "Not at all", "LA6568-5"),
    (1, "Several days", "LA6569-3"),
    (2, "More than half the days", "LA6570-1"),
    (3, "Nearly every day", "LA6571-9"),
)
ANSWER_LABELS = {value: label for value, label, _ in ANSWERS}
ANSWER_CODES = {value: code for value, _, code in ANSWERS}
# (wording, LOINC answer code; answer list LL359-1)
DIFFICULTY_ANSWERS = (
    ("Not difficult at all", "LA6572-7"),
    ("Somewhat difficult", "LA6573-5"),
    ("Very difficult", "LA6575-0"),
    ("Extremely difficult", "LA6574-3"),
)

SEVERITIES = ("minimal", "mild", "moderate", "moderately_severe", "severe")
SEVERITY_LABELS = {
    "minimal": "Minimal", "mild": "Mild", "moderate": "Moderate",
    "moderately_severe": "Moderately severe", "severe": "Severe",
}
RECALL_DAYS = 14  # "Over the last 2 weeks"


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    about: str           # what it measures, in plain words
    stem: str
    items: tuple         # item wording, in order
    difficulty: str      # the unscored last question
    bands: tuple         # (lowest total, severity), ascending
    panel_loinc: str
    total_loinc: str
    item_loinc: dict     # item number (1-based) -> LOINC code
    difficulty_loinc: str | None

    @property
    def max_total(self) -> int:
        return 3 * len(self.items)


GAD7 = Instrument(
    key="gad7",
    name="GAD-7",
    about="anxiety",
    stem="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ),
    # The GAD-7 form says "these made it"; the PHQ-9 form "these problems made it".
    difficulty="If you checked off any problems, how difficult have these made it for you to do "
               "your work, take care of things at home, or get along with other people?",
    bands=((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")),
    panel_loinc="69737-5",
    total_loinc="70274-6",
    item_loinc=dict(enumerate(("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"),
                              start=1)),
    difficulty_loinc=None,  # LOINC gives the GAD-7 panel no code of its own for this question
)

PHQ9 = Instrument(
    key="phq9",
    name="PHQ-9",
    about="depression",
    stem="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    items=(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so "
        "fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ),
    difficulty="If you checked off any problems, how difficult have these problems made it for you to do "
               "your work, take care of things at home, or get along with other people?",
    bands=((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "moderately_severe"), (20, "severe")),
    panel_loinc="44249-1",
    total_loinc="44261-6",
    item_loinc=dict(enumerate(("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5",
                               "44253-3", "44260-8"), start=1)),
    difficulty_loinc="69722-7",
)

INSTRUMENTS = {GAD7.key: GAD7, PHQ9.key: PHQ9}
# PHQ-9 item 9 (thoughts of death or self-harm), 0-based.
SELF_HARM_ITEM = 8
# Provider "severe" flag: the start of each instrument's top band, in a result from the last 28
# days (two recall periods: an older score says little about today).
SEVERE_AT = {"gad7": 15, "phq9": 20}
SEVERE_WITHIN_DAYS = 2 * RECALL_DAYS


def severity(instrument: Instrument, total: int) -> str:
    """The severity band a total falls in, e.g. severity(GAD7, 10) == "moderate"."""
    if not 0 <= total <= instrument.max_total:
        raise ValueError(f"{instrument.name} totals run from 0 to {instrument.max_total}, not {total}")
    return [name for low, name in instrument.bands if total >= low][-1]


@dataclass(frozen=True)
class Score:
    total: int
    severity: str


def score(instrument: Instrument, answers: Sequence[int]) -> Score:
    """Total and severity of a complete set of answers (each 0-3, one per item)."""
    if len(answers) != len(instrument.items):
        raise ValueError(f"{instrument.name} has {len(instrument.items)} items, got {len(answers)} answers")
    if any(a not in ANSWER_LABELS for a in answers):
        raise ValueError("every answer is 0, 1, 2 or 3")
    total = sum(answers)
    return Score(total, severity(instrument, total))


def self_harm_answer(instrument_key: str, answers: Sequence[int]) -> int | None:
    """PHQ-9 item 9's answer when it is above 0 ("several days" or more), else None."""
    if instrument_key == PHQ9.key and len(answers) > SELF_HARM_ITEM and answers[SELF_HARM_ITEM] > 0:
        return answers[SELF_HARM_ITEM]
    return None


def is_severe(instrument_key: str, total: int) -> bool:
    return total >= SEVERE_AT[instrument_key]
