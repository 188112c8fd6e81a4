"""A vacancy's trust score: 100 less the weight of each signal against it (plus what speaks
for its employer), every signal with its reason in plain words. Reads, never writes."""

import re
import statistics
from dataclasses import dataclass, field

import sqlalchemy as sa

from jobmatch.contracts.models import LabourContract
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.matching.engine import engine
from jobmatch.matching.filters import VacancyFilter
from jobmatch.matching.services import stored_vector
from jobmatch.trust.signals import Signal, missing_essentials, text_signals
from jobmatch.vacancies.models import Vacancy

WORD = re.compile(r"\w+")
SHINGLE = 3  # words per shingle when texts are compared
NEAR_DUPLICATE = 0.7  # shared shingles (Jaccard) from which two descriptions are one
# The cosine of two vacancies' embeddings from which they say the same thing: a copy in
# other words (on the sixty advertisements of tests/data/trust_vacancies.jsonl, different
# ones reach 0.905 at most, a reworded copy 0.98). The bundled model puts a translated copy
# at 0.83 to 0.87, no closer than two different advertisements for the same job in two
# languages, so a translation is not told from them by meaning alone.
SAME_MEANING = 0.95
PAY_FACTOR = 3.0  # pay more than this many times the usual, or less than its share: odd
PAY_PEERS = 5  # comparable vacancies needed before pay is judged
RECORD_BONUS = 10  # the most an employer's record adds


@dataclass
class Assessment:
    score: int
    signals: list[Signal] = field(default_factory=list)

    @property
    def against(self) -> list[Signal]:
        return [s for s in self.signals if s.weight > 0]

    @property
    def for_it(self) -> list[Signal]:
        return [s for s in self.signals if s.weight < 0]


def assess(vacancy: Vacancy) -> Assessment:
    """The vacancy's signals, read from its words, its employer's record, the other open
    vacancies and the platform's own pay figures, and the score they leave."""
    signals = text_signals(vacancy.title or "", vacancy.description or "")
    signals += missing_essentials(vacancy)
    signals += employer_standing(vacancy.employer)
    signals += duplicates(vacancy)
    signals += pay_outlier(vacancy)
    score = 100 - sum(s.weight for s in signals)
    return Assessment(max(0, min(100, score)), signals)


def employer_standing(employer) -> list[Signal]:
    signals = []
    if not employer.verified:
        signals.append(Signal("employer_unverified", 20,
                              _("Staff have not verified the organisation yet.")))  # fmt: skip
    contracts = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(LabourContract)
        .where(LabourContract.employer_id == employer.id)
    )
    filled = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Vacancy)
        .where(Vacancy.employer_id == employer.id, Vacancy.status == "filled")
    )
    if contracts or filled:
        signals.append(
            Signal(
                "employer_record",
                -min(RECORD_BONUS, 2 * contracts + 5 * filled),
                _(
                    "The organisation has notified %(contracts)d labour contracts and filled "
                    "%(filled)d vacancies through the service.",
                    contracts=contracts,
                    filled=filled,
                ),
            )
        )
    return signals


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = WORD.findall(text.casefold())
    return {tuple(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}


def duplicates(vacancy: Vacancy) -> list[Signal]:
    """Another open vacancy with the same title and (nearly) the same description, from any
    employer: a copy posted twice, or someone else's advertisement taken over; else one that
    says nearly the same in other words."""
    others = db.session.scalars(
        sa.select(Vacancy).where(
            sa.func.lower(Vacancy.title) == (vacancy.title or "").strip().lower(),
            Vacancy.id != (vacancy.id or 0),
            Vacancy.open_on(),
        )
    ).all()
    mine = _shingles(vacancy.description or "")
    for other in others:  # by their words
        theirs = _shingles(other.description or "")
        shared = len(mine & theirs) / (len(mine | theirs) or 1)
        if shared >= NEAR_DUPLICATE:
            text = _("It repeats an open vacancy of %(whose)s (no. %(id)d, %(share)d%% the same "
                     "words).", whose=_whose(vacancy, other), id=other.id,
                     share=round(100 * shared))  # fmt: skip
            return [Signal("duplicate", 35, text)]
    return same_meaning(vacancy)


def _whose(vacancy: Vacancy, other: Vacancy) -> str:
    if other.employer_id == vacancy.employer_id:
        return _("the same organisation")
    return _("another organisation")


def same_meaning(vacancy: Vacancy) -> list[Signal]:
    """Another open vacancy that says nearly the same in other words, found through the
    vacancies' index by the vacancy's stored vector (there is none before its text is first
    read, seconds after it is saved)."""
    if vacancy.id is None:
        return []
    vector = stored_vector("vacancy", vacancy.id)
    if vector is None:
        return []
    allowed = engine().allowed("vacancy", VacancyFilter())
    scores, ids = engine().search("vacancy", vector[None, :], 10, allowed=allowed)
    for other_id, cosine in zip(ids[0], scores[0], strict=True):
        if other_id < 0 or other_id == vacancy.id or cosine < SAME_MEANING:
            continue
        other = db.session.get(Vacancy, int(other_id))
        if other is not None and other.is_open():
            text = _("It says nearly the same as an open vacancy of %(whose)s (no. %(id)d) in "
                     "other words.", whose=_whose(vacancy, other), id=other.id)  # fmt: skip
            return [Signal("duplicate", 35, text)]
    return []


def pay_outlier(vacancy: Vacancy) -> list[Signal]:
    """Pay far from what the service's vacancies for the same work in the region offer."""
    pays = vacancy.pays()
    if pays is None or vacancy.occupation_id is None:
        return []
    peers = db.session.scalars(
        sa.select(Vacancy.pays_on()).where(
            Vacancy.occupation_id == vacancy.occupation_id,
            Vacancy.region == vacancy.region,
            Vacancy.id != (vacancy.id or 0),
            Vacancy.status.in_(("published", "closed", "filled", "expired")),
            Vacancy.pays_on() > 0,
        )
    ).all()
    if len(peers) < PAY_PEERS:
        return []
    usual = statistics.median(peers)
    if usual / PAY_FACTOR <= pays <= usual * PAY_FACTOR:
        return []
    return [
        Signal(
            "pay_outlier",
            25,
            _(
                "It pays %(pays)d AZN a month where vacancies for the same work in the region "
                "pay about %(usual)d.",
                pays=pays,
                usual=round(usual),
            ),
        )
    ]
