"""LaTeX fragments of abstracts made readable: `$\\leq5$%` → `≤5%`, `\\emph{target}` → `target`."""

from __future__ import annotations

import re
import unicodedata

_TEXT_COMMAND = re.compile(r"\\(?:emph|textbf|textit|texttt|text|mathrm|mathbf|mathit|mathcal)\{([^{}]*)\}")
_MATH = re.compile(r"\$([^$]*)\$")
_TIE = re.compile(r"(?<=\w)~(?=[\w(\\$])")  # LaTeX's non-breaking space: "models~(LMs)"
_SCRIPT = re.compile(r"([\^_])\{([^{}]*)\}")
_COMMAND = re.compile(r"\\([A-Za-z]+|[%&_#$])\s*")
_SYMBOLS = {
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "approx": "≈", "sim": "~", "times": "×",
    "pm": "±", "cdot": "·", "infty": "∞", "to": "→", "rightarrow": "→",
}  # fmt: skip


def render_latex(text: str) -> str:
    """Also `ReST$^{EM}$` → `ReST^EM` and `$\\gamma$` → `γ`; text without LaTeX comes back unchanged."""
    if not any(mark in text for mark in "\\$~"):
        return text
    text = _TEXT_COMMAND.sub(r"\1", _TIE.sub(" ", text))
    return _MATH.sub(lambda match: _render_math(match.group(1)), text)


def _render_math(math: str) -> str:
    math = _SCRIPT.sub(r"\1\2", _TEXT_COMMAND.sub(r"\1", math))
    return _COMMAND.sub(lambda match: _symbol(match.group(1)), math).strip()


def _symbol(name: str) -> str:
    if name in _SYMBOLS:
        return _SYMBOLS[name]
    if not name.isalpha():  # an escaped character: \% → %
        return name
    case = "CAPITAL" if name[0].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return name
