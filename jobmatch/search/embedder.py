"""Sentence embeddings through sentence-transformers, loaded lazily once per process.

Long texts are never silently cut at the model's token limit: they are split
into chunks at sentence boundaries that fit the limit, each chunk is embedded,
and the chunk vectors are averaged weighted by their token counts, then
normalised (docs/BENCHMARKS.md compares this with truncation).
"""

import hashlib
import json
import os
import re
import threading
from contextlib import nullcontext
from pathlib import Path

import numpy as np

SENTENCE_END = re.compile(r"(?<=[.!?。؟])\s+|\n+")
# Loaded models, shared by every Embedder of the process: a model is read once.
_LOADED: dict[tuple[str, str], object] = {}
_LOAD_LOCK = threading.Lock()


def offline_if_local(model: str) -> None:
    """A model folder on disk never needs the hub: make sure nothing tries to reach it."""
    if Path(model).is_dir():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


DTYPES = ("auto", "float32", "bfloat16")
BF16_FLAGS = {"amx_bf16", "avx512_bf16"}  # /proc/cpuinfo: the CPU computes bfloat16 natively


def cpu_has_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 natively (AMX or AVX-512 BF16). Elsewhere
    bfloat16 is emulated, slower than float32."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            for line in info:
                if line.startswith("flags"):
                    return bool(BF16_FLAGS & set(line.split(":", 1)[1].split()))
    except OSError:
        pass
    return False


def resolve_dtype(dtype: str) -> str:
    """ "auto" is bfloat16 where the CPU has it, else float32."""
    if dtype not in DTYPES:
        raise ValueError(f"JOBMATCH_EMBED_DTYPE must be one of {', '.join(DTYPES)}, not {dtype!r}")
    if dtype == "auto":
        return "bfloat16" if cpu_has_bf16() else "float32"
    return dtype


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Embedder:
    """Embeds documents (`passage`) and queries (`query`) with one sentence model."""

    def __init__(
        self, model: str, batch_size: int = 32, device: str = "cpu", dtype: str = "float32"
    ):
        self.model_ref = str(model)
        self.batch_size = batch_size
        self.device = device
        # The model's weights stay float32; with "bfloat16" its matrix products run in
        # bfloat16 (torch's autocast), two to three times as fast on AMX, with vectors at a
        # cosine above 0.9999 to the float32 ones (tests/test_model.py).
        self.dtype = resolve_dtype(dtype)
        offline_if_local(self.model_ref)

    @property
    def is_loaded(self) -> bool:
        """Whether this process holds the model already (loading takes seconds)."""
        return (self.model_ref, self.device) in _LOADED

    @property
    def model(self):
        key = (self.model_ref, self.device)
        if key not in _LOADED:
            with _LOAD_LOCK:
                if key not in _LOADED:
                    _LOADED[key] = self._load()
        return _LOADED[key]

    def _load(self):
        from sentence_transformers import SentenceTransformer  # noqa: PLC0415  (torch: loaded when first needed)

        local = Path(self.model_ref).is_dir()
        if not local and os.environ.get("HF_HUB_OFFLINE") == "1":
            raise FileNotFoundError(
                f"The sentence model {self.model_ref!r} is not a folder on this machine and the "
                "hub is switched off. Run 'flask jobmatch model prepare' for the bundled model, "
                "or set JOBMATCH_MODEL to a model folder."
            )
        return SentenceTransformer(self.model_ref, device=self.device, local_files_only=local)

    @property
    def name(self) -> str:
        """A stable name for the model: recorded beside every stored vector and index."""
        info = Path(self.model_ref) / "jobmatch.json"
        if info.exists():
            return json.loads(info.read_text())["name"]
        return Path(self.model_ref).name if Path(self.model_ref).is_dir() else self.model_ref

    @property
    def dimension(self) -> int:
        get = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        return int(get())

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def _prompt(self, kind: str) -> str:
        return (self.model.prompts or {}).get(kind, "")

    def count_tokens(self, texts: list[str], kind: str = "passage") -> list[int]:
        prompt = self._prompt(kind)
        encoded = self.model.tokenizer(
            [prompt + t for t in texts], add_special_tokens=True, verbose=False
        )
        return [len(ids) for ids in encoded["input_ids"]]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.embed(texts, "query")

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return self.embed(texts, "passage")

    def embed(self, texts: list[str], role: str) -> np.ndarray:
        """One normalised vector per text in `role` ("query" or "passage"), however long."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        chunks, owners, weights = [], [], []
        for i, text in enumerate(texts):
            for chunk, tokens in self.chunk(text, role):
                chunks.append(chunk)
                owners.append(i)
                weights.append(tokens)
        vectors = self._encode(chunks, role)
        if len(chunks) == len(texts):
            return vectors
        pooled = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        np.add.at(pooled, owners, vectors * np.asarray(weights, dtype=np.float32)[:, None])
        return _normalise(pooled)

    def chunk(self, text: str, role: str = "passage") -> list[tuple[str, int]]:
        """Pieces of `text` that each fit the model (with prompt and special tokens)."""
        text = text.strip() or " "
        limit = self.max_tokens
        tokens = self.count_tokens([text], role)[0]
        if tokens <= limit:
            return [(text, tokens)]
        sentences = [s for s in SENTENCE_END.split(text) if s.strip()]
        counts = self.count_tokens(sentences, role)
        overhead = self.count_tokens([""], role)[0]
        pieces: list[tuple[str, int]] = []
        current, size = [], 0
        for sentence, count in zip(sentences, counts, strict=True):
            body = count - overhead
            if body > limit - overhead:
                if current:
                    pieces.append((" ".join(current), size + overhead))
                    current, size = [], 0
                pieces.extend(self._split_long(sentence, limit - overhead))
                continue
            if size + body > limit - overhead:
                pieces.append((" ".join(current), size + overhead))
                current, size = [], 0
            current.append(sentence)
            size += body
        if current:
            pieces.append((" ".join(current), size + overhead))
        return pieces

    def _split_long(self, sentence: str, budget: int) -> list[tuple[str, int]]:
        """A sentence longer than the model's limit, cut at token boundaries."""
        tokenizer = self.model.tokenizer
        encoded = tokenizer(
            sentence, add_special_tokens=False, return_offsets_mapping=True, verbose=False
        )
        offsets = encoded["offset_mapping"]
        pieces = []
        for start in range(0, len(offsets), budget):
            window = offsets[start : start + budget]
            pieces.append((sentence[window[0][0] : window[-1][1]], len(window)))
        return pieces

    def _encode(self, texts: list[str], kind: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        prompt = self._prompt(kind)
        with self._precision():
            vectors = self.model.encode(
                list(texts),
                prompt=prompt or None,
                batch_size=self.batch_size,
                convert_to_tensor=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return _normalise(vectors.float().cpu().numpy())

    def _precision(self):
        if self.dtype != "bfloat16":
            return nullcontext()
        import torch  # noqa: PLC0415  (loaded with the model)

        return torch.autocast(self.device, dtype=torch.bfloat16)


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
