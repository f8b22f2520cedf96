"""marshmallow's validators, taking an error message (``diary.messages.msg``) worded in the reader's
language when shown.

marshmallow fills a validator's ``error`` with ``str.format`` (``{max}``, ``{choices}``: a message
does the same, when worded) and raises it; but it gathers the errors of a field's validators by
extending a list with each error's messages, which only works when they are a list (or a plain
``str``, which marshmallow puts in one itself). These raise the message in a list, so a message
works wherever marshmallow takes a text. Use them (and ``refused``) instead of marshmallow's.
"""
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from marshmallow import ValidationError, validate

from ..messages import Msg

# An error message as these validators take it: a message (worded when shown), or a plain text.
Error = Msg | str | None


def refused(*messages: Msg | str, field: str | None = None) -> ValidationError:
    """A ValidationError carrying ``messages`` as a list (for ``field``, in a schema validator):
    raise it from a field's or schema's validator with a message."""
    errors = list(messages)
    return ValidationError(errors) if field is None else ValidationError(errors, field)


@contextmanager
def _listed() -> Iterator[None]:
    """Raise the ValidationError of the block with its message in a list."""
    try:
        yield
    except ValidationError as error:
        if isinstance(error.messages, list | dict):
            raise
        raise ValidationError([error.messages], **error.kwargs) from None


def _text(error: Error) -> str | None:
    # marshmallow declares a str; it only ever calls ``format`` on it, which a message has.
    return cast(str | None, error)


class _Listed(validate.Validator):
    """A validator raising its error message in a list (the one difference from marshmallow's)."""

    def __call__(self, value: Any) -> Any:
        with _listed():
            # The concrete validator next in the method order (Length's, Range's…); mypy sees
            # Validator's abstract one.
            return cast(Any, super()).__call__(value)


class Length(_Listed, validate.Length):
    def __init__(self, min: int | None = None, max: int | None = None, *, equal: int | None = None,
                 error: Error = None) -> None:
        super().__init__(min, max, equal=equal, error=_text(error))


class Range(_Listed, validate.Range):
    def __init__(self, min: Any = None, max: Any = None, *, min_inclusive: bool = True, max_inclusive: bool = True,
                 error: Error = None) -> None:
        super().__init__(min, max, min_inclusive=min_inclusive, max_inclusive=max_inclusive, error=_text(error))


class OneOf(_Listed, validate.OneOf):
    def __init__(self, choices: Sequence[Any], labels: Sequence[str] | None = None, *, error: Error = None) -> None:
        super().__init__(choices, labels, error=_text(error))


class Regexp(_Listed, validate.Regexp):
    def __init__(self, regex: str, flags: int = 0, *, error: Error = None) -> None:
        super().__init__(regex, flags, error=_text(error))


class Email(_Listed, validate.Email):
    def __init__(self, *, error: Error = None) -> None:
        super().__init__(error=_text(error))
