"""gunicorn as `make serve` runs it: the model, the indexes and their filters are loaded
once, in the parent, and the workers it forks share them instead of loading their own."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from jobmatch.extensions import db
from jobmatch.matching.engine import engine

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _memory(pid: int) -> tuple[float, float, float]:
    """(RSS, PSS, private) in MiB: PSS divides each shared page among the processes sharing
    it; private counts the pages this process alone holds."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        values[key] = int(value.split()[0]) / 1024
    return values["Rss"], values["Pss"], values["Private_Clean"] + values["Private_Dirty"]


def _serve(app, model_folder, workers: int, preload: bool, log):
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        JOBMATCH_EMBEDDINGS_PATH=app.config["EMBEDDINGS_PATH"],
        JOBMATCH_MODEL=str(model_folder),
        JOBMATCH_INSTANCE_PATH=app.config["INSTANCE_PATH"],
        SECRET_KEY="serving-test",
        WEB_CONCURRENCY=str(workers),
        BIND=f"127.0.0.1:{port}",
        JOBMATCH_PRELOAD="1" if preload else "0",
    )
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base, started = f"http://127.0.0.1:{port}", time.monotonic()
    while time.monotonic() - started < 180:
        try:
            if requests.get(f"{base}/vacancies/?q=cook", timeout=30).status_code == 200:
                return server, base
        except requests.RequestException:
            pass
        assert server.poll() is None, Path(log.name).read_text()[-3000:]
        time.sleep(0.5)
    server.kill()
    raise AssertionError(f"gunicorn did not answer in time:\n{Path(log.name).read_text()[-3000:]}")


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_workers_share_one_copy_of_the_model_and_indexes(demo_world, model_folder, tmp_path):
    app = demo_world(seed=4, employers=2, vacancies=20, seekers=10)
    for entity in ("vacancy", "seeker"):
        engine().save_snapshot(entity)
    db.session.commit()

    totals = {}
    for preload in (True, False):
        log = (tmp_path / f"gunicorn-{preload}.log").open("w")
        server, base = _serve(app, model_folder, 2, preload, log)
        try:
            for _ in range(6):  # each worker searches by meaning: model and indexes in use
                page = requests.get(f"{base}/vacancies/?q=cook", timeout=60)
                assert page.status_code == 200
            workers = _children(server.pid)
            assert len(workers) == 2
            # each worker has loaded what it needs (its own warm-up, when not preloaded)
            loaded = 0.8 * max(m[0] for m in totals[True][1]) if totals else 400
            waited = time.monotonic()
            while min(_memory(w)[0] for w in workers) < loaded and time.monotonic() - waited < 120:
                time.sleep(1)
            parent = _memory(server.pid)
            totals[preload] = (parent, [_memory(w) for w in workers])
        finally:
            server.terminate()
            server.wait(30)
            log.close()

    (parent_rss, parent_pss, _), shared = totals[True]
    _, apart = totals[False]
    together = parent_pss + sum(pss for _, pss, _ in shared)
    assert parent_rss > 400, "the parent holds the model before forking"
    # The workers forked from the loaded parent hold little of their own ...
    assert all(private < 0.2 * parent_rss for _, _, private in shared), (parent_rss, shared)
    # ... so the parent and two workers take little more than one copy,
    assert together <= 1.5 * parent_rss, (together, parent_rss, shared)
    # while workers that load everything themselves each hold a copy of their own.
    assert all(private > 0.5 * parent_rss for _, _, private in apart), (parent_rss, apart)
