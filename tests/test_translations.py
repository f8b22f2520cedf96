"""Every word the app shows goes through the catalog, and the Spanish catalog words all of them
(docs/TRANSLATING.md).

Two checks, each failing with the list of what is wrong:
- the templates: their own text (everything outside ``{{ }}``/``{% %}``), and the attributes
  people read or hear (``title``, ``aria-label``, ``placeholder``, ``data-label``…), hold no words;
- the catalog: every message `pybabel extract` finds in the code and templates (as `make
  translations` runs it) has a Spanish translation that isn't fuzzy and keeps its placeholders.
"""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
CATALOG = ROOT / "diary" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
# The keywords the Makefile's EXTRACT gives pybabel, besides Babel's own (_, gettext, ngettext, N_ …).
KEYWORDS = {"msg": None, "plural_msg": (1, 2), "context_msg": ((1, "c"), 2)}

# Attributes a person reads or hears. data-label is shown by the stylesheet (the table cells'
# headings on a phone); value only on buttons.
SPOKEN = {"title", "alt", "placeholder", "aria-label", "aria-description", "aria-roledescription", "label",
          "data-label"}
BUTTONS = {"submit", "button", "reset"}
# Not words in any language: instrument names, units, symbols.
NOT_WORDS = re.compile(r"^(?:GAD-7|PHQ-9|mg|kg|mg/kg|mmHg|UTC|JSON|CSV|FHIR|FHIR R4|ABCD-EFGH-JKMN-PQRS|"
                       r"English|Español|[\W\d_]*)$")


class _Words(HTMLParser):
    """The text nodes and spoken attributes of an HTML fragment that hold letters."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        for name, value in attrs:
            if value and (name in SPOKEN or (name == "value" and tag in ("button", "input")
                                             and values.get("type") in BUTTONS)):
                self._add(f'{name}="{value}"', value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._add(" ".join(data.split()), data)

    def _add(self, shown: str, text: str) -> None:
        text = " ".join(text.split())
        if text and not NOT_WORDS.match(text):
            self.found.append(shown)


def words_outside_the_catalog(source: str, env) -> list[str]:
    """The words a template's own text shows: its data between Jinja's tags, HTML-parsed (each tag
    of Jinja's stands in as a space, so "{{ x }} items" still shows "items")."""
    parts = []
    for _, kind, value in env.lex(source):
        parts.append(value if kind == "data" else " ")
    parser = _Words()
    parser.feed("".join(parts))
    parser.close()
    return parser.found


def test_templates_show_no_words_of_their_own(app):
    offences = [f"{path.relative_to(TEMPLATES)}: {text}"
                for path in sorted(TEMPLATES.rglob("*.html"))
                for text in words_outside_the_catalog(path.read_text(encoding="utf-8"), app.jinja_env)]
    assert offences == []


def test_the_template_check_sees_a_bare_word(app):
    """The check above would pass vacuously if it read nothing."""
    source = ('<h1>{{ _("Today") }}</h1><p>Saved {{ n }} times</p><button aria-label="Close">×</button>'
              '<td data-label="{{ _("Day") }}">{{ day }}</td><script>let x = "words";</script>')
    assert words_outside_the_catalog(source, app.jinja_env) == ["Saved times", 'aria-label="Close"']


def extracted_messages() -> dict[tuple, tuple]:
    """Every message `make translations` extracts: (id, context) -> (id, plural) as Babel reads them."""
    method_map, options_map = parse_mapping_cfg((ROOT / "babel.cfg").open(encoding="utf-8"))
    found = {}
    for _, _, message, _, context in extract_from_dir(str(ROOT), method_map, options_map, keywords={
            **{"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}, **KEYWORDS}):
        key = (message[0] if isinstance(message, tuple) else message, context)
        found[key] = message
    return found


@pytest.fixture(scope="module")
def catalog():
    with CATALOG.open("rb") as file:
        return read_po(file, locale="es")


def test_the_makefile_extracts_with_the_same_keywords():
    extract = re.search(r"^EXTRACT := (.*(?:\\\n.*)*)", (ROOT / "Makefile").read_text(), re.M).group(1)
    for keyword, spec in KEYWORDS.items():
        parts = [] if spec is None else [f"{p[0]}{p[1]}" if isinstance(p, tuple) else str(p) for p in spec]
        assert f"-k {keyword}{':' + ','.join(parts) if parts else ''}" in extract


def test_every_message_has_its_spanish(catalog):
    messages = extracted_messages()
    assert len(messages) > 500, "extraction found too little: is babel.cfg read?"
    held = {key: catalog.get(*key) for key in messages}
    missing = sorted(key[0] for key, message in held.items() if message is None)
    untranslated = sorted(key[0] for key, message in held.items() if message is not None and not _translated(message))
    fuzzy = sorted(key[0] for key, message in held.items() if message is not None and message.fuzzy)
    assert {"missing from the .po (run make translations)": missing, "without Spanish": untranslated,
            "fuzzy": fuzzy} == {"missing from the .po (run make translations)": [], "without Spanish": [], "fuzzy": []}


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(s.strip() for s in strings)


def test_placeholders_are_read_with_their_formats():
    assert placeholders("Must be at most {max:,} characters, %(num)d and %(mean).1f.") == {
        "{max:,}", "%(num)d", "%(mean).1f"}


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)[sdf]|%\(\w+\)\.\d+f|\{\w+(?::[^}]*)?\}", text))


def test_translations_keep_every_placeholder(catalog):
    wrong = []
    for message in catalog:
        if not message.id or not _translated(message):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(placeholders(i) for i in ids))
        for string in strings:
            # A plural form may leave out the count (Spanish "un día"), never add or rename one.
            if not placeholders(string) <= expected or (
                    len(ids) == 1 and placeholders(string) != expected):
                wrong.append(f"{ids[0]!r} -> {string!r}")
    assert wrong == []


def test_the_compiled_catalog_is_the_po(catalog):
    """The committed .mo (what the app reads) says what the .po says: `make translations` compiles it."""
    with CATALOG.with_suffix(".mo").open("rb") as file:
        compiled = read_mo(file)

    def words(messages):
        def frozen(value):
            return tuple(value) if isinstance(value, list | tuple) else value
        return {(frozen(m.id), m.context): frozen(m.string) for m in messages if m.id and not m.fuzzy and m.string
                and (not isinstance(m.string, list | tuple) or all(m.string))}
    assert words(compiled) == words(catalog)
