"""The LLM judge: entailment by an OpenAI-compatible chat model, with ``prompts/judge_entailment.txt``."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from typing import Any

from rag import text as T
from rag.judge.claims import clean_claim
from rag.types import Verdict


class LLMJudge:
    """Entailment by an OpenAI-compatible chat model, one claim at a time."""

    name = "llm"

    def __init__(self, settings: Any, *, client: Any = None, prompt: str = "judge_entailment") -> None:
        from rag.prompts import load_prompt

        self._settings = settings
        self._template = load_prompt(prompt)
        self._model = settings.llm_model
        self._client = client
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, tuple[str, ...]], Verdict] = {}

    def _get_client(self) -> Any:
        if self._client is None:
            import openai

            key = self._settings.openai_api_key
            self._client = openai.OpenAI(
                api_key=key.get_secret_value() if key is not None else "unused",
                base_url=self._settings.openai_base_url or None,
                timeout=self._settings.llm.timeout_s,
                max_retries=self._settings.llm.max_retries,
            )
        return self._client

    def judge(self, claim: str, evidence: Sequence[str]) -> Verdict:
        from rag.errors import LLMUnavailableError

        text = clean_claim(claim)
        if not T.content_terms(text):
            return Verdict(True, 1.0, ("no content",))
        key = (text, tuple(evidence))
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        numbered = "\n".join(f"[{i}] {e.strip()}" for i, e in enumerate(evidence, 1)) or "(no evidence)"
        prompt = self._template.replace("{evidence}", numbered).replace("{claim}", text)
        try:
            response = self._get_client().chat.completions.create(
                model=self._model,
                messages=[{"role": "user", "content": prompt}],
                temperature=0,
                max_tokens=120,
            )
            content = response.choices[0].message.content or ""
        except Exception as exc:  # the openai client's errors, timeouts, bad responses
            raise LLMUnavailableError(f"The judge model could not be reached: {type(exc).__name__}") from exc
        verdict = parse_entailment(content)
        with self._lock:
            self._cache[key] = verdict
        return verdict


_VERDICT_WORD = re.compile(r"\b(not[\s_-]+supported|unsupported|supported|entailed|not[\s_-]+entailed|yes|no)\b", re.I)


def parse_entailment(content: str) -> Verdict:
    """Read the model's reply: a JSON object ``{"supported": bool, "reason": str}``, or a leading verdict word.

    Anything unreadable counts as unsupported (the safe side for a verifier).
    """
    match = re.search(r"\{.*\}", content, re.S)
    if match:
        try:
            data = json.loads(match.group(0))
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("supported"), bool):
            reason = str(data.get("reason", "")).strip()
            return Verdict(data["supported"], 1.0 if data["supported"] else 0.0, (reason,) if reason else ())
    word = _VERDICT_WORD.search(content)
    if word:
        w = re.sub(r"[\s_-]+", " ", word.group(1).lower())
        ok = w in {"supported", "entailed", "yes"}
        return Verdict(ok, 1.0 if ok else 0.0, (content.strip()[:200],))
    return Verdict(False, 0.0, (f"unreadable judge reply: {content.strip()[:120]}",))
