"""Prompts as data: `prompts/<name>.md`, shipped inside the package as `retrieval.prompts`."""

from __future__ import annotations

import re
from importlib.resources import files

from langchain_core.prompts import ChatPromptTemplate

_ROLE_HEADING = re.compile(r"^## (system|human)\s*$", re.MULTILINE)


def load_prompt(name: str) -> ChatPromptTemplate:
    """A `## system` section, then a `## human` section with {placeholders}."""
    resource = files("retrieval.prompts").joinpath(f"{name}.md")
    parts = _ROLE_HEADING.split(resource.read_text(encoding="utf-8"))
    messages = [(role, body.strip()) for role, body in zip(parts[1::2], parts[2::2], strict=True)]
    if [role for role, _ in messages] != ["system", "human"]:
        raise ValueError(f"prompts/{name}.md must have a '## system' then a '## human' section")
    return ChatPromptTemplate.from_messages(messages)
