"""Prompt files under ``prompts/`` and the one abstention phrase.

Prompts are plain text with ``{named}`` placeholders. ``ABSTENTION`` opens every
answer that says the articles do not answer; tests and evals use this constant.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

ABSTENTION = "The articles do not say"
ABSTENTION_ANSWER = f"{ABSTENTION}: none of the indexed articles answers this question."
DEGRADED_NOTE = "(The language model is unavailable; this answer was extracted directly from the articles.)"

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@lru_cache(maxsize=32)
def load_prompt(name: str) -> str:
    """The text of ``prompts/<name>.txt`` (from the source tree or the installed package)."""
    path = PROMPTS_DIR / f"{name}.txt"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return resources.files("rag").joinpath("_prompts", f"{name}.txt").read_text(encoding="utf-8")


def render(name: str, **values: str) -> str:
    return load_prompt(name).format(**values)


def is_abstention(answer: str) -> bool:
    return answer.strip().startswith(ABSTENTION)
