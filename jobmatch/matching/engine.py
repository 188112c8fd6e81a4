"""One matching engine per process: the sentence model and the two vector indexes.

Nothing is loaded at import or at app start: the model on the first embedding,
an index on the first search. An index is read from its latest snapshot under
EMBEDDINGS_PATH, or rebuilt from the stored vectors (no embedding needed).

Many processes hold the same index (gunicorn workers, rq workers). None of them
writes to another's copy: writers store vectors and add lines to the change log
(`IndexChange`); each process applies the lines after its index's position at
most every INDEX_REFRESH_SECONDS. Snapshots are written now and then for fast
starts; a full rebuild is written as a snapshot of a new generation, which the
other processes load aside and swap in. docs/ARCHITECTURE.md draws it.
"""

import gc
import re
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import numpy as np
from flask import current_app, has_request_context

from jobmatch.database import end_read, utcnow
from jobmatch.matching import store
from jobmatch.matching.filters import SCHEMA, Facts
from jobmatch.search.embedder import Embedder
from jobmatch.search.index import (
    IndexMismatch,
    VectorIndex,
    build,
    current_info,
    prune_snapshots,
)
from jobmatch.tasks.locks import exclusive

ENTITIES = ("vacancy", "seeker")
LOG_BATCH = 20_000  # lines of the change log applied per query
BUILD_TIMEOUT = 3600  # seconds one process may take to build a missing index


class MatchEngine:
    def __init__(self, config):
        self.config = config
        self.embedder = Embedder(
            config["JOBMATCH_MODEL"],
            batch_size=config["EMBED_BATCH_SIZE"],
            dtype=config["EMBED_DTYPE"],
        )
        self._indexes: dict[str, VectorIndex] = {}
        self._checked: dict[str, float] = {}  # entity -> when the log was last read
        self._swapping: dict[str, threading.Thread] = {}
        self._lock = threading.RLock()

    @property
    def model_name(self) -> str:
        return self.embedder.name

    def folder(self, entity: str) -> Path:
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.model_name)
        return Path(self.config["EMBEDDINGS_PATH"]) / slug / entity

    # --- reading ---------------------------------------------------------------

    def index(self, entity: str) -> VectorIndex:
        """The entity's index, brought up to date with the change log if it is due."""
        with self._lock:
            if entity not in self._indexes:
                self._indexes[entity] = self._load_or_build(entity)
            self.refresh(entity)
            return self._indexes[entity]

    def facts(self, entity: str) -> Facts:
        """The filterable facts of the entity's indexed documents, as up to date as its
        index (see jobmatch.matching.filters)."""
        with self._lock:
            return self.index(entity).attachment

    def allowed(self, entity: str, flt) -> "np.ndarray":
        """The ids that pass `flt`, as a boolean mask over id space: no table is read."""
        return self.facts(entity).mask(flt)

    def search(self, entity: str, queries, k: int, allowed=None):
        """Search the entity's index (brought up to date first). FAISS may not search an
        index while another thread of this process applies changes to it: both hold the
        engine's lock."""
        with self._lock:
            return self.index(entity).search(queries, k, allowed=allowed)

    def vectors_of(self, entity: str, ids) -> tuple[list[int], "np.ndarray"]:
        """(the ids among `ids` the entity's index holds, their vectors), as the index has
        them now; none where this process has not loaded that index (reading or building
        it is no part of a request)."""
        with self._lock:
            if entity not in self._indexes:
                return [], np.zeros((0, 0), np.float32)
            index = self.index(entity)
            held = [int(i) for i in ids if i in index]
            return held, index.vectors(held) if held else np.zeros((0, 0), np.float32)

    def held(self, entity: str) -> tuple:
        """(ids, vectors) the entity's index holds, fully up to date, read under the lock."""
        with self._lock:
            index = self.index(entity)
            self.refresh(entity, force=True)
            ids = index.ids()
            return ids, index.vectors(ids) if len(ids) else np.zeros((0, 0), np.float32)

    def refresh(self, entity: str, force: bool = False) -> int:
        """Apply the lines of the change log after the index's position; returns how many
        entities changed. Also notices a snapshot of a newer generation (a full rebuild
        elsewhere) and swaps it in once loaded."""
        with self._lock:
            index = self._indexes.get(entity)
            if index is None:
                return 0
            now = time.monotonic()
            if (
                not force
                and now - self._checked.get(entity, 0.0) < self.config["INDEX_REFRESH_SECONDS"]
            ):
                return 0
            self._checked[entity] = now
            on_disk = current_info(self.folder(entity))
            if on_disk is not None:
                info = on_disk[1]
                if info.log_floor > index.info.position:
                    # the lines this index needs are gone: read the snapshot now
                    index = self._indexes[entity] = self._load_or_build(entity)
                elif info.generation > index.info.generation:
                    self._swap_in_background(entity)
            return self._apply_log(entity, index)

    def _apply_log(self, entity: str, index: VectorIndex) -> int:
        changed = 0
        while True:
            position, ids = store.changes_since(
                entity, self.model_name, index.info.position, LOG_BATCH
            )
            if not ids:
                return changed
            stored_ids, vectors = store.load(entity, self.model_name, ids)
            present = set(stored_ids.tolist())
            index.remove([i for i in ids if i not in present])
            # A line may stand for a change of facts only (status, region, visibility):
            # a vector the index already holds as stored is not added again (in HNSW,
            # adding again leaves a tombstone).
            new = _differing(index, stored_ids, vectors)
            if new.any():
                index.add(stored_ids[new], vectors[new])
            if index.attachment is not None:
                index.attachment.update(ids)
            index.info.position = position
            changed += len(ids)

    def _swap_in_background(self, entity: str) -> None:
        """Load the newer snapshot aside; searches go on with the old index meanwhile."""
        if entity in self._swapping and self._swapping[entity].is_alive():
            return
        app = current_app._get_current_object()

        def load() -> None:
            with app.app_context():
                try:
                    fresh = self._load(entity)
                    self._apply_log(entity, fresh)
                except Exception:
                    app.logger.exception("could not load the new %s snapshot", entity)
                    return
                with self._lock:
                    current = self._indexes.get(entity)
                    if current is None or fresh.info.generation > current.info.generation:
                        self._apply_log(entity, fresh)  # lines read since the load
                        self._indexes[entity] = fresh

        thread = threading.Thread(target=load, name=f"jobmatch-swap-{entity}", daemon=True)
        self._swapping[entity] = thread
        thread.start()

    def wait_for_swaps(self, timeout: float = 60.0) -> None:
        for thread in list(self._swapping.values()):
            thread.join(timeout)

    def _load_or_build(self, entity: str) -> VectorIndex:
        try:
            return self._load(entity)
        except FileNotFoundError:
            pass
        except (IndexMismatch, ValueError, RuntimeError, OSError) as error:
            current_app.logger.warning("index %s unusable (%s): rebuilding", entity, error)
        # No usable snapshot (a new site): one process builds it, the others wait for its
        # snapshot instead of building their own (a 1M-document graph takes minutes and
        # gigabytes).
        with exclusive(f"index-build:{entity}", timeout=BUILD_TIMEOUT, wait=BUILD_TIMEOUT):
            end_read()
            try:
                return self._load(entity)  # built by another process meanwhile
            except (FileNotFoundError, IndexMismatch, ValueError, RuntimeError, OSError):
                return self.rebuild_index(entity)

    def _load(self, entity: str) -> VectorIndex:
        """The latest snapshot with its facts (read from the database when a snapshot of
        an older format has none; the log lines after it are applied by the caller)."""
        index = VectorIndex.load(self.folder(entity), model=self.model_name)
        if entity in SCHEMA:
            index.attachment = Facts.load(index.snapshot, entity) or _read_facts(entity)
        return index

    def kind_for(self, count: int) -> str:
        kind = self.config["INDEX_KIND"]
        if kind != "auto":
            return kind
        return (
            "flat"
            if count < self.config["INDEX_EXACT_THRESHOLD"]
            else self.config["INDEX_ANN_KIND"]
        )

    # --- writing snapshots -------------------------------------------------------

    def rebuild_index(self, entity: str) -> VectorIndex:
        """A new index from the stored vectors (no embedding), built aside, then saved as a
        snapshot of a new generation and swapped in, in this process and the others."""

        with exclusive(f"index-writer:{entity}"):
            # no writer holds a line of this entity uncommitted below this position
            position = store.log_position(entity, self.model_name)
            end_read()
        # lines after the position are applied again on top of the vectors read: harmless
        ids, vectors = store.load(entity, self.model_name)
        facts = _read_facts(entity) if entity in SCHEMA else None
        dimension = vectors.shape[1] if len(ids) else self.embedder.dimension
        index = build(
            ids, vectors, dimension, self.model_name, self.kind_for(len(ids)), **self._options()
        )
        index.attachment = facts
        index.info.position = position
        index.info.generation = time.time_ns() // 1000
        with self._lock:
            on_disk = current_info(self.folder(entity))
            if on_disk is not None:
                index.info.log_floor = on_disk[1].log_floor
            index.save(self.folder(entity))
            self._indexes[entity] = index
            self._checked[entity] = 0.0
        return index

    def save_snapshot(self, entity: str) -> dict:
        """Write the index as it stands (log applied) for fast starts, then drop the log lines
        older than INDEX_LOG_RETENTION seconds that it covers, and old snapshots."""
        with self._lock:
            index = self.index(entity)
            self.refresh(entity, force=True)
            before = utcnow() - timedelta(seconds=self.config["INDEX_LOG_RETENTION"])
            floor = store.prune_point(index.info.position, before)
            on_disk = current_info(self.folder(entity))
            unchanged = on_disk is not None and (
                on_disk[1].position,
                on_disk[1].generation,
                on_disk[1].count,
            ) == (index.info.position, index.info.generation, index.count())
            if floor > index.info.log_floor or not unchanged:
                index.info.log_floor = max(index.info.log_floor, floor)
                index.save(self.folder(entity))
                saved = True
            else:
                saved = False
        pruned = store.prune_log(entity, self.model_name, index.info.log_floor)
        return {
            "saved": saved,
            "version": index.info.version,
            "position": index.info.position,
            "log_lines_pruned": pruned,
            "snapshots_pruned": len(prune_snapshots(self.folder(entity))),
        }

    def forget_loaded(self) -> None:
        """Drop the indexes held in memory (they are read again on next use)."""
        with self._lock:
            self._indexes.clear()
            self._checked.clear()

    def _options(self) -> dict:
        c = self.config
        return {
            "hnsw_m": c["HNSW_M"],
            "ef_construction": c["HNSW_EF_CONSTRUCTION"],
            "ef_search": c["HNSW_EF_SEARCH"],
            "ivf_probe": c["IVF_NPROBE"],
        }


def _read_facts(entity: str) -> Facts:
    facts = Facts.read(entity)
    end_read()
    return facts


def _differing(index: VectorIndex, ids: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Which of (ids, vectors) the index does not hold as they are."""
    held = np.fromiter((int(i) in index for i in ids), dtype=bool, count=len(ids))
    differ = ~held
    if held.any():
        differ[held] = (index.vectors(ids[held]) != vectors[held]).any(axis=1)
    return differ


def engine() -> MatchEngine:
    """The current app's engine, created on first use."""
    app = current_app._get_current_object()
    with _create_lock:
        if "jobmatch.engine" not in app.extensions:
            app.extensions["jobmatch.engine"] = MatchEngine(app.config)
    return app.extensions["jobmatch.engine"]


_create_lock = threading.Lock()


def settle_heap() -> None:
    """Call after building a structure the process keeps for its life (the recognisers'
    label tables, a title index): collect what building left behind, then move every live
    object out of the garbage collector's reach (`gc.freeze`). Otherwise each full
    collection walks those hundreds of thousands of objects again, and a match that
    happens to trigger one takes ten times as long as the others. (FREEZE_LONG_LIVED)"""
    if current_app.config["FREEZE_LONG_LIVED"]:
        gc.collect()
        gc.freeze()


class ModelWarming(Exception):
    """The sentence model is still loading in this process: a request does not wait for it."""


# What else a serving process builds in the background once the indexes are read: the
# recognisers' label tables (seconds each), registered by their modules, which import this
# one.
WARMERS: list[Callable[[], object]] = []


def warm(app) -> threading.Thread:
    """Load the sentence model, read the indexes and build the recognisers in a background
    thread (once a process), so no request waits for them.

    Started by a serving process (gunicorn's worker start, or the first request served),
    never at import: tests and CLI commands start without it.
    """
    if "jobmatch.warm" in app.extensions:  # the usual case, without the lock
        return app.extensions["jobmatch.warm"]
    with _create_lock:
        thread = app.extensions.get("jobmatch.warm")
        if thread is not None:
            return thread

        def load() -> None:
            with app.app_context():
                _load_everything(app)
                settle_heap()

        thread = threading.Thread(target=load, name="jobmatch-warm", daemon=True)
        app.extensions["jobmatch.warm"] = thread
        thread.start()
        return thread


def load_before_fork(app) -> None:
    """For a server that forks its workers from one loaded parent (gunicorn's preload_app):
    load the sentence model, read the indexes with their facts and build the recognisers'
    and titles' tables once, in the parent. Every worker then shares those pages with it,
    copy-on-write, instead of holding a copy of its own; what a worker changes (the log
    applied to its index) is all it copies. The heap is then moved out of the collector's
    reach (a full collection in a worker would otherwise touch, and so copy, every page
    of it), and the database connections are closed: a child must not share them."""
    from jobmatch.extensions import db  # noqa: PLC0415

    with app.app_context():
        _load_everything(app)
        db.session.remove()
        db.engine.dispose()
    gc.collect()
    gc.freeze()


def _load_everything(app) -> None:
    """The model, the indexes and the recognisers' tables; what fails is logged and left
    to be loaded on first use: a missing model or database must not stop the server."""
    eng = engine()
    try:
        eng.embedder.model  # noqa: B018 (loading is the point)
    except Exception:
        app.logger.exception("could not load the sentence model")
    for entity in ENTITIES:
        try:
            eng.index(entity)
        except Exception:
            app.logger.exception("could not load the %s index", entity)
    for make in WARMERS:
        try:
            make()
        except Exception:  # a recogniser is built again on first use
            app.logger.exception("could not build %s", make.__name__)


def model_ready() -> None:
    """In a request, raise ModelWarming (and start the warm-up) while the model is not loaded:
    the caller answers without meaning instead of holding the person for seconds. Jobs and
    commands load it on demand."""
    app = current_app._get_current_object()
    if not has_request_context() or app.config["LOAD_MODEL_IN_REQUEST"]:
        return
    if not engine().embedder.is_loaded:
        warm(app)
        raise ModelWarming("the sentence model is loading")
