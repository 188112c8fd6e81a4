"""How well a job seeker and a vacancy fit, and why. Pure functions: no Flask, no database.

The score blends the occupation the two are about (the same ESCO occupation, a broader
or narrower one, the same ISCO unit group), the words their titles share, the semantic
similarity of the two texts, skill overlap (essential skills weigh twice as much as
optional ones) and fit on location, languages, salary and education. A component that
cannot be judged (the vacancy names no skills, the seeker gave no salary) is left out and
the other weights are renormalised. Gender and age are not inputs.
"""

from dataclasses import dataclass, field

import numpy as np

from jobmatch.reference import EDUCATION_RANK

# occupation, title and semantic: fitted on the development data (bench/fit_weights.py,
# docs/BENCHMARKS.md); the others as the service's policy sets them.
DEFAULT_WEIGHTS = {
    "occupation": 0.45,
    "title": 0.05,
    "semantic": 0.25,
    "skills": 0.15,
    "location": 0.08,
    "languages": 0.06,
    "salary": 0.03,
    "education": 0.03,
}
# How much a related occupation counts against the same one.
DEFAULT_RELATION_FACTORS = {"same": 1.0, "broader": 0.6, "group": 0.3}
# Cosine similarities of E5 embeddings live in a narrow band; this maps it onto 0..1.
DEFAULT_SEMANTIC_RANGE = (0.74, 0.92)
ESSENTIAL, OPTIONAL = 2.0, 1.0


@dataclass(frozen=True)
class HeldOccupation:
    """An occupation a seeker or a vacancy is about: chosen by a person (confidence 1) or
    recognised in the text."""

    id: int
    code: str  # ESCO code: the ISCO unit group, then broader occupations ("5120.1.2")
    label: str
    confidence: float
    chosen: bool = False


def related(code_a: str, code_b: str) -> str | None:
    """How two ESCO occupations relate: "same"; "broader" (one is a narrower form of the
    other, or both are forms of one broader occupation); "group" (one ISCO unit group)."""
    if code_a == code_b:
        return "same"
    if code_a.startswith(code_b + ".") or code_b.startswith(code_a + "."):
        return "broader"
    parent = code_a.rsplit(".", 1)[0]
    if "." in parent and parent == code_b.rsplit(".", 1)[0]:  # two forms of one occupation
        return "broader"
    if code_a[:4] == code_b[:4]:
        return "group"
    return None


@dataclass
class SeekerFacts:
    id: int
    occupations: list[HeldOccupation] = field(default_factory=list)
    skills: set[int] = field(default_factory=set)
    other_skills: set[str] = field(default_factory=set)
    region: str | None = None
    city: str | None = None
    languages: set[str] = field(default_factory=set)
    salary: int | None = None
    education: str | None = None


@dataclass
class VacancyFacts:
    id: int
    occupations: list[HeldOccupation] = field(default_factory=list)
    essential: dict[int, str] = field(default_factory=dict)
    optional: dict[int, str] = field(default_factory=dict)
    other_skills: set[str] = field(default_factory=set)
    region: str | None = None
    city: str | None = None
    languages: set[str] = field(default_factory=set)
    salary_min: int | None = None
    salary_max: int | None = None
    education: str | None = None


@dataclass
class Fit:
    """A scored pair with everything needed to explain it."""

    seeker_id: int
    vacancy_id: int
    score: float
    similarity: float
    components: dict[str, float]
    matched_essential: list[str] = field(default_factory=list)
    missing_essential: list[str] = field(default_factory=list)
    matched_optional: list[str] = field(default_factory=list)
    missing_languages: list[str] = field(default_factory=list)
    occupation: str | None = None  # same, broader, group, different
    occupation_id: int | None = None  # the vacancy's occupation it is about
    occupation_label: str | None = None  # ... in English (the why says it in each language)
    shared_words: list[str] = field(default_factory=list)  # words both titles hold
    location: str | None = None  # same_city, same_region, elsewhere
    salary: str | None = None  # within, below, above
    education: str | None = None  # meets, one_below, below
    # Congestion: applicants per open position, and the factor the score was damped by
    # (1.0: not damped). Only in job seekers' recommendations.
    crowding: float | None = None
    damping: float = 1.0

    def as_dict(self) -> dict:
        return {
            "score": round(self.score, 4),
            "similarity": round(self.similarity, 4),
            "components": {k: round(v, 3) for k, v in self.components.items()},
            "matched_essential": self.matched_essential,
            "missing_essential": self.missing_essential,
            "matched_optional": self.matched_optional,
            "missing_languages": self.missing_languages,
            "occupation": self.occupation,
            "occupation_id": self.occupation_id,
            "occupation_label": self.occupation_label,
            "shared_words": self.shared_words,
            "location": self.location,
            "salary": self.salary,
            "education": self.education,
            "crowding": None if self.crowding is None else round(self.crowding, 2),
            "damping": round(self.damping, 3),
        }


def semantic_component(cosine: float, band=DEFAULT_SEMANTIC_RANGE) -> float:
    low, high = band
    return min(1.0, max(0.0, (cosine - low) / (high - low)))


def within_band(cosines: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    """`semantic_component` of a whole array of cosines (the recognisers' scores)."""
    low, high = band
    return np.clip((cosines - low) / (high - low), 0, 1)


def _skills(seeker: SeekerFacts, vacancy: VacancyFacts, fit: Fit) -> float | None:
    essential = dict(vacancy.essential)
    optional = {k: v for k, v in vacancy.optional.items() if k not in essential}
    total = ESSENTIAL * (len(essential) + len(vacancy.other_skills)) + OPTIONAL * len(optional)
    if not total:
        return None
    fit.matched_essential = sorted(v for k, v in essential.items() if k in seeker.skills)
    fit.missing_essential = sorted(v for k, v in essential.items() if k not in seeker.skills)
    fit.matched_optional = sorted(v for k, v in optional.items() if k in seeker.skills)
    other = {s.lower() for s in seeker.other_skills}
    for term in sorted(vacancy.other_skills):
        (fit.matched_essential if term.lower() in other else fit.missing_essential).append(term)
    have = ESSENTIAL * len(fit.matched_essential) + OPTIONAL * len(fit.matched_optional)
    return have / total


def occupation_fit(
    seeker: SeekerFacts, vacancy: VacancyFacts, fit: Fit, factors=DEFAULT_RELATION_FACTORS
) -> float | None:
    """The closest relation between their occupations, weighed by how sure each is."""
    if not seeker.occupations or not vacancy.occupations:
        return None
    best, relation, held = 0.0, "different", vacancy.occupations[0]
    for theirs in vacancy.occupations:
        for mine in seeker.occupations:
            kind = related(mine.code, theirs.code)
            value = factors[kind] * mine.confidence * theirs.confidence if kind else 0.0
            if value > best:
                best, relation, held = value, kind, theirs
    fit.occupation, fit.occupation_id, fit.occupation_label = relation, held.id, held.label
    return best


def _location(seeker: SeekerFacts, vacancy: VacancyFacts, fit: Fit) -> float | None:
    if not vacancy.region or not seeker.region:
        return None
    if vacancy.city and seeker.city and vacancy.city == seeker.city:
        fit.location = "same_city"
        return 1.0
    if vacancy.region == seeker.region:
        fit.location = "same_region"
        return 0.8
    fit.location = "elsewhere"
    return 0.0


def _languages(seeker: SeekerFacts, vacancy: VacancyFacts, fit: Fit) -> float | None:
    if not vacancy.languages:
        return None
    fit.missing_languages = sorted(vacancy.languages - seeker.languages)
    return 1 - len(fit.missing_languages) / len(vacancy.languages)


def _salary(seeker: SeekerFacts, vacancy: VacancyFacts, fit: Fit) -> float | None:
    top = vacancy.salary_max or vacancy.salary_min
    if not seeker.salary or not top:
        return None
    if seeker.salary <= top:
        fit.salary = (
            "below" if vacancy.salary_min and seeker.salary < vacancy.salary_min else "within"
        )
        return 1.0
    fit.salary = "above"
    return max(0.0, 1 - 2 * (seeker.salary - top) / top)


def _education(seeker: SeekerFacts, vacancy: VacancyFacts, fit: Fit) -> float | None:
    if not vacancy.education or not seeker.education:
        return None
    gap = EDUCATION_RANK.get(vacancy.education, 0) - EDUCATION_RANK.get(seeker.education, 0)
    fit.education = "meets" if gap <= 0 else "one_below" if gap == 1 else "below"
    return 1.0 if gap <= 0 else 0.5 if gap == 1 else 0.0


COMPONENTS = {
    "skills": _skills,
    "location": _location,
    "languages": _languages,
    "salary": _salary,
    "education": _education,
}


def assess(
    cosine: float,
    seeker: SeekerFacts,
    vacancy: VacancyFacts,
    weights: dict[str, float] | None = None,
    band=DEFAULT_SEMANTIC_RANGE,
    title: float | None = None,
    factors=DEFAULT_RELATION_FACTORS,
) -> Fit:
    """Score one seeker-vacancy pair from the cosine of their embeddings, the words their
    titles share (`title`, 0..1, None when either has no title) and their facts."""
    weights = weights or DEFAULT_WEIGHTS
    fit = Fit(seeker.id, vacancy.id, 0.0, float(cosine), {})
    fit.components["semantic"] = semantic_component(cosine, band)
    occupation = occupation_fit(seeker, vacancy, fit, factors)
    if occupation is not None:
        fit.components["occupation"] = occupation
    if title is not None:
        fit.components["title"] = title
    for name, judge in COMPONENTS.items():
        value = judge(seeker, vacancy, fit)
        if value is not None:
            fit.components[name] = value
    used = {name: weights.get(name, 0.0) for name in fit.components}
    total = sum(used.values()) or 1.0
    fit.score = sum(fit.components[name] * w for name, w in used.items()) / total
    return fit


# Congestion: from `start` applications in play per open position a vacancy's score in job
# seekers' recommendations is damped, linearly, down to (1 - `most`) at `full` and beyond
# (5% at 3 a position, 30% from 8). Chosen with bench.congestion_bench: it spreads the
# recommendations most of the settings tried, and hit@10 does not fall (docs/BENCHMARKS.md).
DEFAULT_CONGESTION = {"start": 2.0, "full": 8.0, "most": 0.3}


def congestion_factor(crowding: float, start: float, full: float, most: float) -> float:
    """The factor a score is multiplied by for a vacancy with `crowding` applicants per
    open position."""
    if crowding <= start:
        return 1.0
    return 1.0 - most * min(1.0, (crowding - start) / max(full - start, 1e-9))


def damp(fits: list[Fit], crowding: dict[int, float], congestion: dict) -> None:
    """Damp the scores of crowded vacancies (in place), each fit keeping how crowded its
    vacancy is and by how much its score was lowered, for the why."""
    for fit in fits:
        fit.crowding = crowding.get(fit.vacancy_id, 0.0)
        fit.damping = congestion_factor(fit.crowding, **congestion)
        fit.score *= fit.damping
