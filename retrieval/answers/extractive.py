"""Extractive cited answers: the question's best-matching abstract sentences, verbatim, each with its [n].

Nothing is generated: every sentence of the answer is a sentence of a cited abstract. (`llm_cited_answer` at the
end is the optional LLM branch over the same sources, falling back to the extractive answer.) When the evidence
is weak the answer abstains and names the nearest papers instead.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import numpy as np

from retrieval.answers.guards import check_answer
from retrieval.answers.metadata import citation
from retrieval.index.paper_names import title_head
from retrieval.index.search import LexicalIndex
from retrieval.index.sentence_vectors import SentenceVectors
from retrieval.models import Answer, Citation, Paper, SearchHit
from retrieval.settings import Settings
from retrieval.text.figures import figures
from retrieval.text.lexical import ACRONYMS, WORD, terms

FACT_QUESTION = re.compile(
    r"\b(how (many|much|large|big|long|fast|far|often|high|low)|by how much|up to how|what (percentage|percent|"
    r"fraction|proportion|number|rate|size|accuracy|frequency|speed|precision|time savings?|margin|gain|"
    r"improvement|boost|speed-?up)|success rate|"
    r"how accurate|at what|(?:hard|concrete|actual|any|success) numbers?|numbers? (?:on|for)|quantitative|"
    r"(?:control|update|sampling) (?:frequency|rate))\b",
    re.IGNORECASE,
)
MIN_SENTENCES, MAX_SENTENCES = 3, 4
ANSWER_WORDS = 120  # context sentences join only while the answer stays about this short (the budget)
SENTENCE_EVIDENCE_WEIGHT = 0.8  # chosen with Settings.abstain_threshold (see there)
LLM_UNAVAILABLE = "The LLM gave no answer; extractive answer shown."
LLM_UNSUPPORTED = "No sentence of the LLM's answer was supported by the papers it cited; extractive answer shown."

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Candidate:
    source: int  # position of the paper among the hits
    position: int  # position of the sentence in its abstract
    text: str
    similarity: float
    score: float
    states_figure: bool


def is_fact_question(question: str) -> bool:
    return FACT_QUESTION.search(question) is not None


def states_figure(sentence: str, paper: Paper, question: str) -> bool:
    """A figure that is a result, not a name: "2.0" of "Melting Pot 2.0" is in the title, "1.5" in the question."""
    return any(figure not in paper.title and figure not in question for figure in figures(sentence))


ASK_CLAUSE_SPLIT = re.compile(
    r"(?<=[.?!;:])\s+|\s+[-–—]\s+|,\s+(?=(?:what|which|how|who|when|where|why|did|does|do|is|are|was|were|can)\b)|"
    r",?\s+(?:and|plus)\s+(?=(?:what|which|how|who|when|where|why)\b)",
    re.IGNORECASE,
)
ASK_WORD = re.compile(r"\b(?:what|which|how|who|when|where|why|did|does|do|is|are|was|were|can)\b", re.IGNORECASE)
ASK_WEIGHT = 0.3


def ask_clause(question: str) -> str:
    """The clause that asks ("what success rate did they get?") when the question first describes a paper."""
    clauses = [clause for clause in ASK_CLAUSE_SPLIT.split(question.strip()) if clause.strip()]
    asking = [clause for clause in clauses if ASK_WORD.search(clause)]
    return asking[-1] if len(clauses) > 1 and asking else question


def ask_clauses(question: str) -> list[str]:
    """Every clause that asks something ("what was it modeled on, and what setting could it handle?"); one
    clause for a question that asks one thing."""
    clauses = [clause for clause in ASK_CLAUSE_SPLIT.split(question.strip()) if clause.strip()]
    return [clause for clause in clauses if ASK_WORD.search(clause)] or [question]


def score_sentences(
    question: str, hits: list[SearchHit], vectors: SentenceVectors, index: LexicalIndex, settings: Settings
) -> list[Candidate]:
    """Cosine to the question + idf-weighted word overlap, a small penalty per hit rank, and for a
    fact question a bonus for sentences that state a figure."""
    question_vector = np.asarray(vectors.embeddings.embed_query(question))
    question_terms = set(terms(question))
    total_idf = sum(index.idf(term) for term in question_terms) or 1.0
    ask = set(terms(ask_clause(question))) if ask_clause(question) != question else set()
    ask_idf = sum(index.idf(term) for term in ask) or 1.0
    wants_figure = is_fact_question(question)
    candidates = []
    for source, hit in enumerate(hits):
        sentences, matrix = vectors.of(hit.paper)
        for position, (text, similarity) in enumerate(zip(sentences, matrix @ question_vector, strict=True)):
            overlap = sum(index.idf(term) for term in question_terms & set(terms(text))) / total_idf
            score = float(similarity) + settings.answer_overlap_weight * overlap - settings.answer_rank_penalty * source
            if ask:  # "the one where ... - what kinds of tasks did they show?": the asking clause picks the sentence
                score += ASK_WEIGHT * sum(index.idf(term) for term in ask & set(terms(text))) / ask_idf
            figure = wants_figure and states_figure(text, hit.paper, question)
            score += settings.answer_figure_bonus if figure else 0.0
            candidates.append(Candidate(source, position, text, float(similarity), score, figure))
    return sorted(candidates, key=lambda candidate: candidate.score, reverse=True)


def evidence(candidates: list[Candidate], question: str, hits: list[SearchHit], index: LexicalIndex) -> float:
    """How well the papers cover the question: best sentence cosine, plus the share of the question's
    words (rare ones weigh most) found in the top paper. Off-topic questions fail on both."""
    best_similarity = max((candidate.similarity for candidate in candidates), default=0.0)
    coverage = index.coverage(question, hits[0].paper.id)
    return SENTENCE_EVIDENCE_WEIGHT * best_similarity + (1 - SENTENCE_EVIDENCE_WEIGHT) * coverage


# chat shorthand → the stemmed term papers write
SHORTHAND = {
    short: terms(full)[0]
    for short, full in {
        "demo": "demonstrations", "sim": "simulation", "env": "environment", "eval": "evaluation",
        "exp": "experiments", "param": "parameters", "net": "network", "nn": "neural", "info": "information",
        "config": "configuration", "repo": "repository", "stat": "statistics", "perf": "performance",
    }.items()
}  # fmt: skip


def topic_words(topic: str) -> list[list[str]]:
    """Each word of the topic as its stemmed term variants ("RT-2": "rt-2", "rt"; "multi-agent": "multiag", "multi")."""
    words = []
    for match in WORD.finditer(topic.casefold()):
        variants = [v for v in dict.fromkeys(terms(match.group())) if "-" in v or "." in v or v.isalnum()]
        whole = [v for v in variants if v == variants[0] or v.replace("-", "").replace(".", "") == v]
        if variants:
            words.append(whole[:2] if len(variants) > 1 else variants)
    return words


def uncovered_terms(topic: str, index: LexicalIndex) -> list[str]:
    """The topic's words that no paper of the store uses at all ("drone", "sentiment", "no-limit"). A hyphenated
    word is used when the papers have it whole, joined or all its parts ("language-model")."""
    missing = []
    for word in topic_words(topic):
        parts = [part for part in terms(word[0].replace("-", " "))] if "-" in word[0] else []
        used = any(index.document_frequency.get(v, 0) or v in index.numbered_stems for v in word) or (
            parts and all(index.document_frequency.get(part, 0) for part in parts)
        )
        # chat shorthand for a word the papers use ("demos" for "demonstrations")
        full = SHORTHAND.get(word[0])
        # an acronym of words the papers use ("VLMs": they write "vision-language models")
        spelled = ACRONYMS.get(word[0].removesuffix("s"))
        used = used or bool(spelled and not uncovered_terms(spelled, index))
        if not used and not (full and index.document_frequency.get(full, 0)):
            missing.append(word[0])
    return missing


def topic_is_foreign(topic: str, index: LexicalIndex, settings: Settings) -> bool:
    """A short topic (a named area, not a paraphrase) with a good share of words no paper uses is not covered:
    near-topic questions ("drone swarms", "sentiment analysis") pass the similarity test but fail this one."""
    words = topic_words(topic)
    if not words or len(words) > settings.abstain_topic_max_terms:
        return False
    return len(uncovered_terms(topic, index)) / len(words) >= settings.abstain_absent_share


def named_sources(question: str, hits: list[SearchHit]) -> set[int]:
    """Hits whose short name ('RT-1', 'VeLO', 'Brax') the question uses: the question is about them, so
    sentences of other papers would answer a different question ("What success rate did RT-1 reach?")."""
    named = set()
    for source, hit in enumerate(hits):
        head = title_head(hit.paper.title)
        if head and len(head) >= 3 and re.search(rf"(?<![\w-]){re.escape(head)}(?![\w-])", question, re.IGNORECASE):
            named.add(source)
    return named


def select(candidates: list[Candidate], margin: float) -> list[Candidate]:
    """The best sentence, then others within `margin` of it, at most MAX_SENTENCES. Up to MIN_SENTENCES
    are filled from the best sentence's own paper while the answer stays within ANSWER_WORDS: a weak sentence of
    another paper is noise, not context.

    For a fact question the best sentence stating a figure is always in: the figure is the answer."""
    best = candidates[0]
    chosen = [c for c in candidates if c.score >= best.score - margin][:MAX_SENTENCES]

    def fits(candidate: Candidate) -> bool:
        return sum(len(c.text.split()) for c in [*chosen, candidate]) <= ANSWER_WORDS

    for candidate in [c for c in candidates if c.source == best.source and c not in chosen]:
        if len(chosen) >= MIN_SENTENCES:
            break
        if fits(candidate):
            chosen.append(candidate)
    following = next((c for c in candidates if c.source == best.source and c.position == best.position + 1), None)
    if following is not None and following not in chosen and len(chosen) < MAX_SENTENCES and fits(following):
        chosen.append(following)  # the sentence after the best one often completes it ("... roles: A, B and C")
    figure = next((candidate for candidate in candidates if candidate.states_figure), None)
    if figure is not None and figure not in chosen:
        chosen = [*chosen[: MAX_SENTENCES - 1], figure]
    return chosen


def compose(chosen: list[Candidate], hits: list[SearchHit]) -> tuple[str, list[Citation]]:
    """Sentences grouped by paper (best paper first, abstract order within it), each ending with its [n]."""
    paper_order = list(dict.fromkeys(candidate.source for candidate in chosen))
    numbers = {source: n for n, source in enumerate(paper_order, 1)}
    ordered = sorted(chosen, key=lambda candidate: (paper_order.index(candidate.source), candidate.position))
    text = " ".join(f"{candidate.text} [{numbers[candidate.source]}]" for candidate in ordered)
    return text, [citation(numbers[source], hits[source].paper) for source in paper_order]


def abstention(question: str, owner: str, hits: list[SearchHit]) -> Answer:
    return Answer(
        question=question,
        answer=f"I couldn't find this in {owner}'s papers.",
        abstained=True,
        route="papers",
        suggestions=[citation(n, hit.paper) for n, hit in enumerate(hits, 1)],
    )


def extractive_answer(
    question: str,
    hits: list[SearchHit],
    owner: str,
    vectors: SentenceVectors,
    index: LexicalIndex,
    settings: Settings,
    *,
    may_abstain: bool = True,
) -> Answer:
    """`hits`: the question's search results, best first; the top `answer_sources` are read. A question naming
    its papers (`may_abstain=False`) is answered from them whatever the evidence."""
    sources = hits[: settings.answer_sources]
    if not sources:
        return abstention(question, owner, [])
    candidates = score_sentences(question, sources, vectors, index, settings)
    if may_abstain and evidence(candidates, question, sources, index) < settings.abstain_threshold:
        return abstention(question, owner, sources)
    named = named_sources(question, sources)
    if named:
        candidates = [candidate for candidate in candidates if candidate.source in named]
    chosen = select(candidates, settings.answer_margin)
    clauses = ask_clauses(question)
    for clause in clauses if len(clauses) > 1 else []:  # each part of a question with several gets its sentence
        part = [c for c in score_sentences(clause, sources, vectors, index, settings) if c.source in (named or {0})]
        if part and (part[0].source, part[0].position) not in {(c.source, c.position) for c in chosen}:
            chosen.append(part[0])
    chosen += _figures_asked(question, candidates, chosen, sources)
    text, citations = compose(chosen, sources)
    return Answer(question=question, answer=text, abstained=False, route="papers", citations=citations)


# "both percentages", "which number goes with which step": more than one figure is asked for
SEVERAL_FIGURES = re.compile(
    r"\b(?:both|two|three|all|the) (?:\w+ )?(?:numbers|figures|percentages|rates|gains|margins|improvements)\b|"
    r"\bwhich (?:number|figure|percentage|%) goes with\b",
    re.IGNORECASE,
)


def _figures_asked(
    question: str, candidates: list[Candidate], chosen: list[Candidate], hits: list[SearchHit]
) -> list[Candidate]:
    """Sentences of the best paper to add: the one with a figure the question quotes ("my notes say 25.1% from
    behavior cloning, right?": the sentence saying 25.1% settles it), and, when several figures are asked for, the
    best ones stating a figure; at most one sentence over MAX_SENTENCES in all."""
    if not chosen:
        return []
    best = chosen[0].source
    quoted = set(figures(question)) - set(figures(hits[best].paper.title))
    mine = [c for c in candidates if c.source == best and c not in chosen]
    added = [c for c in mine if quoted & set(figures(c.text))]
    if SEVERAL_FIGURES.search(question):
        stating = sum(states_figure(c.text, hits[best].paper, "") for c in chosen if c.source == best)
        added += [c for c in mine if c not in added and states_figure(c.text, hits[best].paper, "")][: 2 - stating]
    return added[: max(0, MAX_SENTENCES + 1 - len(chosen))]


def llm_cited_answer(
    question: str, hits: list[SearchHit], owner: str, vectors: SentenceVectors, settings: Settings, extractive: Answer
) -> Answer:
    """The configured LLM's answer over the same sources, keeping only the sentences the cited abstracts support;
    the extractive answer (with a warning saying why) when the LLM fails or nothing it said holds up."""
    # Imported here: retrieval.answers.llm pulls in LangChain chat models, which extractive-only use never needs.
    from retrieval.answers.llm import LLMUnavailable, llm_reply, says_cannot_answer

    sources = dict(enumerate((hit.paper for hit in hits[: settings.answer_sources]), 1))
    try:
        reply = llm_reply(question, list(sources.items()), settings)
    except LLMUnavailable as error:
        log.warning("LLM unavailable, answering extractively: %s", error)
        return with_warning(extractive, LLM_UNAVAILABLE)
    if says_cannot_answer(reply):
        return abstention(question, owner, hits[: settings.answer_sources])
    checked = check_answer(reply, sources, vectors, settings.llm_support_threshold)
    if not checked.kept:
        return extractive.model_copy(update={"warnings": [*extractive.warnings, *checked.warnings, LLM_UNSUPPORTED]})
    return Answer(
        question=question,
        answer=checked.text,
        abstained=False,
        route="papers",
        citations=[citation(n, sources[n]) for n in checked.cited],
        warnings=checked.warnings,
        generated_by="llm",
    )


def with_warning(answer: Answer, warning: str) -> Answer:
    return answer.model_copy(update={"warnings": [*answer.warnings, warning]})
