"""Rules on input shared by forms, CLI commands and imports."""

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import to_utc
from zxcvbn import zxcvbn

from jobmatch.i18n import _

TAX_ID_PATTERN = re.compile(r"^\d{10}$")
# zxcvbn's score (0..4): 3 means about 10^8 guesses, out of reach of an online attack and
# costly offline against our salted, slow hashes.
PASSWORD_MIN_SCORE = 3


class InvalidInput(ValueError):
    """Input that breaks a rule; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


ID_MAX = 2**31 - 1  # the databases' integer


def as_id(value) -> int | None:
    """A record id from text: ASCII digits only ("²".isdigit() is true, int("²") fails) and
    within the databases' integer (a larger one overflows PostgreSQL's); else None."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdecimal()):
        return None
    number = int(text)
    return number if 0 < number <= ID_MAX else None


def local_moment(value: str) -> datetime | None:
    """A date and time typed on the service's clock ("2026-12-10T10:00", as a browser's
    date-and-time field sends it) as a UTC moment; None when empty. Raises InvalidInput
    when it is not a date and time."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(
            _("Enter a date and time, like 2026-12-10 10:00."), "interview_at"
        ) from error
    if moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return to_utc(moment).replace(tzinfo=None)


def as_number(value, default: int | None = None, maximum: int = ID_MAX) -> int | None:
    """A whole number from text (a page, a salary), ASCII digits only, in 0..maximum."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdecimal()) or int(text) > maximum:
        return default
    return int(text)


def normalise_email(value: str) -> str:
    """Lower-cased and checked for form; no DNS lookup (PES networks are often closed)."""
    try:
        result = validate_email((value or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput(_("Enter a valid e-mail address."), "email") from exc
    return result.normalized.lower()


def check_password(password: str, email: str = "", names: tuple[str, ...] = ()) -> None:
    """Long enough, not a common password or pattern, and not made of the person's own name
    or e-mail address."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        raise InvalidInput(
            _("The password must have at least %(n)d characters.", n=minimum), "password"
        )
    own = [w for w in (*names, *re.split(r"[@._+-]", email or "")) if len(w or "") >= 3]
    lowered = password.lower()
    if email and lowered == email.lower() or any(w.lower() in lowered for w in own):
        raise InvalidInput(
            _("The password must not contain your name or e-mail address."), "password"
        )
    if zxcvbn(password[:100], user_inputs=own)["score"] < PASSWORD_MIN_SCORE:
        raise InvalidInput(
            _("This password is too easy to guess. A few unrelated words make a strong one."),
            "password",
        )


def normalise_national_id(value: str | None) -> str | None:
    """Upper-cased and checked against the configured format; blank means none."""
    value = (value or "").strip().upper()
    if not value:
        return None
    if not re.fullmatch(current_app.config["NATIONAL_ID_PATTERN"], value):
        raise InvalidInput(
            _("Enter a 7-character FIN (letters and digits), for example 5ZXK2PL."),
            "national_id",
        )
    return value


def normalise_tax_id(value: str | None) -> str | None:
    value = re.sub(r"\s", "", value or "")
    if not value:
        return None
    if not TAX_ID_PATTERN.fullmatch(value):
        raise InvalidInput(_("The tax number (VÖEN) has 10 digits."), "tax_id")
    return value


# C0 controls but tab, line feed and carriage return; DEL. No text field holds them (and
# PostgreSQL refuses NUL in text).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(value) -> bool:
    """Whether a text, or any text inside a JSON value, holds a control character."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, dict):
        return any(has_control_characters(k) or has_control_characters(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_control_characters(v) for v in value)
    return False


def is_safe_redirect(target: str | None) -> bool:
    """Only paths on this site: never an open redirect to another host, nor a header."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target
