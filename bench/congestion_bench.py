"""Congestion: does damping crowded vacancies spread job seekers' recommendations over more
vacancies, and what does it cost in match quality? And the weights fitted on outcomes
simulated from the demo.

Every job seeker, in a random order, opens their recommendations (the first ten, through
`jobmatch.seekers.recommend.recommendations`, which logs them in the exposure log) and
applies to the first three (`jobmatch.vacancies.services.apply`), so that those who come
later meet the crowding the earlier ones made. Run twice from the same database: with
CONGESTION_DAMPING off, then on (the default settings).

1. The demo installation (`make setup`'s data: 300 vacancies, 600 job seekers): the Gini
   coefficient of the exposure across open vacancies (from the exposure log), the share of
   vacancies never shown, and how the applications crowd.
2. Tasks of the match-quality benchmark (../shared/data/matching-dev/, as
   `bench.match_quality` imports them): the same simulation, with hit@10 of each seeker's
   list when they opened it, against the relevance judgements.
3. On the demo after the damped run: counsellors open every vacancy's candidates (the
   exposure log again) and employers hire among those shown, by a preference of their own
   (simulated: skills and place count more than the current weights say); then
   `flask jobmatch weights fit` on those outcomes.

    python -m bench.congestion_bench [--tasks melo_usa_q_en_c_en ...] [--limit 1000]
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import table
from bench.match_quality import _env, prepare, setup

# name: (CONGESTION_DAMPING, CONGESTION or None for the default)
CONFIGURATIONS = {
    "no damping": ("0", None),
    "from 8 a position, to -10% at 24": ("1", {"start": 8, "full": 24, "most": 0.1}),
    "from 4, to -20% at 12": ("1", {"start": 4, "full": 12, "most": 0.2}),
    "from 2, to -30% at 8 (the default)": ("1", None),
}
DEFAULT = 3  # the configuration with the product's own settings
TAKE = 3  # applications each seeker sends: their first three recommendations
K = 10


def gini(counts) -> float:
    """0: every vacancy shown as often; 1: one vacancy takes every showing."""
    x = np.sort(np.asarray(counts, dtype=float))
    if not len(x) or not x.sum():
        return 0.0
    n = len(x)
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


def flask(env: dict, *args: str) -> str:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-4000:]}")
    return done.stdout


def demo_instance(folder: Path) -> Path:
    """`make setup` in `folder`: schema, ESCO, the demo data, the model, the indexes."""
    env = _env(folder)
    db = folder / "instance" / "jobmatch.sqlite"
    if not db.exists():
        for args in (("db", "upgrade"), ("jobmatch", "taxonomy", "load"),
                     ("jobmatch", "seed", "demo"), ("jobmatch", "index", "concepts"),
                     ("jobmatch", "index", "rebuild")):  # fmt: skip
            print("  " + " ".join(args), file=sys.stderr)
            flask(env, *args)
    return db


def copy_instance(source: Path, target: Path) -> dict:
    """A copy of an instance (database and index snapshots) to change without touching it."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source / "instance", target / "instance")
    if (source / "emb").exists():
        shutil.copytree(source / "emb", target / "emb")
    return _env(target)


def child(kind: str, damping: str, out: Path, seed: int) -> None:
    """The simulation, in a process of its own (one app, one configuration)."""
    import sqlalchemy as sa

    from jobmatch import create_app
    from jobmatch.database import changes
    from jobmatch.extensions import db
    from jobmatch.matching import services
    from jobmatch.monitoring.models import Exposure
    from jobmatch.seekers.models import SeekerProfile
    from jobmatch.seekers.recommend import recommendations
    from jobmatch.vacancies.models import Application, Vacancy
    from jobmatch.vacancies.services import apply
    from jobmatch.validation import InvalidInput

    app = create_app()
    app.config["CONGESTION_DAMPING"] = damping == "1"
    relevant = json.loads(os.environ.get("BENCH_RELEVANT", "{}"))
    with app.app_context():
        open_ids = set(services.open_vacancy_ids(services.VacancyFilter()).tolist())
        external = dict(db.session.execute(sa.select(Vacancy.id, Vacancy.external_id)).all())
        seekers = db.session.execute(sa.select(SeekerProfile.id, SeekerProfile.external_id)).all()
        order = sorted(seekers)
        random.Random(seed).shuffle(order)
        shown: dict[int, int] = {}
        hits, started = [], time.perf_counter()
        for profile_id, name in order:
            profile = db.session.get(SeekerProfile, profile_id)
            user = profile.person.user if profile.person else None
            result = recommendations(profile, K, shown_to=user)
            ids = [v.id for v, _f, _w in result.items]
            for i in ids:
                shown[i] = shown.get(i, 0) + 1
            if name in relevant:
                hits.append(any(external.get(i) in relevant[name] for i in ids))
            for vacancy, _f, _w in result.items[:TAKE]:
                try:
                    with changes():
                        apply(profile, vacancy, "")
                except InvalidInput:
                    pass
        seconds = time.perf_counter() - started
        logged = dict(
            db.session.execute(
                sa.select(Exposure.vacancy_id, sa.func.count())
                .where(Exposure.surface == "matches")
                .group_by(Exposure.vacancy_id)
            ).all()
        )
        counts = logged if kind == "demo" else shown
        exposure = [counts.get(i, 0) for i in sorted(open_ids)]
        applied = dict(
            db.session.execute(
                sa.select(Application.vacancy_id, sa.func.count()).group_by(Application.vacancy_id)
            ).all()
        )
        per_vacancy = sorted((applied.get(i, 0) for i in open_ids), reverse=True)
        tenth = max(1, len(per_vacancy) // 10)
        result = {
            "seekers": len(order),
            "vacancies": len(open_ids),
            "gini": gini(exposure),
            "never_shown": sum(1 for c in exposure if c == 0) / len(exposure),
            "top_tenth_applications": sum(per_vacancy[:tenth]) / max(sum(per_vacancy), 1),
            "most_applications": per_vacancy[0] if per_vacancy else 0,
            "hit@10": (sum(hits) / len(hits)) if hits else None,
            "seconds": seconds,
        }
    out.write_text(json.dumps(result))


def simulate(kind: str, env: dict, setting: tuple, seed: int, relevant=None) -> dict:
    damping, congestion = setting
    if congestion is not None:
        env = env | {"JOBMATCH_CONGESTION": json.dumps(congestion)}
    out = Path(env["JOBMATCH_INSTANCE_PATH"]) / "simulation.json"
    command = [sys.executable, "-m", "bench.congestion_bench", "--child", kind,
               "--damping", damping, "--out", str(out), "--seed", str(seed)]  # fmt: skip
    extra = {"BENCH_RELEVANT": json.dumps({k: sorted(v) for k, v in (relevant or {}).items()})}
    done = subprocess.run(command, env=env | extra, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"simulation failed:\n{done.stderr[-4000:]}")
    return json.loads(out.read_text())


def hire_child(out: Path, seed: int) -> None:
    """Counsellors open each vacancy's candidates; employers hire among those shown."""
    import sqlalchemy as sa

    from jobmatch import create_app
    from jobmatch.accounts.models import User
    from jobmatch.counselling.matches import candidates_for
    from jobmatch.database import changes
    from jobmatch.extensions import db
    from jobmatch.monitoring.outcomes import record_outcome
    from jobmatch.vacancies.models import Vacancy

    rng = np.random.default_rng(seed)
    app = create_app()
    with app.app_context():
        counsellor = db.session.scalars(sa.select(User).where(User.role == "counsellor")).first()
        hires = 0
        for vacancy in db.session.scalars(sa.select(Vacancy).order_by(Vacancy.id)).all():
            shown = candidates_for(counsellor, vacancy).items
            if not shown:
                continue
            liking = np.asarray([
                0.45 * c.fit.components.get("skills", 0) + 0.35 * c.fit.components.get(
                    "location", 0) + 0.2 * c.fit.components.get("occupation", 0)
                for c in shown
            ])  # fmt: skip
            chances = np.exp(6 * liking)
            chances /= chances.sum()
            for i in rng.choice(len(shown), size=min(2, len(shown)), replace=False, p=chances):
                with changes():
                    record_outcome("hired", shown[int(i)].profile.id, vacancy.id)
                hires += 1
    out.write_text(json.dumps({"hires": hires}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", nargs="*", default=["melo_usa_q_en_c_en"])
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="keep the instances in this folder")
    parser.add_argument("--skip-demo", action="store_true", help="only the tasks")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", choices=["demo", "task", "hire"])
    parser.add_argument("--damping")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child == "hire":
        return hire_child(args.out, args.seed)
    if args.child:
        return child(args.child, args.damping, args.out, args.seed)

    with tempfile.TemporaryDirectory(prefix="jobmatch-congestion-") as tmp:
        root = args.keep or Path(tmp)
        rows = []
        if not args.skip_demo:
            print("demo ...", file=sys.stderr)
            demo_instance(root / "demo")
            for number, (name, setting) in enumerate(CONFIGURATIONS.items()):
                env = copy_instance(root / "demo", root / f"demo-{number}")
                rows.append(_row("demo", name, simulate("demo", env, setting, args.seed)))
                print(table(HEADERS, rows[-1:]), file=sys.stderr)
        template = setup(root / "_setup")
        for task in args.tasks:
            print(f"{task} ...", file=sys.stderr)
            folder = root / task
            shutil.rmtree(folder, ignore_errors=True)  # a kept run's database and its WAL
            folder.mkdir(parents=True)
            _env_task, relevant, _t = prepare(task, folder, args.limit, template)
            for number, (name, setting) in enumerate(CONFIGURATIONS.items()):
                env = copy_instance(folder, root / f"{task}-{number}")
                rows.append(_row(task, name, simulate("task", env, setting, args.seed, relevant)))
                print(table(HEADERS, rows[-1:]), file=sys.stderr)
        print(table(HEADERS, rows))
        if not args.skip_demo:
            fit_on_simulated_hires(root / f"demo-{DEFAULT}", args.seed)


def fit_on_simulated_hires(folder: Path, seed: int) -> None:
    """3. outcomes on the demo damped by default, and the weights fitted on them."""
    env = _env(folder)
    out = folder / "instance" / "hires.json"
    command = [sys.executable, "-m", "bench.congestion_bench", "--child", "hire", "--out",
               str(out), "--seed", str(seed)]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"hiring failed:\n{done.stderr[-4000:]}")
    print(f"\nsimulated hires: {json.loads(out.read_text())['hires']}\n")
    print(flask(env, "jobmatch", "weights", "fit"))


def _row(data: str, name: str, r: dict) -> list:
    hit = "—" if r["hit@10"] is None else r["hit@10"]
    return [data, name, r["seekers"], r["vacancies"], r["gini"], r["never_shown"],
            r["top_tenth_applications"], r["most_applications"], hit, r["seconds"]]  # fmt: skip


HEADERS = ["data", "recommendations", "seekers", "open vacancies", "Gini of exposure",
           "never shown", "applications to the busiest 10%", "most applications to one",
           "hit@10", "seconds"]  # fmt: skip

if __name__ == "__main__":
    main()
