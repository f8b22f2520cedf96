"""Message ids with their values: the words insights and services return, worded later in the
reader's language. Imports only timeutil, so insights stay pure (docs/ARCHITECTURE.md).

A ``Msg`` is the English text (the gettext catalog's message id, with ``%(name)s`` placeholders) and
the values to put in it. It becomes text only when shown: ``str(msg)`` (which Jinja, f-strings and
marshmallow's String field all call) words it through the translator the web layer installs for
the request's language (``diary/web/i18n.py``); with none installed, in English. Values may be
dates (worded as the reader's dates read: "Sat 5 Dec", "sáb 5 dic"), other messages, or plain
numbers and names.

``msg``, ``plural_msg``, ``context_msg`` and ``N_`` are the keywords `pybabel extract` looks for (babel.cfg).
"""
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .timeutil import short_date, weekday_and_day


@dataclass(frozen=True)
class DayOnly:
    """A date worded without its month and year ('Wed 9', 'mié 9'): the first of two days in one
    month, as in "between Wed 9 and Sun 13 Dec"."""
    day: dt.date


class _Text:
    """What Msg and Official share: a text worded only when ``str()`` is called on it (subclasses
    define ``__str__`` and ``english``). Like Flask-Babel's LazyString, anything asked of it is
    asked of the worded text (``label.lower()``, ``"x" in label``, ``label + "!"``, sorting)."""
    __slots__ = ()

    def english(self) -> str:
        raise NotImplementedError

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(str(self), name)

    def __contains__(self, item: str) -> bool:
        return item in str(self)

    def __len__(self) -> int:
        return len(str(self))

    def __add__(self, other: str) -> str:
        return str(self) + other

    def __radd__(self, other: str) -> str:
        return other + str(self)

    def __lt__(self, other: object) -> bool:
        return str(self) < str(other)

    def __hash__(self) -> int:
        # Equal to its English text (``__eq__``), so hashed as it: a message and that text are one set member.
        return hash(self.english())


class Msg(_Text):
    """A message id, its plural form and count if it has one, and the values it names."""
    __slots__ = ("id", "plural", "count", "args", "braces", "context", "worded")

    def __init__(self, id: str, args: Mapping[str, Any] | None = None, *, plural: str | None = None,
                 count: int | None = None, braces: bool = False, context: str | None = None) -> None:
        self.id = id
        self.plural = plural
        self.count = count
        self.args = dict(args or {})
        # gettext's context: the same English word worded apart where a language tells them apart
        # ("moderate" side effect and "moderate" anxiety are masculine and feminine in Spanish).
        self.context = context
        # marshmallow fills its validators' error messages with str.format ("{max}"): a message
        # given to one as ``error=`` is filled the same way, when worded (``format``).
        self.braces = braces
        # The translator's last wording of it, with what that wording depended on (its own business:
        # not part of the message).
        self.worded: tuple[Any, str] | None = None

    def format(self, *positional: Any, **args: Any) -> "Msg":
        """The message with ``{name}`` values given (as marshmallow's validators call str.format)."""
        return Msg(self.id, {**self.args, **args}, plural=self.plural, count=self.count, braces=True,
                   context=self.context)

    def __str__(self) -> str:
        return _translator(self)

    def __repr__(self) -> str:
        return f"Msg({self.id!r}, {self.args!r})"

    def english(self) -> str:
        """The English wording, whatever the reader's language (logs, commands, tests)."""
        return word(self, lambda text: text, lambda one, many, n: one if n == 1 else many, english_date, english=True)

    def __eq__(self, other: object) -> bool:
        # A message equals the English text it words to, so code and tests written against the
        # English sentence read the same.
        if isinstance(other, str):
            return self.english() == other
        if isinstance(other, Msg):
            return (self.id, self.plural, self.count, self.args) == (other.id, other.plural, other.count, other.args)
        return NotImplemented

    __hash__ = _Text.__hash__  # (a class defining __eq__ loses its inherited __hash__)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able copy (stored dashboard lines): dates as ISO strings under ``dates``."""
        args: dict[str, Any] = {}
        dates: list[str] = []
        for name, value in self.args.items():
            if isinstance(value, Msg):
                args[name] = {"msg": value.to_json()}
            elif isinstance(value, DayOnly):
                args[name] = {"day_only": value.day.isoformat()}
            elif isinstance(value, dt.date):
                args[name] = value.isoformat()
                dates.append(name)
            else:
                args[name] = value
        return {"id": self.id, "plural": self.plural, "count": self.count, "args": args, "dates": dates,
                "braces": self.braces, "context": self.context}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Msg":
        args: dict[str, Any] = {}
        for name, value in data["args"].items():
            if isinstance(value, dict) and "msg" in value:
                args[name] = cls.from_json(value["msg"])
            elif isinstance(value, dict) and "day_only" in value:
                args[name] = DayOnly(dt.date.fromisoformat(value["day_only"]))
            elif name in data.get("dates", ()):
                args[name] = dt.date.fromisoformat(value)
            else:
                args[name] = value
        return cls(data["id"], args, plural=data.get("plural"), count=data.get("count"),
                   braces=data.get("braces", False), context=data.get("context"))


class Official(_Text):
    """A text as published in each language (the questionnaires' official forms): chosen by the
    reader's language when shown, never put in the catalog, so no translation can reword it."""
    __slots__ = ("texts",)

    def __init__(self, **texts: str) -> None:
        self.texts = texts

    def __str__(self) -> str:
        return self.texts.get(_language(), self.texts["en"])

    def __repr__(self) -> str:
        return f"Official({self.texts['en']!r})"

    def english(self) -> str:
        return self.texts["en"]

    def in_language(self, language: str) -> str:
        return self.texts.get(language, self.texts["en"])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return self.texts["en"] == other
        if isinstance(other, Official):
            return self.texts == other.texts
        return NotImplemented

    __hash__ = _Text.__hash__  # (a class defining __eq__ loses its inherited __hash__)


def msg(text: str, /, **args: Any) -> Msg:
    """A message: ``msg("Checked in at %(score)s on %(day)s", score=9, day=date)``."""
    return Msg(text, args)


def context_msg(context: str, text: str, /, **args: Any) -> Msg:
    """A message with a gettext context: ``context_msg("side effect", "moderate")``."""
    return Msg(text, args, context=context)


def plural_msg(one: str, many: str, count: int, /, **args: Any) -> Msg:
    """A message with a plural form chosen by ``count`` (also given to the text as ``num``):
    ``plural_msg("%(num)d day", "%(num)d days", 3)``."""
    return Msg(one, {"num": count, **args}, plural=many, count=count)


def N_(text: str) -> str:
    """Marks a fixed text (a label in a table) for the catalog; the reader's language is chosen
    where it is shown (``diary/web/i18n.py``)."""
    return text


Gettext = Callable[[str], str]
Pgettext = Callable[[str, str], str]
Ngettext = Callable[[str, str, int], str]
DateWords = Callable[[dt.date | DayOnly], str]


def english_date(value: dt.date | DayOnly) -> str:
    """'Sat 5 Dec' (timeutil.short_date), or 'Sat 5' for a DayOnly."""
    return weekday_and_day(value.day) if isinstance(value, DayOnly) else short_date(value)


def word(message: Msg, gettext: Gettext, ngettext: Ngettext, date_words: DateWords, *, english: bool = False,
         pgettext: Pgettext | None = None) -> str:
    """``message`` in the language of ``gettext``/``ngettext``/``pgettext``, its dates worded by
    ``date_words`` (``english``: the official texts inside it in English too)."""
    def value_of(value: Any) -> Any:
        if isinstance(value, Msg):
            return word(value, gettext, ngettext, date_words, english=english, pgettext=pgettext)
        if isinstance(value, dt.date | DayOnly):
            return date_words(value)
        if english and hasattr(value, "english"):
            return value.english()
        return str(value) if isinstance(value, Official) else value
    values = {name: value_of(value) for name, value in message.args.items()}
    if message.plural is not None and message.count is not None:
        text = ngettext(message.id, message.plural, message.count)
    elif message.context is not None and pgettext is not None:
        text = pgettext(message.context, message.id)
    else:
        text = gettext(message.id)
    if message.braces:
        return text.format(**values)
    # Always %-formatted, as Jinja's gettext does: a literal percent sign is written "%%".
    return text % values


def _english(message: Msg) -> str:
    return message.english()


_translator: Callable[[Msg], str] = _english
_language: Callable[[], str] = lambda: "en"


def use_translator(translator: Callable[[Msg], str], language: Callable[[], str]) -> None:
    """How ``str(msg)`` words every message from now on, and which language an Official text is
    shown in (the web layer installs both at start)."""
    global _translator, _language
    _translator, _language = translator, language
