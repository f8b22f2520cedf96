"""Crisis language in free text (check-in notes, session reflections). Pure: no Flask, no SQL.

A match shows the patient a calm support card and raises a safety flag for the clinic; it never
blocks or changes what was written. We would rather show the card once too often than miss it:
negated or quoted phrases ("I'm not suicidal") still match, on purpose. Obvious everyday uses that
only look alike do not ("killing it at work", "this deadline is killing me", "self-esteem",
"I cut myself chopping onions"). A check-in's trigger names are checked too.

Matching is case-, accent-form- and punctuation-insensitive: the text is normalised (NFKC,
case-folded, apostrophes dropped so "don't" == "dont", every other non-alphanumeric character a
space) and each phrase is matched on word boundaries. The list is documented in docs/INSIGHTS.md.
"""
import re
import unicodedata

# "myself", not "my self-esteem" / "my self-worth" (normalised to "my self esteem").
_MYSELF = r"my ?self(?! (?:esteem|worth|confidence|image|respect|care)\b)"
# (name shown in docs and tests, pattern over normalised text)
PHRASES = (
    ("kill myself", rf"kill(?:ing|ed)? {_MYSELF}"),
    ("hang myself", rf"hang(?:ing|ed)? {_MYSELF}"),
    ("unalive", r"unaliv(?:e|ing|ed)"),
    ("overdose", r"overdos(?:e|es|ed|ing)"),
    ("end my life", r"end(?:ing|ed)? my (?:own )?life"),
    ("end it all", r"end(?:ing)? it all"),
    ("take my own life", r"tak(?:e|ing) my (?:own )?life"),
    ("suicide / suicidal", r"suicid(?:e|es|al|ality)"),
    ("don't want to be here / to live", r"(?:dont|do not|no longer) want to (?:be here|be alive|live|exist|wake up)"),
    ("want to die", r"(?:want(?:ed|s)? (?:to|2)|wanna) die"),
    ("want to be dead", r"(?:want(?:ed|s)? to|wanna|rather) be dead"),
    ("wish I was dead", r"wish(?:ed)? i (?:was|were) dead"),
    ("can't go on", r"(?:cant|cannot|can not) go on"),
    ("better off dead / without me", r"better off (?:dead|without me)"),
    ("no reason to live", r"no reason to (?:live|go on)"),
    ("self-harm", r"self ?harm(?:ing|ed)?"),
    ("hurt myself", rf"(?:hurt|hurting|harm|harming) {_MYSELF}"),
    # "cut myself" too, but not an everyday accident told in the same breath ("cut myself shaving").
    ("cut myself", rf"cut(?:ting)? {_MYSELF}(?! (?:\w+ ){{0,2}}(?:shaving|chopping|cooking|slicing|peeling"
                   rf"|gardening|by accident|accidentally|on (?:a|the) (?:knife|glass|paper|tin|can)))"),
)
_PATTERNS = tuple((name, re.compile(rf"\b{pattern}\b")) for name, pattern in PHRASES)
# The same patterns for the offline outbox (static/js/outbox.js), which shows the card before the
# check-in reaches the server; they use only syntax JavaScript reads the same way.
JS_PATTERNS = tuple(rf"\b{pattern}\b" for _, pattern in PHRASES)
# Every phrase in one pattern: whether a text holds any of them is one search, not one per phrase.
_ANY_PHRASE = re.compile("|".join(pattern.pattern for _, pattern in _PATTERNS))
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`´]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text):
    """'I DON’T want to be here!!' -> 'i dont want to be here'."""
    text = text or ""
    if text.isascii():  # NFKC and NFKD leave ASCII as it is, and casefold() is lower() there
        text = _APOSTROPHES.sub("", text.lower())
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        text = _APOSTROPHES.sub("", text)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", text).split())


def crisis_phrases(text):
    """The names of the listed phrases found in ``text`` (empty when none)."""
    plain = normalise(text)
    return tuple(name for name, pattern in _PATTERNS if pattern.search(plain))


def mentions_crisis(*texts):
    """True if any of ``texts`` holds crisis language."""
    # Nothing is remembered between calls: these are patients' own words (services.safety asks
    # once per save and passes the answer on).
    return any(_ANY_PHRASE.search(normalise(text)) for text in texts if text)
