"""What every template can use."""

from flask_babel import get_locale
from flask_login import current_user

from jobmatch import reference
from jobmatch.i18n import (
    LANGUAGE_NAMES,
    format_appointment,
    format_day,
    format_moment,
    text_direction,
)
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


def axis_ticks(largest: float, most: int = 5) -> list[int]:
    """Round values for a chart's axis from 0 to at least `largest`, at most `most` steps
    apart, each step 1, 2 or 5 times a power of ten: [0, 50, 100, 150] for 140."""
    largest = max(float(largest or 0), 1.0)
    step, power = 1, 1
    while True:
        for factor in (1, 2, 5):
            step = factor * power
            if largest / step <= most:
                count = -(-largest // step)  # rounded up
                return [int(step * i) for i in range(int(count) + 1)]
        power *= 10


# Globals are visible inside imported macros too, unlike context-processor values.
GLOBALS = {
    "concept": _concept,
    "concepts": _concepts,
    "skills_in_english": _skills_in_english,
    "ref": reference,
    "label": reference.label,
    "language_names": LANGUAGE_NAMES,
    "profile_steps": _profile_steps,
    "axis_ticks": axis_ticks,
}


FILTERS = {
    "dateformat": format_day,
    "datetimeformat": format_moment,
    "appointmentformat": format_appointment,
}


def template_context() -> dict:
    locale = str(get_locale() or "en")
    return {"locale": locale, "text_dir": text_direction(locale), "unread": _unread}


def _unread() -> int:
    """Unread notices of the person logged in (asked for by the page header only)."""

    return unread_count(current_user) if current_user.is_authenticated else 0
