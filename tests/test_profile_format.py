"""The profile parser: the seed parses exactly; anything malformed is a ProfileFormatError naming file:line."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval.errors import ProfileFormatError
from retrieval.ingest.profile_format import parse_profile_bytes, parse_profile_file, parse_profile_text
from retrieval.models import ParsedProfile
from tests.conftest import SEED_PROFILE

SEED_TEXT = SEED_PROFILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed() -> ParsedProfile:
    return parse_profile_file(SEED_PROFILE)


def by_title(seed: ParsedProfile, prefix: str):
    (paper,) = [paper for paper in seed.papers if paper.title.startswith(prefix)]
    return paper


def test_header_keeps_both_the_claimed_and_the_listed_count(seed: ParsedProfile) -> None:
    profile = seed.profile
    assert (profile.id, profile.name, profile.category) == ("igor-mordatch", "Igor Mordatch", "LG")
    assert (profile.h_index, profile.citations, profile.papers_claimed) == (117, 35_895, 67)
    assert (profile.novelty, profile.ai_score) == (56, 48)
    assert len(seed.papers) == 50


def test_every_paper_header_line_of_the_file_becomes_one_paper(seed: ParsedProfile) -> None:
    header = re.compile(r"^([A-Z][A-Z-]*[A-Z])([A-Z][a-z]{2} \d{1,2}, \d{4})(Code)?$", re.M)
    lines = header.findall(SEED_TEXT)
    assert len(lines) == 50
    assert Counter(category for category, _, _ in lines) == Counter(paper.category for paper in seed.papers)
    assert sum(bool(code) for _, _, code in lines) == sum(paper.has_code for paper in seed.papers) == 5
    assert [dt.datetime.strptime(date, "%b %d, %Y").date() for _, date, _ in lines] == [p.date for p in seed.papers]
    assert len({paper.id for paper in seed.papers}) == 50


def test_code_paper_with_affiliations(seed: ParsedProfile) -> None:
    velo = by_title(seed, "VeLO")
    assert velo.title == "VeLO: Training Versatile Learned Optimizers by Scaling Up"
    assert velo.date == dt.date(2022, 11, 17) and velo.year == 2022
    assert (velo.category, velo.has_code, velo.et_al) == ("LG", True, True)
    assert velo.authors == ["Luke Metz", "James Harrison", "C. Daniel Freeman"]
    assert velo.affiliations == ["anthropic", "deepmind"]
    assert velo.abstract.startswith("While deep learning models have replaced hand-designed features")
    assert velo.abstract.endswith("baselines at velo-code.github.io.")
    assert velo.profile == "igor-mordatch"


def test_hyphenated_category(seed: ParsedProfile) -> None:
    paper = by_title(seed, "Learning and Controlling Silicon Dopant")
    assert (paper.category, paper.date, paper.has_code) == ("MES-HALL", dt.date(2023, 11, 21), False)
    assert paper.authors == ["Max Schwarzer", "Jesse Farebrother", "Joshua Greaves"]
    assert paper.affiliations == ["deepmind"]
    assert by_title(seed, "Generative Hierarchical Materials Search").category == "MTRL-SCI"


def test_title_with_unbalanced_quote_is_kept_verbatim(seed: ParsedProfile) -> None:
    paper = by_title(seed, "Frontier Language Models are not Robust")
    assert paper.title.endswith('or "What do I need to say so you agree 2+2=5?')
    assert paper.title.count('"') == 1
    assert paper.abstract.startswith("We introduce and study the problem of adversarial arithmetic")


def test_paper_without_affiliations_and_without_et_al(seed: ParsedProfile) -> None:
    rt1 = by_title(seed, "RT-1:")
    assert rt1.affiliations == [] and rt1.et_al is True
    gamma = by_title(seed, "Generative Temporal Difference Learning")
    assert gamma.authors == ["Michael Janner", "Igor Mordatch", "Sergey Levine"]
    assert gamma.et_al is False and gamma.affiliations == []
    assert "$γ$-model" in gamma.abstract  # LaTeX fragments are kept as written


@pytest.mark.parametrize("fragment", [r"\emph{target}", r"$\leq5$%"])
def test_latex_fragments_survive(seed: ParsedProfile, fragment: str) -> None:
    assert sum(fragment in paper.abstract for paper in seed.papers) == 1


def test_ids_are_stable_across_parses() -> None:
    first = parse_profile_text(SEED_TEXT, "a.txt")
    second = parse_profile_text(SEED_TEXT.replace("\n", "\r\n"), "b.txt")
    assert [paper.id for paper in first.papers] == [paper.id for paper in second.papers]


# --- malformed input: the error names the line and what was expected ---

VELO_HEADER_LINE = SEED_TEXT.splitlines().index("LGNov 17, 2022Code") + 1


def error_for(text: str) -> ProfileFormatError:
    with pytest.raises(ProfileFormatError) as caught:
        parse_profile_text(text, "bad.txt")
    return caught.value


def test_wrong_date_names_its_line() -> None:
    error = error_for(SEED_TEXT.replace("LGNov 17, 2022Code", "LGNov 47, 2022Code"))
    assert error.line == VELO_HEADER_LINE
    assert str(error).startswith(f"bad.txt:{VELO_HEADER_LINE}: expected a valid date")


def test_missing_title_is_detected() -> None:
    lines = SEED_TEXT.splitlines()
    title_index = lines.index("VeLO: Training Versatile Learned Optimizers by Scaling Up")
    del lines[title_index]
    error = error_for("\n".join(lines))
    assert error.line > VELO_HEADER_LINE
    assert "expected" in str(error)


def test_truncated_file_names_the_last_line() -> None:
    lines = SEED_TEXT.splitlines()
    cut = lines.index("LGNov 17, 2022Code") + 2  # header and title only
    error = error_for("\n".join(lines[:cut]))
    assert error.line == cut
    assert "authors line" in error.expected


def test_garbage_header_line() -> None:
    error = error_for(SEED_TEXT.replace("Novelty56%", "Novelty: lots"))
    assert error.line == SEED_TEXT.splitlines().index("Novelty56%") + 1
    assert "Novelty: lots" in str(error)


@pytest.mark.parametrize("content", [b"", b"   \n\n  \n"])
def test_empty_file(content: bytes) -> None:
    with pytest.raises(ProfileFormatError, match=r"^x.txt:\d+: expected the researcher's name"):
        parse_profile_bytes(content, "x.txt")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    with pytest.raises(ProfileFormatError, match=r"image\.txt:\d+: expected"):
        parse_profile_file(path)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text(SEED_TEXT * (10_000_000 // len(SEED_TEXT) + 1))
    with pytest.raises(ProfileFormatError, match=r"huge.txt:1: expected a profile file of at most 5,000,000 bytes"):
        parse_profile_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileFormatError, match="a readable file"):
        parse_profile_file(tmp_path / "nope.txt")


# --- fuzzing: any text is a profile or a ProfileFormatError, never another exception ---

paper_line = st.sampled_from(["LGNov 17, 2022Code", "RODec 13, 2022", "MES-HALLFeb 30, 2023", "CLJan 1, 20"])
fragments = st.one_of(
    paper_line,
    st.sampled_from(["Igor Mordatch", "h-index117", "67papers", "Novelty56%", "AI Score48", "67 Papers", "", "LG"]),
    st.sampled_from(["A, B et al. · mit", "et al.", " · ", "Title", "An abstract."]),
    st.text(max_size=40),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(fragments, max_size=30))
def test_fuzz_structured_fragments(parts: list[str]) -> None:
    check_never_crashes("\n".join(parts))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_bytes(raw: bytes) -> None:
    try:
        parse_profile_bytes(raw, "fuzz.txt")
    except ProfileFormatError as error:
        assert error.line >= 1


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=len(SEED_TEXT)), st.text(max_size=20))
def test_fuzz_mutated_seed(position: int, insert: str) -> None:
    check_never_crashes(SEED_TEXT[:position] + insert + SEED_TEXT[position:])


def check_never_crashes(text: str) -> None:
    try:
        parsed = parse_profile_text(text, "fuzz.txt")
    except ProfileFormatError as error:
        assert 1 <= error.line <= max(len(text.splitlines()), 1)
        assert str(error).startswith("fuzz.txt:")
    else:
        assert parsed.profile.name
