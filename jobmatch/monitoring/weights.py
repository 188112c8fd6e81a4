"""Fit the ranking's weights on recorded outcomes: a logistic regression over the ranking's
components (the same ones `jobmatch.matching.ranking.assess` weighs), of pairs shown in
ranked lists against those that were hired or placed. It proposes; it never changes the
running configuration: staff read the report and set MATCH_WEIGHTS themselves."""

import json
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import sqlalchemy as sa
from flask import current_app

from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.matching.filters import SeekerFilter
from jobmatch.matching.ranking import DEFAULT_WEIGHTS
from jobmatch.matching.services import candidates_for_vacancy
from jobmatch.monitoring.models import Exposure, MatchOutcome

COMPONENTS = tuple(DEFAULT_WEIGHTS)
POSITIVE = {"hired": ("hired", "placed"), "shortlisted": ("shortlisted", "hired", "placed")}


@dataclass
class Sample:
    """Pairs with their components (NaN: not judged for the pair) and whether they led to
    the outcome; `lists` groups the pairs of one vacancy's list."""

    pairs: list = field(default_factory=list)
    x: np.ndarray = field(default_factory=lambda: np.zeros((0, len(COMPONENTS))))
    y: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lists: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def gather(days: int = 365, outcome: str = "hired") -> tuple[dict[int, set[int]], set]:
    """The pairs shown in ranked lists, and every pair with an outcome, over the last `days`:
    ({vacancy id: seeker ids}, the pairs with an outcome)."""
    since = utcnow() - timedelta(days=days)
    shown = db.session.execute(
        sa.select(Exposure.seeker_id, Exposure.vacancy_id)
        .where(Exposure.day >= since.date())
        .distinct()
    ).all()
    positive = set(
        db.session.execute(
            sa.select(MatchOutcome.seeker_id, MatchOutcome.vacancy_id).where(
                MatchOutcome.kind.in_(POSITIVE[outcome]), MatchOutcome.at >= since
            )
        ).all()
    )
    by_vacancy: dict[int, set[int]] = defaultdict(set)
    for seeker_id, vacancy_id in [*shown, *positive]:
        by_vacancy[vacancy_id].add(seeker_id)
    return by_vacancy, positive


def collect(by_vacancy: dict[int, set[int]], positive: set, progress=lambda n: None) -> Sample:
    """The gathered pairs with their components as the ranking computes them now."""
    pairs, rows, labels, lists = [], [], [], []
    for vacancy_id, seekers in sorted(by_vacancy.items()):
        flt = SeekerFilter(ids=tuple(sorted(seekers)), visible_only=False)
        for fit in candidates_for_vacancy(vacancy_id, len(seekers), flt):
            pairs.append((fit.seeker_id, vacancy_id))
            rows.append([fit.components.get(name, np.nan) for name in COMPONENTS])
            labels.append(1.0 if (fit.seeker_id, vacancy_id) in positive else 0.0)
            lists.append(vacancy_id)
        progress(1)
    sample = Sample(pairs)
    if rows:
        sample.x, sample.y = np.asarray(rows, dtype=float), np.asarray(labels)
        sample.lists = np.asarray(lists, dtype=np.int64)
    return sample


def scores(x: np.ndarray, weights: dict[str, float]) -> np.ndarray:
    """The ranking's score of each row under `weights`, as `assess` computes it: components
    not judged are left out and the other weights renormalised."""
    w = np.asarray([weights.get(name, 0.0) for name in COMPONENTS])
    present = ~np.isnan(x)
    used = np.where(present, w, 0.0)
    total = used.sum(axis=1)
    total[total == 0] = 1.0
    return np.where(present, x, 0.0) @ w / total


def logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> np.ndarray:
    """Coefficients (intercept first) of an L2-penalised logistic regression, by Newton's
    method. Components not judged count as their mean over the pairs where they are."""
    design = np.column_stack([np.ones(len(x)), impute(x)])
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[0] = 0.0
    for _i in range(steps):
        p = 1 / (1 + np.exp(-(design @ beta)))
        gradient = design.T @ (p - y) + penalty * beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def impute(x: np.ndarray) -> np.ndarray:
    means = np.nanmean(np.where(np.isnan(x).all(axis=0), 0.0, x), axis=0)  # never judged: 0
    return np.where(np.isnan(x), means, x)


def proposal(beta: np.ndarray) -> dict[str, float]:
    """Weights from the coefficients: the positive ones, summing to one (a component whose
    coefficient is not positive does not help tell outcomes apart and gets none)."""
    positive = np.clip(beta[1:], 0, None)
    total = positive.sum() or 1.0
    return {name: round(float(v / total), 3) for name, v in zip(COMPONENTS, positive, strict=True)}


def ranking_quality(sample: Sample, mask: np.ndarray, weights: dict[str, float]) -> dict:
    """How the lists of `mask` rank their outcomes under `weights`: the share of outcomes in
    each list's first ten and first three, the mean reciprocal rank, and the area under the
    ROC curve over all pairs."""
    s = scores(sample.x[mask], weights)
    y, lists = sample.y[mask], sample.lists[mask]
    top10 = top3 = reciprocal = 0.0
    found = 0
    for list_id in np.unique(lists):
        here = lists == list_id
        order = np.argsort(-s[here], kind="stable")
        ranks = np.nonzero(y[here][order])[0] + 1
        for rank in ranks:
            found += 1
            top10 += rank <= 10
            top3 += rank <= 3
            reciprocal += 1 / rank
    return {
        "outcomes": found,
        "pairs": int(mask.sum()),
        "hit@3": top3 / found if found else None,
        "hit@10": top10 / found if found else None,
        "mrr": reciprocal / found if found else None,
        "auc": auc(s, y),
    }


def auc(s: np.ndarray, y: np.ndarray) -> float | None:
    positive, negative = s[y == 1], s[y == 0]
    if not len(positive) or not len(negative):
        return None
    order = np.argsort(np.concatenate([positive, negative]), kind="stable")
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    return float((ranks[: len(positive)].sum() - len(positive) * (len(positive) + 1) / 2)
                 / (len(positive) * len(negative)))  # fmt: skip


def held_out(lists: np.ndarray, share: float, seed: int) -> np.ndarray:
    """Whole lists (vacancies) set aside for the test, by a stable hash of their id."""
    cut = int(share * 1000)
    return np.asarray([zlib.crc32(f"{seed}:{i}".encode()) % 1000 < cut for i in lists], bool)


@dataclass
class Fitted:
    current: dict
    proposed: dict
    coefficients: dict
    train: dict
    test_current: dict
    test_proposed: dict

    def as_dict(self) -> dict:
        return {
            "fitted_at": utcnow().isoformat(timespec="seconds"),
            "current_weights": self.current,
            "proposed_weights": self.proposed,
            "coefficients": self.coefficients,
            "train": self.train,
            "held_out": {"current": self.test_current, "proposed": self.test_proposed},
            "apply_with": "JOBMATCH_MATCH_WEIGHTS='" + json.dumps(self.proposed) + "'",
        }


class NotEnough(ValueError):
    pass


def fit(sample: Sample, share: float = 0.3, seed: int = 0, l2: float = 1.0) -> Fitted:
    """Fit on the lists not held out; compare current and proposed weights on the others."""
    if len(sample.y) == 0 or sample.y.sum() < 10:
        raise NotEnough(f"{int(sample.y.sum())} outcomes among {len(sample.y)} pairs: too few")
    test = held_out(sample.lists, share, seed)
    train = ~test
    if sample.y[train].sum() < 5 or sample.y[test].sum() < 5:
        raise NotEnough("too few outcomes on one side of the split")
    beta = logistic(sample.x[train], sample.y[train], l2)
    current = dict(current_app.config["MATCH_WEIGHTS"])
    proposed = proposal(beta)
    return Fitted(
        current=current,
        proposed=proposed,
        coefficients={"intercept": round(float(beta[0]), 4)}
        | {n: round(float(b), 4) for n, b in zip(COMPONENTS, beta[1:], strict=True)},
        train={"pairs": int(train.sum()), "outcomes": int(sample.y[train].sum())},
        test_current=ranking_quality(sample, test, current),
        test_proposed=ranking_quality(sample, test, proposed),
    )
