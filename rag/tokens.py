"""Token counting with tiktoken's cl100k_base, loaded from the copy LlamaIndex ships.

tiktoken downloads encodings on first use; llama-index-core carries cl100k_base in
its package data, and ``get_tokenizer`` points tiktoken at it, so this works offline.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=1)
def count_tokens_fn() -> Callable[[str], list[int]]:
    from llama_index.core.utils import get_tokenizer

    return get_tokenizer()


def count_tokens(text: str) -> int:
    return len(count_tokens_fn()(text))
