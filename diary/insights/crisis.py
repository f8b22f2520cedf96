"""Crisis language in free text (check-in notes and triggers, session reflections), in English and
Spanish, however it is typed. Pure: no Flask, no SQL, no network, nothing downloaded.

A match shows the patient a calm support card and raises a safety flag for the clinic; it never
blocks or changes what was written. We would rather show the card once too often than miss it:
negated or quoted phrases ("I'm not suicidal") still match, on purpose. Everyday uses that only
look alike do not ("killing it at work", "me muero de risa", "the Suicide Squad film").

Three steps, each documented in docs/INSIGHTS.md ("Crisis language") and measured on a labelled
corpus (tests/data/crisis_corpus.tsv; tests/insights/test_crisis_corpus.py prints the confusion
matrix per language):

1. ``normalise``: case, accents, apostrophes, look-alike digits and symbols ("su1c1de", "k!ll"),
   letters spaced out or dotted ("s u i c i d e", "d.i.e"), letters hidden ("k*ll"), letters held
   down ("diiiie").
2. ``canonical``: each word that is not a known word but is one or two letters away from a
   KEYWORDS entry is read as that keyword ("suicdal" → "suicidal", "kil" → "kill"), by the
   optimal string alignment distance (rapidfuzz), within the limits in ``_limit``.
3. NEAR_MISSES are taken out ("suicide squad", "overdosed on coffee", "me muero de risa"), then
   PHRASES are looked for, in both languages whatever the page's language, in the text with its
   sentence ends and without them.

The same rules run in the browser for a check-in still on the phone (static/js/outbox.js reads
``client_rules()``); tests/browser/test_safety.py holds the two to the same answers on the corpus.
"""
import re
import unicodedata
from typing import TypedDict

from rapidfuzz.distance import OSA

# --- 1. Normalising ---------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
# "OD'd", "od'ed": the apostrophe matters here, so this is read before apostrophes go.
_OD = re.compile(r"\bod(?:['\u2018\u2019]e?d|ed)\b")
# A digit or symbol between two letters is a letter in disguise: "su1c1de", "k!ll", "m4tarme".
_LOOK_ALIKE = re.compile(r"([a-z])([0134579@$!])(?=[a-z])")
# Digits in a word with letters are letters too: "su1c1d10" -> "suicidio", "1t" -> "it".
_DIGITS_IN_WORD = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*")
_LEADING_LOOK_ALIKE = re.compile(r"(^|[^0-9a-z])([@$])(?=[a-z])")
LOOK_ALIKES = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g", "@": "a", "$": "s", "!": "i"}
# "d.i.e", "m.e q.u.i.e.r.o", "sui.cidar": a dot between two letters (no space) joins them.
_DOTTED = re.compile(r"([a-z])\.(?=[a-z])")
# "k*ll", "d*e", "su#cide": a star or hash inside a word hides a letter, most often an i.
_HIDDEN = re.compile(r"([a-z])[*#](?=[a-z])")
# Sentence ends, kept as " | " while near misses are taken out (so "work. overdose" is not
# "work overdose"), then dropped (so "kill. my. self." is still "kill my self").
_SENTENCE_END = re.compile(r"[.!?;:\u2026\u00a1\u00bf\r\n]+")
_NOT_WORD = re.compile(r"[^0-9a-z|]+")
# "kiII": a capital I after a small letter stands for an l.
_CAPITAL_I_AS_L = re.compile(r"([a-z])(I+)")
_HELD = re.compile(r"([a-z])\1{2,}")  # three or more of a letter: "diiiie" -> "die"


def normalise(text: str | None) -> str:
    """'I DON’T want to be here!!' -> 'i dont want to be here |'; 'S u i c i d e' -> 'suicide'."""
    text = _CAPITAL_I_AS_L.sub(lambda m: m.group(1) + "l" * len(m.group(2)), unicodedata.normalize("NFKC", text or ""))
    text = text.casefold()
    text = _OD.sub("overdosed", text)
    text = _APOSTROPHES.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _LOOK_ALIKE.sub(lambda m: m.group(1) + LOOK_ALIKES[m.group(2)], text)
    text = _LEADING_LOOK_ALIKE.sub(lambda m: m.group(1) + LOOK_ALIKES[m.group(2)], text)
    text = _DIGITS_IN_WORD.sub(_digits_as_letters, text)
    text = _DOTTED.sub(r"\1", _HIDDEN.sub(r"\1i", text))
    text = _SENTENCE_END.sub(" | ", text)
    text = _HELD.sub(r"\1", _NOT_WORD.sub(" ", text))
    return " ".join(_join_spaced_letters(text.split()))


def _digits_as_letters(match: re.Match[str]) -> str:
    word = match.group(0)
    if word.isalpha() or len(word) < 2:
        return word
    return "".join(LOOK_ALIKES.get(c, c) for c in word)


# Words of one letter ("a", "i", "y", "o", "e", "u") that can stand before letters spelt out.
_ONE_LETTER_WORDS = frozenset("aieouy")


def _join_spaced_letters(words: list[str]) -> list[str]:
    """Runs of 3 or more single letters are one word: ['s', 'u', 'i', 'c', 'i', 'd', 'e'] -> ['suicide'];
    a word of one letter before a keyword spelt out stays a word ("me voy a m a t a r")."""
    result, run = [], []
    for word in words + [""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) >= 4 and run[0] in _ONE_LETTER_WORDS and "".join(run[1:]) in _KEYWORD_SET:
            result.extend([run[0], "".join(run[1:])])
        else:
            result.extend(["".join(run)] if len(run) >= 3 else run)
        run = []
        if word:
            result.append(word)
    return result


# --- 2. Reading misspelt key words --------------------------------------------------------------

# The words of the phrases below that are worth reading through a typo, longest forms first where
# one is a prefix of another. A word equal to one of these, or in KNOWN_WORDS, is taken as written.
KEYWORDS = (
    # English
    "suicide", "suicidal", "suicidally", "unalive", "sewerslide", "overdose", "overdosed", "overdosing",
    "myself", "kill", "killing", "dead", "death", "wrists", "cutting", "goodbye", "pills", "planning",
    "hang", "hanging", "never", "wake", "alive", "anymore", "reason", "without", "wanna", "want", "life", "die",
    "ending", "harming",
    # Spanish
    "suicidio", "suicida", "suicidas", "suicidarme", "suicidarse", "matarme", "matar", "morir", "morirme",
    "muerte", "muerto", "muerta", "vivir", "viviendo", "quiero", "quisiera", "despertar", "desaparecer",
    "cortarme", "autolesion", "autolesiones", "lastimarme", "sobredosis", "pastillas", "despedida",
    "ahorcarme", "tirarme", "pensamientos", "planeando", "venas", "vida", "volvi", "despierte", "seguir",
    "estuviera", "quitarme",
)
_KEYWORD_SET = frozenset(KEYWORDS)

# Real words that sit within a typo of a keyword and must be read as written ("matarte" is not
# "matarme", "overused" is not "overdosed"). Every word of the 50,000 most frequent in English and
# in Spanish that the rules below would otherwise change is here (tests/insights/test_crisis.py
# checks that against the wordfreq lists, so a new keyword can't quietly swallow a real word).
KNOWN_WORDS = frozenset("""
    acercarme acordarme ahorcar ahorrarse ahorrarte autogestion batiendo beans bebiendo bens bia
    bibi bid boli buenas contame contare contarle contarme contarse contarte cortante cortar
    cortarla cortarle cortarlo cortaron cortarse cortarte dad dea dearth dejad deportar desaparece
    desaparecen desaparecera desapareceran desapareceria desaparecia desapareciera desaparecio
    descartar desertar deserter desertor desierta desiertas desierto desmedida desmedido desmiente
    despedi despedido despedidos despedir despegar despejada despejar desperate despertaba
    despertado despertador despertara despertarme despertaron despertarse despertarte desperte
    desperto despierta despiertan despiertas despierten despiertes despierto despiertos despistar
    despiste despite desterrar dey dispersar dread dye estudiara estuvieran estuvieras estuvieron
    estuviese goodie hag han handing huang hwang kipling kisser krill lastimar lastimaron lastimarte
    lie lye mata matara matarle mataro matarse matarte mori morira morire morirse morirte muera
    muerda muerde muerdo muere muero neve nevera overcome overcoming overdo overdoing overdone
    overdue overjoyed overuse overused pandillas panning pantallas panting parrillas paseando
    pasillos pateando patilla patillas penning pillas pillos pinning placing plaguing planeada
    planeado planeados planean planing plantado plantando planteado planteando plantillas planting
    plantings plateado plating playing plunging prancing puntillas quell quiera quiere quieto quill
    quilt quilting quimera quiniela quisieran quisieras quisieron quisiese segui seguia seguid
    seguin seguira seguire seguis segur subidas subsidio sucedio sucias sufridas surgidas tirarle
    tirarse tirarte valiendo veas vena vendas vengas venias ventas via vid vidal vidya viendo
    viniendo vistiendo viuda vivi vivido vivien vivienda viviendas vivienne viviente vivira vivire
    volvia volviendo volvio wasnt wat
    harding quedarme quejarme quitar quitara quitaran quitaria quitarle quitarles quitarlo quitaron quitarse
    quitarte quitate
""".split())


def _limit(keyword: str) -> int:
    """How many edits a word may be from ``keyword``: for 3 letters only two swapped ("dei"), one
    from 4 (for 4–5 letters a dropped, added or swapped letter, not a different one), two from 8."""
    return 1 if len(keyword) <= 7 else 2


def _sounds(word: str) -> str:
    """b and v sound the same in Spanish and are often swapped in writing ("bivir", "la bida"), and
    "k" is written for "qu" ("kiero"); y and i alike ("lyfe")."""
    return word.replace("b", "v").replace("qu", "k").replace("q", "k").replace("y", "i")


# The keywords as they sound, with their limits, by first letter: a word is compared only with
# the keywords that start like it (the rule above), without working them out again each time.
_KEYWORDS_BY_SOUND: dict[str, list[tuple[str, str, int]]] = {}
for _keyword in KEYWORDS:
    _KEYWORDS_BY_SOUND.setdefault(_sounds(_keyword)[0], []).append((_keyword, _sounds(_keyword), _limit(_keyword)))


def canonical(word: str) -> str:
    """``word``, or the keyword it is a typo of: same first letter, within ``_limit`` edits
    (optimal string alignment: a swap of two neighbours is one edit), b and v alike, k and qu alike; the nearest,
    then the first in KEYWORDS."""
    if len(word) < 3 or word in _KEYWORD_SET or word in KNOWN_WORDS or not word.isalpha():
        return word
    sound = _sounds(word)
    best, best_distance = word, None
    for keyword, target, limit in _KEYWORDS_BY_SOUND.get(sound[0], ()):
        if abs(len(keyword) - len(word)) > limit:
            continue
        distance = OSA.distance(sound, target, score_cutoff=limit)
        if distance > limit:
            continue
        if distance and len(keyword) <= 3 and sorted(sound) != sorted(target):
            continue  # three letters: only two of them swapped ("dei"), else it is another word
        if distance and len(keyword) <= 5 and len(word) == len(keyword) and sorted(sound) != sorted(target):
            continue  # a short word with one letter changed is another word ("will", not "kill")
        if best_distance is None or distance < best_distance:
            best, best_distance = keyword, distance
    return best


def read(text: str | None) -> str:
    """``text`` normalised, with every misspelt keyword read as the keyword."""
    return " ".join(canonical(word) for word in normalise(text).split())


# --- 3. Phrases, after near misses ----------------------------------------------------------------

_MEDS = (r"(?:pills|tablets|meds|medication|sleeping pills|tylenol|advil|ibuprofen|paracetamol|acetaminophen|aspirin"
         r"|benadryl|xanax|klonopin|ativan|valium|ambien|seroquel|sertraline|zoloft|prozac|lexapro|\w+pam|\w+lam)")
_PASTILLAS = (r"(?:pastillas|pildoras|medicinas|medicamentos|tabletas|paracetamol(?:es)?|ibuprofenos?|aspirinas?"
              r"|\w+pam|\w+lam)")
_MYSELF = r"(?:myself|my self)(?! (?:esteem|worth|confidence|image|respect|care|love)\b)"
_KITCHEN = (r"(?:shaving|chopping|cooking|slicing|peeling|cutting|gardening|baking|by accident|accidentally"
            r"|on (?:a|the|some) (?:knife|glass|paper|tin|can|stove|oven|pan|iron|kettle))")
_FOOD = (r"(?:coffee|caffeine|espresso|sugar|chocolate|candy|sweets|cake|cupcakes?|popcorn|pizza|carbs|netflix|tv"
         r"|anime|work"
         r"|news|cafe|cafeina|azucar|dulces|series|trabajo|noticias|informacion|mate)")

# (name, language, pattern over read() text). A name is what docs and tests call the phrase.
PHRASES = (
    # English
    ("suicide / suicidal", "en", r"suicid(?:e|es|al|ality|ally)|ctb|(?:called|texted|call|text) (?:the )?988"),
    ("kill myself", "en", rf"kill(?:ing|ed|s)? {_MYSELF}|kms"),
    ("hang myself / shoot myself", "en",
     rf"(?:hang|hanging|hanged|shoot|shooting|drown|drowning|stab|stabbing|poison|poisoning|suffocate"
     rf"|suffocating|strangle|strangling|starve|starving|burn|burning|burned|burnt) {_MYSELF}"
     r"|(?:bought|buy|buying|got) (?:a |some )?rope(?! (?:to tie|for)\b)"
     r"|(?:where|how|when) (?:i|id|ill) (?:would |will )?do it"),
    ("unalive / sewerslide", "en",
     r"unaliv(?:e|ing|ed)|sewerslide|sewer slide|commit(?:ting|ed)? sudoku|self delet(?:e|ing|ed)"),
    ("end my life / end it", "en",
     r"end(?:ing|ed)? (?:my (?:own )?life|it all)|(?:about|of|to|gonna|wanna|should just|could just|might just"
     r"|just) end(?:ing)? it(?! (?:with (?:him|her|them|my|his)|off|between|early|for the (?:day|night)|here|there"
     r"|on a)\b)|(?:jump|jumping) and end it|end things(?! with\b)|tonights? (?:is )?the night(?= \||$| im done)"
     r"|(?:im|i am) (?:really )?going to do it this time"
     r"|not if any ?more its when|(?:planning|plan|going|gonna) to do it (?:tonight|this weekend|(?:on )?(?:monday"
     r"|tuesday|wednesday|thursday|friday|saturday|sunday) night|when (?:\w+ ){1,4}(?:away|out|gone|asleep))"
     r"|not (?:going to|gonna) be (?:around|here|alive) (?:much )?(?:longer|for long)"),
    ("take my own life", "en", r"tak(?:e|ing) my (?:own )?life|took my (?:own )?life"),
    ("overdose", "en", r"overdos(?:e|es|ed|ing)|(?:almost|nearly|to|gonna|could|might|i|id|going to|wanna) od"),
    ("took too many pills", "en",
     r"(?:took|take|taking|swallowed|swallow|swallowing) (?:too many|a lot of|all (?:of )?my|a bunch of|a handful of"
     r"|way too many|loads of|a whole bottle of|the whole bottle of|the rest of my|a whole pack of|the whole pack of"
     r"|a whole box of|the whole box of|an entire (?:bottle|pack|box) of)"
     r" (?:pills|meds|tablets|medication|sleeping pills|paracetamol|tylenol|ibuprofen|\w+)"
     r"(?! (?:as prescribed|like the doctor|with (?:food|breakfast|dinner)|this morning as|on time|at the right time"
     r"|today|this week|like i should)\b)"
     r"|all (?:of )?my \w+ at once|(?:stockpiling|hoarding|saving up|collecting) (?:my )?(?:pills|meds|tablets)"
     r"|how many (?:\w+ ){0,3}(?:it would take|i need|id need|would do it)"
     r"|(?:would|it would|it d|itd) take to (?:die|kill me|not wake up)"
     r"|(?:saving|saving up|hiding|hoarding|stockpiling|collecting|stashing) (?:up )?(?:all )?my (?:\w+ )?" + _MEDS +
     r"|(?:took|take|swallowed|popped) (?:like |about |around |maybe |over )?(?:\d{2,}|twenty|thirty|forty|fifty)"
     r" (?:\w+ )?" + _MEDS + r"|(?:took|swallowed|popped) (?:\w+ ){0,4}on purpose"),
    ("want to die / be dead", "en",
     r"(?:want(?:ed|s|ing)?|wanna|wish i could|ready to|rather|like to) (?:to |2 )?(?:just )?die"
     r"|(?:want(?:ed|s)? to|wanna|rather|would rather|better off|wish(?:ed)? i (?:was|were)) (?:just )?(?:be )?dead"
     r"|wish (?:i|id) (?:had |d )?never (?:been born|existed)|wish i (?:was|were|had) never (?:been )?born"
     r"|wish(?:ed)? you (?:was|were) dead"),
    ("don't want to be here / to live", "en",
     r"(?:dont|do not|not|no longer|never) (?:want to |wanna )?(?:be here|be alive|live|exist|be around)"
     r"(?: any ?more| any longer)?(?! (?:in|with|near|at|there|abroad|alone|together|like that)\b)"
     r"|(?:not|never) (?:to )?be here any ?more|(?:wont|will not) be (?:alive|around|here) (?:by|for|next|much longer"
     r"|to see)|(?:if|when|after) (?:i|im) (?:was |were |am |m )?(?:gone|dead)(?! (?:for|to|on|from)\b)"
     r"|(?:nobody|no one|noone) would (?:even )?(?:notice|care|miss me)(?! if i (?:skip\w*|miss\w*|left|leave|took"
     r"|take|did|do|went|go)\b)"
     r"|wish (?:i|id) (?:didnt|did not|couldnt|could not) (?:exist|wake up)|wish i (?:wasnt|was not|werent|were not)"
     r" (?:alive|here|around|born)|(?:if|when) i (?:wasnt|was not|werent|were not) (?:around|here|alive)"
     r"|(?:easier|better) for (?:everyone|everybody|them|my family|all of them) if i (?:wasnt|was not|werent|were not"
     r"|was gone|were gone|died|disappeared)|(?:im|i am) a burden to (?:everyone|everybody|my family|them)"
     r"|(?:so|and) (?:it|everything) (?:can |could |would )?(?:all )?(?:just )?be over"
     r"(?! (?:soon|by|before|tomorrow)\b)"
     r"|dont care if i (?:live or die|die|wake up)|check(?:ing)? out (?:for good|permanently|early)"),
    ("never wake up", "en",
     r"(?:never|not|dont|do not|didnt|did not) (?:want to |wanna )?wake up"
     r"(?! (?:early|late|on time|at|before|in time|till|until|rested|refreshed|feeling|the|my|him|her|them)\b)"),
    ("can't go on / no reason to live", "en",
     r"(?:cant|cannot|can not) go on(?! (?:like this )?with the\b)|no (?:reason|point) (?:to|in) (?:live|living|go on"
     r"|going on)"),
    ("better off without me", "en", r"better off without me"),
    ("self-harm", "en",
     rf"self ?harm(?:ing|ed)?|(?:hurt|hurting|harm|harming) {_MYSELF}|cutt?(?:ing|in)? {_MYSELF}"
     r"|(?:been|started|start|keep|kept|urge to|urges to|want to|wanna) cutt?(?:ing)?"
     r"(?! (?:back|down|out|off|corners|carbs|sugar|ties|class|the|my hair|hair|costs|in line|it short|through)\b)"
     r"|cutting again|(?:slit|slitting|cut|cutting|slash|slashing) my (?:wrists?|arms?|legs?|thighs?|veins)"
     r"|(?:burned|burnt|cut|hit|hurt|scratched|punched|kicked|bit) (?:myself|me|my \w+|the wall|a wall)"
     r" (?:\w+ ){0,4}on purpose"
     r"|(?:scratch|scratched|scratching|cut|cutting|pick|picked|picking|bit|bite|biting|hit|hitting|punched|punching)"
     r" (?:\w+ ){0,3}(?:until|till|til) (?:it|they|i|my \w+) (?:bled|bleed|bleeds)"
     r"|(?:burned|burnt) my (?:arms?|wrists?|legs?|thighs?|skin|hands?) with (?:a |the )?"
     r"(?:lighter|cigarette|match|iron)"
     r"|relapsed on (?:sh|self harm|cutting)|off(?:ing)? myself|want to dye(?= \||$)"
     r"|(?:hit|hitting|bang|banging|banged|punch|punching|punched) my (?:head|fists?) (?:against|into)"
     r" (?:the |a )?wall"),
    ("jump off a bridge / in front of a train", "en",
     r"(?:jump|jumping|jumped|throw my ?self|throwing my ?self) (?:off|from) (?:a |the |that |this |my )?(?:\w+ ){0,4}"
     r"(?:bridge|building|roof|rooftop|balcony|cliffs?|ledge|window|overpass|tower|parking garage)"
     r"|(?:jump|jumping|jumped|throw my ?self|throwing my ?self|step|stepping) (?:in front of|under) (?:a |the )?"
     r"(?:train|bus|car|truck|subway|metro|lorry)"
     r"|(?:wish|hope|hoping) (?:i|id) (?:get|got|would get) hit by (?:a|the) (?:bus|car|truck|train)"
     r"|(?:hit by|hit me)(?: \w+){0,8} (?:wouldnt (?:even )?mind|would be relieved|feel relieved|be a relief"
     r"|id be relieved)"
     r"|(?:drive|driving|drove|crash|crashing|steer|steering) (?:my car |the car )?(?:into|off) (?:a|the)"
     r" (?:\w+ )?(?:river|wall|tree|cliff|bridge|lake|oncoming|barrier|pole|truck|median|overpass)"
     r"|pills (?:ive|i have) been (?:saving|hoarding|collecting|stashing)|(?:pills|meds) (?:with|plus|and) (?:the )?"
     r"(?:whiskey|vodka|wine|alcohol|booze|rum|tequila)|finds my body|(?:hitting|hit|punching|punched|banging) myself"
     r"|finish me off|swallowing everything|(?:might|gonna|going to|want to|wanna) (?:just )?sh\b|\bsh (?:tonight"
     r"|again|today)|over dose|dead by (?:sunday|monday|tuesday|wednesday|thursday|friday|saturday|tonight|tomorrow"
     r"|the weekend|next week)|pills counted(?: out)?|want my life to be over"
     r"|(?:want|wanted) it (?:all )?to end(?= \||$)|something terminal|wish (?:i|id) (?:had )?died"
     r"|decided to (?:die|kill myself|end it)|how (?:ill|i will|im going to) die|swallow the lot|like not alive"
     r"|every (?:\w+ )?(?:pill|pills|tablet|tablets|ibuprofen|paracetamol|tylenol) in the house|\bshing\b"
     r"|s h (?:again|tonight|today)|clean from (?:cutting|self harm)(?: \w+){0,4} threw"
     r"|better off if i (?:just )?(?:wasnt|werent|was not) here|if i died in my sleep|by my own hand|where to tie it"
     r"|run(?:ning)? the (?:car|engine) in the (?:closed )?garage|until (?:im|i am) dead|once (?:im|i am) (?:dead|gone)"
     r"|(?:slice|slicing|sliced) my (?:arms?|wrists?|legs?|thighs?)|(?:hid|hide|hiding) (?:the|my) cuts|deserve to hurt"
     r"|(?:does it|would it) take to die|neck(?:ing)? myself|(?:be arsed|bothered) living"),
    ("planning my death", "en",
     r"(?:planning|plan|planned|plans for) my (?:death|suicide|funeral|exit)|(?:ways|way|how) to die"
     r"|(?:painless|easiest|quickest|best) way to (?:die|go)"),
    ("goodbye letters", "en",
     r"goodbye (?:letters?|notes?|messages?|texts?|videos?)(?! (?:to|for) (?:my )?(?:team|coworkers?|colleagues|boss"
     r"|class|students|tenants))|(?:suicide|farewell) (?:note|letter)s?"
     r"|giving (?:away )?(?:all )?my (?:things|stuff|belongings|possessions) away"
     r"|giving away (?:all )?my (?:things|stuff|belongings|possessions)|(?:note|letter) (?:for \w+ )?to find after"
     r"|(?:wont|will not) need (?:it|them|this|these|any of (?:it|this|them)) (?:where|anymore|any more|after)"
     r"|(?:told|tell|telling) (?:her|him|them) (?:its|it is|thats) for good"),
    ("I'll be dead / won't be alive", "en",
     r"(?:ill|i will|im going to|im gonna|i am going to) be dead|(?:dont|do not) plan on (?:being alive|living"
     r"|waking up|being here)|(?:wont|will not) be alive|taken my (?:own )?life|(?:enough|lethal enough) to kill me"
     r"|kill yourself|kys|(?:whether|decide|deciding) (?:to|if i should) jump|step in front of (?:it|a|the)"
     r"|until i (?:die|died|drown|drowned|stop breathing)|(?:wanna|want to|going to|gonna) rope"
     r"|(?:rope|noose) (?:is )?(?:hidden|ready|tied)|(?:disappointed|sad|upset|angry) (?:that )?i woke up"
     r"|(?:take|swallow|taking) every (?:pill|pills|tablet|tablets)|sleep for good"
     r"|check(?:ing)? out of (?:life|this world)|log(?:ging)? off (?:permanently|from life|for good)"
     r"|point (?:of|in) (?:me )?(?:still )?(?:being alive|living|staying alive)|why am i (?:still )?(?:alive|here)"
     r"|stop existing|cease to exist|(?:could|want to|wanna|wish i could|wishing i could) (?:just )?"
     r"(?:disappear|vanish|fade away|stop existing)|(?:fade|disappear|vanish)(?: away)? (?:and never come back"
     r"|for good|forever)|life(?: \w+){0,6} waiting (?:for it )?to be over"
     r"|(?:wasnt|werent|was not|were not) here on this earth"
     r"|(?:hope|hoping|hopes|praying|pray|wish|wishing)(?: \w+){0,8} (?:takes me|take me|goes down|crashes"
     r"|hits? me|falls? on me|dont recover|do not recover|kills? me|end things)"
     r"|(?:heart attack|accident|illness|cancer|disease|crash) would be (?:welcome|a relief|nice|a blessing)"
     r"|punish(?:ing|ed)? myself|(?:days|weeks|months) clean from (?:cutting|self harm)(?: \w+){0,4} (?:broke|relapsed)"
     r"|(?:knife|blade|razor|lighter|iron|cigarette)(?: \w+){0,4} against my (?:arm|skin|wrist|leg|thigh)s?"
     r"|(?:want|wanna|wish) to (?:go to )?sleep forever|(?:it|everything) would (?:all )?be over"
     r"|(?:wanted|want) it to hurt|(?:use|using) (?:them|it|those) on myself|mix(?:ed|ing)? (?:all )?(?:my )?"
     r"(?:pills|meds|tablets) with|(?:take|swallow|taking) (?:everything|all) in the (?:medicine )?cabinet"
     r"|i know which (?:bridge|building|beam|train|pills)|(?:beam|hook|branch|rafter) (?:\w+ ){0,3}(?:would |could )?"
     r"(?:hold|take) (?:me|my weight)|high enough to (?:jump|kill me|die)|(?:whoever|the person who) finds me"
     r"|before i go(?= \||$)|tired of (?:living|existing|being alive)|no point (?:in|to) (?:living|life)"),
    ("this is my last entry / going through with it", "en",
     r"(?:this is )?my last (?:entry|post|message)|this (?:weekend|week|night|friday|saturday|sunday) is (?:the"
     r"|my) last|go(?:ing)? through with it|(?:tomorrow|tonight) i end it|ending things(?! with\b)"
     r"|(?:have|got) a date picked"
     r"|(?:picked|chose|chosen|set) (?:a|the) date(?= \||$)|(?:ive|i have) decided(?: \w+){0,3} (?:do it|end it)"
     r"|(?:going to|gonna) do it (?:this time|for real|after my shift|im sure)|(?:rope"
     r"|noose) (?:is )?(?:already )?(?:in|ready|hidden)|my plan is to|walk into the (?:sea|ocean|river|lake)|(?:which"
     r"|what) (?:meds|pills|drugs) are (?:lethal|deadly)|lethal (?:together|dose)|carbon monoxide|how long (?:it takes"
     r"|does it take) to die|(?:service|my|dads) (?:pistol|gun|rifle)|(?:got|took) the (?:gun|pistol|rifle) out"
     r"|loaded (?:it|the gun|the pistol)|with my insulin|how much would be too much|driving off the road|(?:bought"
     r"|got) the rope(?! for\b)|(?:three|3|different|several) (?:different )?pharmacies|the note is under"
     r"|can have my (?:guitar"
     r"|books|things|stuff|car|clothes|games|dog|cat)|for a while(?: \w+){0,3} (?:it isnt|its not|it is not)"
     r"|cut (?:again|deeper)|(?:wanting|want) to cut(?! (?:my|the|her|his|a|an|down|back|out|off|ties|some)\b)"
     r"|(?:new|fresh) cuts|blade out of|pick(?:ing|ed)? at (?:the|my) cuts"
     r"|carv(?:ed|ing) (?:\w+ ){0,3}into my (?:leg|arm|skin|wrist)|bit my (?:own )?arm|cuts on my (?:wrist|arm|leg"
     r"|thigh)s?|clean from (?:cutting|self harm)(?: \w+){0,4} (?:ruined|lost|broke)|(?:took|swallowed|popped) (?:like "
     r"|about |around |maybe |over )?(?:\d{2,}|twenty|thirty|forty|fifty) (?:of )?(?:my )?(?:\w+ )?" + _MEDS
     + r"|(?:swallowed|took|downed|downing) (?:the |a )?(?:whole|entire) (?:strip|bottle|pack|box|blister)|(?:take|took"
     r"|swallow|swallowed) every (?:pill|pills|tablet)|(?:took|take|taking) all of (?:\w+ )?(?:morphine|oxy|oxycodone"
     r"|pills|meds|insulin)|six feet under|(?:want to|wanna|wish i could) (?:go to )?sleep forever|yeet(?:ing)? myself"
     r"|roping|delete myself|active si|si is (?:back|bad)|(?:want to|wanna) dye(?! (?:my|it|the|her|his|them|a|an"
     r"|some)\b)|(?:be|b) alive any ?more|cutt? my wrists|(?:had|held|holding) the (?:pills|gun|knife|blade"
     r"|rope) in my hand"),
    # Spanish
    ("suicidio / suicida", "es", r"suicid(?:io|ios|a|as|arme|arse|arte|ado|ada|arnos)"),
    ("matarme", "es",
     r"matarme|(?:me|nos) (?:quiero|quisiera|queria|voy a|vo a|gustaria|dan ganas de|dieron ganas de) matar"
     r"|me mato(?= (?:lo digo|en serio|de verdad|hoy|esta noche|ya)\b)"
     r"|desvivir(?:me)?|(?:irme|ir|salir|me voy) de este mundo|dejar este mundo|bajarme del mundo"
     r"|me (?:vaya|iba) a matar(?! a\b)"
     r"|(?:quiero|quisiera|ojala|ganas de|pudiera) (?:\w+ ){0,2}"
     r"(?:palmarla|colgar los tenis|estirar la pata|petatearme)|me quiera matar"),
    ("quiero morir", "es",
     r"(?:quiero|quisiera|queria|deseo|desearia|ganas de|prefiero|preferiria|ojala) (?:me )?"
     r"(?:morir(?:me)?|estar muert[oa]|no despertar(?:me)?|desaparecer)"
     r"|me (?:quiero|quisiera|queria) morir|ojala (?:me muriera|estuviera muert[oa]|no despierte)"
     r"|(?:ojala|quisiera|desearia) no haber nacido|(?:si|cuando) me muriera|nadie me (?:extranaria|echaria de menos)"
     r"|ojala me (?:pise|atropelle|choque|lleve) (?:un|el) (?:auto|coche|carro|camion|bus|colectivo|tren)"
     r"|me (?:atropell\w+|pis\w+|choc\w+) (?:\w+ ){0,6}(?:no me importaria|seria un alivio)"
     r"|(?:me da igual|da lo mismo|me importa poco) (?:vivir o morir|si vivo o muero|morir(?:me)?)"
     r"|prefer\w+ no seguir|si (?:yo )?no existiera|soy una carga para|les haria un favor si"
     r"|(?:mas facil|mejor) para (?:todos|ellos|mi familia) si (?:yo )?(?:no existiera|no estuviera|me muriera"
     r"|desapareciera)|(?:pensado|pensar|pensando|piensa|pensaba) en quitarse la vida"),
    ("no quiero vivir", "es",
     r"no (?:quiero|puedo|aguanto|deseo) (?:seguir )?(?:(?:vivir|viviendo)(?! (?:en|con|cerca|lejos|sol[oa]|juntos"
     r"|ahi|alli)\b)|existir|estar aqui|estar viv[oa]|seguir con vida|despertar)|no existir mas"
     r"|no vale la pena (?:vivir|seguir)|no tengo (?:razones|motivos|ganas) (?:para|de) (?:vivir|seguir)"
     r"|(?:sin|ninguna) razon para vivir|(?:estarian|estaria|estan|estaran) (?:todos )?mejor (?:sin mi|si (?:yo )?"
     r"(?:estuviera muert[oa]|no estuviera|me muriera|no existiera|desapareciera))"),
    ("me quito la vida / me mato", "es",
     r"me quit(?:o|e) la vida|(?:y|si|ya|hoy|manana|convencer|lunes|martes|miercoles|jueves|viernes|sabado|domingo)"
     r" me mato\b|(?:fin de semana|finde|noche|semana|mes) me mato\b"
     r"|me mato (?=(?:y|despues|antes|esta|hoy|manana|ya|lo digo|en serio|de verdad)\b)"
     r"|(?:por que|cuando|despues de que|para cuando) (?:yo )?me (?:mate|muera|quite la vida|haya (?:muerto|matado))"
     r"|no (?:voy a|pienso|planeo) estar viv[oa]|voy a estar muert[oa]|para que sigo viv[oa]"
     r"|(?:si|cuando) (?:yo )?(?:me muriera|ya no estuviera|no estuviera viv[oa])|no estuviera viv[oa]"
     r"|(?:nunca|no) hubiera nacido|no me importaria (?:no despertar|morir(?:me)?|dejar de existir)"
     r"|(?:para|hasta) morirme|empastillar(?:me)?|clavarmelo|clavarme (?:el|un) cuchillo|matate"
     r"|dar(?:me)? piso|(?:me la quiero|quiero) palmar|petatear(?:me)?|chupar faros|unalivear(?:me)?"
     r"|dejar de existir|quitarme del medio|dar(?:me)? de baja de la vida|estar en este mundo"
     r"|irme (?:para siempre )?de esta vida|(?:voy a|quiero) (?:hacer(?:me)? dano|lastimar(?:me)?)"
     r"|(?:ojala|deseo|desea|pido|pidiendo|esperando|espero|rezo|quisiera que|quiero que)(?: \w+){0,8}"
     r" (?:me (?:lleve|arrolle|arrollara"
     r"|atropelle|atropellara|pase por encima|pasara por encima|mate|matara)|se (?:caiga|cayera|estrelle|estrellara)"
     r"|no me (?:levante|despierte|recupere)|se (?:acabe|acabara|termine|terminara) todo|me (?:diera|de) un infarto"
     r"|no volver nunca|no despertar)|vida(?: \w+){0,6} (?:se termine|se acabe)"
     r"|(?:tomarme|tomar|me tome|tragarme) (?:todas|todos|toda|todo) (?:mis |las |los |el |la )?"
     r"(?:pastillas|pildoras|frasco|caja|\w+pam|\w+lam|fluoxetina|sertralina)"
     r"|me (?:corte|corto|he cortado) (?:en )?(?:las|los|el|la|mis) (?:venas|brazos|brazo|piernas|pierna|muslos"
     r"|munecas|muneca)|(?:limpia|limpio) de cortes|golpe\w* (?:la cabeza )?contra la pared"
     r"|hasta (?:sacarme sangre|que (?:me )?sangr\w+)|castigarme|punetazos a la pared"
     r"|(?:plancha|cuchillo|navaja|cuchilla|encendedor|cigarro)(?: \w+){0,4} (?:en|contra) (?:el|la|los|las|mi|mis)"
     r" (?:brazo|brazos|piel|muneca|munecas|pierna|piernas|muslo|muslos)"
     r"|me (?:atropell\w+|arroll\w+) (?:\w+ ){0,6}(?:alivio|no me importaria|mejor)|cortar(?:me)? las venas"
     r"|(?:y|que) no (?:me )?despertara|no (?:le )?encuentro sentido a (?:vivir|la vida|seguir)"
     r"|cansad[oa] de (?:existir|vivir)|que todo se acabe para siempre|esta noche lo hago"
     r"|lo voy a hacer (?:esta noche|el (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)|de verdad|cuando)"
     r"|volver a intentar(?:lo)?(?= \||$)|no es si es cuando"
     r"|no voy a estar (?:mucho tiempo )?(?:mas )?(?:por aca|por aqui|aqui)(?: mucho tiempo)?"
     r"|ya se (?:que|cual) (?:puente|edificio|viga|tren)|(?:viga|rama|gancho) (?:\w+ ){0,3}(?:aguant\w+|sosten\w+)"
     r" (?:mi peso|conmigo)|para quien me encuentre|nadie me encuentr\w+ hasta|para despedirme sin que"
     r"|(?:me pego|pegarme|me pegue) (?:\w+ ){0,3}contra la pared|ya no estar aqui|me (?:e|he) vuelto a cortar"
     r"|pienso (?:mucho )?en (?:estar muert[oa]|morir(?:me)?|matarme)|si no despierto (?:\w+ ){0,2}me da igual"
     r"|me da igual si (?:no despierto|me muero)"
     r"|me queme (?:el|la|los|las) (?:brazo|brazos|muneca|munecas|pierna|piernas|piel) con (?:el|un|una|la)"
     r" (?:encendedor|cigarro|cerillo|fosforo|plancha)"
     r"|si (?:\w+ ){0,3}me mato\b|si me tiraba|me voy a tirar(?! (?:a la|al|en la|en el|a el) (?:piscina|pileta|cama"
     r"|sofa|playa|mar|agua|suelo|rio)\b)|queria que (?:me )?doliera"
     r"|(?:me tomo|tomarme|me tome|tomar) (?:toda|todas|todo|todos) (?:\w+ ){0,3}de una vez"
     r"|(?:mezcle|mezclar|mezclando) (?:todas )?(?:mis |las )?pastillas con"
     r"|(?:escondi|compre|tengo|consegui|prepare) (?:la|una) (?:soga|cuerda)(?! (?:para|del) (?:el )?(?:columpio"
     r"|tendedero|saltar|amarrar|atar)\b)|apagarme (?:y|para siempre)"),
    ("este fin de semana es el último / lo hago", "es",
     r"no (?:le )?veo sentido a (?:seguir|vivir|estar)|ojala me (?:diera algo y )?muer\w+|me muriera de una vez"
     r"|si (?:manana )?no amanezco|pa(?:ra)? que sigo aqui|(?:este|esta) (?:fin de semana|finde|mes|viernes|sabado"
     r"|domingo|noche) es (?:el|la) ultim[oa]|mi ultima (?:entrada|nota|pagina|noche)|(?:esta noche|hoy) me mato"
     r"|voy a hacerlo|lo hago (?:antes|despues|esta|el|cuando)|no llego al (?:lunes|martes|miercoles|jueves|viernes"
     r"|sabado|domingo|fin de mes)|ya tengo la fecha|cuando se venda (?:\w+ ){0,2}me mato|hoy es la noche(?= \||$| ya)"
     r"|no voy a cumplir (?:los )?\d+|ya lo tengo pensado|(?:que|cual) arbol|la soga (?:ya )?(?:esta|en)"
     r"|pienso tirarme|(?:que|cuales) medicamentos son letales|letales juntos|con la pistola|todo lo del botiquin"
     r"|monoxido|cuanto se tarda en morir|meterme al mar|con la insulina|cuanto seria demasiado"
     r"|donde voy no (?:los|las|lo|la) necesito|cuando (?:yo )?(?:ya )?no este\b(?! (?:tan|mas|muy|asi)\b)"
     r"|quien me encuentre|(?:saque|saco) el arma|el arma (?:esta )?cargada|la cargue"
     r"|se quede con mi (?:guitarra|libros|cosas|ropa|perro|gato|moto|carro)|antes de irme(?= \||$)"
     r"|la carta esta debajo|cabezazos contra la pared|los cortes (?:nuevos|de la muneca)|cortes nuevos"
     r"|cuchilla del sacapuntas|me lastim\w+ (?:otra vez|de nuevo|a proposito)|me hice cortes|me muerdo el brazo"
     r"|(?:me )?trague todo el (?:blister|frasco|sobre|paquete)|me pase de pastillas|me tome el doble de"
     r"|todo el pastillero|toda la morfina|como \d+ (?:acetaminofen|paracetamol\w*|ibuprofeno\w*|pastillas)"
     r"|me empastille|pegar(?:me)? un tiro|al otro barrio|mimir para siempre|dar(?:me)? de baja del planeta"
     r"|ojala me muera|(?:me quiero|quiero) cortar(?:me)?(?! (?:el|la|los|las) (?:pelo|cabello|flequillo|unas|barba"
     r"|fleco|puntas)\b)|ya no quiero seguir(?! (?:con|en|asi|haciendo|trabajando|estudiando|yendo)\b)"
     r"|tenia las pastillas en la mano|el que avisa no se mata|que se acabe mi vida|ojala(?: \w+){0,8} me muriera"
     r"|me muero de una vez|(?:acabo|termino) con mi vida|hago me mato|me voy a aventar|usar(?:la|lo)? conmigo"
     r"|pastillas que (?:he|tengo) guardad[ao]s?|estrellar(?:me)? (?:el|mi) (?:auto|carro|coche) contra"
     r"|caida (?:\w+ ){0,2}mortal|veneno (?:\w+ ){0,8}(?:tomarmelo|para tomarme)|encuentre mi cuerpo"
     r"|no (?:pienso|quiero|voy a) seguir viv[oa]|haciendo dano|recai (?:\w+ ){0,3}cortes|me sigo cortando"
     r"|sigo cortandome|reventarme los nudillos|me trague (?:todo|toda|todos|todas) (?:el|la|los|las|mis) (?:\w+ )?"
     r"(?:pastillas|pildoras|sertralina|fluoxetina|clonazepam|medicinas|paracetamol)|tomarmel[oa]s? tod[oa]s? de una"
     r"|a ver si (?:asi )?me muero|me cuelgo|sobredosificar(?:me)?|muert[oa] (?:para|antes del?) (?:el )?(?:lunes"
     r"|martes|miercoles|jueves|viernes|sabado|domingo|fin de semana|finde)|(?:estarias|estaria) mejor muert[oa]"
     r"|no encontre la cuchilla|pastillas contadas|(?:la|el) que se quiere morir (?:\w+ ){0,2}soy yo"
     r"|estarian mejor (?:\w+ ){0,8}que conmigo|estar viv[oa](?= \||$)|si no despierto (?:\w+ ){0,2}(?:seria un alivio"
     r"|mejor)|meter (?:el|mi) (?:carro|auto|coche) al (?:rio|mar|lago)|me rajo|rajarme|(?:escondo|esconder|escondi)"
     r" los cortes|hacen falta para morir|(?:tomarme|me tome|tragarme) el (?:blister|frasco|bote) entero"
     r"|dormir para siempre|me voi a matar|me de algo grave|para que todo se acabe"
     r"|no me (?:importaria|molestaria) (?:no despertar|morir(?:me)?|dejar de existir)|decidi (?:morir(?:me)?|matarme"
     r"|quitarme la vida)|ya no voy a estar(?= \||$)|me colgaria|tomarmel[oa]s tod[oa]s|autoelimin\w*"
     r"|un blister entero"),
    ("quitarme la vida", "es",
     r"quitarme la vida|me (?:\w+ ){0,2}quitar la vida|(?:acabar|terminar|poner fin) (?:con|a) mi (?:propia )?vida"
     r"|(?:acabar|terminar) con todo(?! (?:el|la|lo|los|las|esto|eso|mi|tu|su)\b)"),
    ("hacerme daño / cortarme", "es",
     r"(?:hacerme|me hago|me hice|me he hecho) dano|lastimarme|autolesion(?:es|arme|ando|e)?"
     r"|cortarme(?! (?:el|los|las|la|un|una) (?:pelo|cabello|flequillo|unas|barba|fleco|puntas|melena)\b)"
     r"|me (?:corte|corto|he cortado|volvi a cortar|sigo cortando) (?:las venas|los brazos|el brazo|las piernas"
     r"|las munecas|la muneca|otra vez|de nuevo|a proposito)|(?:volvi a|sigo|empece a) (?:cortarme|lastimarme)"
     r"|me (?:volvi|he vuelto|vuelvo) a cortar"
     r"(?! (?:el|la|los|las) (?:pelo|cabello|flequillo|unas|barba|fleco|puntas)\b)|(?:cortarme|abrirme) las venas"
     r"|me (?:queme|corte|golpee|lastime|hice dano|arane|rasgue) (?:\w+ ){0,4}a proposito"
     r"|(?:golpearme|me golpee|me golpeo|darme golpes|me di golpes) (?:\w+ ){0,3}contra la pared"
     r"|me corto(?! (?:el|la|los|las|un|una) (?:pelo|cabello|flequillo|unas|barba|fleco|puntas|melena|dedo|pan|yeso"
     r"|venda|vendaje|ropa)\b)"
     r"(?! con (?:el|la|un|una) (?:papel|cuchillo|vidrio|hoja)\b)|me \w+ (?:\w+ ){0,5}hasta (?:sangrar|que sangr\w+)"),
    ("sobredosis / pastillas", "es",
     r"sobredosis|(?:tome|me tome|tomarme|tragarme|me trague|tomar) (?:demasiadas|un monton de|un frasco de"
     r"|el frasco de|la caja entera de|toda la caja de|todas las) (?:pastillas|pildoras|medicinas|medicamentos"
     r"|tabletas)(?! (?:de la semana|del dia|como|que me|a la hora|a tiempo)\b)"
     r"|(?:juntando|guardando|acumulando) (?:pastillas|pildoras)"
     r"|(?:tome|me tome|tomarme|tragarme|me trague|tomar)"
     r" (?:el frasco entero|la caja entera|toda la caja|el bote entero)"
     r"|cuantas (?:pastillas|pildoras)(?: de \w+)? (?:necesito|hacen falta|harian falta|me tendria que tomar)"
     r"|(?:guardando|juntando|junte|junto|acumulando|escondiendo|escondo|escondi) (?:todos |todas )?(?:las|los|mis)"
     r" (?:\w+ ){0,2}" + _PASTILLAS
     + r"|(?:me tome|tome|trague|me trague) (?:como |unas |unos )?(?:\d{2,}|veinte|treinta|cuarenta|cincuenta"
     r"|un punado de) " + _PASTILLAS + r"|(?:me tome|tome|trague|me trague) (?:\w+ ){0,6}a proposito"
     r"|me pase con (?:las|los|mis) " + _PASTILLAS),
    ("tirarme de un puente / ahorcarme", "es",
     r"(?:tirarme|aventarme|lanzarme|arrojarme|me tire|me tiro|me tiraria|me voy a tirar|me quiero tirar|me avento"
     r"|me lanzo) (?:de|del|desde|por|al|a las"
     r"|bajo|frente a|delante de) (?:un |una |el |la |los |las )?(?:puente|edificio|azotea|balcon|ventana|techo|tren"
     r"|metro|vias|vacio|acantilado|autobus|camion|carro|coche|ultimo piso|piso)|ahorcarme|colgarme (?:de|del)"
     r"|pegarme un tiro"
     r"|para (?:tirarme|colgarme|aventarme)|(?:compre|tengo|consegui) (?:una |la )?cuerda (?:\w+ ){0,5}colgar\w*"),
    ("no despertar nunca", "es",
     r"(?:dormir y|dormirme y|quiero|quisiera|para|ojala) no (?:volver a )?despertar(?:me)?"
     r"|no (?:volver a )?despertar(?:me)? (?:nunca|mas|jamas)|desaparecer para siempre"
     r"|no me (?:vuelva a )?despiert[ea] (?:mas|nunca|jamas)|ojala no (?:me )?desper\w*"),
    ("planeando mi muerte / despedida", "es",
     r"(?:planeando|planear|planeo|plane) mi (?:muerte|suicidio|funeral)"
     r"|pensando en como (?:matarme|morir|suicidarme|quitarme la vida)"
     r"|(?:cartas?|notas?|mensajes?) de despedida|(?:regalar|regalando|regale) (?:todas )?mis cosas"
     r"|despedirme (?:de todos )?para siempre|ya no (?:lo|la|los|las) voy a necesitar"
     r"|(?:regale|regalar|regalando|di|dando|deje) (?:\w+ ){1,10}(?:es|sea) para siempre"
     r"|cuando ya no este(?! (?:tan|mas|muy|asi|\w+ad[oa]|\w+id[oa])\b)|cuando me haya ido"
     r"|carta (?:\w+ ){0,6}para que la (?:encuentren|lean|encuentre)"),
    # Read on set 16 (measured first, then read): ways of saying it no earlier set had.
    ("take myself out of the picture", "en", r"take myself out (?:of the picture|permanently|for good)"),
    ("me voy a colgar / termino con todo", "es",
     r"me (?:voy a|vaya a|quiero|pienso) colgar(?! (?:el|la|los|las|un|una|al|mi|mis|su|sus|esto|eso|ropa)\b)"
     r"|(?:termino|terminar|termine|terminare) con todo(?! (?:el|la|lo|los|las|mi|mis|esto|eso|hoy|antes|lo que)\b)"),
)

# Everyday uses taken out before the phrases are looked for (over read() text).
NEAR_MISSES = (
    r"suicide squad|escuadron suicida|(?:career|political|social|professional|commercial) suicide"
    r"|suicidio (?:politico|profesional|social|comercial)|virgin suicide|suicide is painless",
    r"suicide prevention(?! (?:line|lifeline)\b)|prevencion del suicidio",
    r"suicide (?:bomb\w*|doors?|mission|run)",
    rf"cut(?:ting)? {_MYSELF} (?:\w+ ){{0,2}}{_KITCHEN}",
    rf"burn(?:ed|t|ing)? {_MYSELF} (?:\w+ ){{0,2}}{_KITCHEN}",
    rf"overdos(?:e|es|ed|ing) (?:on|of) (?:\w+ ){{0,1}}{_FOOD}|sobredosis de (?:\w+ ){{0,1}}{_FOOD}|{_FOOD} overdose"
    r"|(?:las|sus) sobredosis|(?:his|her|their) overdose|overdose (?:crisis|epidemic|deaths?|rates?|awareness)"
    r"|sobredosis de (?:un|una|el|la) (?:\w+ )?(?:cantante|actor|actriz|famos[oa]|rapero|artista|futbolista)",
    r"morir(?:me)? de (?:la )?(?:verguenza|risa|ganas|hambre|sueno|calor|frio|aburrimiento|amor|pena|envidia|miedo)",
    r"matar(?:me)? (?:estudiando|trabajando|de risa|a trabajar|a estudiar|en el gym|en el gimnasio|de hambre)",
    r"(?:she|he|they) (?:\w+ ){0,2}self harm\w*",
    r"(?:disappear|desaparecer)(?: \w+){0,2} (?:under|into|bajo|debajo de|en) (?:my|the|las|los|la|el|mis)"
    r" (?:duvet|covers|blankets?|bed|cobijas|sabanas|cama)|(?:disappear|desaparecer) (?:into|in|en) (?:a|an|un|una)"
    r" (?:book|libro|game|juego|series|show|novel|novela)|last (?:entry|post) (?:in|of|for) (?:this|the)"
    r" (?:notebook|journal|diary|year|month|week)|ultima entrada (?:de|del) (?:la )?(?:semana|mes|ano|cuaderno|diario)",
    r"(?:villain|character|hero|stuntman|diver|kids?|he|she|they) (?:\w+ ){0,2}jump\w* (?:off|from)"
    r"|(?:risk of|avoid|prevent|no) (?:an? )?overdose",
    r"(?:died|dies) by suicide|committed suicide|murio de (?:una )?sobredosis"
    r"|suicide (?:level|wings|sauce|hot|squeeze)|se suicid\w*|rather die than",
    r"(?:son|daughter|brother|sister|friend|neighbor|neighbour|coworker|cousin|uncle|aunt)s? (?:\w+ ){0,3}overdosed"
    r"|(?:hijo|hija|hermano|hermana|amigo|amiga|vecino|vecina|primo|prima|tio|tia) (?:de \w+ )?(?:\w+ ){0,3}"
    r"tuvo una sobredosis",
    # From set 16's first measurement: someone else's overdose, self-harm or attempt, and training.
    r"who (?:\w+ ){0,1}overdos\w*|(?:se|te) autolesiona\w*|intento suicidarse|su intento de suicidio"
    r"|self harm (?:awareness|training|prevention|policy|module|workshop)"
    r"|suicide (?:barriers?|nets?|fences?)",
)

_PHRASES = tuple((name, re.compile(rf"\b(?:{pattern})\b")) for name, _, pattern in PHRASES)
_NEAR_MISSES = re.compile("|".join(rf"\b(?:{pattern})\b" for pattern in NEAR_MISSES))
# Every phrase in one pattern: whether a text holds any of them is one search, not one per phrase.
_ANY_PHRASE = re.compile("|".join(pattern.pattern for _, pattern in _PHRASES))


def _readings(text: str | None) -> tuple[str, str]:
    """``text`` read, near misses taken out: with its sentence ends (" | ", for the phrases that end
    a sentence: "I want to dye.") and without them ("kill. my. self.")."""
    with_ends = " ".join(_NEAR_MISSES.sub(" ~ ", read(text)).split())
    return with_ends, " ".join(word for word in with_ends.split() if word != "|")


def crisis_phrases(text: str | None) -> tuple[str, ...]:
    """The names of the phrases found in ``text`` (empty when none)."""
    readings = _readings(text)
    return tuple(name for name, pattern in _PHRASES if any(pattern.search(plain) for plain in readings))


def mentions_crisis(*texts: str | None) -> bool:
    """True if any of ``texts`` holds crisis language."""
    # Nothing is remembered between calls: these are patients' own words (services.safety asks
    # once per save and passes the answer on).
    return any(_ANY_PHRASE.search(plain) for text in texts if text for plain in _readings(text))


class ClientRules(TypedDict):
    keywords: list[str]
    known: list[str]
    look_alikes: dict[str, str]
    phrases: list[str]
    near_misses: list[str]


def client_rules() -> ClientRules:
    """The same rules for the browser (static/js/outbox.js), as JSON: patterns in syntax
    JavaScript reads the same way (no look-behind)."""
    return {"keywords": list(KEYWORDS), "known": sorted(KNOWN_WORDS), "look_alikes": LOOK_ALIKES,
            "phrases": [rf"\b(?:{pattern})\b" for _, _, pattern in PHRASES],
            "near_misses": [rf"\b(?:{pattern})\b" for pattern in NEAR_MISSES]}
