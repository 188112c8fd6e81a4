"""What every template can use."""

from datetime import datetime

from babel import Locale, dates
from flask_babel import get_locale, to_user_timezone
from flask_login import current_user

from jobmatch import reference
from jobmatch.i18n import LANGUAGE_NAMES, text_direction
from jobmatch.notifications.services import unread_count
from jobmatch.seekers.services import completeness


def _profile_steps(profile) -> list:

    return completeness(profile)


def _concept(concept) -> str:
    """An ESCO occupation's or skill's label in the page's language (English where ESCO has
    none)."""
    return concept.label(str(get_locale() or "en"))


def _concepts(items) -> str:
    return ", ".join(_concept(c) for c in items)


def _skills_in_english() -> bool:
    """ESCO names skills in English and French only: pages in other languages say so."""
    return str(get_locale() or "en") not in SKILL_LANGUAGES


SKILL_LANGUAGES = ("en", "fr")

# Globals are visible inside imported macros too, unlike context-processor values.
GLOBALS = {
    "concept": _concept,
    "concepts": _concepts,
    "skills_in_english": _skills_in_english,
    "ref": reference,
    "label": reference.label,
    "language_names": LANGUAGE_NAMES,
    "profile_steps": _profile_steps,
}


# English pages write dates day first, as the service does in every language ("12 Mar 2026",
# "12/03/2026, 14:05"), not in the United States' order ("Mar 12, 2026", "3/12/26").
ENGLISH_DATES = Locale.parse("en_GB")


def _dates_locale() -> Locale:
    locale = get_locale()
    return ENGLISH_DATES if str(locale or "en") == "en" else locale


def _date(value, format: str | None = None) -> str:
    if isinstance(value, datetime):  # a moment: its day where the service is
        value = to_user_timezone(value)
    return dates.format_date(value, format or "medium", locale=_dates_locale())


def _datetime(value, format: str | None = None) -> str:
    return dates.format_datetime(
        to_user_timezone(value), format or "medium", locale=_dates_locale()
    )


FILTERS = {"dateformat": _date, "datetimeformat": _datetime}


def template_context() -> dict:
    locale = str(get_locale() or "en")
    return {"locale": locale, "text_dir": text_direction(locale), "unread": _unread}


def _unread() -> int:
    """Unread notices of the person logged in (asked for by the page header only)."""

    return unread_count(current_user) if current_user.is_authenticated else 0
