"""The names of the monitoring's groups, stages and outcomes, in the reader's language."""

from jobmatch.i18n import _, _l
from jobmatch.reference import GENDERS, REGIONS, label

DIMENSION_NAMES = {
    "gender": _l("Gender"),
    "age": _l("Age"),
    "disability": _l("Disability"),
    "region": _l("Region"),
}
AGE_NAMES = {
    "under_25": _l("under 25"),
    "25_34": _l("25 to 34"),
    "35_44": _l("35 to 44"),
    "45_54": _l("45 to 54"),
    "55_plus": _l("55 and over"),
}
DISABILITY_NAMES = {"yes": _l("with a disability"), "no": _l("without a disability")}
STAGE_NAMES = {
    "shown": _l("Shown in the first ten"),
    "referred": _l("Referred"),
    "shortlisted": _l("Shortlisted"),
    "hired": _l("Hired"),
}
OUTCOME_NAMES = {
    "shortlisted": _l("Shortlists"),
    "hired": _l("Hires"),
    "placed": _l("Placements (contract confirmed)"),
}


def _one(dimension: str, code: str) -> str:
    if code == "not_told":
        return _("not told")
    if dimension == "gender":
        return label(GENDERS, code)
    if dimension == "age":
        return str(AGE_NAMES.get(code, code))
    if dimension == "disability":
        return str(DISABILITY_NAMES.get(code, code))
    return label(REGIONS, code)


def group_name(dimension: str, group) -> str:
    """ "female", or "female · 25 to 34" for a pair of dimensions."""
    if isinstance(group, str):
        group = (group,)
    return " · ".join(_one(d, g) for d, g in zip(dimension.split("+"), group, strict=True))


def dimension_name(dimension: str) -> str:
    return " × ".join(str(DIMENSION_NAMES[d]) for d in dimension.split("+"))
