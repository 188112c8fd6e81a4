"""Fit the re-ranking's weights for the occupation, title and meaning components on the
development tasks, from the instances `bench.match_quality --keep FOLDER` left.

For every job seeker of every task the three channels' candidates are gathered (100 from
each) and each candidate's components computed once, as the product computes them; then
every combination of weights on a grid is scored by the mean hit@10 over the tasks (MRR@10
breaks ties). The best go into jobmatch/matching/ranking.py's DEFAULT_WEIGHTS.

    python -m bench.fit_weights FOLDER [--limit 500]
"""

import argparse
import itertools
import os
import sys
from pathlib import Path

import numpy as np

from bench.common import table
from bench.match_quality import rows

POOL = 100
GRID = {
    "occupation": [0.0, 0.1, 0.2, 0.3, 0.45, 0.6],
    "title": [0.0, 0.05, 0.1, 0.2, 0.3],
    "semantic": [0.1, 0.25, 0.4],
}


def components(folder: Path, limit: int, found: int | None = None) -> tuple[list, list]:
    """Per seeker: (the candidates' components as arrays, which candidates are relevant)."""
    os.environ["JOBMATCH_INSTANCE_PATH"] = str(folder / "instance")
    os.environ["JOBMATCH_EMBEDDINGS_PATH"] = str(folder / "emb")
    from jobmatch import create_app
    from jobmatch.extensions import db
    from jobmatch.matching import facts, services
    from jobmatch.matching.channels import title_index
    from jobmatch.matching.occupations import titles_of
    from jobmatch.matching.ranking import assess
    from jobmatch.seekers.models import SeekerProfile
    from jobmatch.vacancies.models import Vacancy

    relevant: dict[str, set[str]] = {}
    for query, doc in rows(folder.name, "qrels"):
        relevant.setdefault(query, set()).add(doc)
    app = create_app()
    out_components, out_relevant = [], []
    with app.app_context():
        app.config["MATCH_CANDIDATES"] = POOL
        allowed = services.open_vacancy_ids(services.VacancyFilter())
        names = dict(db.session.execute(db.select(Vacancy.id, Vacancy.external_id)).all())
        seekers = db.session.execute(
            db.select(SeekerProfile.id, SeekerProfile.external_id).order_by(SeekerProfile.id)
        ).all()[:limit]
        if found:  # recognise the seekers again, keeping this many occupations each
            from jobmatch.matching import occupations

            occupations.MAX_FOUND = found
            occupations.recognise_entities("seeker", [i for i, _ in seekers])
            db.session.commit()
        for seeker_id, external in seekers:
            vector = services.stored_vector("seeker", seeker_id)
            one = ("seeker", seeker_id)
            ids, cosines = services._candidates(
                "vacancy", vector[None, :], one, POOL, allowed, keep=POOL
            )
            cosines.update(
                services._cosines("vacancy", vector, [i for i in ids if i not in cosines])
            )
            title = (titles_of("seeker", [seeker_id]).get(seeker_id) or [""])[0]
            titles = title_index("vacancy").similarity(title, ids)
            seeker, many = facts.seekers([seeker_id])[seeker_id], facts.vacancies(ids)
            table_ = {name: [] for name in GRID}
            for i in ids:
                fit = assess(cosines[i], seeker, many[i], None, title=titles.get(i))
                for name in GRID:
                    table_[name].append(fit.components.get(name, np.nan))
            out_components.append({k: np.array(v, dtype=np.float32) for k, v in table_.items()})
            wanted = relevant.get(external, set())
            out_relevant.append(np.array([names[i] in wanted for i in ids]))
    return out_components, out_relevant


def evaluate(weights: dict, data) -> tuple[float, float]:
    hits = reciprocal = 0.0
    parts, wanted = data
    for comps, relevant in zip(parts, wanted, strict=True):
        if not len(relevant):
            continue
        total = np.zeros(len(relevant), dtype=np.float32)
        norm = np.zeros(len(relevant), dtype=np.float32)
        for name, w in weights.items():
            values = comps[name]
            known = ~np.isnan(values)
            total += np.where(known, values * w, 0)
            norm += np.where(known, w, 0)
        score = total / np.maximum(norm, 1e-9)
        top = np.argsort(-score, kind="stable")[:10]
        found = np.nonzero(relevant[top])[0]
        if len(found):
            hits += 1
            reciprocal += 1 / (found[0] + 1)
    n = len(parts)
    return hits / n, reciprocal / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--found", type=int, help="recognise the seekers again, keeping N")
    args = parser.parse_args()
    tasks = {}
    for folder in sorted(p for p in args.folder.iterdir() if (p / "vacancies.jsonl").exists()):
        print(f"{folder.name} ...", file=sys.stderr)
        tasks[folder.name] = components(folder, args.limit, args.found)
    results = []
    for values in itertools.product(*GRID.values()):
        weights = dict(zip(GRID, values, strict=True))
        per_task = {name: evaluate(weights, data) for name, data in tasks.items()}
        mean_hit = float(np.mean([h for h, _m in per_task.values()]))
        mean_mrr = float(np.mean([m for _h, m in per_task.values()]))
        results.append((mean_hit, mean_mrr, weights, per_task))
    results.sort(key=lambda r: (-r[0], -r[1]))
    headers = ["occupation", "title", "semantic", "mean hit@10", "mean MRR@10", *tasks]
    body = [
        [w["occupation"], w["title"], w["semantic"], hit, mrr]
        + [f"{h:.3f}" for h, _m in per.values()]
        for hit, mrr, w, per in results[:10]
    ]
    print(table(headers, body))


if __name__ == "__main__":
    main()
