"""A small vector-index interface with FAISS behind it.

Vectors are L2-normalised, so inner product is cosine similarity. Ids are the
application's own integer ids (a vacancy's or a seeker's primary key).

Kinds:
- "flat": exact search (IndexFlatIP in an IndexIDMap2); removal with remove_ids.
- "hnsw": approximate graph search (IndexHNSWFlat). HNSW cannot remove, so a
  removed or replaced vector becomes a tombstone that an id selector hides at
  search time; `compact()` (or a rebuild) drops them.
- "ivf": inverted lists (IndexIVFFlat), trained on the vectors it is built with;
  removal with remove_ids.

Filters never cost results: `search(..., allowed=...)` returns the best k among
the allowed ids, given as ids or as a boolean mask over id space. A flat index
searches with an id selector (still exact); HNSW and IVF score small allowed sets
exactly and search larger ones with a selector, falling back to exact scoring if
the search comes back short.
"""

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

FORMAT_VERSION = 1
EXACT_FILTER_MIN = 2_000  # allowed sets this small are always scored exactly
EXACT_FILTER_SHARE = 0.02  # ... and so are those under this share of the index
EF_FILTERED_MAX = 4096  # the widest HNSW walk for a filtered search, before exact scoring


def _faiss():
    """FAISS, imported at first use: a process that never searches never loads it."""
    try:
        import faiss  # noqa: PLC0415  (a native library: loaded when first needed)
    except ImportError as error:
        raise RuntimeError(
            "The vector index needs FAISS, which is not installed: run 'pip install -e .' "
            "(the project's dependencies include faiss-cpu)."
        ) from error
    return faiss


@dataclass
class IndexInfo:
    """What is saved beside the FAISS file and refused when it does not match."""

    model: str
    dimension: int
    kind: str
    count: int = 0
    version: int = 0
    format: int = FORMAT_VERSION
    saved_at: float = field(default_factory=time.time)
    # Where the index stands in the application's change log (the last line applied),
    # when its contents were last built from scratch, and below which lines of the log
    # may already be deleted.
    position: int = 0
    generation: int = 0
    log_floor: int = 0


class IndexMismatch(ValueError):
    """A saved index made with another model or dimension."""


class VectorIndex:
    """add / remove / search / save / load / count over (id, vector) pairs."""

    def __init__(
        self,
        dimension: int,
        model: str,
        kind: str = "flat",
        hnsw_m: int = 32,
        ef_construction: int = 80,
        ef_search: int = 256,
        ivf_lists: int = 0,
        ivf_probe: int = 16,
    ):
        if kind not in ("flat", "hnsw", "ivf"):
            raise ValueError(f"unknown index kind {kind!r}")
        self.info = IndexInfo(model=model, dimension=dimension, kind=kind)
        self.hnsw_m, self.ef_construction, self.ef_search = hnsw_m, ef_construction, ef_search
        self.ivf_lists, self.ivf_probe = ivf_lists, ivf_probe
        self._index = None
        # hnsw only: slot -> id (-1 for a tombstone), and id -> live slot
        self._labels = np.zeros(0, dtype=np.int64)
        self._slot: dict[int, int] = {}
        self._ids: set[int] = set()
        self._mask_cache: np.ndarray | None = None  # live ids as a boolean array over id space
        self._slot_cache: np.ndarray | None = None  # hnsw: each slot's id, 0 for a tombstone
        # What the application keeps beside the vectors, saved inside each snapshot (an
        # object with save(folder)), and the snapshot folder this index was read from.
        self.attachment = None
        self.snapshot: Path | None = None

    # --- interface ---------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.info.kind

    def count(self) -> int:
        return len(self._ids)

    def ids(self) -> np.ndarray:
        """The ids held, in ascending order."""
        return np.array(sorted(self._ids), dtype=np.int64)

    def vectors(self, ids) -> np.ndarray:
        """The vectors held for `ids` (each must be held)."""
        return self._vectors_of(np.asarray(ids, dtype=np.int64).reshape(-1))

    def __contains__(self, item_id: int) -> bool:
        return int(item_id) in self._ids

    def add(self, ids, vectors) -> None:
        """Add or replace the vectors of `ids`."""
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        vectors = self._checked(vectors)
        if len(ids) != len(vectors):
            raise ValueError("ids and vectors differ in length")
        if len(set(ids.tolist())) != len(ids):
            raise ValueError("duplicate ids in one add")
        self.remove([i for i in ids.tolist() if i in self._ids])
        index = self._ensure(vectors)
        if self.kind == "hnsw":
            start = len(self._labels)
            index.add(vectors)
            self._labels = np.concatenate([self._labels, ids])
            self._slot.update(zip(ids.tolist(), range(start, start + len(ids)), strict=True))
        else:
            index.add_with_ids(vectors, ids)
        self._ids.update(ids.tolist())
        self._forget_masks()

    def remove(self, ids) -> int:
        """Remove the vectors of `ids` (unknown ids are ignored); returns how many."""
        present = [int(i) for i in ids if int(i) in self._ids]
        if not present:
            return 0
        if self.kind == "hnsw":
            for item_id in present:
                self._labels[self._slot.pop(item_id)] = -1
        else:
            self._index.remove_ids(np.asarray(present, dtype=np.int64))
        self._ids.difference_update(present)
        self._forget_masks()
        return len(present)

    def search(self, queries, k: int, allowed=None) -> tuple[np.ndarray, np.ndarray]:
        """Scores and ids of the k best matches per query; ids are -1 where there are fewer."""
        queries = self._checked(queries)
        empty = (np.full((len(queries), k), -np.inf, np.float32), np.full((len(queries), k), -1))
        if self._index is None or not self._ids or k <= 0:
            return empty
        wanted = None
        if allowed is not None:
            allowed = np.asarray(allowed).reshape(-1)
            wanted = self._wanted(
                allowed if allowed.dtype == np.bool_ else allowed.astype(np.int64)
            )
            allowed_count = int(np.count_nonzero(wanted))
            if allowed_count == 0:
                return empty
            # A flat index is exact with a selector; a graph or inverted lists are scored
            # exactly when the allowed set is small, where the selector would starve them.
            if self.kind != "flat" and allowed_count <= self._exact_limit():
                return self._exact(queries, k, np.flatnonzero(wanted))
        scores, ids = self._search_index(queries, k, wanted)
        if wanted is not None and (ids[:, : min(k, allowed_count)] < 0).any():
            return self._exact(queries, k, np.flatnonzero(wanted))  # came back short
        return scores, ids

    def save(self, folder: Path) -> Path:
        """Write a new snapshot under `folder` and point CURRENT at it, atomically."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.info.version = max(self.info.version, latest_version(folder)) + 1
        self.info.count, self.info.saved_at = self.count(), time.time()
        name = f"snapshot-{self.info.version:08d}-{os.getpid()}"
        staging = folder / f".{name}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        if self._index is not None:
            _faiss().write_index(self._index, str(staging / "index.faiss"))
        np.save(staging / "labels.npy", self._labels)
        if self.attachment is not None:
            self.attachment.save(staging)
        (staging / "meta.json").write_text(json.dumps(asdict(self.info), indent=2))
        os.replace(staging, folder / name)
        self.snapshot = folder / name
        pointer = folder / f".CURRENT.{os.getpid()}"
        pointer.write_text(name)
        os.replace(pointer, folder / "CURRENT")
        return folder / name

    @classmethod
    def load(cls, folder: Path, model: str | None = None, dimension: int | None = None):
        """The snapshot CURRENT points at; refuses one made with another model or dimension."""
        folder = Path(folder)
        snapshot = folder / (folder / "CURRENT").read_text().strip()
        info = _read_info(snapshot)
        if model is not None and info.model != model:
            raise IndexMismatch(f"index made with {info.model!r}, not {model!r}")
        if dimension is not None and info.dimension != dimension:
            raise IndexMismatch(f"index has dimension {info.dimension}, not {dimension}")
        index = cls(info.dimension, info.model, info.kind)
        index.info, index.snapshot = info, snapshot
        if (snapshot / "index.faiss").exists():
            index._index = _faiss().read_index(str(snapshot / "index.faiss"))
        index._labels = np.load(snapshot / "labels.npy")
        index._restore_ids()
        if index.count() != info.count:
            raise IndexMismatch(f"snapshot holds {index.count()} vectors, meta says {info.count}")
        return index

    def compact(self) -> None:
        """HNSW: rebuild the graph without tombstones."""
        if self.kind != "hnsw" or self._index is None or len(self._labels) == self.count():
            return
        live = np.flatnonzero(self._labels >= 0)
        vectors = self._index.storage.reconstruct_batch(live)
        ids = self._labels[live]
        self._index, self._labels, self._slot, self._ids = None, np.zeros(0, np.int64), {}, set()
        self.add(ids, vectors)

    # --- internals ---------------------------------------------------------

    def _checked(self, vectors) -> np.ndarray:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim == 1:
            vectors = vectors[None, :]
        if vectors.shape[1] != self.info.dimension:
            raise IndexMismatch(
                f"vectors have dimension {vectors.shape[1]}, the index {self.info.dimension}"
            )
        return vectors

    def _ensure(self, vectors: np.ndarray):
        if self._index is not None:
            return self._index
        d = self.info.dimension
        if self.kind == "flat":
            self._index = _faiss().IndexIDMap2(_faiss().IndexFlatIP(d))
        elif self.kind == "hnsw":
            index = _faiss().IndexHNSWFlat(d, self.hnsw_m, _faiss().METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = self.ef_construction
            self._index = index
        else:
            # about 4·√n lists, with at least 39 training points each (FAISS advice)
            lists = self.ivf_lists or max(
                1, min(4096, int(4 * np.sqrt(len(vectors))), len(vectors) // 39)
            )
            quantizer = _faiss().IndexFlatIP(d)
            index = _faiss().IndexIVFFlat(quantizer, d, lists, _faiss().METRIC_INNER_PRODUCT)
            index.train(vectors)
            index.set_direct_map_type(_faiss().DirectMap.Hashtable)  # reconstruct by id
            self._index = index
        return self._index

    def _restore_ids(self) -> None:
        if self.kind == "hnsw":
            live = np.flatnonzero(self._labels >= 0)
            self._slot = dict(zip(self._labels[live].tolist(), live.tolist(), strict=True))
            self._ids = set(self._slot)
        elif self._index is not None:
            if self.kind == "flat":
                stored = _faiss().vector_to_array(self._index.id_map)
            else:
                stored = _ivf_ids(self._index)
            self._ids = set(stored.tolist())
        self._forget_masks()

    def _exact_limit(self) -> int:
        return max(EXACT_FILTER_MIN, int(EXACT_FILTER_SHARE * self.count()))

    def _forget_masks(self) -> None:
        self._mask_cache = self._slot_cache = None

    def _slot_ids(self) -> np.ndarray:
        """HNSW: each slot's id, and 0 for a tombstone, so an id-space mask reads as a
        slot-space one in one gather."""
        if self._slot_cache is None:
            self._slot_cache = np.maximum(self._labels, 0)
        return self._slot_cache

    def _id_mask(self) -> np.ndarray:
        if self._mask_cache is None:
            live = np.fromiter(self._ids, dtype=np.int64, count=len(self._ids))
            mask = np.zeros(int(live.max()) + 1 if len(live) else 0, dtype=bool)
            mask[live] = True
            self._mask_cache = mask
        return self._mask_cache

    def _wanted(self, allowed: np.ndarray) -> np.ndarray:
        """The allowed ids (ids, or a boolean mask over id space) that are in the index, as
        a mask over id space (no Python loop)."""
        live = self._id_mask()
        wanted = np.zeros(len(live), dtype=bool)
        if allowed.dtype == np.bool_:
            common = min(len(allowed), len(live))
            wanted[:common] = allowed[:common]
        else:
            wanted[allowed[(allowed >= 0) & (allowed < len(live))]] = True
        wanted &= live
        return wanted

    @staticmethod
    def _selector(keep: np.ndarray):
        """A FAISS selector letting through the positions where `keep` is true."""
        bitmap = np.packbits(keep, bitorder="little")
        return _faiss().IDSelectorBitmap(len(keep), _faiss().swig_ptr(bitmap)), bitmap

    def _search_index(self, queries, k, wanted):
        if self.kind == "hnsw":
            if wanted is None and len(self._labels) == len(self._ids):
                scores, slots = self._index.search(
                    queries,
                    k,
                    params=_faiss().SearchParametersHNSW(efSearch=max(self.ef_search, k)),
                )
                return scores, np.where(slots >= 0, self._labels[np.maximum(slots, 0)], -1)
            if wanted is None:
                slots_ok = self._labels >= 0
            else:
                slots_ok = wanted[self._slot_ids()]
                if len(wanted) and wanted[0]:  # id 0 is wanted: tell its slot from tombstones
                    slots_ok &= self._labels >= 0
            # The graph walk meets filtered-out nodes too: to find k that pass, it must
            # look at about k / (the share that passes) (at 6% of a million, an efSearch of
            # 256 came back short every time, and exact scoring then took 60 ms).
            share = max(int(np.count_nonzero(slots_ok)), 1) / max(len(self._labels), 1)
            ef = max(self.ef_search, 2 * k, min(EF_FILTERED_MAX, int(k / share)))
            selector, _bitmap = self._selector(slots_ok)
            params = _faiss().SearchParametersHNSW(sel=selector, efSearch=ef)
            scores, slots = self._index.search(queries, k, params=params)
            ids = np.where(slots >= 0, self._labels[np.maximum(slots, 0)], -1)
            return scores, ids
        params, _bitmap = None, None
        if wanted is not None:
            selector, _bitmap = self._selector(wanted)
            params = (
                _faiss().SearchParametersIVF(sel=selector, nprobe=self.ivf_probe)
                if self.kind == "ivf"
                else _faiss().SearchParameters(sel=selector)
            )
        elif self.kind == "ivf":
            params = _faiss().SearchParametersIVF(nprobe=self.ivf_probe)
        return self._index.search(queries, k, params=params)

    def _vectors_of(self, ids: np.ndarray) -> np.ndarray:
        if self.kind == "hnsw":
            slots = np.fromiter((self._slot[i] for i in ids.tolist()), dtype=np.int64)
            return self._index.storage.reconstruct_batch(slots)
        return self._index.reconstruct_batch(ids)

    def _exact(self, queries, k, candidates):
        vectors = self._vectors_of(candidates)
        scores = queries @ vectors.T
        take = min(k, len(candidates))
        top = np.argpartition(-scores, take - 1, axis=1)[:, :take]
        top_scores = np.take_along_axis(scores, top, axis=1)
        order = np.argsort(-top_scores, axis=1)
        top, top_scores = (
            np.take_along_axis(top, order, axis=1),
            np.take_along_axis(top_scores, order, axis=1),
        )
        out_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        out_ids = np.full((len(queries), k), -1, dtype=np.int64)
        out_scores[:, :take], out_ids[:, :take] = top_scores, candidates[top]
        return out_scores, out_ids


def _read_info(snapshot: Path) -> IndexInfo:
    return IndexInfo(**json.loads((snapshot / "meta.json").read_text()))


def current_info(folder: Path) -> tuple[str, IndexInfo] | None:
    """The name and description of the snapshot CURRENT points at, without loading it."""
    try:
        name = (Path(folder) / "CURRENT").read_text().strip()
        return name, _read_info(Path(folder) / name)
    except (FileNotFoundError, ValueError, TypeError):
        return None


def prune_snapshots(folder: Path, keep: int = 3, min_age: float = 600.0) -> list[str]:
    """Delete old snapshots: all but the `keep` newest and the current one, once `min_age`
    seconds old (a process may still be reading a recent one). Returns the names deleted."""
    folder = Path(folder)
    current = (folder / "CURRENT").read_text().strip() if (folder / "CURRENT").exists() else ""
    snapshots = sorted(folder.glob("snapshot-*"), key=lambda p: int(p.name.split("-")[1]))
    deleted = []
    for path in snapshots[:-keep] if keep else snapshots:
        if path.name != current and time.time() - path.stat().st_mtime >= min_age:
            shutil.rmtree(path, ignore_errors=True)
            deleted.append(path.name)
    return deleted


def latest_version(folder: Path) -> int:
    """The highest snapshot version written in `folder` (0 if none)."""
    versions = [int(p.name.split("-")[1]) for p in Path(folder).glob("snapshot-*")]
    return max(versions, default=0)


def _ivf_ids(index) -> np.ndarray:
    invlists = index.invlists
    parts = [
        _faiss().rev_swig_ptr(invlists.get_ids(i), invlists.list_size(i)).copy()
        for i in range(index.nlist)
        if invlists.list_size(i)
    ]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def build(ids, vectors, dimension: int, model: str, kind: str, **options) -> VectorIndex:
    """A new index holding `vectors`."""
    index = VectorIndex(dimension, model, kind, **options)
    if len(ids):
        index.add(ids, vectors)
    return index
