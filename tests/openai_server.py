"""A small OpenAI-compatible chat-completions server (and Ollama's /api/chat) on 127.0.0.1 for the LLM tests.

The real `ChatOpenAI` / `ChatOllama` clients talk to it over HTTP. Each test scripts the "model": a queue of
replies, each a text, an HTTP error, a malformed body or a response that never finishes. A text may be a
function of the request, so a scripted model can read the numbered sources it was sent. The server runs
its own event loop in a thread, because the service under test calls the LLM synchronously.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.threaded_server import ThreadedServer


@dataclass
class Text:
    """A normal completion; `content` may be a function of the request's messages."""

    content: str | Callable[[list[dict[str, Any]]], str]


@dataclass
class Status:
    """An HTTP error with an OpenAI-style error body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Raw:
    """A 200 whose body is exactly these bytes (e.g. malformed JSON)."""

    body: bytes


@dataclass
class Hang:
    """Headers, maybe a first chunk, then nothing until the server stops."""


Reply = Text | Status | Raw | Hang


@dataclass
class Request:
    path: str
    body: dict[str, Any]
    received_at: float

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    def text_of(self, role: str) -> str:
        return "\n".join(str(m.get("content", "")) for m in self.messages if m.get("role") == role)


def source_number(messages: list[dict[str, Any]], title_start: str) -> int:
    """The number under which the prompt lists the paper whose title starts with `title_start`."""
    prompt = "\n".join(str(m.get("content", "")) for m in messages)
    match = re.search(rf'<source n="(\d+)">\s*{re.escape(title_start)}', prompt)
    assert match, f"no source titled {title_start!r} in the prompt"
    return int(match.group(1))


class FakeChatServer(ThreadedServer):
    name = "fake chat server"

    def __init__(self) -> None:
        super().__init__()
        self.script: list[Reply] = []
        self.requests: list[Request] = []

    # --- test side ---

    @property
    def openai_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def ollama_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reply_with(self, *replies: Reply) -> None:
        self.script = list(replies)
        self.requests = []

    # --- server side ---

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._openai_chat)
        app.router.add_post("/api/chat", self._ollama_chat)
        return app

    def _next(self, request: Request) -> Reply:
        self.requests.append(request)
        assert self.script, "the test scripted no more replies"
        return self.script.pop(0)

    async def _openai_chat(self, http: web.Request) -> web.StreamResponse:
        body = await http.json()
        request = Request(http.path, body, time.monotonic())
        reply = self._next(request)
        if isinstance(reply, Status):
            error = {"error": {"message": f"scripted {reply.status}", "type": "server_error", "code": None}}
            return web.json_response(error, status=reply.status, headers=reply.headers)
        if isinstance(reply, Raw):
            return web.Response(body=reply.body, content_type="application/json")
        model = body.get("model", "fake")
        if not body.get("stream"):
            if isinstance(reply, Hang):
                await self.release.wait()
                return web.Response(status=503)
            return web.json_response(_completion(model, _content(reply, request)))
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await response.prepare(http)
        if isinstance(reply, Hang):
            await response.write(_sse(_chunk(model, {"role": "assistant", "content": ""}, None)))
            await self.release.wait()
            return response
        await response.write(_sse(_chunk(model, {"role": "assistant", "content": ""}, None)))
        for piece in _pieces(_content(reply, request)):
            await response.write(_sse(_chunk(model, {"content": piece}, None)))
        await response.write(_sse(_chunk(model, {}, "stop")))
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response

    async def _ollama_chat(self, http: web.Request) -> web.StreamResponse:
        """Ollama's native API: newline-delimited JSON objects, the last one with "done": true."""
        body = await http.json()
        request = Request(http.path, body, time.monotonic())
        reply = self._next(request)
        if isinstance(reply, Status):
            return web.json_response({"error": f"scripted {reply.status}"}, status=reply.status, headers=reply.headers)
        if isinstance(reply, Raw):
            return web.Response(body=reply.body, content_type="application/x-ndjson")
        model = body.get("model", "fake")
        response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
        await response.prepare(http)
        if isinstance(reply, Hang):
            await self.release.wait()
            return response
        pieces = _pieces(_content(reply, request)) if body.get("stream", True) else [_content(reply, request)]
        for piece in pieces:
            line = {
                "model": model,
                "created_at": "2026-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": piece},
                "done": False,
            }
            await response.write(json.dumps(line).encode() + b"\n")
        done = {
            "model": model,
            "created_at": "2026-01-01T00:00:00Z",
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": "stop",
            "total_duration": 1,
            "prompt_eval_count": 1,
            "eval_count": 1,
        }
        await response.write(json.dumps(done).encode() + b"\n")
        await response.write_eof()
        return response


def _content(reply: Text, request: Request) -> str:
    return reply.content(request.messages) if callable(reply.content) else reply.content


def _pieces(text: str) -> list[str]:
    """Stream a text in small chunks, as a model emits tokens."""
    return [text[i : i + 7] for i in range(0, len(text), 7)] or [""]


def _completion(model: str, content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(model: str, delta: dict[str, Any], finish_reason: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def _sse(payload: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(payload)}\n\n".encode()
