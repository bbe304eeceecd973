"""The LLM answerer: OpenAI Chat Completions (or any OpenAI-compatible server), streaming.

``OpenAIAnswerer`` renders ``prompts/answer_system.txt`` and ``prompts/answer_user.txt``
with the numbered passages quoted as data, streams the model's draft, and leaves the
checking to ``rag.citations.verify`` (the pipeline runs it on every draft). It owns
the failure policy of the backend:

- one attempt is bounded by ``llm.timeout_s`` (connect and every read), and the whole
  answer, retries and back-off included, by ``llm.deadline_s``: it never hangs;
- connection errors, timeouts, 408/409/429/5xx and malformed replies (bad JSON, no
  choices, an empty completion) are retried up to ``llm.max_retries`` times with
  exponential back-off (honouring ``Retry-After`` within the deadline), other 4xx
  (bad key, unknown model) fail at once;
- then it raises ``LLMUnavailableError`` with a message naming the backend and the
  cause, and the pipeline degrades to the extractive answer or answers 503.

A stream that breaks after tokens were produced is not resumed (the tokens cannot be
taken back); it fails the same way and the pipeline degrades.

``condense`` turns a follow-up question plus history into a standalone question with
``prompts/condense.txt`` (one short attempt; the pipeline falls back to its heuristic).
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any, cast

import openai
from openai.types.chat import ChatCompletionMessageParam

from rag import text as T
from rag.config import Settings
from rag.errors import LLMUnavailableError
from rag.prompts import ABSTENTION, render
from rag.types import AnswerRequest, Passage, Turn

log = logging.getLogger("rag.llm")

PLACEHOLDER_KEY = "unused"
_BACKOFF_S = 0.5
_BACKOFF_CAP_S = 8.0
_RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
_TAG = re.compile(r"(?i)<(/?)(passage|passages|question|history)\b")
_CONDENSE_MAX_CHARS = 400


class _Malformed(Exception):
    """The server answered 200 with something that is not a chat completion."""


def quote_passage(passage: Passage) -> str:
    """One passage as a data block: ``<passage n="1" title="..." source="..." published="...">text</passage>``
    (source and published when the article's front matter gives them).

    Tags in the article text that could close (or open) the block are neutralised, so
    text inside a passage can never pose as the end of the data or as new instructions.
    """
    title, source = (
        _TAG.sub(r"&lt;\1\2", x or "").replace('"', "'").replace("\n", " ") for x in (passage.title, passage.source)
    )
    # The outlet and date let the model say who reported what and when (and tell old news from new).
    about = (f' source="{source}"' if source else "") + (
        f' published="{passage.published}"' if passage.published else ""
    )
    body = _TAG.sub(r"&lt;\1\2", passage.chunk.text.strip())
    return f'<passage n="{passage.n}" title="{title}"{about}>\n{body}\n</passage>'


def render_messages(request: AnswerRequest) -> list[dict[str, str]]:
    """The chat messages for one answer (system rules, then passages and the question)."""
    question = request.standalone or request.question
    if request.standalone and request.standalone.lower() != request.question.lower():
        question = f"{request.question}\n(Standalone form: {request.standalone})"
    passages = "\n\n".join(quote_passage(p) for p in request.passages)
    return [
        {"role": "system", "content": render("answer_system", abstention=ABSTENTION).strip()},
        {
            "role": "user",
            "content": render("answer_user", passages=passages, question=_neutralise(question)).strip(),
        },
    ]


def _neutralise(text: str) -> str:
    return _TAG.sub(r"&lt;\1\2", text)


class OpenAIAnswerer:
    """Answers through the Chat Completions API; ``name`` is the model name."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings.llm
        self.model = settings.llm_model
        self.name = settings.llm_model
        self.quotes_only = False
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else PLACEHOLDER_KEY
        self.base_url = settings.openai_base_url or "https://api.openai.com/v1"
        self._client = openai.OpenAI(
            api_key=key or PLACEHOLDER_KEY,
            base_url=settings.openai_base_url or None,
            timeout=self.settings.timeout_s,
            max_retries=0,  # retries are ours: bounded by the deadline, logged, then degraded
        )
        self._lock = threading.Lock()
        self.stats = {"requests": 0, "retries": 0, "failures": 0}

    # -- answering ----------------------------------------------------------------------

    def stream(self, request: AnswerRequest) -> Iterator[str]:
        """The draft answer in pieces, as the model writes it."""
        yield from self.chat_stream(render_messages(request), max_tokens=self.settings.max_tokens)

    def chat_stream(
        self,
        messages: Sequence[dict[str, str]],
        *,
        max_tokens: int,
        max_retries: int | None = None,
        deadline_s: float | None = None,
    ) -> Iterator[str]:
        """Stream one chat completion with bounded retries; ``LLMUnavailableError`` at the end."""
        retries = self.settings.max_retries if max_retries is None else max_retries
        deadline = time.monotonic() + (self.settings.deadline_s if deadline_s is None else deadline_s)
        attempt = 0
        while True:
            produced = False
            try:
                for piece in self._attempt(messages, max_tokens, deadline):
                    produced = True
                    yield piece
                return
            except Exception as exc:
                retryable, why, wait = self._classify(exc)
                if produced:
                    self._count("failures")
                    raise LLMUnavailableError(
                        f"The language model at {self.base_url} failed mid-answer ({why})."
                    ) from exc
                remaining = deadline - time.monotonic()
                if not retryable or attempt >= retries or remaining <= 0.05:
                    self._count("failures")
                    tries = f" after {attempt + 1} attempts" if attempt else ""
                    log.warning("LLM %s unavailable%s: %s", self.base_url, tries, why)
                    raise LLMUnavailableError(
                        f"The language model at {self.base_url} is unavailable{tries}: {why}."
                    ) from exc
                attempt += 1
                backoff = min(_BACKOFF_CAP_S, _BACKOFF_S * 2 ** (attempt - 1)) * (0.8 + 0.4 * random.random())
                sleep = min(max(backoff, wait or 0.0), max(0.0, remaining - 0.05))
                self._count("retries")
                log.info("LLM attempt %d failed (%s); retrying in %.2fs", attempt, why, sleep)
                time.sleep(sleep)

    def _attempt(self, messages: Sequence[dict[str, str]], max_tokens: int, deadline: float) -> Iterator[str]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("deadline reached")
        timeout = min(self.settings.timeout_s, remaining)
        self._count("requests")
        stream = self._client.chat.completions.create(
            model=self.model,
            messages=cast(list[ChatCompletionMessageParam], list(messages)),
            temperature=self.settings.temperature,
            max_tokens=max_tokens,
            stream=True,
            timeout=openai.Timeout(timeout, connect=min(timeout, 5.0)),
        )
        got_any = False
        try:
            for chunk in stream:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no complete answer within {self.settings.deadline_s:g}s")
                choices = getattr(chunk, "choices", None)
                if choices is None or not isinstance(choices, list):
                    raise _Malformed("a streamed chunk has no choices")
                if not choices:
                    continue  # e.g. a final usage-only chunk
                delta = getattr(choices[0], "delta", None)
                text = getattr(delta, "content", None) if delta is not None else None
                if text is not None and not isinstance(text, str):
                    raise _Malformed("a streamed chunk's content is not text")
                if text:
                    got_any = True
                    yield text
        finally:
            stream.close()
        if not got_any:
            raise _Malformed("the completion was empty")

    @staticmethod
    def _classify(exc: BaseException) -> tuple[bool, str, float | None]:
        """(retryable, a reason for people, seconds the server asked us to wait)."""
        if isinstance(exc, openai.APITimeoutError | TimeoutError):
            return True, f"timed out ({exc})" if str(exc) and "timed out" not in str(exc) else "timed out", None
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc
            return True, f"cannot connect ({type(cause).__name__})", None
        if isinstance(exc, openai.APIStatusError):
            code = exc.status_code
            wait = _retry_after(exc)
            message = _error_message(exc)
            if code == 404:
                return False, f"HTTP 404 {message} (is RAG_LLM_MODEL right?)", None
            if code in (401, 403):
                return False, f"HTTP {code} {message} (check OPENAI_API_KEY)", None
            return code in _RETRY_STATUS or code >= 500, f"HTTP {code} {message}", wait
        if isinstance(exc, _Malformed | json.JSONDecodeError | openai.APIResponseValidationError):
            return True, f"malformed reply: {exc}", None
        if isinstance(exc, openai.APIError):  # an error event inside the stream
            return True, f"error in stream: {exc.message}", None
        if isinstance(exc, ValueError | TypeError | KeyError | AttributeError):
            return True, f"malformed reply: {type(exc).__name__}: {exc}", None
        return False, f"{type(exc).__name__}: {exc}", None

    def _count(self, key: str) -> None:
        with self._lock:
            self.stats[key] += 1

    # -- one-shot completions -------------------------------------------------------------

    def complete(self, messages: Sequence[dict[str, str]], *, max_tokens: int, **kw: Any) -> str:
        """A whole completion as one string (streamed underneath, same failure policy)."""
        return "".join(self.chat_stream(messages, max_tokens=max_tokens, **kw))

    def condense(self, question: str, history: Sequence[Turn]) -> str | None:
        """A standalone question for retrieval: the follow-up rewritten with the history's topic.

        Short and bounded (a reader is waiting): one retry, 15 s at most. ``None`` when the
        rewrite is unusable (not a question, drops the question's own words, cites [n]),
        ``LLMUnavailableError`` when the backend fails; the pipeline then uses its heuristic.
        """
        turns = "\n".join(f"{t.role}: {_neutralise(' '.join(t.content.split()))[:600]}" for t in history[-6:])
        prompt = render("condense", history=turns, question=_neutralise(question)).strip()
        text = self.complete(
            [{"role": "user", "content": prompt}],
            max_tokens=64,
            max_retries=1,
            deadline_s=min(self.settings.timeout_s, 15.0),
        )
        return clean_condensed(text, question)


def clean_condensed(text: str, question: str) -> str | None:
    """The first line of a condense reply, stripped of labels and quotes, if it is a usable rewrite.

    Usable: one question (ends with "?"), no citation markers, not too long, and it keeps
    most of the follow-up's own content words (a rewrite adds context, it does not replace).
    """
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if not lines:
        return None
    line = re.sub(r"(?i)^(standalone(\s+question)?|question|rewritten(\s+question)?)\s*:\s*", "", lines[0])
    line = line.strip().strip("\"'“”").strip()
    if not line.endswith("?") or re.search(r"\[\d+\]", line) or len(line) > _CONDENSE_MAX_CHARS:
        return None
    own = set(T.stems(question))
    if own and len(own & T.stems(line)) < 0.6 * len(own):
        return None
    return line


def _retry_after(exc: openai.APIStatusError) -> float | None:
    value = exc.response.headers.get("retry-after") if exc.response is not None else None
    try:
        return min(_BACKOFF_CAP_S, max(0.0, float(value))) if value else None
    except ValueError:
        return None


def _error_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return str(inner["message"])[:200]
        if isinstance(body.get("message"), str):
            return str(body["message"])[:200]
    return type(exc).__name__
