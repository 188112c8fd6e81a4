"""A match's why, in words a job seeker understands (in the reader's language): what
matched (the occupation, skills, words of the title), never a bare similarity figure."""

import sqlalchemy as sa
from flask_babel import get_locale

from jobmatch.database import among
from jobmatch.extensions import db
from jobmatch.i18n import _, _l, text_direction
from jobmatch.matching.ranking import Fit
from jobmatch.reference import LANGUAGES, label
from jobmatch.taxonomy.models import Occupation

MAX_LISTED = 5


def _listing(items: list[str]) -> str:
    """Names in a sentence. In a right-to-left language each name is isolated (Unicode's
    first-strong isolate), so an English skill name neither reverses nor drags the commas."""
    if _right_to_left():
        items = [f"\u2068{item}\u2069" for item in items]
    shown = ", ".join(items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return shown + (" " + _("and %(n)d more", n=more) if more > 0 else "")


def _right_to_left() -> bool:
    return text_direction(str(get_locale() or "en")) == "rtl"


def strength(similarity_component: float) -> str:
    if similarity_component >= 0.7:
        return _("very close")
    if similarity_component >= 0.4:
        return _("close")
    if similarity_component >= 0.15:
        return _("somewhat related")
    return _("distant")


# How the two occupations relate, and how it reads.
RELATIONS = {
    "same": ("good", _l("The same occupation: %(occupation)s.")),
    "broader": ("good", _l("A closely related occupation: %(occupation)s.")),
    "group": ("info", _l("An occupation of the same group: %(occupation)s.")),
    "different": ("gap", _l("The job is for another occupation: %(occupation)s.")),
}


def occupation_names(ids) -> dict[int, str]:
    """The occupations' names in the reader's language (ESCO's label where it has one), in
    one query."""
    ids = sorted({int(i) for i in ids if i})
    if not ids:
        return {}
    locale = str(get_locale() or "en")
    rows = db.session.scalars(sa.select(Occupation).where(among(Occupation.id, ids)))
    return {row.id: row.label(locale) for row in rows}


def _occupation_name(fit: Fit, names: dict[int, str] | None) -> str:
    """The vacancy's occupation in the reader's language."""
    if names is None:
        names = occupation_names([fit.occupation_id])
    return names.get(fit.occupation_id) or fit.occupation_label or ""


def _what_the_work_is(fit: Fit, names: dict[int, str] | None) -> list[dict]:
    """The occupation, the title's words, and only then the closeness of the texts: never
    "close work" for two different occupations."""
    out = []
    if fit.occupation in RELATIONS:
        kind, text = RELATIONS[fit.occupation]
        out.append({"kind": kind, "text": str(text) % {"occupation": _occupation_name(fit, names)}})
    if fit.shared_words:
        out.append(
            {
                "kind": "good",
                "text": _("The titles share: %(words)s.", words=_listing(fit.shared_words)),
            }
        )
    if fit.occupation in (None, "group"):
        out.append(
            {
                "kind": "info",
                "text": _(
                    "The job and the profile describe %(strength)s work.",
                    strength=strength(fit.components["semantic"]),
                ),
            }
        )
    return out


def reasons_for(fits: list[Fit]) -> list[list[dict]]:
    """The reasons of each fit of a page, the occupations' names read once for all."""
    names = occupation_names(f.occupation_id for f in fits)
    return [reasons(f, names) for f in fits]


def reasons(fit: Fit, names: dict[int, str] | None = None) -> list[dict]:
    """Each reason: kind (good, gap, info) and a sentence. `names`: the occupations' names
    (`occupation_names`), when a page shows many fits."""
    out = _what_the_work_is(fit, names)
    total = len(fit.matched_essential) + len(fit.missing_essential)
    if total:
        out.append(
            {
                "kind": "good" if fit.matched_essential else "gap",
                "text": _(
                    "%(have)d of the %(total)d essential skills are in the profile%(list)s.",
                    have=len(fit.matched_essential),
                    total=total,
                    list=(": " + _listing(fit.matched_essential)) if fit.matched_essential else "",
                ),
            }
        )
    if fit.missing_essential:
        out.append(
            {
                "kind": "gap",
                "text": _(
                    "Missing essential skills: %(list)s.", list=_listing(fit.missing_essential)
                ),
            }
        )
    if fit.matched_optional:
        out.append(
            {
                "kind": "good",
                "text": _("Useful extra skills: %(list)s.", list=_listing(fit.matched_optional)),
            }
        )
    out += _place_and_terms(fit)
    if fit.damping < 1.0:
        out.append(
            {
                "kind": "info",
                "text": _(
                    "Many people have applied already (%(n)d for each position): it is shown "
                    "a little lower, so that other jobs are seen too.",
                    n=round(fit.crowding or 0),
                ),
            }
        )
    return out


# Each outcome of the location, salary and education checks, and how it reads.
OUTCOMES = {
    "location": {
        "same_city": ("good", _l("The job is in the same town.")),
        "same_region": ("good", _l("The job is in the same region.")),
        "elsewhere": ("gap", _l("The job is in another region.")),
    },
    "salary": {
        "within": ("good", _l("The salary expectation is within the offer.")),
        "below": ("good", _l("The salary expectation is below the offer.")),
        "above": ("gap", _l("The salary expectation is above the offer.")),
    },
    "education": {
        "meets": ("good", _l("The education level meets the requirement.")),
        "one_below": ("gap", _l("The education level is one step below the requirement.")),
        "below": ("gap", _l("The education level is below the requirement.")),
    },
}


def _place_and_terms(fit: Fit) -> list[dict]:
    out = []
    if fit.missing_languages:
        names = [label(LANGUAGES, code) for code in fit.missing_languages]
        out.append(
            {
                "kind": "gap",
                "text": _(
                    "The job asks for a language not in the profile: %(list)s.",
                    list=", ".join(names),
                ),
            }
        )
    elif "languages" in fit.components:
        out.append({"kind": "good", "text": _("The profile has every language the job asks for.")})
    for attribute, outcomes in OUTCOMES.items():
        outcome = outcomes.get(getattr(fit, attribute))
        if outcome:
            out.append({"kind": outcome[0], "text": str(outcome[1])})
    return out
