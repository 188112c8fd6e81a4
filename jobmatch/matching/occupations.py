"""Which ESCO occupation a vacancy or a job seeker is about, in any of the five languages.

A title is compared with every label the service holds for every occupation: ESCO's
English, French and Arabic preferred and alternative labels (French masculine and
feminine forms each on their own), and the Azerbaijani and Russian titles the service
keeps. Two measures, blended: character n-grams (typos, inflection, word order, accents)
and, when the labels' embeddings are stored, closeness in meaning. The result is a few
occupations with a confidence from 0 to 1; an occupation the employer chose or the job
seeker confirmed is certain and always wins.
"""

import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from flask import current_app

from jobmatch.database import among
from jobmatch.extensions import db
from jobmatch.matching import store
from jobmatch.matching.engine import WARMERS, engine, settle_heap
from jobmatch.matching.models import RecognisedOccupation
from jobmatch.matching.ranking import within_band
from jobmatch.matching.recognition import label_index, local_titles
from jobmatch.search.lexical import best_per_group, fitted, flatten, fold, words_of
from jobmatch.seekers.models import Experience, SeekerProfile
from jobmatch.taxonomy.models import Occupation
from jobmatch.vacancies.models import Vacancy

# Cosines of a document and an occupation's labels (multilingual-e5-small) mapped onto 0..1;
# fitted with the blend on the development data (docs/BENCHMARKS.md).
MEANING_BAND = (0.75, 0.90)
# Occupations kept per document, best first: the right one is more often among ten than
# among three, and the re-ranking orders them by confidence (docs/BENCHMARKS.md).
MAX_FOUND = 10
MAX_TITLES = 4  # a job seeker's wished-for title and the last jobs they held
EARLIER_JOB = 0.8  # a job held before says less about the job wanted than its title
NAMED_IN_TEXT = 0.7  # an occupation named in a CV or a description whose title names none
TEXT_CHARS = 20_000  # of a long CV, the start is read


@dataclass(frozen=True)
class Found:
    occupation_id: int
    confidence: float
    source: str  # "chosen" (by the employer or the job seeker), "title", "text"


@dataclass(frozen=True)
class Concept:
    """An occupation and everything it is called."""

    id: int
    code: str  # ESCO's code: the ISCO unit group, then the broader occupations ("5120.1")
    labels: tuple[str, ...]


def split_forms(label: str) -> list[str]:
    """ "directeur technique/directrice technique" -> the label and each of its forms."""
    parts = [p.strip() for p in label.replace(" / ", "/").split("/")]
    return [label.strip(), *(p for p in parts if p)] if len(parts) > 1 else [label.strip()]


class Recogniser:
    """Recognises occupations in titles. Built once per process from the taxonomy."""

    def __init__(
        self,
        concepts: list[Concept],
        concept_vectors=None,
        blend: float = 0.5,
        band=MEANING_BAND,
        cache: Path | None = None,
    ):
        self.concepts = concepts
        self.ids = np.array([c.id for c in concepts], dtype=np.int64)
        self.position = {c.id: i for i, c in enumerate(concepts)}
        self.labels, self.owners = flatten(
            [f for name in c.labels for f in split_forms(name)] for c in concepts
        )
        self.grams, self.label_grams = fitted(self.labels, cache)
        self.exact = {}
        for label, owner in zip(self.labels, self.owners.tolist(), strict=True):
            self.exact.setdefault(fold(label), owner)
        # (concepts x dim), L2-normalised, in the order of `concepts`; or None (words only)
        self.concept_vectors = concept_vectors
        self.blend, self.band = blend, band

    @cached_property
    def words(self) -> set[str]:
        """Every word of three letters or more the labels use, folded."""
        return set().union(*(words_of(label) for label in self.labels))

    def scores(self, titles: list[str], vectors=None) -> np.ndarray:
        """(titles x occupations): how well each title names each occupation, 0..1. With
        `vectors` (one per title, the embedding of the document it heads; a row of NaN
        where there is none) the closeness in meaning to each occupation is blended in."""
        lexical = best_per_group(
            self.grams.transform(titles) @ self.label_grams, self.owners, len(self.concepts)
        )
        if self.concept_vectors is None or vectors is None:
            return lexical
        vectors = np.asarray(vectors, dtype=np.float32)
        known = ~np.isnan(vectors).any(axis=1)
        meaning = within_band(np.nan_to_num(vectors) @ self.concept_vectors.T, self.band)
        blended = self.blend * lexical + (1 - self.blend) * meaning
        return np.where(known[:, None], blended, lexical)

    def recognise(self, titles: list[str], vectors=None, k: int = 3, floor: float = 0.3):
        """For each title, up to k occupations scoring at least `floor`, best first. A title
        that is exactly one of the labels is that occupation, with confidence 1."""
        if not titles:
            return []
        scores = self.scores(titles, vectors)
        out = []
        for title, row in zip(titles, scores, strict=True):
            exact = self.exact.get(fold(title))
            if exact is not None:
                row[exact] = 1.0
            best = np.argsort(-row)[:k]
            out.append(
                [Found(int(self.ids[j]), float(row[j]), "title") for j in best if row[j] >= floor]
            )
        return out


# --- the service's recogniser, and what it recognised --------------------------------


def _concepts() -> list[Concept]:
    local = local_titles()
    rows = db.session.scalars(sa.select(Occupation).order_by(Occupation.id))
    return [
        Concept(
            row.id,
            row.code or row.isco_group,
            (
                row.label_en,
                *row.alt_labels_en.split("|"),
                row.label_fr or "",
                *row.alt_labels_fr.split("|"),
                row.label_ar or "",
                *local.get(row.label_en, []),
            ),
        )
        for row in rows
    ]


_lock = threading.Lock()


def recogniser() -> Recogniser | None:
    """This process's recogniser, built on first use (a few seconds for ESCO's 3,000
    occupations and 56,000 labels); None before the taxonomy is loaded. Built again once
    the labels' embeddings appear, to blend meaning in."""
    app = current_app._get_current_object()
    with _lock:
        built = app.extensions.get("jobmatch.occupations")
        stale = built is not None and built.concept_vectors is None
        if stale and store.has_any("occupation", engine().model_name):
            built = None
        if built is None:
            concepts = _concepts()
            if not concepts:
                return None
            built = Recogniser(
                concepts,
                store.every("occupation", engine().model_name, [c.id for c in concepts]),
                blend=app.config["RECOGNITION_BLEND"],
                cache=Path(app.config["EMBEDDINGS_PATH"]) / "labels",
            )
            app.extensions["jobmatch.occupations"] = built
            settle_heap()
        return built


WARMERS.append(recogniser)


def titles_of(entity: str, ids=None) -> dict[int, list[str]]:
    """What each vacancy or job seeker names as the job: a vacancy's title; a job seeker's
    wished-for title, then the titles of the jobs they held. `ids` None: every one."""

    def only(query, column):
        return query if ids is None else query.where(among(column, ids))

    if entity == "vacancy":
        rows = db.session.execute(only(sa.select(Vacancy.id, Vacancy.title), Vacancy.id))
        return {i: [t] if t and t.strip() else [] for i, t in rows}
    out = {
        i: [t] if t and t.strip() else []
        for i, t in db.session.execute(
            only(sa.select(SeekerProfile.id, SeekerProfile.desired_title), SeekerProfile.id)
        )
    }
    for seeker_id, title in db.session.execute(
        only(sa.select(Experience.seeker_id, Experience.title), Experience.seeker_id).order_by(
            Experience.seeker_id, Experience.id
        )
    ):
        if title and title.strip() and seeker_id in out:
            out[seeker_id].append(title)
    return out


def recognise_entities(entity: str, ids) -> int:
    """Recognise the occupations of these vacancies or job seekers from their titles, and
    store them in place of what was recognised before; flushes. A later title (a job held
    before) counts less than the first (the job wanted or offered)."""
    ids = sorted({int(i) for i in ids})
    if not ids:
        return 0
    db.session.execute(
        sa.delete(RecognisedOccupation).where(
            RecognisedOccupation.entity_type == entity, RecognisedOccupation.entity_id.in_(ids)
        )
    )
    found = recogniser()
    titles = titles_of(entity, ids)
    if found is None or not titles:
        return 0
    flat = [(i, n, t) for i, names in titles.items() for n, t in enumerate(names[:MAX_TITLES])]
    stored_ids, stored = store.load(entity, engine().model_name, list(titles))
    by_id = {int(i): v for i, v in zip(stored_ids, stored, strict=True)}
    nothing = np.full(stored.shape[1] if len(stored_ids) else 1, np.nan, dtype=np.float32)
    vectors = [by_id.get(i, nothing) if n == 0 else nothing for i, n, _t in flat]
    usable = len(stored_ids) and found.concept_vectors is not None
    results = found.recognise(
        [t for _, _, t in flat], np.stack(vectors) if usable else None, k=MAX_FOUND
    )
    best: dict[tuple[int, int], tuple[float, str]] = {}
    for (entity_id, n, _title), hits in zip(flat, results, strict=True):
        weight, source = (1.0, "title") if n == 0 else (EARLIER_JOB, "text")
        for hit in hits:
            key = (entity_id, hit.occupation_id)
            if weight * hit.confidence > best.get(key, (0.0, ""))[0]:
                best[key] = (weight * hit.confidence, source)
    for entity_id, text in _texts_without_title(entity, ids, best):
        for hit in label_index().find(text):
            if hit.kind == "occupation":
                best.setdefault((entity_id, hit.id), (NAMED_IN_TEXT, "text"))
    db.session.add_all(
        RecognisedOccupation(
            entity_type=entity,
            entity_id=entity_id,
            occupation_id=occupation_id,
            confidence=round(confidence, 4),
            source=source,
        )
        for (entity_id, occupation_id), (confidence, source) in best.items()
    )
    db.session.flush()
    return len(best)


def _texts_without_title(entity: str, ids: list[int], found: dict) -> list[tuple[int, str]]:
    """The descriptions or CVs of the documents whose titles named no occupation."""
    missing = sorted(set(ids) - {entity_id for entity_id, _ in found})
    if not missing:
        return []
    if entity == "vacancy":
        query = sa.select(Vacancy.id, Vacancy.description).where(Vacancy.id.in_(missing))
    else:
        query = sa.select(
            SeekerProfile.id,
            sa.func.coalesce(SeekerProfile.summary, "")
            + "\n"
            + sa.func.coalesce(SeekerProfile.cv_text, ""),
        ).where(SeekerProfile.id.in_(missing))
    rows = db.session.execute(query)
    return [(i, text[:TEXT_CHARS]) for i, text in rows if text and text.strip()]


def unrecognised(entity: str, ids: list[int]) -> list[int]:
    """Those of `ids` with no recognised occupation stored."""
    have = set(
        db.session.scalars(
            sa.select(RecognisedOccupation.entity_id).where(
                RecognisedOccupation.entity_type == entity,
                among(RecognisedOccupation.entity_id, ids),
            )
        )
    )
    return [i for i in ids if i not in have]
