"""One matching engine per process: the sentence model and the two vector indexes.

Nothing is loaded at import or at app start: the model on the first embedding,
an index on the first search. An index is read from its latest snapshot under
EMBEDDINGS_PATH, or rebuilt from the stored vectors (no embedding needed).
"""

import re
import threading
from pathlib import Path

import numpy as np
from flask import current_app

from jobmatch.matching import store
from jobmatch.search.embedder import Embedder
from jobmatch.search.index import IndexMismatch, VectorIndex, build

ENTITIES = ("vacancy", "seeker")


class MatchEngine:
    def __init__(self, config):
        self.config = config
        self.embedder = Embedder(config["JOBMATCH_MODEL"], batch_size=config["EMBED_BATCH_SIZE"])
        self._indexes: dict[str, VectorIndex] = {}
        self._lock = threading.RLock()

    @property
    def model_name(self) -> str:
        return self.embedder.name

    def folder(self, entity: str) -> Path:
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.model_name)
        return Path(self.config["EMBEDDINGS_PATH"]) / slug / entity

    def index(self, entity: str) -> VectorIndex:
        with self._lock:
            if entity not in self._indexes:
                self._indexes[entity] = self._load_or_build(entity)
            return self._indexes[entity]

    def _load_or_build(self, entity: str) -> VectorIndex:
        try:
            return VectorIndex.load(self.folder(entity), model=self.model_name)
        except FileNotFoundError:
            pass
        except (IndexMismatch, ValueError, RuntimeError, OSError) as error:
            current_app.logger.warning("index %s unusable (%s): rebuilding", entity, error)
        return self.rebuild_index(entity)

    def kind_for(self, count: int) -> str:
        kind = self.config["INDEX_KIND"]
        if kind != "auto":
            return kind
        return (
            "flat"
            if count < self.config["INDEX_EXACT_THRESHOLD"]
            else self.config["INDEX_ANN_KIND"]
        )

    def rebuild_index(self, entity: str) -> VectorIndex:
        """A new index from the stored vectors, saved as the next snapshot."""
        ids, vectors = store.load(entity, self.model_name)
        dimension = vectors.shape[1] if len(ids) else self.embedder.dimension
        index = build(
            ids, vectors, dimension, self.model_name, self.kind_for(len(ids)), **self._options()
        )
        with self._lock:
            previous = self._indexes.get(entity)
            if previous is not None:
                index.info.version = previous.info.version
            index.save(self.folder(entity))
            self._indexes[entity] = index
        return index

    def apply(self, entity: str, upsert: dict[int, np.ndarray], remove) -> VectorIndex:
        """Add or replace some vectors and remove others, then save a snapshot."""
        with self._lock:
            index = self.index(entity)
            index.remove(list(remove))
            if upsert:
                ids = np.fromiter(upsert, dtype=np.int64)
                index.add(ids, np.stack([upsert[i] for i in ids.tolist()]))
            index.save(self.folder(entity))
            return index

    def forget_loaded(self) -> None:
        """Drop the indexes held in memory (they are read again on next use)."""
        with self._lock:
            self._indexes.clear()

    def _options(self) -> dict:
        c = self.config
        return {
            "hnsw_m": c["HNSW_M"],
            "ef_construction": c["HNSW_EF_CONSTRUCTION"],
            "ef_search": c["HNSW_EF_SEARCH"],
            "ivf_probe": c["IVF_NPROBE"],
        }


def engine() -> MatchEngine:
    """The current app's engine, created on first use."""
    app = current_app._get_current_object()
    with _create_lock:
        if "jobmatch.engine" not in app.extensions:
            app.extensions["jobmatch.engine"] = MatchEngine(app.config)
    return app.extensions["jobmatch.engine"]


_create_lock = threading.Lock()


def warm(app) -> threading.Thread:
    """Read the indexes in a background thread, so the first search does not wait.

    Called by the WSGI entry point (a serving process), never at import: tests and
    CLI commands start without it.
    """

    def load() -> None:
        with app.app_context():
            eng = engine()
            for entity in ENTITIES:
                try:
                    eng.index(entity)
                except Exception:  # a missing model or database must not stop the server
                    app.logger.exception("could not load the %s index", entity)

    thread = threading.Thread(target=load, name="jobmatch-warm-indexes", daemon=True)
    thread.start()
    return thread
