"""Registration, login, password change, and the account as the API shows it."""
from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, validates, validates_schema

from ..messages import context_msg, msg
from ..security.passwords import MAX_LENGTH, MIN_LENGTH, weakness
from ..timeutil import is_timezone
from ..vocabulary import LANGUAGES
from .fields import Trimmed, refuse_deceptive, refuse_unreadable
from .validators import Email, Length, OneOf, refused

ROLES = ("patient", "provider")
TOO_LONG = msg("Must be at most {max:,} characters.")


def new_password(**kwargs: Any) -> fields.String:
    """A password being chosen; schemas using it also call refuse_weak (it needs the email)."""
    return fields.String(
        required=True,
        validate=Length(MIN_LENGTH, MAX_LENGTH,
                        error=msg("Must be between {min} and {max} characters.")),
        **kwargs,
    )


def refuse_weak(data: Mapping[str, Any], field: str, email: str | None) -> None:
    """Raise the reason ``data[field]`` is too easy to guess, keyed by ``field``.

    Nothing to check when the field itself already failed (it is then missing from ``data``).
    """
    problem = weakness(data[field], email) if field in data else None
    if problem:
        raise ValidationError({field: [problem]})


def display_name() -> Trimmed:
    return Trimmed(required=True, validate=[Length(max=80, error=msg("Must be at most {max} characters.")),
                                            refuse_deceptive, refuse_unreadable])


def _known_zone(value: str) -> None:
    if not is_timezone(value):
        raise refused(msg("Not a known time zone (use an IANA name such as Europe/Berlin)."))


def language_field(**kwargs: Any) -> fields.String:
    """The language the app speaks to the account: "en" or "es"."""
    return fields.String(validate=OneOf(LANGUAGES, error=msg("Must be one of: {choices}.")),
                         metadata={"enum": list(LANGUAGES)}, **kwargs)


def time_zone(**kwargs: Any) -> fields.String:
    """An IANA time zone name; it decides when a patient's day starts."""
    return fields.String(validate=_known_zone, **kwargs)


class RegisterIn(Schema):
    email = Trimmed(required=True, validate=[Length(max=254, error=TOO_LONG),
                                             Email(error=msg("Not a valid email address."))])
    password = new_password()
    role = fields.String(required=True, validate=OneOf(ROLES, error=msg("Must be one of: {choices}.")))
    display_name = display_name()
    timezone = time_zone(load_default="UTC")
    # Without one, the language the browser asks for (Accept-Language), chosen by the view.
    language = language_field(load_default=None)

    # Checked even when another field failed, so every problem shows at once; a password is
    # compared with the email only when the email itself is valid.
    @validates_schema(skip_on_field_errors=False)
    def _not_weak(self, data: dict[str, Any], **kwargs: Any) -> None:
        refuse_weak(data, "password", data.get("email"))


class ProfileIn(Schema):
    display_name = display_name()
    timezone = time_zone(required=True)
    language = language_field(required=True)


class LanguageIn(Schema):
    language = language_field(required=True)


class LoginIn(Schema):
    email = Trimmed(required=True, validate=Length(max=254, error=TOO_LONG))
    password = fields.String(required=True, validate=Length(max=1024, error=TOO_LONG))


class ResetPasswordIn(Schema):
    """A new password, typed twice, for one account: ``ResetPasswordIn(email=...)`` (the account's
    email, which the password may not be). What a reset link's form takes."""
    new_password = new_password()
    confirm_password = fields.String(required=True)

    def __init__(self, *, email: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.email = email

    @validates_schema(skip_on_field_errors=False)
    def _not_weak(self, data: dict[str, Any], **kwargs: Any) -> None:
        refuse_weak(data, "new_password", self.email)

    @validates_schema
    def _confirmed(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["new_password"] != data["confirm_password"]:
            raise ValidationError({"confirm_password": [msg("Doesn't match the new password.")]})


class PasswordChangeIn(ResetPasswordIn):
    """The same, with the current password: ``PasswordChangeIn(email=...)``, the logged-in user's."""
    current_password = fields.String(required=True, validate=Length(max=1024, error=TOO_LONG))


class ForgotPasswordIn(Schema):
    email = Trimmed(required=True, validate=[Length(max=254, error=TOO_LONG),
                                             Email(error=msg("Not a valid email address."))])


class UserOut(Schema):
    id = fields.Integer()
    email = fields.String()
    role = fields.String(metadata={"enum": list(ROLES)})
    display_name = fields.String()
    timezone = fields.String()
    language = fields.String(metadata={"enum": list(LANGUAGES)})


# The word typed to confirm deleting an account, in the reader's language ("eliminar"); the
# English word is always accepted too (a Spanish reader may know the form in English).
DELETE_CONFIRMATION = context_msg("the word typed to delete an account", "delete")


class DeleteAccountIn(Schema):
    password = fields.String(required=True, validate=Length(max=1024, error=TOO_LONG))
    confirmation = Trimmed(required=True)

    @validates("confirmation")
    def _typed(self, value: str, **kwargs: Any) -> None:
        if value.casefold() not in (DELETE_CONFIRMATION.english(), str(DELETE_CONFIRMATION).casefold()):
            raise refused(msg('Type "%(word)s" to confirm.', word=DELETE_CONFIRMATION))


class SecondFactorIn(Schema):
    """A code from the authenticator app, or a recovery code."""
    code = Trimmed(required=True, validate=Length(min=1, max=64, error=msg("Enter the code from your app.")))


class ConfirmIdentityIn(Schema):
    """Password and a second factor, before changing the account's two-factor settings."""
    password = fields.String(required=True, validate=Length(max=1024, error=TOO_LONG))
    code = Trimmed(required=True, validate=Length(min=1, max=64, error=msg("Enter the code from your app.")))
