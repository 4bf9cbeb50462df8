"""The plain-text profile format → `ParsedProfile`.

A file is a header (name, primary category, metric lines such as ``h-index117`` and ``35,895citations``,
an ``N Papers`` line), then one block per paper::

    LGNov 17, 2022Code                        <- category, date, optional "Code" (fused, no spaces)
    VeLO: Training Versatile Learned ...      <- title
    Luke Metz, James Harrison et al. · mit    <- authors [et al.] [· affiliations]
    While deep learning models have ...       <- abstract (one paragraph)

Blank lines between parts are optional. Anything unexpected raises `ProfileFormatError` with the
line number and what was expected; the parser never raises anything else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from retrieval.errors import ProfileFormatError
from retrieval.models import Paper, ParsedProfile, Profile

PAPER_HEADER = re.compile(
    r"^(?P<category>[A-Z][A-Z-]*[A-Z])"
    r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ?(?P<day>\d{1,2}), ?(?P<year>\d{4})"
    r"(?P<code>Code)?$"
)
# Something that tries to be a paper header but is not valid (bad month/day) is an error, not a title.
LOOKS_LIKE_PAPER_HEADER = re.compile(r"^[A-Z][A-Z-]*[A-Z][A-Z][a-z]{2,}\s*\d")
CATEGORY_LINE = re.compile(r"^[A-Z][A-Z-]*$")
PAPERS_LINE = re.compile(r"^(?P<count>[\d,]+) Papers$")
HEADER_METRICS: dict[str, re.Pattern[str]] = {
    "h_index": re.compile(r"^h-index\s*(?P<value>[\d,]+)$"),
    "papers_claimed": re.compile(r"^(?P<value>[\d,]+)\s*papers$"),
    "citations": re.compile(r"^(?P<value>[\d,]+)\s*citations$"),
    "novelty": re.compile(r"^Novelty\s*(?P<value>\d+)\s*%$"),
    "ai_score": re.compile(r"^AI Score\s*(?P<value>\d+)$"),
}
HEADER_EXPECTED = (
    "a header line (primary category like 'LG', 'h-index117', '67papers', '35,895citations', "
    "'Novelty56%', 'AI Score48' or '67 Papers') or a paper line like 'LGNov 17, 2022Code'"
)
PAPER_LINE_EXPECTED = "a paper line like 'LGNov 17, 2022' or 'RODec 13, 2022Code' (category, date, optional Code)"
AFFILIATION_SEPARATOR = " · "
ET_AL = re.compile(r",?\s*et al\.?$")
MAX_AUTHORS_LINE = 2000
MAX_NAME_LENGTH = 200


def profile_id_for(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    return slug or hashlib.sha1(name.encode()).hexdigest()[:10]


def paper_id_for(profile_id: str, title: str, date: dt.date) -> str:
    """Stable across re-ingests: the same paper (title + date) under the same profile keeps its id."""
    key = f"{profile_id}\n{' '.join(title.casefold().split())}\n{date.isoformat()}"
    return f"{profile_id}:{hashlib.sha1(key.encode()).hexdigest()[:12]}"


def profile_of_paper(paper_id: str) -> str:
    """The profile a paper id belongs to (`paper_id_for`'s prefix)."""
    return paper_id.rpartition(":")[0]


DEFAULT_MAX_BYTES = 5_000_000


def check_size(source: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ProfileFormatError(
            source, 1, f"a profile file of at most {max_bytes:,} bytes", f"{size:,} bytes (larger than the limit)"
        )


def parse_profile_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedProfile:
    source = str(path)
    try:
        check_size(source, path.stat().st_size, max_bytes)  # before reading: a huge file is never loaded
        raw = path.read_bytes()
    except OSError as error:
        raise ProfileFormatError(source, 1, "a readable file", error.strerror or str(error)) from error
    return parse_profile_bytes(raw, source, max_bytes)


def parse_profile_bytes(raw: bytes, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedProfile:
    check_size(source, len(raw), max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ProfileFormatError(source, line, "UTF-8 text", "undecodable bytes") from error
    return parse_profile_text(text, source)


def parse_profile_text(text: str, source: str = "<text>") -> ParsedProfile:
    lines = _numbered_lines(text, source)
    profile = _parse_header(lines, source)
    papers: list[Paper] = []
    seen_ids: set[str] = set()
    for paper in _parse_papers(lines, source, profile.id):
        if paper.id in seen_ids:  # the same title and date twice: keep the first, as the page does
            continue
        seen_ids.add(paper.id)
        papers.append(paper)
    return ParsedProfile(source=source, profile=profile, papers=papers)


class _Lines:
    """Non-blank, stripped lines with their 1-based numbers, read front to back."""

    def __init__(self, items: list[tuple[int, str]], last_line: int) -> None:
        self._items = items
        self._position = 0
        self.last_line = last_line

    def peek(self) -> tuple[int, str] | None:
        return self._items[self._position] if self._position < len(self._items) else None

    def take(self, source: str, expected: str) -> tuple[int, str]:
        item = self.peek()
        if item is None:
            raise ProfileFormatError(source, self.last_line, expected, "end of file")
        self._position += 1
        return item


def _numbered_lines(text: str, source: str) -> _Lines:
    items: list[tuple[int, str]] = []
    all_lines = text.splitlines()
    for number, line in enumerate(all_lines, start=1):
        if "\x00" in line:
            raise ProfileFormatError(source, number, "text", "a NUL byte (binary data)")
        stripped = " ".join(line.split())  # also folds tabs and non-breaking spaces
        if stripped:
            items.append((number, stripped))
    return _Lines(items, max(len(all_lines), 1))


def _parse_header(lines: _Lines, source: str) -> Profile:
    number, name = lines.take(source, "the researcher's name on the first line")
    if PAPER_HEADER.match(name) or len(name) > MAX_NAME_LENGTH:
        raise ProfileFormatError(source, number, "the researcher's name on the first line", name)
    values: dict[str, int | str | None] = {}
    while (item := lines.peek()) is not None and not LOOKS_LIKE_PAPER_HEADER.match(item[1]):
        number, line = lines.take(source, HEADER_EXPECTED)
        if PAPERS_LINE.match(line):
            continue  # "67 Papers": the same claim as "67papers"; the papers follow
        if "category" not in values and CATEGORY_LINE.match(line):
            values["category"] = line
            continue
        for field, pattern in HEADER_METRICS.items():
            if field not in values and (match := pattern.match(line)):
                values[field] = int(match["value"].replace(",", ""))
                break
        else:
            raise ProfileFormatError(source, number, HEADER_EXPECTED, line)
    return Profile(id=profile_id_for(name), name=name, **values)


def _parse_papers(lines: _Lines, source: str, profile_id: str) -> Iterator[Paper]:
    while lines.peek() is not None:
        number, header = lines.take(source, PAPER_LINE_EXPECTED)
        match = PAPER_HEADER.match(header)
        if not match:
            raise ProfileFormatError(source, number, PAPER_LINE_EXPECTED, header)
        date = _parse_date(match, source, number)
        title_number, title = _take_text(lines, source, "the paper's title")
        authors_number, authors_line = _take_text(lines, source, "the authors line ('A, B et al. · affiliations')")
        authors, et_al, affiliations = _parse_authors(authors_line, source, authors_number)
        _, abstract = _take_text(lines, source, "the abstract paragraph")
        if len(title) > MAX_AUTHORS_LINE:
            raise ProfileFormatError(source, title_number, "a title line", "a very long paragraph")
        yield Paper(
            id=paper_id_for(profile_id, title, date),
            title=title,
            date=date,
            year=date.year,
            category=match["category"],
            has_code=match["code"] is not None,
            authors=authors,
            et_al=et_al,
            affiliations=affiliations,
            abstract=abstract,
            profile=profile_id,
        )


def _parse_date(match: re.Match[str], source: str, number: int) -> dt.date:
    text = f"{match['month']} {match['day']} {match['year']}"
    try:
        return dt.datetime.strptime(text, "%b %d %Y").date()
    except ValueError as error:
        raise ProfileFormatError(source, number, "a valid date like 'Nov 17, 2022'", text) from error


def _take_text(lines: _Lines, source: str, expected: str) -> tuple[int, str]:
    """The next line, which must not be a paper header (that means a part of this paper is missing)."""
    number, line = lines.take(source, expected)
    if PAPER_HEADER.match(line) or LOOKS_LIKE_PAPER_HEADER.match(line):
        raise ProfileFormatError(source, number, expected, line)
    return number, line


def _parse_authors(line: str, source: str, number: int) -> tuple[list[str], bool, list[str]]:
    expected = "the authors line ('A, B et al. · affiliations')"
    if len(line) > MAX_AUTHORS_LINE:
        raise ProfileFormatError(source, number, expected, line)
    names_part, _, affiliations_part = line.partition(AFFILIATION_SEPARATOR)
    names_part = names_part.strip()
    et_al = bool(ET_AL.search(names_part))
    names_part = ET_AL.sub("", names_part)
    authors = [name.strip() for name in names_part.split(",") if name.strip()]
    if not authors or any(len(name) > MAX_NAME_LENGTH for name in authors):
        raise ProfileFormatError(source, number, expected, line)
    affiliations = [aff.strip() for aff in affiliations_part.split(",") if aff.strip()]
    return authors, et_al, affiliations
