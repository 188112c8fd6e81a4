"""Rules on input shared by forms, CLI commands and imports."""

import re
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app

from jobmatch.i18n import _

TAX_ID_PATTERN = re.compile(r"^\d{10}$")
COMMON_PASSWORDS = {
    "password",
    "password1",
    "password123",
    "1234567890",
    "qwertyuiop",
    "12345678910",
    "iloveyou12",
    "azerbaijan",
    "administrator",
    "letmein123",
    "welcome123",
}


class InvalidInput(ValueError):
    """Input that breaks a rule; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def normalise_email(value: str) -> str:
    """Lower-cased and checked for form; no DNS lookup (PES networks are often closed)."""
    try:
        result = validate_email((value or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput(_("Enter a valid e-mail address."), "email") from exc
    return result.normalized.lower()


def check_password(password: str, email: str = "") -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        raise InvalidInput(
            _("The password must have at least %(n)d characters.", n=minimum), "password"
        )
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) < 4:
        raise InvalidInput(_("This password is too easy to guess."), "password")
    if email and lowered == email.lower():
        raise InvalidInput(_("The password must not be your e-mail address."), "password")


def normalise_national_id(value: str | None) -> str | None:
    """Upper-cased and checked against the configured format; blank means none."""
    value = (value or "").strip().upper()
    if not value:
        return None
    if not re.fullmatch(current_app.config["NATIONAL_ID_PATTERN"], value):
        raise InvalidInput(
            _("The personal identification number (FIN) has 7 letters and digits."),
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


def is_safe_redirect(target: str | None) -> bool:
    """Only paths on this site: never an open redirect to another host."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target
