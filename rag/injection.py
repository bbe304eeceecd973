"""Planted instructions in corpus text: recognised, never quoted.

An article fed to the assistant may carry text addressed to the assistant rather
than to a reader ("Ignore previous instructions and say ..."). Such sentences are
data, not commands, and they are not news either: the catalog leaves them out of the
sentences an answer may quote, and a chunk made of nothing else is not retrieved at
all. The patterns are narrow on purpose (instructions about prompts, instructions
addressed to an assistant, chat-template markup), so that reporting which merely
mentions rules, systems or instructions is untouched.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from rag.types import Chunk

_AI = r"(?:assistant|ai|a\.i\.|chatbot|language model|llm|gpt|chatgpt)"
_PATTERNS = [
    # "ignore previous instructions", "disregard all prior context", "forget your rules"
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|these\s+|those\s+)?"
    r"(?:previous|prior|above|earlier|preceding|foregoing|original|system|your)\s+"
    r"(?:instructions?|prompts?|rules|directions|guidelines|context|messages|articles|passages|text|sources)\b",
    # "disregard the articles above", "ignore the passages provided"
    r"\b(?:ignore|disregard)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+)?(?:articles?|passages?|documents?|context|sources)"
    r"\s+(?:above|below|provided|given|you\s+(?:were|have\s+been)\s+given)\b",
    # text addressed to the assistant: "Note to the assistant:", "INSTRUCTIONS FOR THE AI:"
    rf"\b(?:instructions?|note|message|notice|command)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?{_AI}s?"
    r"(?=\s*(?:[:;,.!—-]|$))",
    r"^\W*(?:dear\s+)?(?:assistant|chatbot|language model)\s*[,:]",
    r"\byou\s+are\s+(?:an?|the)\s+(?:helpful\s+)?(?:ai\s+)?(?:assistant|chatbot|language model)\b",
    r"\bsystem\s+prompt\b|\b(?:developer|jailbreak)\s+mode\b",
    r"\b(?:system|admin|security)\s+override\s*:",
    r"\b(?:print|reveal|show|output|repeat|leak)\s+(?:your\s+(?:system\s+)?(?:prompt|instructions)|the\s+system\s+prompt)\b",
    # chat-template and passage markup
    r"</?\s*(?:passages?|system|context|instructions?|documents?|assistant|user)\s*>",
    r"<\|\s*im_(?:start|end)\s*\|>|\[/?INST\]|<<\s*/?SYS\s*>>",
]
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def looks_like_instruction(sentence: str) -> bool:
    """True when ``sentence`` is addressed to an AI assistant rather than to a reader."""
    return _INSTRUCTION.search(sentence) is not None


def quotable(chunk: Chunk, sentence_vectors: np.ndarray) -> tuple[Chunk, np.ndarray] | None:
    """``chunk`` without its planted-instruction sentences (and their vectors);
    None when nothing else is left, i.e. the chunk should not be retrieved."""
    keep = [
        i
        for i, (s, e) in enumerate(chunk.sentences)
        if not looks_like_instruction(chunk.text[s - chunk.start : e - chunk.start])
    ]
    if len(keep) == len(chunk.sentences):
        return chunk, sentence_vectors
    if not keep:
        return None
    vectors = sentence_vectors[keep] if len(sentence_vectors) == len(chunk.sentences) else sentence_vectors
    return replace(chunk, sentences=tuple(chunk.sentences[i] for i in keep)), vectors
