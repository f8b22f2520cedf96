"""diary.insights.crisis: the documented phrases, however they are typed, and the near misses."""
import pytest

from diary.insights.crisis import PHRASES, canonical, crisis_phrases, mentions_crisis, normalise, read


@pytest.mark.parametrize("text", [
    "thinking about killing myself and how I would do it",
    "I want to kill myself",
    "I want to KILL MY SELF.",
    "I just want to end my life",
    "maybe I should end it all",
    "thought about taking my own life",
    "suicide",
    "Feeling suicidal again",
    "I don't want to be here anymore",
    "I DON’T want to be here!!",           # curly apostrophe, capitals, punctuation
    "i dont want to live",
    "I do not want to wake up",
    "I want to die",
    "wish I were dead",
    "everyone would be better off without me",
    "self-harm urges",
    "self harm",
    "I've been hurting myself",
    "I hurt myself again",
    "cutting myself",
    "I cut myself again last night",
    "I wanna die",
    "want 2 die",
    "I want to be dead",
    "I'd rather be dead",
    "thinking of ways to unalive myself",
    "hanging myself",
    "I could take an overdose",
    "I can't go on like this",
    "no reason to live",
    "Suïcide",                              # accents folded
    "kill\u00a0myself",                     # a no-break space
])
def test_crisis_language_is_found(text):
    assert crisis_phrases(text), text
    assert mentions_crisis("", text)


@pytest.mark.parametrize("text", [
    "killing it at work today",
    "this deadline is killing me",
    "my boss will kill me if I'm late",
    "skill myself up",
    "I cut myself chopping onions",
    "cut myself shaving this morning",
    "I cut myself on a tin can",
    "I can go on",
    "my self-esteem is low",
    "it hurt my self-worth",
    "harmony at home",
    "the end of my life-long fear of flying",   # "end of my life", not "end my life"
    "I want to be here",
    "",
])
def test_near_misses_are_not(text):
    assert crisis_phrases(text) == ()
    assert not mentions_crisis(text, text.upper())


def test_a_text_mentions_crisis_when_any_phrase_is_in_it():
    """mentions_crisis (the save path's one search) agrees with crisis_phrases (one per phrase)."""
    for name, _, _ in PHRASES:
        phrase = name.split(" / ")[0].replace("don't", "dont")
        assert mentions_crisis("a long day", f"work. {phrase}, then tea"), name


def test_negated_phrases_still_show_the_card_on_purpose():
    # Safer to offer help once too often: "not suicidal" still matches (docs/INSIGHTS.md).
    assert crisis_phrases("I'm not suicidal, just tired") == ("suicide / suicidal",)


@pytest.mark.parametrize("text", ["  I DON’T   want—to be here!! ", "  I DON'T   want-to be here!! "])
def test_normalise(text):
    assert normalise(text) == "i dont want to be here |"


def test_every_listed_phrase_matches_its_own_name():
    for name, _, _ in PHRASES:
        first = name.split(" / ")[0].replace("don't", "dont")
        assert crisis_phrases(first), name


# Common words that sit a typo away from a keyword and are read as it on purpose: inflections
# that mean the same ("kills", "suicides") and misspellings common enough to be in the lists.
READ_ON_PURPOSE = set("""
    cuttings deaths ded dei despedidas endings goodbyes hangin hangings hangs killin killings kills lif lifes
    muertas muertes muertos overdoses pastilla pensamiento pill quero quier reasons suicidado suicidan
    suicidar suicides suicidios suicido vidas wakes wan wants wnt wrist
""".split())


def test_no_common_word_is_read_as_another_word():
    """Every word of the 50,000 most frequent in English and in Spanish is read as written, unless
    it is listed above: a new keyword can't quietly turn "matarte" into "matarme"."""
    from wordfreq import top_n_list

    changed = {}
    for language in ("en", "es"):
        for word in top_n_list(language, 50_000):
            for token in normalise(word).split():
                if token.isalpha() and token not in READ_ON_PURPOSE and canonical(token) != token:
                    changed[token] = canonical(token)
    assert changed == {}


@pytest.mark.parametrize("typed, read_as", [
    ("suicdal", "suicidal"), ("suicidle", "suicide"), ("kil", "kill"), ("dei", "die"), ("lfie", "life"),
    ("bivir", "vivir"), ("la bida", "la vida"), ("me volbi", "me volvi"), ("s u i c i d e", "suicide"),
    ("d.i.e", "die"), ("su1c1d10", "suicidio"), ("k!ll", "kill"), ("k*ll", "kill"), ("diiiie", "die"),
    ("will", "will"), ("matarte", "matarte"), ("overused", "overused"), ("dad", "dad"),
    ("me voy a m a t a r", "me voy a matar"), ("a m i g o s", "amigos"), ("harmimg", "harming"),
    ("quitarne", "quitarme"), ("k1tarme", "quitarme"), ("quitarte", "quitarte"),
])
def test_how_words_are_read(typed, read_as):
    assert read(typed) == read_as
