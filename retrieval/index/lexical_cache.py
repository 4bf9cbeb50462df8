"""The BM25 index saved next to the store, so a new process loads it instead of reading every paper from Chroma and
re-indexing them (seconds at 10k papers), and with it every paper's names (paper_names.py). The file names the
store (its papers collection's id), the revision it was built at, the fields of `Paper` it pickled and the code
that derived the names; any other store, revision, `Paper` model or names code rebuilds it (a paper unpickled from
an older model lacks the newer fields: an upgrade must not load it). Written to a temporary file and renamed into
place, so a reader never sees half a file. Pickle is safe here: the file is ours, in the store's own folder or the
user cache.
"""

from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_cache_path

from retrieval.atomic import replace_atomically
from retrieval.index.paper_names import derivation_digest
from retrieval.models import Paper

if TYPE_CHECKING:
    from retrieval.index.search import LexicalIndex

log = logging.getLogger(__name__)

FORMAT = 7  # bump when LexicalIndex or the tokenisation changes (2: names, no term sets; 3: swept; 4: "llms" is "llm";
# 5: field words, several agents are multi-agent; 6: fewer of both; 7: multi-LLM, societies of models)


def header(store_id: str, revision: int, title_repeat: int) -> tuple[object, ...]:
    """The names' own code is in it too (its source's digest): names derived by other code are never read back."""
    return (FORMAT, tuple(Paper.model_fields), derivation_digest(), store_id, revision, title_repeat)


def cache_file(chroma_path: Path, chroma_host: str | None, chroma_port: int) -> Path:
    """Next to an embedded store; in the user cache for a Chroma server (each host:port its own file)."""
    if chroma_host:
        return user_cache_path("research-bot") / f"lexical-index-{chroma_host}-{chroma_port}.pickle"
    return chroma_path / "lexical-index.pickle"


def load(path: Path, store_id: str, revision: int, title_repeat: int) -> LexicalIndex | None:
    try:
        with path.open("rb") as file:
            saved, index = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception as error:  # an older format, a truncated file: rebuild
        log.warning("ignoring the saved BM25 index %s: %s", path, error)
        return None
    return index if saved == header(store_id, revision, title_repeat) else None


def save(path: Path, store_id: str, title_repeat: int, index: LexicalIndex) -> None:
    def write(temporary: Path) -> None:
        with temporary.open("wb") as file:
            pickle.dump((header(store_id, index.revision, title_repeat), index), file, pickle.HIGHEST_PROTOCOL)

    try:
        replace_atomically(path, write)
    except OSError as error:  # a read-only store folder: each process builds its own, as before
        log.warning("could not save the BM25 index to %s: %s", path, error)
