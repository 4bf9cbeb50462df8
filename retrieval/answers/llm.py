"""Optional LLM answers through LangChain, grounded in the retrieved abstracts.

`RESEARCH_BOT_LLM=provider:model` goes to LangChain's `init_chat_model`: `openai:<model>` is `ChatOpenAI`, which
with `RESEARCH_BOT_LLM_BASE_URL` talks to any OpenAI-compatible server (vLLM, llama.cpp's llama-server, LM
Studio, Ollama's /v1); `ollama:<model>` is `ChatOllama` on Ollama's native API. The model runs in another
process, so a model or a native library that crashes can't take the bot down. Any failure (missing package
or key, HTTP error after the client's retries, malformed reply, timeout, empty reply) raises
`LLMUnavailable`, and the caller answers extractively. What the model says is checked afterwards by
`retrieval.answers.guards`.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from functools import cache
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.prompts import ChatPromptTemplate

from retrieval.answers.guards import source_text
from retrieval.answers.prompt_files import load_prompt
from retrieval.models import Paper
from retrieval.settings import Settings

# The reply that means "the sources don't answer this". prompts/answer.md receives it as {cannot_answer_phrase},
# so the prompt and the check that turns it into an abstention can never drift apart.
CANNOT_ANSWER_PHRASE = "I cannot answer this from the provided papers."


class LLMUnavailable(Exception):
    """The LLM gave no usable answer; the message says why (for logs, not for users)."""


_models: dict[tuple[object, ...], BaseChatModel] = {}
_models_lock = threading.Lock()


def llm_reply(
    question: str, sources: list[tuple[int, Paper]], settings: Settings, *, model: BaseChatModel | None = None
) -> str:
    """The model's raw answer over numbered `sources`; `model` overrides the configured one."""
    if not sources:
        raise LLMUnavailable("no sources to answer from")
    messages = answer_prompt().format_messages(sources=format_sources(sources), question=question)
    chat_model = model or configured_model(settings)
    reply = _call_with_timeout(lambda: chat_model.invoke(messages), settings.llm_timeout)
    text = reply.text.strip()
    if not text:
        raise LLMUnavailable("the model returned an empty answer")
    return text


def says_cannot_answer(reply: str) -> bool:
    return " ".join(CANNOT_ANSWER_PHRASE.casefold().split()).rstrip(".") in " ".join(reply.casefold().split())


def format_sources(sources: list[tuple[int, Paper]]) -> str:
    return "\n\n".join(f'<source n="{n}">\n{source_text(paper)}\n</source>' for n, paper in sources)


@cache
def answer_prompt() -> ChatPromptTemplate:
    return load_prompt("answer").partial(cannot_answer_phrase=CANNOT_ANSWER_PHRASE)


def _call_with_timeout(generate: Callable[[], BaseMessage], timeout: float) -> BaseMessage:
    """Run `generate` in a daemon thread. The client's own timeout applies to each request; this one bounds
    the whole call, retries included, and a hung call is abandoned without keeping the process alive."""
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


def configured_model(settings: Settings) -> BaseChatModel:
    """The model `settings` name, built once per configuration and shared by all threads."""
    if not settings.llm:
        raise LLMUnavailable("no LLM configured (RESEARCH_BOT_LLM is unset)")
    provider, _, name = settings.llm.partition(":")
    if not name:
        raise LLMUnavailable(f"RESEARCH_BOT_LLM={settings.llm!r}: expected provider:model, e.g. openai:gpt-4o-mini")
    options = _provider_options(provider, settings)
    key = (provider, name, *sorted((k, repr(v)) for k, v in options.items()))
    with _models_lock:
        if key not in _models:
            _models[key] = _build_model(provider, name, options)
        return _models[key]


def _provider_options(provider: str, settings: Settings) -> dict[str, Any]:
    """Settings in the keyword arguments each provider's chat model takes."""
    api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    if provider == "ollama":
        options: dict[str, Any] = {
            "temperature": settings.llm_temperature,
            "num_predict": settings.llm_max_tokens,
            "client_kwargs": {"timeout": settings.llm_timeout},
        }
        if settings.llm_base_url:
            options["base_url"] = settings.llm_base_url
        return options
    options = {
        "temperature": settings.llm_temperature,
        "max_tokens": settings.llm_max_tokens,
        "timeout": settings.llm_timeout,
        "max_retries": settings.llm_max_retries,
    }
    if provider == "openai":
        options["streaming"] = settings.llm_streaming
        if settings.llm_base_url:
            options["base_url"] = settings.llm_base_url
            # local servers ignore the key, but the OpenAI client refuses to start without one
            api_key = api_key or "not-needed"
    if api_key:
        options["api_key"] = api_key
    return options


def _build_model(provider: str, name: str, options: dict[str, Any]) -> BaseChatModel:
    from langchain.chat_models import init_chat_model

    try:
        model = init_chat_model(name, model_provider=provider, **options)
    except ImportError as error:
        raise LLMUnavailable(f"the {provider!r} provider's LangChain package is not installed: {error}") from error
    except Exception as error:  # unknown provider, missing API key, bad option
        raise LLMUnavailable(f"cannot build {provider}:{name}: {error}") from error
    if not isinstance(model, BaseChatModel):
        raise LLMUnavailable(f"{provider}:{name} did not name a single chat model")
    return model
