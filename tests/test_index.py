"""The vector index: add, remove, replace, persist, reload, filters, approximate vs exact."""

import numpy as np
import pytest

from jobmatch.search.index import IndexMismatch, VectorIndex, build

KINDS = ["flat", "hnsw", "ivf"]


def clustered(n: int, d: int = 32, seed: int = 0) -> np.ndarray:
    """Vectors in 20 clusters, normalised, like embeddings of texts on a few themes."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(20, d))
    x = centres[rng.integers(0, 20, n)] + 0.6 * rng.normal(size=(n, d))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def manifold(n: int, d: int = 64, latent: int = 10, seed: int = 0) -> np.ndarray:
    """Vectors near a low-dimensional surface, as sentence embeddings are."""
    rng = np.random.default_rng(seed)
    basis = np.random.default_rng(99).normal(size=(latent, d))
    x = np.tanh(rng.normal(size=(n, latent)) @ basis) + 0.05 * rng.normal(size=(n, d))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def exact_top(x, ids, queries, k, allowed=None):
    keep = np.isin(ids, allowed) if allowed is not None else np.ones(len(ids), bool)
    scores = queries @ x[keep].T
    return ids[keep][np.argsort(-scores, axis=1)[:, :k]]


@pytest.mark.parametrize("kind", KINDS)
def test_add_search_remove_and_replace(kind):
    x = clustered(600)
    ids = np.arange(1000, 1600)
    index = build(ids, x, 32, "test-model", kind, ivf_lists=8, ivf_probe=8)
    assert index.count() == 600
    scores, found = index.search(x[:3], 1)
    assert found[:, 0].tolist() == [1000, 1001, 1002]
    assert np.allclose(scores[:, 0], 1.0, atol=1e-4)

    assert index.remove([1000, 1001, 99999]) == 2
    assert index.count() == 598 and 1000 not in index
    _, found = index.search(x[:1], 5)
    assert 1000 not in found

    index.add([1002], x[500:501])  # replace: 1002 now points where 1500 is
    assert index.count() == 598
    _, found = index.search(x[500:501], 2)
    assert set(found[0].tolist()) == {1002, 1500}
    _, found = index.search(x[2:3], 3)
    assert 1002 not in found[0].tolist()[:1]


@pytest.mark.parametrize("kind", KINDS)
def test_filters_return_the_best_k_that_pass(kind):
    x = clustered(3000, seed=1)
    ids = np.arange(3000) * 3 + 7
    index = build(ids, x, 32, "m", kind, ivf_lists=16, ivf_probe=16)
    queries = clustered(20, seed=2)
    rng = np.random.default_rng(3)
    for share in (0.01, 0.3):  # a narrow filter (exact path) and a broad one (selector)
        allowed = rng.choice(ids, int(len(ids) * share), replace=False)
        _, found = index.search(queries, 10, allowed=allowed)
        assert np.isin(found, allowed).all()
        expected = exact_top(x, ids, queries, 10, allowed)
        recall = np.mean([len(set(f) & set(e)) / 10 for f, e in zip(found, expected, strict=True)])
        assert recall >= 0.95, (kind, share, recall)


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_approximate_search_agrees_with_exact(kind):
    x = manifold(20_000, seed=4)
    ids = np.arange(20_000)
    index = build(ids, x, 64, "m", kind, ivf_probe=24)
    queries = manifold(100, seed=5)
    _, found = index.search(queries, 10)
    expected = exact_top(x, ids, queries, 10)
    recall = np.mean([len(set(f) & set(e)) / 10 for f, e in zip(found, expected, strict=True)])
    assert recall >= 0.95


@pytest.mark.parametrize("kind", KINDS)
def test_save_and_load_round_trip(kind, tmp_path):
    x = clustered(800, seed=6)
    ids = np.arange(800) + 1
    index = build(ids, x, 32, "model-a", kind, ivf_lists=8, ivf_probe=8)
    index.remove([1, 2])
    index.save(tmp_path)
    index.add([5000], x[:1])
    second = index.save(tmp_path)
    again = VectorIndex.load(tmp_path, model="model-a", dimension=32)
    assert (tmp_path / "CURRENT").read_text() == second.name
    assert again.count() == 799 and 5000 in again and 1 not in again
    assert again.info.version == 2
    _, a = index.search(x[10:20], 5)
    _, b = again.search(x[10:20], 5)
    assert (a == b).all()


def test_vectors_of_another_model_or_dimension_are_refused(tmp_path):
    index = build(np.arange(10), clustered(10), 32, "model-a", "flat")
    index.save(tmp_path)
    with pytest.raises(IndexMismatch):
        VectorIndex.load(tmp_path, model="model-b")
    with pytest.raises(IndexMismatch):
        VectorIndex.load(tmp_path, model="model-a", dimension=384)
    with pytest.raises(IndexMismatch):
        index.add([99], np.ones((1, 16), np.float32))


def test_hnsw_compaction_drops_tombstones():
    x = clustered(500, seed=7)
    index = build(np.arange(500), x, 32, "m", "hnsw")
    index.remove(range(0, 500, 2))
    index.add([1], x[:1])
    index.compact()
    assert len(index._labels) == index.count() == 250
    _, found = index.search(x[:1], 1)
    assert found[0, 0] == 1


@pytest.mark.parametrize("first", [0, 5])
def test_a_filtered_graph_search_never_returns_a_removed_vector(first, monkeypatch):
    """Removed vectors stay in the graph as tombstones until compaction; a mask over ids,
    even one letting id 0 through, must not let them out (nor leave the graph's answer
    short, to be scored again exactly)."""
    x = clustered(6000, seed=4)
    ids = np.arange(first, first + 6000)
    index = build(ids, x, 32, "m", "hnsw")
    gone = ids[1::4]
    index.remove(gone.tolist())
    monkeypatch.setattr(index, "_exact", lambda *a: pytest.fail("scored exactly"))
    mask = np.ones(first + 6000, dtype=bool)  # every id, removed ones too
    for _ in range(2):  # the second search reads the slots' ids from the cache
        scores, found = index.search(x[:40], 10, allowed=mask)
        assert (found >= 0).all() and not np.isin(found, gone).any()
    index.add([int(gone[0])], x[1:2])  # back in, at a new slot
    _, found = index.search(x[1:2], 1, allowed=mask)
    assert found[0, 0] == gone[0]
