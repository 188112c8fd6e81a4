"""Match quality on real, human-annotated job titles, through the product's own commands.

For each task of ../shared/data/matching-dev/ (its README gives the protocol): a new
embedded instance (SQLite, jobs in-process); `flask jobmatch taxonomy load` and `flask
jobmatch index concepts --kind occupation` (the product's setup); every corpus
document imported as a vacancy (`title` = its first label, `description` = the whole text)
with `flask jobmatch import vacancies`; every query as a job seeker with only
`desired_title` with `flask jobmatch import seekers`; then `flask jobmatch match seekers
--k 10 --out FILE` once per configuration of the ablation, and hit@10 and MRR@10 from
each file.

    python -m bench.match_quality [--tasks melo_fra_q_fr_c_fr_dev ...] [--limit 3000]

The data stays in ../shared (its licences allow evaluation, not copying).
"""

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import table

DATA = Path(
    os.environ.get("JOBMATCH_DEV_DATA")
    or Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "matching-dev"
)
TASKS = [
    "melo_fra_q_fr_c_fr_dev",
    "melo_fra_q_fr_c_en_dev",
    "melo_usa_q_en_c_en",
    "jobbert_val_titles-esco_en",
    "jobbert_val_titles-esco_fr",
    "jobbert_val_titles-esco_ar",
    "melo_esp_q_es_c_es",
    "melo_esp_q_es_c_en",
    "melo_deu_q_de_c_en",
    "melo_ita_q_it_c_en",
    "melo_nld_q_nl_c_en",
    "melo_pol_q_pl_c_en",
    "melo_prt_q_pt_c_en",
]
# The ablation: which channels find candidates, and which new components re-rank them.
CONFIGURATIONS = {
    "dense only": ("dense", {"occupation": 0.0, "title": 0.0}),
    "+ lexical": ("dense,lexical", {"occupation": 0.0}),
    "+ occupation": ("dense,occupation", {"title": 0.0}),
    "everything": ("dense,occupation,lexical", {}),
}


def rows(task: str, name: str) -> list[list[str]]:
    with gzip.open(DATA / task / f"{name}.tsv.gz", "rt", encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip()]


def flask(env: dict, *args: str) -> None:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "jobmatch", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-4000:]}")


def scores(ranked: dict[str, list[str]], relevant: dict[str, set[str]]) -> tuple[float, float]:
    hits = reciprocal = 0.0
    for query, wanted in relevant.items():
        for rank, doc in enumerate(ranked.get(query, [])[:10], 1):
            if doc in wanted:
                hits += 1
                reciprocal += 1 / rank
                break
    return hits / len(relevant), reciprocal / len(relevant)


def _env(folder: Path) -> dict:
    env = os.environ | {
        "JOBMATCH_INSTANCE_PATH": str(folder / "instance"),
        "JOBMATCH_EMBEDDINGS_PATH": str(folder / "emb"),
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def setup(folder: Path) -> Path:
    """The product's setup, once: the schema, ESCO, the occupations' label embeddings. Each
    task starts from a copy of this database."""
    done = folder / "instance" / "jobmatch.sqlite"
    if not done.exists():
        env = _env(folder)
        for args in (
            ("db", "upgrade"),
            ("jobmatch", "taxonomy", "load"),
            ("jobmatch", "index", "concepts", "--kind", "occupation"),
        ):
            run = subprocess.run(
                [sys.executable, "-m", "flask", "--app", "wsgi", *args],
                env=env,
                capture_output=True,
                text=True,
            )
            if run.returncode:
                raise SystemExit(f"{' '.join(args)} failed:\n{run.stderr[-4000:]}")
    return done


def prepare(task: str, folder: Path, limit: int, template: Path) -> tuple[dict, dict, dict]:
    """A new instance holding the task's corpus as vacancies and its queries as seekers."""
    env = _env(folder)
    (folder / "instance").mkdir(parents=True, exist_ok=True)
    shutil.copy(template, folder / "instance" / "jobmatch.sqlite")
    queries = rows(task, "queries")[:limit]
    relevant: dict[str, set[str]] = {}
    wanted = {q for q, _ in queries}
    for query, doc in rows(task, "qrels"):
        if query in wanted:
            relevant.setdefault(query, set()).add(doc)
    vacancies, seekers = folder / "vacancies.jsonl", folder / "seekers.jsonl"
    with vacancies.open("w") as fh:
        for doc, text in rows(task, "corpus"):
            title = text.split(" ; ")[0].split(" . ")[0].strip()[:200]
            line = {"external_id": doc, "title": title, "description": text}
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    with seekers.open("w") as fh:
        for query, text in queries:
            line = {"external_id": query, "desired_title": text[:200]}
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    timings = {}
    for step, path in (("vacancies", vacancies), ("seekers", seekers)):
        started = time.perf_counter()
        flask(env, "import", step, str(path))
        timings[step] = time.perf_counter() - started
    return env, relevant, timings


def run_task(
    task: str, limit: int, configurations: dict, template: Path, keep: Path | None = None
) -> dict:
    with tempfile.TemporaryDirectory(prefix="jobmatch-quality-") as tmp:
        folder = keep / task if keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        env, relevant, timings = prepare(task, folder, limit, template)
        out = {"queries": len(relevant), "timings": timings, "scores": {}}
        for name, (channels, weights) in configurations.items():
            result = folder / "matches.jsonl"
            started = time.perf_counter()
            flask(
                env
                | {
                    "JOBMATCH_MATCH_CHANNELS": channels,
                    "JOBMATCH_MATCH_WEIGHTS": json.dumps(weights),
                },
                "match",
                "seekers",
                "--k",
                "10",
                "--out",
                str(result),
            )
            seconds = time.perf_counter() - started
            ranked = {}
            for line in result.read_text().splitlines():
                item = json.loads(line)
                ranked[item["seeker"]] = item["vacancies"]
            out["scores"][name] = (*scores(ranked, relevant), seconds)
            print(f"  {task} {name}: hit@10 {out['scores'][name][0]:.3f}", file=sys.stderr)
        return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", nargs="*", default=TASKS)
    parser.add_argument("--limit", type=int, default=3000, help="queries per task, at most")
    parser.add_argument("--only", choices=list(CONFIGURATIONS), nargs="*")
    parser.add_argument(
        "--keep", type=Path, help="keep each task's instance in this folder (bench.fit_weights)"
    )
    args = parser.parse_args()
    configurations = {k: v for k, v in CONFIGURATIONS.items() if not args.only or k in args.only}
    results = {}
    with tempfile.TemporaryDirectory(prefix="jobmatch-setup-") as tmp:
        print("setup ...", file=sys.stderr)
        template = setup(args.keep / "_setup" if args.keep else Path(tmp))
        for task in args.tasks:
            print(f"{task} ...", file=sys.stderr)
            results[task] = run_task(task, args.limit, configurations, template, args.keep)
            report(results, configurations)


def report(results: dict, configurations: dict) -> None:
    """The tables so far: printed after every task, so a long run shows what it has."""
    headers = ["task", "queries"] + [f"{name} hit@10 / MRR@10" for name in configurations]
    body = []
    for task, result in results.items():
        cells = [f"{hit:.3f} / {mrr:.3f}" for hit, mrr, _s in result["scores"].values()]
        body.append([task, result["queries"], *cells])
    print(table(headers, body))
    print()
    timing_headers = ["task", "import vacancies s", "import seekers s"]
    timing_headers += [f"match {name} s" for name in configurations]
    print(
        table(
            timing_headers,
            [
                [
                    task,
                    r["timings"]["vacancies"],
                    r["timings"]["seekers"],
                    *(s for _h, _m, s in r["scores"].values()),
                ]
                for task, r in results.items()
            ],
        )
    )
    print(flush=True)


if __name__ == "__main__":
    main()
