"""Optional LLM answers through LangChain, grounded in the retrieved abstracts and guarded afterwards.

`RESEARCH_BOT_LLM` picks the model: `provider:model` goes to LangChain's `init_chat_model`,
`llamacpp:/path/model.gguf` to `ChatLlamaCpp` (the `.[llm]` extra). Any failure — missing package or
key, error, timeout, empty reply — raises `LLMUnavailable`, and the caller answers extractively.
"""

from __future__ import annotations

import atexit
import contextlib
import queue
import re
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.prompts import ChatPromptTemplate

from retrieval.answer_guards import guard_answer, source_text
from retrieval.models import Paper
from retrieval.settings import PROJECT_ROOT, Settings

PROMPTS_DIR = PROJECT_ROOT / "prompts"
LLAMACPP_PREFIX = "llamacpp:"
LLAMACPP_BATCH = 512  # ChatLlamaCpp's default of 8 tokens per batch makes reading the prompt crawl
_ROLE_HEADING = re.compile(r"^## (system|human)\s*$", re.MULTILINE)


class LLMUnavailable(Exception):
    """The LLM gave no usable answer; the message says why (for logs, not for users)."""


@dataclass
class _LoadedModel:
    model: BaseChatModel
    # a llama.cpp context serves one generation at a time; API clients need no lock
    lock: contextlib.AbstractContextManager[object] = field(default_factory=contextlib.nullcontext)


_models: dict[tuple[str, int, int], _LoadedModel] = {}
_models_lock = threading.Lock()


@atexit.register
def _release_local_models() -> None:
    """llama.cpp frees a model in `__del__`, which fails noisily once interpreter shutdown has torn its
    module down; free the cached ones while everything still exists."""
    for loaded in _models.values():
        close = getattr(getattr(loaded.model, "client", None), "close", None)
        if callable(close):
            close()


def llm_answer(
    question: str, sources: list[tuple[int, Paper]], settings: Settings, *, model: BaseChatModel | None = None
) -> tuple[str, list[str]]:
    """(answer citing `sources` by their numbers, warnings from the guards). `model` overrides settings.llm."""
    if not sources:
        raise LLMUnavailable("no sources to answer from")
    messages = answer_prompt().format_messages(sources=format_sources(sources), question=question)
    loaded = _LoadedModel(model) if model is not None else None

    def generate() -> BaseMessage:
        target = loaded or _loaded_model(settings)
        with target.lock:
            return target.model.invoke(messages)

    reply = _call_with_timeout(generate, settings.llm_timeout)
    text = reply.text.strip()
    if not text:
        raise LLMUnavailable("the model returned an empty answer")
    return guard_answer(text, sources)


def format_sources(sources: list[tuple[int, Paper]]) -> str:
    return "\n\n".join(f"[{n}] {source_text(paper)}" for n, paper in sources)


@cache
def answer_prompt() -> ChatPromptTemplate:
    return load_prompt("answer")


def load_prompt(name: str) -> ChatPromptTemplate:
    """prompts/<name>.md: a `## system` section, then a `## human` section with {placeholders}."""
    path = PROMPTS_DIR / f"{name}.md"
    parts = _ROLE_HEADING.split(path.read_text(encoding="utf-8"))
    messages = [(role, body.strip()) for role, body in zip(parts[1::2], parts[2::2], strict=True)]
    if [role for role, _ in messages] != ["system", "human"]:
        raise ValueError(f"{path} must have a '## system' then a '## human' section")
    return ChatPromptTemplate.from_messages(messages)


def _call_with_timeout(generate: Callable[[], BaseMessage], timeout: float) -> BaseMessage:
    """Run `generate` in a daemon thread: a model that hangs can't be interrupted, but it can be
    abandoned without keeping the process alive."""
    outcome: queue.Queue[BaseMessage | Exception] = queue.Queue(maxsize=1)

    def work() -> None:
        try:
            outcome.put(generate())
        except Exception as error:
            outcome.put(error)

    threading.Thread(target=work, name="llm-answer", daemon=True).start()
    try:
        result = outcome.get(timeout=timeout)
    except queue.Empty:
        raise LLMUnavailable(f"no answer within {timeout:g} s") from None
    if isinstance(result, LLMUnavailable):
        raise result
    if isinstance(result, Exception):
        raise LLMUnavailable(f"the model failed: {result!r}") from result
    return result


def _loaded_model(settings: Settings) -> _LoadedModel:
    """The configured model, built once per configuration (loading a GGUF file takes seconds)."""
    if not settings.llm:
        raise LLMUnavailable("no LLM configured (RESEARCH_BOT_LLM is unset)")
    key = (settings.llm, settings.llm_max_tokens, settings.llm_n_ctx)
    with _models_lock:
        if key not in _models:
            if settings.llm.startswith(LLAMACPP_PREFIX):
                model_path = Path(settings.llm.removeprefix(LLAMACPP_PREFIX)).expanduser()
                _models[key] = _LoadedModel(_llamacpp_model(model_path, settings), threading.Lock())
            else:
                _models[key] = _LoadedModel(_provider_model(settings.llm))
        return _models[key]


def _provider_model(spec: str) -> BaseChatModel:
    from langchain.chat_models import init_chat_model

    model = init_chat_model(spec)
    if not isinstance(model, BaseChatModel):
        raise LLMUnavailable(f"{spec!r} did not name a single chat model")
    return model


def _llamacpp_model(model_path: Path, settings: Settings) -> BaseChatModel:
    if not model_path.is_file():
        raise LLMUnavailable(f"no model file at {model_path}")
    try:
        with warnings.catch_warnings():  # langchain-community announces its own sunset on import
            warnings.simplefilter("ignore", DeprecationWarning)
            from langchain_community.chat_models import ChatLlamaCpp
    except ImportError as error:
        raise LLMUnavailable("llamacpp models need the llm extra: pip install '.[llm]'") from error
    return ChatLlamaCpp(
        model_path=str(model_path),
        n_ctx=settings.llm_n_ctx,
        n_batch=min(LLAMACPP_BATCH, settings.llm_n_ctx),
        max_tokens=settings.llm_max_tokens,
        temperature=0.0,  # the most likely wording: fewer inventions, reproducible tests
        verbose=False,
    )
