"""What a user would build instead: a plain LlamaIndex VectorStoreIndex over Chroma.

Same model (the int8 MiniLM embedder of ``rag.embeddings``, wrapped as a LlamaIndex
``BaseEmbedding``), same chunker settings (LlamaIndex ``SentenceSplitter``, 160/24
cl100k tokens), same ``top_k``. Only ``retriever.retrieve()`` is timed: it embeds
the question and queries Chroma; there is no answer, no citation and no HTTP.

With ``llama-index-vector-stores-chroma`` missing, the index falls back to
LlamaIndex's default in-memory ``SimpleVectorStore`` and says so in ``store``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import PrivateAttr

from rag.documents import load_corpus
from rag.embeddings import MiniLMEmbedder


def _base_embedding() -> type:
    from llama_index.core.embeddings import BaseEmbedding

    class MiniLMEmbedding(BaseEmbedding):  # type: ignore[misc,valid-type]
        """rag's int8 ONNX MiniLM as a LlamaIndex embedding model."""

        _embedder: Any = PrivateAttr()

        def __init__(self, embedder: MiniLMEmbedder, **kwargs: Any) -> None:
            super().__init__(model_name=embedder.id, embed_batch_size=64, **kwargs)
            self._embedder = embedder

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed([query])[0].tolist()  # type: ignore[no-any-return]

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed([text])[0].tolist()  # type: ignore[no-any-return]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed(texts).tolist()  # type: ignore[no-any-return]

    return MiniLMEmbedding


class LlamaIndexBaseline:
    """A ``VectorStoreIndex`` over a fresh Chroma collection in ``work_dir``."""

    def __init__(self, embedder: MiniLMEmbedder, work_dir: Path, *, top_k: int = 5) -> None:
        self.embedder = embedder
        self.work_dir = work_dir
        self.top_k = top_k
        self.embed_model = _base_embedding()(embedder)
        self.store = "chroma"
        self.build_s = 0.0
        self.nodes = 0
        self.reused_vectors = False
        self._retriever: Any = None
        self._client: Any = None

    def _storage_context(self) -> Any:
        from llama_index.core import StorageContext

        try:
            import chromadb
            from llama_index.vector_stores.chroma import ChromaVectorStore
        except ImportError:
            self.store = "SimpleVectorStore (llama-index-vector-stores-chroma not installed)"
            return StorageContext.from_defaults()
        self._client = chromadb.PersistentClient(path=str(self.work_dir / "li-chroma"))
        collection = self._client.get_or_create_collection(
            "li-bench", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )
        return StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection))

    def build(self, corpus: Path, *, vectors: dict[str, np.ndarray] | None = None) -> None:
        """Index ``corpus``. With ``vectors`` (chunk text -> vector of this same model),
        nodes whose text is there skip embedding: identical vectors, less waiting at scale."""
        from llama_index.core import Document, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        from rag.tokens import count_tokens_fn

        t0 = time.perf_counter()
        docs = [Document(text=d.text, id_=d.doc_id) for d in load_corpus(corpus).documents]
        splitter = SentenceSplitter(chunk_size=160, chunk_overlap=24, tokenizer=count_tokens_fn())
        nodes = splitter.get_nodes_from_documents(docs)
        if vectors:
            for node in nodes:
                vec = vectors.get(node.get_content())
                if vec is not None:
                    node.embedding = np.asarray(vec, dtype=np.float32).tolist()
                    self.reused_vectors = True
        index = VectorStoreIndex(
            nodes, storage_context=self._storage_context(), embed_model=self.embed_model, show_progress=False
        )
        self._retriever = index.as_retriever(similarity_top_k=self.top_k)
        self.nodes = len(nodes)
        self.build_s = time.perf_counter() - t0

    def retrieve(self, question: str) -> Sequence[Any]:
        return self._retriever.retrieve(question)  # type: ignore[no-any-return]
