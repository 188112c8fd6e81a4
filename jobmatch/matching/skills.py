"""Which ESCO skills a CV, a vacancy or a typed line names, as people write them.

Free text lists skills as phrases ("gestion des stocks, préparation des sauces, HACCP"),
seldom in ESCO's words ("manage inventory", "cook sauce products"). Each phrase is compared
with every English and French label and alternative label of every skill, the way
occupations are recognised (jobmatch.matching.occupations): character n-grams (inflection,
word order, "gestion" beside "gérer", missing accents) blended with closeness in meaning
to the skill's embedded labels. A phrase in a language ESCO has no skill labels for
(Arabic, Azerbaijani, Russian) is judged by its meaning alone.
"""

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from flask import current_app

from jobmatch.extensions import db
from jobmatch.matching import store
from jobmatch.matching.engine import WARMERS, engine, settle_heap
from jobmatch.matching.ranking import within_band
from jobmatch.search.embedder import SENTENCE_END
from jobmatch.search.lexical import best_per_group, fitted, flatten
from jobmatch.taxonomy.models import Skill

# Cosines of a phrase and a skill's labels (multilingual-e5-small) mapped onto 0..1.
MEANING_BAND = (0.78, 0.92)
# Meaning alone is surer of less: a foreign phrase needs to be closer to count.
FOREIGN_BAND = (0.82, 0.94)
# Below this share of character n-grams with its best label, a phrase is in a language
# the skills' labels are not written in: its meaning alone decides.
NO_WORDS = 0.15
MAX_PHRASES = 120  # of a long CV, the first phrases are read
MAX_WORDS = 10  # longer pieces are sentences, not skills
PER_PHRASE, TIE = 2, 0.05  # a second skill of one phrase, when it scores as well as the first
# Items of a list: commas, semicolons, bullets, slashes between words, and "and"/"et"/"и"/"و"/"və".
LIST_ITEM = re.compile(r"[,;•·|]|\s[-–—/]\s|\s(?:and|et|und|y|и|və|و)\s|\n", re.IGNORECASE)
LEAD = re.compile(r"^[\W\d_]+|[\W_]+$")


@dataclass(frozen=True)
class FoundSkill:
    skill_id: int
    label: str  # ESCO's English label
    phrase: str  # the words of the text it was recognised in
    confidence: float


def phrases_of(text: str) -> list[str]:
    """The short phrases of a text that may each name a skill, in order, once each."""
    out = []
    for sentence in SENTENCE_END.split(text or ""):
        for piece in LIST_ITEM.split(sentence):
            # "Compétences : HACCP" -> "HACCP": the heading before a colon is not a skill
            piece = LEAD.sub("", piece.rsplit(":", 1)[-1].strip())
            if 2 <= len(piece) and len(piece.split()) <= MAX_WORDS:
                out.append(piece)
    return list(dict.fromkeys(out))[:MAX_PHRASES]


class SkillRecogniser:
    """Recognises skills in phrases. Built once per process from the taxonomy."""

    def __init__(
        self, ids, labels_en, names, vectors=None, blend=0.5, band=MEANING_BAND, cache=None
    ):
        self.ids = np.asarray(ids, dtype=np.int64)
        self.labels_en = list(labels_en)
        flat, self.owners = flatten(names)
        self.grams, self.label_grams = fitted(flat, cache)
        self.vectors = vectors  # (skills x dim), L2-normalised, in the order of `ids`; or None
        self.blend, self.band = blend, band

    def scores(self, phrases: list[str], vectors=None) -> np.ndarray:
        """(phrases x skills): how well each phrase names each skill, 0..1."""
        lexical = best_per_group(
            self.grams.transform(phrases) @ self.label_grams, self.owners, len(self.ids)
        )
        if self.vectors is None or vectors is None:
            return lexical
        cosines = np.asarray(vectors) @ self.vectors.T
        blended = self.blend * lexical + (1 - self.blend) * within_band(cosines, self.band)
        foreign = lexical.max(axis=1) < NO_WORDS
        return np.where(foreign[:, None], within_band(cosines, FOREIGN_BAND), blended)

    def recognise(self, phrases, vectors=None, floor: float = 0.6, k: int = 1):
        """For each phrase, up to k skills scoring at least `floor`, best first."""
        if not phrases:
            return []
        out = []
        for phrase, row in zip(phrases, self.scores(phrases, vectors), strict=True):
            best = np.argsort(-row)[:k]
            out.append(
                [
                    FoundSkill(int(self.ids[j]), self.labels_en[j], phrase, float(row[j]))
                    for j in best
                    if row[j] >= floor
                ]
            )
        return out


_lock = threading.Lock()


def skill_recogniser() -> SkillRecogniser | None:
    """This process's skill recogniser, built on first use (a few seconds for ESCO's 14,000
    skills and 115,000 labels); None before the taxonomy is loaded. Built again once the
    labels' embeddings appear, to weigh meaning in."""
    app = current_app._get_current_object()
    with _lock:
        built = app.extensions.get("jobmatch.skills")
        if built is not None and built.vectors is None:
            if store.has_any("skill", engine().model_name):
                built = None
        if built is None:
            rows = db.session.execute(
                sa.select(
                    Skill.id, Skill.label_en, Skill.alt_labels_en, Skill.label_fr,
                    Skill.alt_labels_fr,
                ).order_by(Skill.id)
            ).all()  # fmt: skip
            if not rows:
                return None
            ids = [r.id for r in rows]
            names = [
                [r.label_en, *r.alt_labels_en.split("|"), r.label_fr or "",
                 *r.alt_labels_fr.split("|")]
                for r in rows
            ]  # fmt: skip
            built = SkillRecogniser(
                ids, [r.label_en for r in rows], names,
                store.every("skill", engine().model_name, ids),
                blend=app.config["SKILL_RECOGNITION_BLEND"],
                cache=Path(app.config["EMBEDDINGS_PATH"]) / "labels",
            )  # fmt: skip
            app.extensions["jobmatch.skills"] = built
            settle_heap()
        return built


WARMERS.append(skill_recogniser)


def recognise_phrases(
    phrases: list[str], floor: float | None = None, k: int = 1
) -> list[list[FoundSkill]]:
    """The skills each phrase names (at most k, best first); [] where none is close."""
    found = skill_recogniser()
    if found is None or not phrases:
        return [[] for _ in phrases]
    floor = current_app.config["SKILL_RECOGNITION_MIN"] if floor is None else floor
    vectors = None
    if found.vectors is not None:
        vectors = engine().embedder.embed(phrases, "query")
    return found.recognise(phrases, vectors, floor=floor, k=k)


def skills_in(text: str) -> list[FoundSkill]:
    """The skills a free text names, best first, each skill once: per phrase the best, and
    the next ones as close as it (a phrase may name two skills ESCO keeps apart)."""
    best: dict[int, FoundSkill] = {}
    for hits in recognise_phrases(phrases_of(text), k=PER_PHRASE):
        for hit in hits:
            if hit.confidence < hits[0].confidence - TIE:
                continue
            if hit.confidence > getattr(best.get(hit.skill_id), "confidence", 0.0):
                best[hit.skill_id] = hit
    return sorted(best.values(), key=lambda f: -f.confidence)


def link_other_skills(lines: list[str]) -> dict[str, FoundSkill]:
    """The ESCO skill each typed line names, for the lines that name one clearly."""
    floor = current_app.config["OTHER_SKILL_LINK_MIN"]
    hits = recognise_phrases(lines, floor=floor)
    return {line: found[0] for line, found in zip(lines, hits, strict=True) if found}
