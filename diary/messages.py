"""Message ids with their values: the words insights and services return, worded later in the
reader's language. Imports only timeutil, so insights stay pure (docs/ARCHITECTURE.md).

A ``Msg`` is the English text (the gettext catalog's message id, with ``%(name)s`` placeholders) and
the values to put in it. It becomes text only when shown: ``str(msg)`` (which Jinja, f-strings and
marshmallow's String field all call) words it through the translator the web layer installs for
the request's language (``diary/web/i18n.py``); with none installed, in English. Values may be
dates (worded as the reader's dates read: "Sat 5 Dec", "sáb 5 dic"), other messages, or plain
numbers and names.

``msg``, ``plural_msg`` and ``N_`` are the keywords `pybabel extract` looks for (babel.cfg).
"""
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from .timeutil import short_date


class Msg:
    """A message id, its plural form and count if it has one, and the values it names."""
    __slots__ = ("id", "plural", "count", "args", "braces")

    def __init__(self, id: str, args: Mapping[str, Any] | None = None, *, plural: str | None = None,
                 count: int | None = None, braces: bool = False) -> None:
        self.id = id
        self.plural = plural
        self.count = count
        self.args = dict(args or {})
        # marshmallow fills its validators' error messages with str.format ("{max}"): a message
        # given to one as ``error=`` is filled the same way, when worded (``format``).
        self.braces = braces

    def format(self, *positional: Any, **args: Any) -> "Msg":
        """The message with ``{name}`` values given (as marshmallow's validators call str.format)."""
        return Msg(self.id, {**self.args, **args}, plural=self.plural, count=self.count, braces=True)

    def __str__(self) -> str:
        return _translator(self)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Msg({self.id!r}, {self.args!r})"

    def english(self) -> str:
        """The English wording, whatever the reader's language (logs, commands, tests)."""
        return word(self, lambda text: text, lambda one, many, n: one if n == 1 else many, short_date)

    def __eq__(self, other: object) -> bool:
        # A message equals the English text it words to, so code and tests written against the
        # English sentence read the same.
        if isinstance(other, str):
            return self.english() == other
        if isinstance(other, Msg):
            return (self.id, self.plural, self.count, self.args) == (other.id, other.plural, other.count, other.args)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.id, self.plural, self.count))

    def to_json(self) -> dict[str, Any]:
        """A JSON-able copy (stored dashboard lines): dates as ISO strings under ``dates``."""
        args: dict[str, Any] = {}
        dates: list[str] = []
        for name, value in self.args.items():
            if isinstance(value, Msg):
                args[name] = {"msg": value.to_json()}
            elif isinstance(value, dt.date):
                args[name] = value.isoformat()
                dates.append(name)
            else:
                args[name] = value
        return {"id": self.id, "plural": self.plural, "count": self.count, "args": args, "dates": dates,
                "braces": self.braces}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Msg":
        args: dict[str, Any] = {}
        for name, value in data["args"].items():
            if isinstance(value, dict) and "msg" in value:
                args[name] = cls.from_json(value["msg"])
            elif name in data.get("dates", ()):
                args[name] = dt.date.fromisoformat(value)
            else:
                args[name] = value
        return cls(data["id"], args, plural=data.get("plural"), count=data.get("count"),
                   braces=data.get("braces", False))


def msg(text: str, **args: Any) -> Msg:
    """A message: ``msg("Checked in at %(score)s on %(day)s", score=9, day=date)``."""
    return Msg(text, args)


def plural_msg(one: str, many: str, count: int, **args: Any) -> Msg:
    """A message with a plural form chosen by ``count`` (also given to the text as ``num``):
    ``plural_msg("%(num)d day", "%(num)d days", 3)``."""
    return Msg(one, {"num": count, **args}, plural=many, count=count)


def N_(text: str) -> str:
    """Marks a fixed text (a label in a table) for the catalog; the reader's language is chosen
    where it is shown (``diary/web/i18n.py``)."""
    return text


Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]
DateWords = Callable[[dt.date], str]


def word(message: Msg, gettext: Gettext, ngettext: Ngettext, date_words: DateWords) -> str:
    """``message`` in the language of ``gettext``/``ngettext``, its dates worded by ``date_words``."""
    values = {name: (word(value, gettext, ngettext, date_words) if isinstance(value, Msg)
                     else date_words(value) if isinstance(value, dt.date) else value)
              for name, value in message.args.items()}
    if message.plural is not None and message.count is not None:
        text = ngettext(message.id, message.plural, message.count)
    else:
        text = gettext(message.id)
    if message.braces:
        return text.format(**values)
    return text % values if values else text


def _english(message: Msg) -> str:
    return message.english()


_translator: Callable[[Msg], str] = _english


def use_translator(translator: Callable[[Msg], str]) -> None:
    """How ``str(msg)`` words every message from now on (the web layer installs one at start)."""
    global _translator
    _translator = translator
