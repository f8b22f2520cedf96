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

Spanish: the forms "Spanish for the USA" from the same Pfizer PHQ screeners, which say "No se
requiere permiso para reproducir, traducir, presentar o distribuir." Their wording is kept
character for character (the en dashes with spaces of PHQ-9 items 6 and 8, "(a)" for either
gender, the lower case after item 8's question mark), in ``Official`` texts rather than the
gettext catalog, so no translation can reword them:
- PHQ-9: "Cuestionario sobre la salud del paciente-9 (PHQ-9)", Spanish for the USA: stem, the nine
  items, the answers, the difficulty question and its answers.
- GAD-7, Spanish for the USA: stem and answers as the PHQ-9's, and its own seven items. The
  Spanish GAD-7 form has no difficulty question of its own: the app asks the Spanish PHQ-9's,
  word for word (the English GAD-7 form's question differs from the PHQ-9's only in "these"
  for "these problems").
Severity band names are the app's own words, not the forms': they are in the catalog.
"""
from collections.abc import Sequence
from dataclasses import dataclass

from ..messages import Official, msg

# (value, wording, LOINC answer code)
ANSWERS = (
    (0, Official(en="Not at all", es="Ningún día"), "LA6568-5"),
    (1, Official(en="Several days", es="Varios días"), "LA6569-3"),
    (2, Official(en="More than half the days", es="Más de la mitad de los días"), "LA6570-1"),
    (3, Official(en="Nearly every day", es="Casi todos los días"), "LA6571-9"),
)
ANSWER_LABELS = {value: label for value, label, _ in ANSWERS}
ANSWER_CODES = {value: code for value, _, code in ANSWERS}
# (wording, LOINC answer code; answer list LL359-1)
DIFFICULTY_ANSWERS = (
    (Official(en="Not difficult at all", es="No ha sido difícil"), "LA6572-7"),
    (Official(en="Somewhat difficult", es="Un poco difícil"), "LA6573-5"),
    (Official(en="Very difficult", es="Muy difícil"), "LA6575-0"),
    (Official(en="Extremely difficult", es="Extremadamente difícil"), "LA6574-3"),
)

SEVERITIES = ("minimal", "mild", "moderate", "moderately_severe", "severe")
SEVERITY_LABELS = {
    "minimal": msg("Minimal"), "mild": msg("Mild"), "moderate": msg("Moderate"),
    "moderately_severe": msg("Moderately severe"), "severe": msg("Severe"),
}
# The same inside a sentence: "PHQ-9 21 (severe) on Thu 3 Dec".
SEVERITY_WORDS = {
    "minimal": msg("minimal"), "mild": msg("mild"), "moderate": msg("moderate"),
    "moderately_severe": msg("moderately severe"), "severe": msg("severe"),
}
RECALL_DAYS = 14  # "Over the last 2 weeks"
# The Spanish forms' stem (the same on both) and the PHQ-9's difficulty question.
_STEM_ES = "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?"
_DIFFICULTY_ES = ("Si marcó cualquiera de los problemas, ¿qué tanta dificultad le han dado estos problemas para hacer "
                  "su trabajo, encargarse de las tareas del hogar, o llevarse bien con otras personas?")


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    about: object        # what it measures, in plain words (a message)
    stem: Official
    items: tuple         # item wording, in order (Official each)
    difficulty: Official  # the unscored last question
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
    about=msg("anxiety"),
    stem=Official(en="Over the last 2 weeks, how often have you been bothered by the following problems?",
                  es=_STEM_ES),
    items=(
        Official(en="Feeling nervous, anxious or on edge",
                 es="Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta"),
        Official(en="Not being able to stop or control worrying",
                 es="No ha sido capaz de parar o controlar su preocupación"),
        Official(en="Worrying too much about different things",
                 es="Se ha preocupado demasiado por motivos diferentes"),
        Official(en="Trouble relaxing",
                 es="Ha tenido dificultad para relajarse"),
        Official(en="Being so restless that it is hard to sit still",
                 es="Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)"),
        Official(en="Becoming easily annoyed or irritable",
                 es="Se ha molestado o irritado fácilmente"),
        Official(en="Feeling afraid as if something awful might happen",
                 es="Ha tenido miedo de que algo terrible fuera a pasar"),
    ),
    # The GAD-7 form says "these made it"; the PHQ-9 form "these problems made it". In Spanish,
    # the PHQ-9's question (the module docstring says why).
    difficulty=Official(en="If you checked off any problems, how difficult have these made it for you to do "
                           "your work, take care of things at home, or get along with other people?",
                        es=_DIFFICULTY_ES),
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
    about=msg("depression"),
    stem=Official(en="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
                  es=_STEM_ES),
    items=(
        Official(en="Little interest or pleasure in doing things",
                 es="Poco interés o placer en hacer cosas"),
        Official(en="Feeling down, depressed, or hopeless",
                 es="Se ha sentido decaído(a), deprimido(a) o sin esperanzas"),
        Official(en="Trouble falling or staying asleep, or sleeping too much",
                 es="Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado"),
        Official(en="Feeling tired or having little energy",
                 es="Se ha sentido cansado(a) o con poca energía"),
        Official(en="Poor appetite or overeating",
                 es="Sin apetito o ha comido en exceso"),
        Official(en="Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
                 es="Se ha sentido mal con usted mismo(a) – o que es un fracaso o que ha quedado mal con usted "
                    "mismo(a) o con su familia"),
        Official(en="Trouble concentrating on things, such as reading the newspaper or watching television",
                 es="Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico "
                    "o ver la televisión"),
        Official(en="Moving or speaking so slowly that other people could have noticed? Or the opposite — being so "
                    "fidgety or restless that you have been moving around a lot more than usual",
                 es="¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario – "
                    "muy inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo normal"),
        Official(en="Thoughts that you would be better off dead or of hurting yourself in some way",
                 es="Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera"),
    ),
    difficulty=Official(en="If you checked off any problems, how difficult have these problems made it for you to "
                           "do your work, take care of things at home, or get along with other people?",
                        es=_DIFFICULTY_ES),
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
