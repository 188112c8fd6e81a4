"""Matching's speed before and after a change, side by side in one run, through the
product's own commands and functions.

Each source tree (a git commit checked out aside, and this working tree) gets a new
embedded instance with the demo data (`db upgrade`, `taxonomy load`, `seed demo`,
`index rebuild`, and `index concepts --kind occupation` where the tree has it), then:
- a bulk import: `flask jobmatch import vacancies FILE` of N new vacancies (indexed in
  the command, as without Redis), timed whole;
- every demo job seeker's best 10 vacancies (`vacancies_for_seeker`, as the seeker's
  page and `flask jobmatch match seekers` call it), each call timed.

    python -m bench.match_speed --base e799cce [--vacancies 2000]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import table

ROOT = Path(__file__).resolve().parent.parent

LATENCIES = r"""
import json, sys, time
import sqlalchemy as sa
from jobmatch import create_app
from jobmatch.extensions import db
from jobmatch.matching import services
from jobmatch.seekers.models import SeekerProfile
app = create_app()
with app.app_context():
    ids = db.session.scalars(sa.select(SeekerProfile.id).order_by(SeekerProfile.id)).all()
    services.vacancies_for_seeker(ids[0], 10)  # the model and the indexes, loaded once
    seconds = []
    for seeker_id in ids:
        started = time.perf_counter()
        services.vacancies_for_seeker(seeker_id, 10)
        seconds.append(time.perf_counter() - started)
        db.session.rollback()
    print(json.dumps(seconds))
"""


def flask(tree: Path, env: dict, *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{tree}: {' '.join(args)} failed:\n{done.stderr[-4000:]}")
    return time.perf_counter() - started


def vacancies_file(path: Path, count: int) -> None:
    """New vacancies named after ESCO occupations in English and French, with a duty."""
    import csv
    import gzip

    with gzip.open(ROOT / "jobmatch/data/esco/occupations.csv.gz", "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with path.open("w") as out:
        for n in range(count):
            row = rows[(n * 7919) % len(rows)]
            french = n % 2 and row["label_fr"]
            title = (row["label_fr"] if french else row["label_en"]).split("/")[0]
            duty = row["description_en"].split(". ")[0]
            line = {"external_id": f"B{n}", "title": title, "description": duty}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


def measure(tree: Path, folder: Path, vacancies: Path) -> dict:
    env = os.environ | {
        "JOBMATCH_INSTANCE_PATH": str(folder / "instance"),
        "JOBMATCH_EMBEDDINGS_PATH": str(folder / "emb"),
        "JOBMATCH_MODEL": str(ROOT / "models" / "multilingual-e5-small"),
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    flask(tree, env, "db", "upgrade")
    flask(tree, env, "jobmatch", "taxonomy", "load")
    help_text = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobmatch", "index", "concepts", "--help"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    if "--kind" in help_text:
        flask(tree, env, "jobmatch", "index", "concepts", "--kind", "occupation")
    flask(tree, env, "jobmatch", "seed", "demo")
    flask(tree, env, "jobmatch", "index", "rebuild")
    imported = flask(tree, env, "jobmatch", "import", "vacancies", str(vacancies))
    done = subprocess.run(
        [sys.executable, "-c", LATENCIES], cwd=tree, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr[-4000:])
    seconds = sorted(json.loads(done.stdout.strip().splitlines()[-1]))
    pick = lambda q: seconds[min(len(seconds) - 1, int(q * len(seconds)))] * 1000  # noqa: E731
    return {"import": imported, "p50": pick(0.5), "p99": pick(0.99), "n": len(seconds)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="the commit to compare with")
    parser.add_argument("--vacancies", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jobmatch-speed-") as tmp:
        work = Path(tmp)
        base = work / "base"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(base), args.base],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            vacancies = work / "vacancies.jsonl"
            vacancies_file(vacancies, args.vacancies)
            results = {}
            for name, tree in ((f"before ({args.base})", base), ("after (this tree)", ROOT)):
                print(f"{name} ...", file=sys.stderr)
                results[name] = measure(tree, work / name.split()[0], vacancies)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT)
    before, after = results.values()
    rows = [
        [name, r["n"], r["p50"], r["p99"], r["import"], args.vacancies / r["import"]]
        for name, r in results.items()
    ]
    rows.append(
        [
            "after / before",
            "",
            after["p50"] / before["p50"],
            after["p99"] / before["p99"],
            after["import"] / before["import"],
            "",
        ]
    )
    headers = ["code", "matches", "match p50 ms", "match p99 ms", "import s", "vacancies/s"]
    print(table(headers, rows))


if __name__ == "__main__":
    main()
