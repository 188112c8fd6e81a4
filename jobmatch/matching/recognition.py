"""Recognise ESCO occupations and skills in free text (a CV, a vacancy) in any language.

Two signals, merged: exact label matches (ESCO's English, French and Arabic labels
and alternative labels, plus the Azerbaijani and Russian titles the service keeps)
and the meaning of each sentence compared with the labels' embeddings. The result
is a list of suggestions for a person to confirm or edit, never a silent change.
"""

import re
import threading
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from jobmatch.demo.content import OCCUPATIONS
from jobmatch.extensions import db
from jobmatch.matching import store
from jobmatch.matching.engine import WARMERS, engine, settle_heap
from jobmatch.matching.skills import skills_in
from jobmatch.search.embedder import SENTENCE_END
from jobmatch.tasks.queue import enqueue
from jobmatch.taxonomy.models import Occupation, OccupationSkill, Skill

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
MAX_WORDS = 6
MIN_CHARS = 4
KINDS = {"skill": Skill, "occupation": Occupation}


@dataclass
class Suggestion:
    kind: str  # skill or occupation
    id: int
    label: str
    score: float
    source: str  # "label": named in the text; "words": named in other words; "meaning": close


# French elision: "d'utiliser" is "utiliser" after "de", as labels write it.
ELISION = re.compile(r"^(?:[cdjlmnst]|qu)['’]")


def _normal(text: str) -> str:
    return " ".join(ELISION.sub("", word) for word in WORD.findall(text.lower()))


def local_titles() -> dict[str, list[str]]:
    """Azerbaijani and Russian titles of common occupations (ESCO has none)."""

    return {label: [az, ru] for label, (az, ru, *_rest) in OCCUPATIONS.items()}


def label_document(kind: str, row) -> str:
    """What a concept is embedded from: its labels in every language we hold."""
    names = [row.label_en, *[a for a in row.alt_labels_en.split("|")[:3] if a]]
    if kind == "occupation":
        names += [row.label_fr or "", row.label_ar or ""]
    else:  # skills: ESCO's French label too, so French text meets them
        names += [row.label_fr or ""]
    text = "; ".join(dict.fromkeys(n for n in names if n))
    if kind == "occupation" and row.description_en:
        # The first sentence says what the work is: it anchors the meaning of a bare title.
        text += ". " + SENTENCE_END.split(row.description_en, maxsplit=1)[0]
    return text


class LabelIndex:
    """Every label and alternative label, by its normalised words."""

    def __init__(self):
        self.phrases: dict[str, tuple[str, int, str]] = {}
        columns = (
            Skill.id,
            Skill.label_en,
            Skill.alt_labels_en,
            Skill.label_fr,
            Skill.alt_labels_fr,
        )
        for row in db.session.execute(sa.select(*columns)):
            names = [row.label_en, *row.alt_labels_en.split("|"), row.label_fr or ""]
            self._add("skill", row.id, row.label_en, [*names, *row.alt_labels_fr.split("|")])
        local = local_titles()
        for row in db.session.scalars(sa.select(Occupation)):
            names = [row.label_en, *row.alt_labels_en.split("|"), *row.alt_labels_fr.split("|")]
            names += (row.label_fr or "").split("/") + (row.label_ar or "").split(" / ")
            names += local.get(row.label_en, [])
            self._add("occupation", row.id, row.label_en, names)

    def _add(self, kind: str, concept_id: int, label: str, names) -> None:
        for name in names:
            key = _normal(name)
            if len(key) >= MIN_CHARS:
                self.phrases.setdefault(key, (kind, concept_id, label))

    def find(self, text: str) -> list[Suggestion]:
        words = _normal(text).split()
        found: dict[tuple[str, int], Suggestion] = {}
        for start in range(len(words)):
            for size in range(min(MAX_WORDS, len(words) - start), 0, -1):
                hit = self.phrases.get(" ".join(words[start : start + size]))
                if hit:
                    kind, concept_id, label = hit
                    found.setdefault(
                        (kind, concept_id), Suggestion(kind, concept_id, label, 1.0, "label")
                    )
                    break
        return list(found.values())


_labels_lock = threading.Lock()


def label_index() -> LabelIndex:
    """The app's label index, built on first use."""
    app = current_app._get_current_object()
    with _labels_lock:
        if "jobmatch.labels" not in app.extensions:
            app.extensions["jobmatch.labels"] = LabelIndex()
            settle_heap()
        return app.extensions["jobmatch.labels"]


WARMERS.append(label_index)


def index_concepts(kind: str, progress=lambda n: None) -> dict:
    """Embed the labels of every skill or occupation (once; unchanged labels are reused)."""
    model = KINDS[kind]
    items = [(row.id, label_document(kind, row)) for row in db.session.scalars(sa.select(model))]
    counts = store.ensure(kind, items, engine().embedder, "passage", progress=progress)
    db.session.flush()
    engine().rebuild_index(kind)
    return counts


def _by_meaning(kind, sentences, limit, allowed=None) -> list[Suggestion]:
    eng = engine()
    if not sentences:
        return []
    if not store.has_any(kind, eng.model_name):
        _request_concepts()  # until then, what the text names is still found
        return []
    index = eng.index(kind)
    threshold = current_app.config["RECOGNITION_MIN_SIMILARITY"]
    scores, ids = index.search(eng.embedder.embed(sentences, "query"), limit, allowed=allowed)
    best: dict[int, float] = {}
    for score, concept_id in zip(scores.ravel(), ids.ravel(), strict=True):
        if concept_id >= 0 and score >= threshold:
            best[int(concept_id)] = max(best.get(int(concept_id), 0.0), float(score))
    model = KINDS[kind]
    labels = dict(
        db.session.execute(
            sa.select(model.id, model.label_en).where(model.id.in_(list(best)))
        ).all()
    )
    return [Suggestion(kind, i, labels[i], score, "meaning") for i, score in best.items()]


def _request_concepts() -> None:
    """Queue the embedding of the ESCO labels (once; `flask jobmatch index concepts` does
    the same by hand)."""
    if current_app.config.get("CONCEPTS_ON_DEMAND"):
        enqueue("index_concepts_job", key="index:concepts")


def _skills_of(occupation_ids) -> list[int]:
    return db.session.scalars(
        sa.select(OccupationSkill.skill_id).where(
            OccupationSkill.occupation_id.in_(list(occupation_ids))
        )
    ).all()


def suggest(text: str, skills: int = 12, occupations: int = 3) -> list[Suggestion]:
    """Occupations and skills the text names or means, best first.

    By meaning, skills are looked for only among the skills ESCO gives the occupations
    found: short skill labels compared with everything drift towards unrelated
    concepts (hubness), while within one trade the closest skills are the right ones.
    """
    named = label_index().find(text)
    sentences = [s.strip() for s in SENTENCE_END.split(text) if len(s.strip()) > 2][:40]
    top = sorted((s for s in named if s.kind == "occupation"), key=lambda s: s.label)
    if not top:  # no title named: the closest occupations by meaning
        top = sorted(_by_meaning("occupation", sentences, occupations), key=lambda s: -s.score)
    top = top[:occupations]
    found_skills = {}
    candidates = _skills_of(s.id for s in top)
    if candidates:
        for item in _by_meaning("skill", sentences, skills, allowed=candidates):
            found_skills[item.id] = item
    for hit in skills_in(text):  # the phrases that name a skill in other words
        found_skills[hit.skill_id] = Suggestion(
            "skill", hit.skill_id, hit.label, hit.confidence, "words"
        )
    found_skills.update({s.id: s for s in named if s.kind == "skill"})
    order = {"label": 0, "words": 1, "meaning": 2}
    ranked = sorted(found_skills.values(), key=lambda s: (order[s.source], -s.score))
    return top + ranked[:skills]
