"""Character n-gram TF-IDF: how many pieces of words two short texts share, weighted by how
rare the pieces are. It forgives typos, inflection, word order and missing accents, which
job titles are full of, and needs no model.

The n-grams are hashed into a fixed space (scikit-learn's HashingVectorizer), so a text
written after the collection was counted gets its vector without refitting; only the
rarity weights (idf) come from the collection the vectors were fitted on.
"""

import hashlib
import os
import re
import unicodedata
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

FEATURES = 2**20


# Every combining mark (accents, Arabic short vowels ...) of the first two planes, deleted
# by str.translate: as `unicodedata.combining` character by character, at C speed.
_MARKS = {c: None for c in range(0x20000) if unicodedata.combining(chr(c))}


def fold(text: str) -> str:
    """Lower case, without accents or other marks (é -> e, ё -> е, Arabic short vowels)."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return " ".join(decomposed.translate(_MARKS).split())


class CharGrams:
    """TF-IDF vectors of character 2- to 4-grams within words, L2-normalised."""

    def __init__(self, features: int = FEATURES):
        self.hasher = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 4),
            n_features=features,
            alternate_sign=False,
            norm=None,
            preprocessor=fold,
            dtype=np.float32,
        )
        self.idf: np.ndarray | None = None

    def _counts(self, texts) -> sparse.csr_matrix:
        counts = self.hasher.transform(texts).tocsr()
        np.log1p(counts.data, out=counts.data)  # sublinear term frequency: 1 + log(tf) - 1
        counts.data += 1.0
        return counts

    def fit(self, texts) -> sparse.csr_matrix:
        """Count the n-grams' rarity over `texts`, and return their vectors."""
        counts = self._counts(texts)
        frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf = (np.log((1 + counts.shape[0]) / (1 + frequency)) + 1).astype(np.float32)
        return self._weigh(counts)

    def transform(self, texts) -> sparse.csr_matrix:
        if self.idf is None:
            raise RuntimeError("CharGrams.fit first: the rarity weights come from a collection")
        return self._weigh(self._counts(texts))

    def _weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        counts.data *= self.idf[counts.indices]
        return normalize(counts, copy=False)


def flatten(groups) -> tuple[list[str], np.ndarray]:
    """Each group's names (a concept's labels), stripped and once each, in one list; and the
    group each belongs to (what `best_per_group` takes)."""
    texts, owners = [], []
    for n, names in enumerate(groups):
        for name in dict.fromkeys(t.strip() for t in names if t and t.strip()):
            texts.append(name)
            owners.append(n)
    return texts, np.array(owners, dtype=np.int64)


def fitted(texts: list[str], cache: Path | None = None) -> tuple[CharGrams, sparse.csr_matrix]:
    """CharGrams fitted on `texts`, and the texts' vectors transposed (features x texts, the
    form a query's vector multiplies). Fitting ESCO's tens of thousands of labels takes
    seconds, so with `cache` (a folder) the result is kept there under the hash of the
    texts, and a process that finds it reads it instead (NumPy files, no pickle)."""
    grams = CharGrams()
    key = hashlib.sha256("\n".join([f"{FEATURES} 2-4 char_wb", *texts]).encode()).hexdigest()
    path = cache / f"grams-{key[:24]}.npz" if cache is not None else None
    if path is not None and path.exists():
        try:
            with np.load(path) as stored:
                grams.idf = stored["idf"]
                matrix = sparse.csr_matrix(
                    (stored["data"], stored["indices"], stored["indptr"]),
                    shape=tuple(stored["shape"]),
                )
            return grams, matrix
        except (OSError, KeyError, ValueError):
            pass  # unreadable: fitted again, and written anew
    matrix = grams.fit(texts).T.tocsr()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(
            partial,
            idf=grams.idf,
            data=matrix.data,
            indices=matrix.indices,
            indptr=matrix.indptr,
            shape=np.array(matrix.shape),
        )
        os.replace(partial, path)  # whole or not at all, whoever writes it at the same time
    return grams, matrix


def best_per_group(scores: sparse.csr_matrix | np.ndarray, groups: np.ndarray, n_groups: int):
    """For each row of `scores` (texts x items), the best score of each group of items
    (`groups[j]` is item j's group): a dense (rows x n_groups) array."""
    out = np.zeros((scores.shape[0], n_groups), dtype=np.float32)
    if sparse.issparse(scores):
        scores = scores.tocoo()
        np.maximum.at(out, (scores.row, groups[scores.col]), scores.data)
    else:
        rows = np.repeat(np.arange(scores.shape[0]), scores.shape[1])
        np.maximum.at(out, (rows, np.tile(groups, scores.shape[0])), scores.ravel())
    return out


WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def words_of(text: str) -> set[str]:
    """The words of three letters or more in `text`, folded."""
    return {fold(w) for w in WORD.findall(text or "")}


def shared_words(one: str, other: str) -> list[str]:
    """The words of `other` (as it writes them) that `one` holds too, accents and case
    aside; words of three letters or more."""
    mine = {fold(w) for w in WORD.findall(one or "")}
    seen, out = set(), []
    for word in WORD.findall(other or ""):
        key = fold(word)
        if key in mine and key not in seen:
            seen.add(key)
            out.append(word)
    return out
