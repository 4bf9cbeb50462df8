"""One answer strategy per intent of a `QueryPlan`. Each is faithful by construction: every statement is an
abstract's own sentence or a metadata value, and every paper it speaks of is cited. (A look-up may instead show
an LLM's answer, when one is configured and its sentences pass retrieval/answers/guards.py.)"""

from __future__ import annotations

import contextlib
import re
import textwrap
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Literal

import numpy as np

from retrieval.answers.coverage import CoverageModel, best_sentence_cosine, coverage_features
from retrieval.answers.extractive import (
    abstention,
    extractive_answer,
    llm_cited_answer,
    score_sentences,
    topic_is_foreign,
    topic_words,
)
from retrieval.answers.metadata import answer_metrics, citation, cited_as, paper_listing, peak_year_among
from retrieval.answers.paper_facts import with_paper_facts
from retrieval.answers.plan import (
    BEYOND_ABSTRACTS,
    BIOGRAPHY,
    KNOWN_ALREADY,
    LIST_CHAT,
    NUMBER_ASKED,
    PAPER_CITATIONS,
    PAPER_LINKS,
    PAPER_NOUN,
    RESULT_ASKED,
    SET_INTENTS,
    TOTAL_COUNTS,
    UNNAMED_DATA,
    YEAR,
    QueryPlan,
    asks_if_covered,
    has_filter,
)
from retrieval.answers.sentence_filters import POINTER
from retrieval.errors import UserFacingError
from retrieval.index.paper_lookup import PaperIndex
from retrieval.index.paper_names import name_words, title_head
from retrieval.index.search import HybridSearcher, matches
from retrieval.index.sentence_vectors import SentenceVectors, quotable_sentences
from retrieval.metrics import compute_metrics
from retrieval.models import Answer, Citation, MetricSnapshot, MetricsReport, Paper, PaperFilter, SearchHit
from retrieval.settings import Settings
from retrieval.text.figures import FIGURE, NUMBER_WORDS, figures, states_a_figure
from retrieval.text.lexical import STOPWORDS, spelled_out, split_sentences, terms
from retrieval.text.names import name_tokens, replace_person

INTRODUCES = re.compile(
    r"\b(?:we (?:propose|present|introduce|call|develop|describe|study|investigate|consider|train)|this (?:paper|work) "
    r"(?:proposes|presents|introduces)|in this (?:paper|work)|our (?:method|approach|model|framework)|dubbed|"
    r"which we (?:call|name|term)|we refer to)\b",
    re.IGNORECASE,
)
DESCRIBES = re.compile(r"\b(?:is an?|are|consists? of|approach|method|framework|model class|strategy)\b", re.IGNORECASE)
FINDING = re.compile(
    r"\b(?:we (?:show|find|demonstrate|observe)|results? (?:show|indicate|demonstrate)|outperform\w*|achiev\w*|"
    r"improv\w*|significantly|state-of-the-art|enables?|leads? to)\b",
    re.IGNORECASE,
)
# the whole researcher is asked about ("his research", "core interests", "big picture")
RESEARCHER_WIDE = re.compile(
    r"\bhis (?:core |main )?(?:research|work|papers|interests)\b|big picture|\bgist\b|tl;?dr|"
    r"research interests|main threads|what does he (?:work on|do|research)\b",
    re.IGNORECASE,
)
# the most words chat left beside "his work" has; a longer uncovered topic describes one ("credit card fraud detection
# with graph neural nets, anything in his papers?"): it abstains rather than laying out all his work
LEFTOVER_WORDS = 4
TOPIC_PHRASE = re.compile(r"\b(?:on|about|regarding|related to|in the (?:area|field) of|around)\b", re.IGNORECASE)
# ... or a pointer back to one: "contact-rich manipulation, in-hand reorientation: overview of his work there?"
TOPIC_POINTER = re.compile(
    rf"{TOPIC_PHRASE.pattern}|\b(?:work|papers|research|stuff) there\b|\bin that (?:area|space|direction)\b", re.I
)
AREA_TOPICS = {
    "RO": "robotics",
    "CL": "language models",
    "CV": "computer vision",
    "MA": "multi-agent",
    "LG": "machine learning",
}
# after "his" or "<name>'s", a word that is not about the research: "his erdos number", "igor's group"
PERSONAL_NOUN = (
    r"\s+(?!work|papers?|research|stuff|publications?|studies|projects?|line|take|models?|methods?|approach|"
    r"algorithms?|systems?|agents?|robots?|networks?|experiments?|results?|findings?|analys[ie]s)(\w+)"
)


# "does igor code in ...", "would he recommend ...": the owner doing something other than research
PERSONAL_VERBS = r"(?:code|recommend|enjoy|love|hate|live|speak|feel|believe|vote|mentor|hire|earn|travel|eat|drink)s?"
# after "his", words that qualify his work rather than name something personal ("his early work", "his RL papers")
NOT_PERSONAL = (
    frozenset(
        "that which who whose own early earlier recent latest newest first last main other best most new old older "
        "biggest key major favorite rl ml llm nlp robotics robot language timeline".split()
    )
    | STOPWORDS
)  # ("get her to stop": no noun follows)


ANOTHER_MAN = re.compile(
    r"\bmy (?:grand(?:pa|father|dad)|dad|father|uncle|brother|son|husband|boyfriend|cousin|nephew|neighbou?r)\b"
    r"[^?.]{0,40}\b(?:he|his|him)\b",
    re.IGNORECASE,
)


def asks_about_person(question: str, owner: str) -> bool:
    """A question about the person, not a research topic: "what's his erdos number", "is igor's group hiring",
    "what languages does igor code in"."""
    if ANOTHER_MAN.search(question):  # "... for my grandpa, he was a carpenter his whole life": "his" is not igor's
        return False
    names = [re.escape(token) for token in name_tokens(owner)]
    possessive = r"\b(?:" + "|".join(["his", "her", *(f"{name}['’]?s" for name in names)]) + ")"
    subject = r"\b(?:does|did|do|would|will|can|could) (?:" + "|".join(["he", "she", *names]) + r")\s+"
    return (
        any(
            match.group(1).casefold() not in NOT_PERSONAL
            for match in re.finditer(possessive + PERSONAL_NOUN, question, re.IGNORECASE)
        )
        or re.search(
            rf"{subject}(?:actually |personally |really |usually )?{PERSONAL_VERBS}\b", question, re.IGNORECASE
        )
        is not None
    )


RECENT_COUNT = 3
SINGULAR_RECENT = re.compile(
    r"\b(?:the|his) (?:very )?(?:most recent|latest|newest|last|final) (?:paper|work|one|publication)\b(?! and)|"
    r"\b(?:which|what) (?:one )?(?:is|was) (?:the |his )?(?:very )?(?:most recent|latest|newest|last)\s*[?.!]*$",
    re.IGNORECASE,
)
OPERAND_MIN_SCORE = 0.3  # a compared thing that names no paper must find one at least this well
NAMED_AUTHOR_BOOST = 1.5  # ... or two thirds as well, when it is by an author the thing names
# ... or this well, when its paper scores at least CONTEXT_RELATIVE of the best for the whole topic (and
# OPERAND_MIN_SCORE)
OPERAND_OWN_SCORE = 0.15
CONTEXT_RELATIVE = 0.5
CONTEXT_WEIGHT = 0.5  # weight of a paper's score for the whole topic (relative to the best) in matching things to it
MOST_COMPARED = 4  # papers side by side in one comparison
YEAR_PICK_RELATIVE = 0.6  # a paper a comparison picks by its year scores at least this share of the topic's best
OPERAND_CANDIDATES = 5  # papers a compared thing that names none may be
OVERVIEW_THEMES = 5
THEME_PAPERS = 4
TOPIC_CANDIDATES = 15
# a paper belongs to a topic when its hybrid score is at least this share of the best paper's
TOPIC_RELATIVE = 0.7
NEWEST_RELATIVE = 0.8  # the newest on a topic: a stray recent paper must come closer (0.7: 410/467, 0.8: 415)
BREAK_WITHIN, BREAK_DROP = 9, 0.1  # a natural break: the largest drop among the top 9, if >= 10% of the best
# an overview of one paper is a look-up: when one paper stands far ahead, those within this share of it count too
OVERVIEW_RELATIVE = 0.55
# a paper that uses every word of the topic belongs to it from this share of the best ("multiagent debate" for
# "multi-agent papers", whose abstract sits far from the query's vector)
WORDED_RELATIVE = 0.5
# a paper scoring this close to the best is on the topic without its rarest words; for the newest paper only the
# best is: a newer paper brushing the topic often scores close ("low-resource languages": GenMS beside Gemini 1.5)
CLOSE_TO_BEST = 0.9
CHATTER_WORDS = 3  # the most words the chat beside a filter has ("kindly", "for the wiki")
# a lead-in before the question, whose words may all be chat ("december 2022 deadline crunch: which paper ...")
LEAD_IN = re.compile(r"^[^:?!.]{3,80}:\s")
FILTER_VALUE = re.compile(r"\b(?:19|20)\d\d\b|\b(?:cs|stat)\.[A-Za-z]{2}\b|\bcode\b", re.IGNORECASE)
RULED_OUT_RELATIVE = 0.6  # a ruled-out topic's papers: those scoring this share of its best
FILTERED_KEY_RELATIVE = 0.3  # a filtered listing's paper using the topic's rarest word scores at least this share
NEWEST_WORDED = 0.3  # a newest-first candidate using the topic's phrase scores at least this share of the best
COVERAGE_HITS = 5  # the coverage model reads the sentences of this many top papers
# a topic the coverage model gives at most this is covered whatever its examples say ("locomotion (bodies that walk,
# hop)": 0.01); near-topic heads score higher ("structure-from-motion (camera poses from photos)": 0.08)
SURELY_COVERED = 0.05


@dataclass
class AnswerContext:
    """What every strategy may read: the profile's papers and metrics, search, and settings."""

    question: str
    plan: QueryPlan
    profile_id: str | None  # None: every profile (`ask --profile all`)
    owner: str
    papers: list[Paper]  # the profile's papers, newest first
    snapshots: list[MetricSnapshot]
    searcher: HybridSearcher
    vectors: SentenceVectors
    settings: Settings
    paper_vectors: Callable[[list[str]], dict[str, list[float]]]
    paper_index: PaperIndex
    coverage: CoverageModel

    @cached_property
    def rule_text(self) -> str:
        """The question with the owner's names as "he" / "his", as the planner's rules read it."""
        return replace_person(self.question, self.owner if self.profile_id else "", "he", "his")

    @cached_property
    def report(self) -> MetricsReport:
        return compute_metrics(self.snapshots, self.papers)

    @cached_property
    def by_id(self) -> dict[str, Paper]:
        return {paper.id: paper for paper in self.papers}

    def paper_filter(self) -> PaperFilter:
        return self.plan.filters.model_copy(update={"profile": self.profile_id})

    def filtered(self) -> list[Paper]:
        wanted, excluded = self.plan.filters, set(self.plan.exclude)
        return [paper for paper in self.papers if matches(paper, wanted) and paper.id not in excluded]

    def search(self, text: str, k: int) -> list[SearchHit]:
        excluded = set(self.plan.exclude)
        hits = self.searcher.search(text, k=k + len(excluded), paper_filter=self.paper_filter())
        kept = [hit for hit in hits if hit.paper.id not in excluded][:k]
        return [hit.model_copy(update={"rank": rank}) for rank, hit in enumerate(kept, 1)] if excluded else kept

    def answer(self, text: str, citations: list[Citation], **fields: object) -> Answer:
        values: dict[str, object] = {
            "question": self.question,
            "answer": text,
            "abstained": False,
            "route": "papers",
            "citations": citations,
            "intent": self.plan.intent,
            "plan": self.plan.model_dump(mode="json", exclude={"question"}, exclude_defaults=True),
        }
        return Answer(**{**values, **fields})

    def abstain(self, hits: list[SearchHit]) -> Answer:
        return self.tag(abstention(self.question, self.owner, hits))

    def tag(self, answer: Answer) -> Answer:
        """An answer built elsewhere, labelled with this plan."""
        return answer.model_copy(
            update={
                "intent": self.plan.intent,
                "plan": self.plan.model_dump(mode="json", exclude={"question"}, exclude_defaults=True),
            }
        )


# --- sentences ---


def short_name(paper: Paper) -> str:
    return title_head(paper.title) or textwrap.shorten(paper.title, 60, placeholder="…")


def intro_sentence(paper: Paper, name: str | None = None) -> str:
    """The sentence that says what the paper (or `name`) is: naming it and introducing it counts most, then
    introducing anything ("we propose ..."), then describing ("is a", "consists of"); the earliest wins ties."""
    sentences = quotable_sentences(paper)

    def score(sentence: str) -> int:
        names_it = bool(name) and name.casefold() in sentence.casefold()  # type: ignore[union-attr]
        return 2 * names_it + 2 * bool(INTRODUCES.search(sentence)) + bool(DESCRIBES.search(sentence))

    return max(sentences, key=score)  # max keeps the first of equals


def finding_sentence(paper: Paper, exclude: str) -> str | None:
    """The key result: the last sentence reporting a finding, a figure preferred."""
    candidates = [s for s in quotable_sentences(paper) if s != exclude and FINDING.search(s)]
    with_figure = [s for s in candidates if re.search(r"\d", s)]
    return (with_figure or candidates or [None])[-1]


def gist(paper: Paper) -> str:
    return textwrap.shorten(intro_sentence(paper), 220, placeholder=" …")


# --- strategies ---


def answer_metrics_plan(ctx: AnswerContext) -> Answer:
    year = ctx.plan.filters.year
    keys = ctx.plan.metrics
    if ctx.plan.filters.category:  # "how many cs.CL papers does he have, and which year was his busiest?"
        keys = ["by_category" if key in TOTAL_COUNTS else key for key in keys]
    parts, citations = [], []
    beyond_years = ctx.plan.filters.model_copy(update={"year": None, "year_from": None, "year_to": None})
    for key in dict.fromkeys(METRIC_ANSWER.get(key, key) for key in keys):
        part = answer_metrics(ctx.question, key, ctx.report, ctx.papers, year)
        if keys == ["peak_year"] and has_filter(beyond_years) and (papers := ctx.filtered()):
            # "which year has the most papers with code?": the busiest year of those papers (not "how many cs.CL
            # papers does he have, and which year was his busiest?")
            part = peak_year_among(ctx.question, papers, describe_filters(ctx.plan.filters))
        named = _named_by_metric(ctx, key)
        if named is not None and part not in parts:  # "the earliest listed paper is …": cite it
            citations.append(citation(len(citations) + 1, named))
            part += f" [{len(citations)}]"
        parts.append(part)
    return ctx.answer(" ".join(dict.fromkeys(parts)), citations, route="metrics", generated_by="metadata")


def _named_by_metric(ctx: AnswerContext, key: str) -> Paper | None:
    """The paper a metric answer names: the earliest or the latest listed one."""
    title, date = {
        "first_paper": (ctx.report.first_paper, ctx.report.first_date),
        "last_paper": (ctx.report.last_paper, ctx.report.last_date),
    }.get(key, (None, None))
    return next((paper for paper in ctx.papers if (paper.title, paper.date) == (title, date)), None)


METRIC_ANSWER = {
    "papers_claimed": "paper_count",
    "papers_listed": "paper_count",
    "with_code": "code",
    "top_coauthors": "coauthor",
    "affiliations": "affiliation",
    "by_year": "per_year",
    "by_category": "category",
    "category": "primary_category",
}


MOST_CITED_SHOWN = 5


def answer_paper_citations(ctx: AnswerContext) -> Answer:
    """Per-paper citation counts, which a fetched profile holds: the named papers' counts, else the most (or
    least) cited papers."""
    plan = ctx.plan.model_copy(update={"intent": "metrics", "missing": None, "metrics": ["most_cited"]})
    ctx = replace(ctx, plan=plan)
    counted = [paper for paper in ctx.papers if paper.cited_by is not None]
    named = [ctx.by_id[paper_id] for paper_id in plan.papers if paper_id in ctx.by_id]
    if named:
        chosen = named
        heading = ""
    else:
        fewest = FEWEST_CITED.search(ctx.question) is not None
        ranked = sorted(counted, key=lambda paper: (paper.cited_by or 0, paper.date), reverse=not fewest)
        chosen = ranked[:MOST_CITED_SHOWN]
        heading = f"{ctx.owner}'s {'least' if fewest else 'most'} cited papers: "
    citations = [citation(n, paper) for n, paper in enumerate(chosen, 1)]
    parts = [
        f"“{short_name(paper)}” ({paper.year}) "
        + ("has no citation count at the source" if paper.cited_by is None else f"has {paper.cited_by:,} citations")
        + f" [{n}]"
        for n, paper in enumerate(chosen, 1)
    ]
    source = ctx.report.source.partition(":")[0] if ctx.report.source else "the source"
    text = heading + "; ".join(parts) + f". (Counts from {source}, as of the last refresh.)"
    return ctx.answer(text, citations, route="metrics", generated_by="metadata")


def answer_paper_links(ctx: AnswerContext, papers: list[Paper]) -> Answer:
    """The links (DOI or landing page) a fetched profile holds for the named papers."""
    plan = ctx.plan.model_copy(update={"intent": "metrics", "missing": None})
    text = "; ".join(f"{short_name(paper)} ({paper.year}): {paper.url} [{n}]" for n, paper in enumerate(papers, 1))
    citations = [citation(n, paper) for n, paper in enumerate(papers, 1)]
    return replace(ctx, plan=plan).answer(text + ".", citations, route="metrics", generated_by="metadata")


FEWEST_CITED = re.compile(r"\b(?:least|fewest|lowest)\b", re.IGNORECASE)


# the i10-index: data a profile file lacks and an OpenAlex profile holds
I10_INDEX = re.compile(r"\bi-?10(?:[- ]?index)?\b", re.IGNORECASE)


def answer_not_in_profile(ctx: AnswerContext) -> Answer:
    """What the profile holds; or, where the plan expected missing data that this profile (fetched from a
    source) does hold, that data: per-paper citations, the i10-index."""
    if ctx.plan.missing == PAPER_CITATIONS and ctx.report.most_cited:
        return answer_paper_citations(ctx)
    linked = [ctx.by_id[paper_id] for paper_id in ctx.plan.papers if paper_id in ctx.by_id and ctx.by_id[paper_id].url]
    if ctx.plan.missing == PAPER_LINKS and linked:
        return answer_paper_links(ctx, linked)
    if I10_INDEX.search(ctx.question) and ctx.report.i10_index is not None:
        plan = ctx.plan.model_copy(update={"intent": "metrics", "missing": None, "metrics": ["i10_index"]})
        return answer_metrics_plan(replace(ctx, plan=plan))
    if ctx.plan.missing in (UNNAMED_DATA, BIOGRAPHY) and not about_the_researcher(ctx):
        return ctx.abstain(ctx.search(ctx.question, ctx.settings.answer_sources))
    report = ctx.report
    header = ", ".join(
        f"{label} {value}"
        for label, value in (
            ("h-index", report.h_index),
            ("citations (total)", f"{report.citations:,}" if report.citations is not None else None),
            ("papers claimed", report.papers_claimed),
            ("novelty", f"{report.novelty}%" if report.novelty is not None else None),
            ("AI score", report.ai_score),
        )
        if value is not None
    )
    text = (
        f"{ctx.owner}'s profile doesn't include {ctx.plan.missing}. It holds the profile's header ({header}) and, "
        f"for each of the {report.papers_listed} listed papers, the title, date, arXiv category, first authors, "
        f"affiliations, whether code was released, "
        + ("its citation count and link, " if any(paper.cited_by is not None for paper in ctx.papers) else "")
        + "and the abstract."
    )
    if len(report.snapshots) > 1:
        text += f" Metric snapshots have been recorded at {len(report.snapshots)} ingests (see /metrics)."
    return ctx.answer(text, [], route="metrics", generated_by="metadata")


def answer_listing(ctx: AnswerContext) -> Answer:
    papers = ctx.filtered()
    if not papers and ctx.plan.filters.category and not ctx.plan.topic:
        # "multi-agent papers with code": no paper of the MA category has code, so read the area as a topic
        area = ctx.plan.filters.category
        ctx = replace(
            ctx,
            plan=ctx.plan.model_copy(
                update={
                    "filters": ctx.plan.filters.model_copy(update={"category": None}),
                    "topic": AREA_TOPICS.get(area, area),
                }
            ),
        )
        papers = ctx.filtered()
    note = ""
    if ctx.plan.topic and has_filter(ctx.plan.filters) and _said_before_the_question(ctx, []):
        # "laura culp keeps popping up in the LLM robustness stuff. which papers list her?": all of hers
        ctx = replace(ctx, plan=ctx.plan.model_copy(update={"topic": "", "examples": "", "alternatives": []}))
    if ctx.plan.topic:
        relevant = topic_papers(ctx, len(papers) or 1, "listing")
        # (news around a filtered question: "setting up a reproduction sprint. which of his papers have code?"; not
        # around an unfiltered one: "lottery tickets. any papers from him?" asks about the lead)
        news = has_filter(ctx.plan.filters) and relevant is None and _topic_only_in_the_lead(ctx)
        if relevant is None and not _filter_is_the_question(ctx) and not news:
            return ctx.abstain(ctx.search(ctx.plan.topic, ctx.settings.answer_sources))
        if relevant is None:  # "sherry yang collabs? need the full list": the filter is the question
            note, ctx = _without_topic(ctx)
        else:
            papers = relevant
    heading = note + (
        f"{ctx.owner}'s listed papers"
        + describe_filters(ctx.plan.filters)
        + (f" on {ctx.plan.topic}" if ctx.plan.topic else "")
    )
    if not papers:
        return ctx.answer(f"None of {ctx.owner}'s listed papers matches: {heading.split(' papers', 1)[1].strip()}.", [])
    if OLDEST_FIRST.search(ctx.question):  # "all entries dated 2024 or later, oldest to newest"
        papers = sorted(papers, key=lambda paper: paper.date)
    text, citations = paper_listing(heading, papers)
    return ctx.answer(
        text, citations, route="authors" if ctx.plan.filters.author else "papers", generated_by="metadata"
    )


OLDEST_FIRST = re.compile(
    r"\b(?:oldest|earliest) (?:to|through|->|→) (?:the )?(?:newest|latest|most recent)\b|"
    r"\b(?:oldest|earliest) first\b|\bin (?:chronological|date) order\b|\bchronologically\b|\bascending\b",
    re.IGNORECASE,
)


def _filter_is_the_question(ctx: AnswerContext) -> bool:
    """Whether a filtered question whose topic no paper covers is answered by its filter (with a note saying so)
    rather than abstaining: a co-author names the set ("sherry yang collabs? need the full list"), and so does a
    category when papers outside it cover the topic; under a year, category or code filter, a few words far from
    every abstract are chat ("all of 2023, kindly"), while a near topic ("2023 papers on drones", "wind turbine
    maintenance, any ML papers?") abstains, as do words a question not speaking of his papers is about ("who won
    the 1998 world cup?", "2022 traffic forecasting")."""
    if ctx.plan.filters.author:
        return True
    if not has_filter(ctx.plan.filters):
        return False
    hits = ctx.searcher.search(ctx.plan.topic, k=COVERAGE_HITS, paper_filter=PaperFilter(profile=ctx.profile_id))
    unfiltered = replace(ctx, plan=ctx.plan.model_copy(update={"filters": PaperFilter()}))
    if ctx.plan.filters.category and covers(unfiltered, ctx.plan.topic, hits):
        return True  # "language models, only robotics, up to 2021": other papers have the topic, not these
    if not _speaks_of_him(ctx) or _topic_introduced(ctx.question, ctx.plan.topic):
        return False  # "2022 traffic forecasting", "his 2021 papers on drone swarms", "2023 drone papers"
    # a lead-in that states the filter is chat around it ("december 2022 deadline crunch: ..."); one that states
    # only a topic is the topic ("quantum error correction: newest paper with code?")
    lead_in = LEAD_IN.match(ctx.question)
    outside = lead_in.end() if lead_in and FILTER_VALUE.search(lead_in.group()) else 0
    later = set(re.findall(r"[\w'’^.-]+", ctx.question[outside:].casefold()))
    said_later = [word for word in ctx.plan.topic.split() if word.casefold() in later]
    if len(topic_words(" ".join(said_later))) > CHATTER_WORDS:
        return False  # (a long topic far from every abstract is a subject no paper has, not chat)
    topic_vector = np.asarray(ctx.vectors.embeddings.embed_query(ctx.plan.topic))
    return best_sentence_cosine(topic_vector, hits, ctx.vectors) < ctx.settings.chatter_topic_cosine


HIM = ("he", "his", "him", "he's", "he’s")  # the researcher spoken of without his name
# the question speaks of his papers, or of him
OF_HIS_PAPERS = re.compile(
    rf"\b(?:{PAPER_NOUN}|ones?|entr(?:y|ies)|everything|{'|'.join(HIM)})\b|"
    r"\b(?:all|each|every|anything|any) of (?:it|them|(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def _speaks_of_him(ctx: AnswerContext) -> bool:
    """The question speaks of his papers, of him, or names him ("full 2021 bibliography for igor")."""
    names = set(name_tokens(ctx.owner))
    return bool(OF_HIS_PAPERS.search(ctx.question)) or any(
        word in names for word in re.findall(r"[\w'’-]+", ctx.question.casefold())
    )


# a word that makes what follows the papers' subject ("on drones", "that use event cameras")
TOPIC_INTRODUCER = re.compile(
    r"\b(?:on|about|regarding|concerning|involving|using|uses?|covering|covers?|into|towards?|tackling|"
    r"around|related to|dealing with|deal with|do|does|doing|"
    r"address(?:es|ing)?|stud(?:y|ies|ying)|apply(?:ing)?|applies|featuring)\s+"
    r"(?:(?:the|a|an|his|some|any)\s+)?",
    re.IGNORECASE,
)
INTRODUCES_TOPIC = re.compile(TOPIC_INTRODUCER.pattern + "$", re.IGNORECASE)
# the topic names a kind of paper when a set noun follows it ("drone papers")
SET_NOUN_AFTER = re.compile(r"^\W+(?:papers?|work|research|publications?|stuff|ones|articles)\b", re.IGNORECASE)

CHOOSERS = {"whichever", "whatever", "every", "each", "any"}  # ("whichever paper is newest")


def _topic_introduced(question: str, topic: str) -> bool:
    """Whether the question makes the topic its papers' subject, by a word before it or a set noun after it."""
    words = topic.split()
    if not words:
        return False
    if TOPIC_INTRODUCER.fullmatch(words[0] + " "):  # ("2021 papers, studying drones")
        return True
    first = re.search(rf"(?<![\w-]){re.escape(words[0])}(?![\w-])", question, re.IGNORECASE)
    last = list(re.finditer(rf"(?<![\w-]){re.escape(words[-1])}(?![\w-])", question, re.IGNORECASE))
    return bool(
        (first and INTRODUCES_TOPIC.search(question[: first.start()]))
        or (last and words[-1].casefold() not in CHOOSERS and SET_NOUN_AFTER.search(question[last[-1].end() :]))
    )


SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\s+[-–—]+\s+")  # (a lead before a colon: see LEAD_IN)


# abbreviations whose full stop ends no sentence
ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf|al|approx)\.", re.IGNORECASE)


STATEMENT_WORDS = 5  # a lead of this many words says something about the papers; fewer name a topic ("EBMs.")
FIRST_PERSON = re.compile(r"\b(?:i|i'm|i’m|i've|i’ve|my|me|we|we're|we’re|our|us)\b", re.IGNORECASE)
# the asker's aim said without "I": "trying to tell whether he's still on LLM stuff"
ASKERS_AIM = re.compile(r"^\W*(?:just |mostly )?(?:trying|hoping|looking|wanting|planning|needing) to\b", re.I)
# the asking sentence points back at the lead's topic: "... that touches it?", "anything on that topic?"
REFERS_BACK = re.compile(
    r"\b(?:on|about|into|regarding|around|with|touch(?:es|ing)?|cover(?:s|ing)?|address(?:es|ing)?|tackl(?:es|ing)) "
    r"(?:it|that|this|them|those)\s*[?.!]*\s*$|\b(?:was it|is that|was that)\s*[?.!]*\s*$|\bits\b|"
    r"\b(?:that|this|the same) (?:topic|area|theme|subject|thread|direction)\b|"
    # "... energy-based model papers with him. can you list them?", "which ones?", "which papers are those?"
    r"\b(?:list|name|show|give me) (?:them|those|these)\b|\bwhich ones\b|\b(?:those|these)\s*[?.!]*\s*$",
    re.IGNORECASE,
)


def _topic_only_in_the_lead(ctx: AnswerContext, statement: bool = False, naming: str = "") -> bool:
    """The sentence that asks uses no word of the (uncovered) topic, and either states a filter or the topic is far
    from every abstract: the words are the asker's news around the question ("back from parental leave, catching
    up. what's the very latest paper on igor's list?", "setting up a reproduction sprint. which of his papers have
    code?"). A near topic with nothing else asked stays one ("i work on drones. what's his newest paper?"). With
    `statement`, the lead must be a sentence of several words, not a topic alone ("EBMs. newest with yilun?"), that
    names the person `naming` ("shuang li was on a lot of the early EBM work."; not "we are reading about learned
    optimizers this week.")."""
    if asks_if_covered(ctx.question, ctx.owner):  # ("lottery tickets. any papers from him?": the lead is the topic)
        return False
    lead, asking = _lead_and_asking(ctx.question)
    said = set(re.findall(r"[\w'’^.-]+", asking.casefold()))
    # the asking sentence's words about the list ("which one has the latest date?") are no topic of its own
    if not lead or any(word.casefold() in said - LIST_CHAT for word in ctx.plan.topic.split()):
        return False
    if REFERS_BACK.search(asking):  # "hallucination is the hot topic here. his latest paper that touches it?"
        return False
    if statement:
        names = set(name_tokens(naming)) | (set(HIM) if naming == ctx.owner else set())
        named = names & {word.casefold() for word in re.findall(r"[\w'’-]+", lead)}
        return len(lead.split()) >= STATEMENT_WORDS and bool(named)
    if has_filter(ctx.plan.filters):
        return True
    if (FIRST_PERSON.search(lead) or ASKERS_AIM.search(lead)) and len(lead.split()) >= STATEMENT_WORDS:
        return True  # news about the asker ("been heads-down on my thesis since spring. his freshest paper?")
    hits = ctx.searcher.search(ctx.plan.topic, k=COVERAGE_HITS, paper_filter=PaperFilter(profile=ctx.profile_id))
    topic_vector = np.asarray(ctx.vectors.embeddings.embed_query(ctx.plan.topic))
    return best_sentence_cosine(topic_vector, hits, ctx.vectors) < ctx.settings.chatter_topic_cosine


def _lead_and_asking(question: str, any_colon_lead: bool = False) -> tuple[str, str]:
    """The sentence that asks, and the rest before it: mostly a lead ("... which is it? complete list, i'm building a
    table" too), or a lead about the asker before a colon ("before i call it recent work in my intro: which paper has
    the latest date?"), not a topic alone (unless `any_colon_lead`)."""
    unabbreviated = ABBREVIATION.sub(lambda match: match.group().rstrip("."), question.strip())
    sentences = [sentence for sentence in SENTENCE_END.split(unabbreviated) if sentence.strip()]
    asking = next((sentence for sentence in reversed(sentences) if "?" in sentence), sentences[-1] if sentences else "")
    lead = unabbreviated.replace(asking, " ", 1) if len(sentences) > 1 else ""
    if not lead and ":" in asking:
        lead, _, asking = asking.rpartition(":")
        # (or about him: "thinking about his 2020 output specifically: what was the final paper that year?")
        said_of = FIRST_PERSON.search(lead) or set(HIM) & set(re.findall(r"[\w'’]+", lead.casefold()))
        about_the_asker = said_of and len(lead.split()) >= STATEMENT_WORDS
        lead = lead if any_colon_lead or about_the_asker else ""
    return lead, asking


def _asked_topic_alone(ctx: AnswerContext) -> str:
    """The topic's words the asking part uses, when words before it add others: a lead sentence ("we only have
    logged trajectories and can't touch the env. what's the newest offline RL paper of his?": "offline RL"), or a
    lead before a colon ("not caring about the arxiv tag at all: which is the newest of his papers about teaching
    robots skills?")."""
    lead, asking = _lead_and_asking(ctx.question, any_colon_lead=True)
    said = {word.casefold() for word in re.findall(r"[\w'’^.-]+", asking)} - LIST_CHAT
    own = [word for word in ctx.plan.topic.split() if word.casefold() in said]
    return " ".join(own) if lead and own and len(own) < len(ctx.plan.topic.split()) else ""


def _said_before_the_question(ctx: AnswerContext, relevant: list[Paper] | None) -> bool:
    """The newest of all, nothing to note: news around a question with no filter whose topic no paper covers ("back
    from parental leave, catching up. what's the very latest paper on igor's list?"), or a co-author's work
    described before the question ("shuang li was on a lot of the early EBM work. what was the last paper she and
    igor put out together?")."""
    if has_filter(ctx.plan.filters) and relevant is not None:
        # a statement about the co-author, or about him ("he's been doing lots of LLM work lately. restricted to
        # papers tagged CL, which is the newest?")
        return _topic_only_in_the_lead(ctx, statement=True, naming=ctx.plan.filters.author or ctx.owner)
    return relevant is None and not has_filter(ctx.plan.filters) and _topic_only_in_the_lead(ctx)


def _without_topic(ctx: AnswerContext) -> tuple[str, AnswerContext]:
    """A filtered question whose leftover words no paper covers: say so, then answer by the filter alone."""
    note = f"No paper{describe_filters(ctx.plan.filters)} is about “{ctx.plan.topic}”; by the filter alone:\n"
    return note, replace(ctx, plan=ctx.plan.model_copy(update={"topic": ""}))


def describe_filters(paper_filter: PaperFilter) -> str:
    parts = []
    if paper_filter.category:
        parts.append(f" in {paper_filter.category}")
    if paper_filter.year is not None:
        parts.append(f" from {paper_filter.year}")
    if paper_filter.year_from is not None and paper_filter.year_to is not None:
        parts.append(f" from {paper_filter.year_from} to {paper_filter.year_to}")
    elif paper_filter.year_from is not None:
        parts.append(f" since {paper_filter.year_from}")
    elif paper_filter.year_to is not None:
        parts.append(f" up to {paper_filter.year_to}")
    if paper_filter.date_from is not None:
        parts.append(f" since {paper_filter.date_from:%-d %b %Y}")
    if paper_filter.date_to is not None:
        parts.append(f" up to {paper_filter.date_to:%-d %b %Y}")
    if paper_filter.first_author:
        parts.append(f" with {paper_filter.first_author} as first author")
    elif paper_filter.author and paper_filter.author_position:
        parts.append(f" listing {paper_filter.author} as author no. {paper_filter.author_position}")
    elif paper_filter.author:
        parts.append(f" with {paper_filter.author}")
    if paper_filter.also_author:
        parts.append(f" and {paper_filter.also_author}" if paper_filter.author else f" with {paper_filter.also_author}")
    if paper_filter.has_code:
        parts.append(" with code")
    if paper_filter.title_has:
        parts.append(" with " + " or ".join(f"“{phrase}”" for phrase in paper_filter.title_has) + " in the title")
    if paper_filter.mentions:
        parts.append(" mentioning " + " or ".join(paper_filter.mentions))
    return "".join(parts)


# "which came out first?": the oldest of the named papers is asked for
EARLIER = re.compile(
    r"\b(?:earlier|first|older|oldest|sooner)\b(?<!(?:newest|latest|recent) first)(?! (?:author|one listed)\b)|"
    r"\b(?:oldest|earliest) first\b",
    re.IGNORECASE,
)


def _named_by_date(ctx: AnswerContext) -> Answer:
    """ "RT-1 or RT-2, which came out later?": the papers named or described by date, the one asked for first."""
    ordered = sorted(compared_papers(ctx), key=lambda paper: paper.date, reverse=not EARLIER.search(ctx.question))
    if len(ordered) < 2:  # a described thing is no paper of the profile
        return answer_lookup(ctx)
    first, *others = ordered
    text = f"{'The earliest' if EARLIER.search(ctx.question) else 'The newest'} is {short_name(first)} "
    text += f"({first.date:%-d %b %Y}) [1]; " + "; ".join(
        f"{short_name(paper)} came out {paper.date:%-d %b %Y} [{n}]" for n, paper in enumerate(others, 2)
    )
    return ctx.answer(text + ".", [citation(n, paper) for n, paper in enumerate(ordered, 1)], generated_by="metadata")


def answer_recency(ctx: AnswerContext) -> Answer:
    if len(ctx.plan.papers) + len(ctx.plan.compared) >= 2:
        return _named_by_date(ctx)
    note = ""
    relevant = topic_papers(ctx, TOPIC_CANDIDATES, "newest") if ctx.plan.topic else None
    if ctx.plan.topic and relevant is None and (own := _asked_topic_alone(ctx)):
        asked = replace(ctx, plan=ctx.plan.model_copy(update={"topic": own}))
        if (on_own := topic_papers(asked, TOPIC_CANDIDATES, "newest")) is not None:
            ctx, relevant = asked, on_own  # the lead was the asker's situation, the question has its own topic
    if ctx.plan.topic and _said_before_the_question(ctx, relevant):
        ctx = replace(ctx, plan=ctx.plan.model_copy(update={"topic": "", "examples": "", "alternatives": []}))
        relevant = None
    news = has_filter(ctx.plan.filters) and ctx.plan.topic and relevant is None and _topic_only_in_the_lead(ctx)
    if ctx.plan.topic and relevant is None and not _filter_is_the_question(ctx) and not news:
        return ctx.abstain(ctx.search(ctx.plan.topic, ctx.settings.answer_sources))
    if ctx.plan.topic and relevant is None:  # "latest w philipp wu, whatever it's on": the filter is the question
        note, ctx = _without_topic(ctx)
    papers = ctx.filtered() if relevant is None else sorted(relevant, key=lambda paper: paper.date, reverse=True)
    newest = papers[:1] if SINGULAR_RECENT.search(ctx.question) else papers[:RECENT_COUNT]
    if not newest:
        return ctx.answer(f"None of {ctx.owner}'s listed papers matches{describe_filters(ctx.plan.filters)}.", [])
    if len(newest) == 1:  # "what did the most recent paper on X show?": that paper, what it is and what it found
        paper = newest[0]
        intro = intro_sentence(paper, short_name(paper))
        finding = finding_sentence(paper, intro)
        text = (
            note
            + f"The newest is {short_name(paper)} ({paper.date:%b %Y}). {intro} [1]"
            + (f" {finding} [1]" if finding else "")
        )
        return ctx.answer(text, [citation(1, paper)])
    citations = [citation(n, paper) for n, paper in enumerate(newest, 1)]
    lines = [
        note
        + f"{ctx.owner}'s newest papers"
        + describe_filters(ctx.plan.filters)
        + (f" on {ctx.plan.topic}" if ctx.plan.topic else "")
        + ":"
    ]
    for n, paper in enumerate(newest, 1):
        lines.append(f"[{n}] {short_name(paper)} ({paper.date:%b %Y}): {gist(paper)}")
    return ctx.answer("\n".join(lines), citations)


def answer_definition(ctx: AnswerContext) -> Answer:
    if not ctx.plan.papers:
        return answer_lookup(ctx)
    paper = ctx.by_id[ctx.plan.papers[0]]
    name = short_name(paper)
    named = next(
        (
            word
            for word in re.findall(r"[\w^-]+", ctx.question)
            if len(word) > 2 and word.casefold() in paper.abstract.casefold() and word.casefold() in name.casefold()
        ),
        None,
    )
    intro = intro_sentence(paper, named or name)
    finding = finding_sentence(paper, intro)
    _, _, subtitle = paper.title.partition(":") if ":" in paper.title else paper.title.partition(" -- ")
    lead = (
        f"{name} ({paper.year}): {subtitle.strip()} [1]."
        if subtitle.strip()
        else f"“{paper.title}” ({paper.year}) [1]."
    )
    asked = _asked_sentence(ctx, paper, (intro, finding))
    text = " ".join([lead, *(f"{sentence} [1]" for sentence in (intro, asked, finding) if sentence)])
    return ctx.answer(text, [citation(1, paper)])


def _asked_sentence(ctx: AnswerContext, paper: Paper, shown: tuple[str | None, ...]) -> str | None:
    """The paper's sentence that best answers a question asking more than what the paper is ("what are the two
    new models introduced in the Gemini 1.5 report?"), unless already shown; None for a plain "what is X?"."""
    index = ctx.searcher.lexical_index()
    asked_terms = set(terms(ctx.plan.topic)) - set(terms(f"{paper.title} {short_name(paper)}"))
    if not asked_terms:
        return None
    hit = SearchHit(paper=paper, score=1.0, rank=1)
    best = score_sentences(ctx.question, [hit], ctx.vectors, index, ctx.settings)
    return best[0].text if best and best[0].text not in shown else None


def _operand_hits(ctx: AnswerContext, operand: str) -> list[SearchHit]:
    """The papers a compared thing may be; of its year when it gives one ("the 2022 connect task paper"), by an
    author it names when one is ("shuang li's LM-initialized policies")."""
    year = re.search(rf"\b{YEAR}$", operand)
    hits = ctx.search(operand, TOPIC_CANDIDATES)
    if year is not None:
        hits = [hit for hit in hits if hit.paper.year == int(year.group())]
    written = operand.casefold()
    by_named = [  # by full name or by surname
        hit
        for hit in hits
        if any(
            author.casefold() in written or _surname_in(author, written)
            for author in hit.paper.authors
            if author != ctx.owner
        )
    ]
    # a paper of an author the operand names needs a weaker match ("florence et al's energy-based BC policies")
    return [
        hit.model_copy(update={"score": hit.score * NAMED_AUTHOR_BOOST}) for hit in by_named[:OPERAND_CANDIDATES]
    ] or hits


def _surname_in(author: str, written: str) -> bool:
    surname = author.split()[-1].casefold() if author.split() else ""
    return len(surname) >= 4 and re.search(rf"\b{re.escape(surname)}\b", written) is not None


def compared_papers(ctx: AnswerContext) -> list[Paper]:
    """The papers named, then those the other compared things are (at most MOST_COMPARED)."""
    papers = [ctx.by_id[paper_id] for paper_id in ctx.plan.papers if paper_id in ctx.by_id]
    # each unnamed operand gets its paper: by title words ("the zero-shot planners paper"; a near match only with
    # words few titles use), else by search; the strongest operand-paper pairs are matched first
    resolved: dict[int, Paper] = {}
    spread = _title_spread(ctx)
    for i, operand in enumerate(ctx.plan.compared):
        with contextlib.suppress(UserFacingError):
            paper = ctx.paper_index.resolve(operand, fuzzy=_uses_a_rare_title_word(spread, operand))
            if paper not in papers and paper not in resolved.values():
                resolved[i] = paper
    # a compared thing is read in the question's context: "a later one that puts a language model on top" is,
    # "for crystal generation", the materials paper, not the LLM planner its own words find first
    context = _context_scores(ctx)
    best_context = max(context.values(), default=0.0) or 1.0
    backed = max(OPERAND_MIN_SCORE, CONTEXT_RELATIVE * best_context)  # a paper the topic finds well
    pairs = sorted(
        (
            (hit.score + CONTEXT_WEIGHT * context.get(hit.paper.id, 0.0) / best_context, i, hit.paper)
            for i, operand in enumerate(ctx.plan.compared)
            if i not in resolved
            for hit in _operand_hits(ctx, operand)
            if hit.score >= OPERAND_MIN_SCORE
            or (hit.score >= OPERAND_OWN_SCORE and context.get(hit.paper.id, 0.0) >= backed)
        ),
        key=lambda pair: -pair[0],
    )
    for _, i, paper in pairs:
        if i not in resolved and paper not in papers and paper not in resolved.values():
            resolved[i] = paper
    papers += [resolved[i] for i in sorted(resolved)]
    pinned = _pinned_papers(ctx, papers)
    return (pinned if len(pinned) >= 2 else papers)[:MOST_COMPARED]


def _context_scores(ctx: AnswerContext) -> dict[str, float]:
    """Each paper's score for the whole question's topic (0 for those outside its candidates)."""
    if not ctx.plan.topic:
        return {}
    return {hit.paper.id: hit.score for hit in ctx.search(ctx.plan.topic, TOPIC_CANDIDATES)}


ET_AL = re.compile(
    rf"(?:\b(?P<before>{YEAR}) )?(?<!, )(?<!and )\b(?P<surname>[A-Za-z-]{{2,}}) et\.? al\b\.?(?:['’]s)?"
    rf"(?: (?P<after>{YEAR})\b)?"
)


def _pinned_papers(ctx: AnswerContext, found: list[Paper]) -> list[Paper]:
    """The compared papers again when the question pins down some that `found` (the named papers and those its
    compared things were searched to) misses: a paper by its first author and year ("the 2025 ghasemipour et al
    paper"), or, when it sets two or more years apart, the best paper on its topic of each year ("the 2022 one and
    the 2023 one", "(march 2024 and july 2025)"). Empty when `found` already has them."""
    named = [ctx.by_id[paper_id] for paper_id in ctx.plan.papers if paper_id in ctx.by_id]
    by_author = []
    for match in ET_AL.finditer(ctx.question):
        year = match.group("before") or match.group("after")
        surname = match.group("surname").casefold()
        first_authored = [
            paper
            for paper in ctx.papers
            if paper.authors
            and name_tokens(paper.authors[0])[-1:] == [surname]
            and (year is None or paper.year == int(year))
        ]
        if len(first_authored) == 1:
            by_author.append(first_authored[0])
    years = list(dict.fromkeys(int(year) for year in re.findall(rf"\b{YEAR}\b", ctx.question)))
    years_missed = len(years) >= 2 and any(all(paper.year != year for paper in found) for year in years)
    if not years_missed and all(paper in found for paper in by_author):
        return []
    pinned = list({paper.id: paper for paper in [*named, *by_author]}.values())
    if len(years) >= 2 and named:
        # "neural mmo showed up twice, early 2020 and late 2021": the named paper's other version is of the other year,
        # its title sharing a word few titles use that the question uses too
        spread, asked = _title_spread(ctx), set(terms(ctx.question))
        for year in years:
            if _year_of_another_name(ctx.question, year, named):
                continue
            versions = [
                paper
                for paper in ctx.papers
                if paper.year == year
                and paper not in pinned
                and any(
                    spread[word] <= ALIKE_TITLES and word in asked
                    for one in named
                    for word in set(terms(one.title)) & set(terms(paper.title))
                )
            ]
            if len(versions) == 1 and all(paper.year != year for paper in pinned):
                pinned.append(versions[0])
    if len(years) >= 2 and ctx.plan.topic:
        hits = ctx.search(ctx.plan.topic, TOPIC_CANDIDATES)
        for year in years:
            if any(paper.year == year for paper in pinned):
                continue
            best = next((hit for hit in hits if hit.paper.year == year), None)
            if best is not None and best.score >= YEAR_PICK_RELATIVE * hits[0].score and best.paper not in pinned:
                pinned.append(best.paper)
        if not _alike(ctx, pinned):  # "compare RT-2 (2023) with SayCan (2022)": the years are of other papers
            return []
    return pinned


def _year_of_another_name(question: str, year: int, named: list[Paper]) -> bool:
    """ "compare RT-2 (2023) with SayCan (2022)": a name no named paper's title has comes just before the year."""
    titled = {word for paper in named for word in terms(paper.title)}
    for match in re.finditer(rf"\b{year}\b", question):
        before = re.findall(r"[\w-]+", question[: match.start()])[-NAME_BEFORE_YEAR:]
        if any(re.search(r"[A-Z]", word) and not set(terms(word)) <= titled for word in before):
            return True
    return False


NAME_BEFORE_YEAR = 3  # words before a year that may name its thing: "SayCan (2022)", "CQL from 2020"
ALIKE_TITLES = 3  # a title word in at most this many titles makes papers alike ("Neural MMO", "Gemini", "Bi-Manual")


def _alike(ctx: AnswerContext, papers: list[Paper]) -> bool:
    """The papers picked by year are versions of one line of work: all their titles share a word few titles use."""
    spread = _title_spread(ctx)
    shared = set.intersection(*(set(terms(paper.title)) for paper in papers)) if papers else set()
    return any(spread[word] <= ALIKE_TITLES for word in shared)


def _uses_a_rare_title_word(spread: Counter[str], text: str) -> bool:
    """ "melting pot original", "multiagent debate" may name a paper by its title; "language model", in a dozen
    titles, names none."""
    return any(0 < spread[word] <= ALIKE_TITLES for word in terms(text))


def _title_spread(ctx: AnswerContext) -> Counter[str]:
    """How many titles use each title word."""
    return Counter(word for paper in ctx.papers for word in set(terms(paper.title)))


def answer_comparison(ctx: AnswerContext) -> Answer:
    papers = compared_papers(ctx)
    if len(papers) < 2:
        return answer_lookup(ctx)
    lines, citations = [], []
    for n, paper in enumerate(papers, 1):
        intro = intro_sentence(paper, short_name(paper))
        finding = finding_sentence(paper, intro)
        lines.append(f"{short_name(paper)} ({paper.year}): {intro} [{n}]" + (f" {finding} [{n}]" if finding else ""))
        citations.append(citation(n, paper))
    shared, only = contrast_words(papers)
    if shared:
        lines.append(
            "Both abstracts speak of: " + ", ".join(shared) + "."
            if len(papers) == 2
            else "All abstracts speak of: " + ", ".join(shared) + "."
        )
    for paper, words in zip(papers, only, strict=True):
        if words:
            lines.append(f"Only {short_name(paper)}: " + ", ".join(words) + ".")
    return ctx.answer("\n".join(lines), citations)


def contrast_words(papers: list[Paper], limit: int = 5) -> tuple[list[str], list[list[str]]]:
    """Content words every abstract uses, and those only one uses (the most frequent in it first)."""
    counts = [Counter(_salient_words(f"{paper.title} {paper.abstract}")) for paper in papers]
    shared_set = set.intersection(*(set(count) for count in counts)) if counts else set()
    total = sum(counts, Counter())
    shared = [word for word, _ in total.most_common() if word in shared_set][:limit]
    only = []
    for count in counts:
        others = set().union(*(set(other) for other in counts if other is not count))
        only.append([word for word, _ in count.most_common() if word not in others][:limit])
    return shared, only


def _salient_words(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z][\w-]+", text)
    return [
        word.casefold()
        for word in words
        if len(word) > 3 and word.casefold() not in STOPWORDS and word.casefold() not in GENERIC_WORDS
    ]


GENERIC_WORDS = frozenset(
    "model models approach method methods results paper work tasks task show using based learning propose "
    "present demonstrate data training trained performance however while such also these this that their which "
    "more than from with into across large simple able well wide range single further".split()
)


def answer_overview(ctx: AnswerContext) -> Answer:
    if ctx.plan.topic:
        papers = topic_papers(ctx, TOPIC_CANDIDATES, "overview")
        chat_sized = len(ctx.plan.topic.split()) <= LEFTOVER_WORDS or bool(ctx.plan.filters.author)
        if (
            papers is None
            and chat_sized
            and RESEARCHER_WIDE.search(ctx.rule_text)
            and not TOPIC_POINTER.search(ctx.question)
            and not asks_if_covered(ctx.question, ctx.owner)  # ("bread baking — is that among his research topics?")
        ):
            # "presenting his work at reading group, what themes should I cover?": the leftover words are no topic
            ctx = replace(ctx, plan=ctx.plan.model_copy(update={"topic": ""}))
            papers = ctx.filtered()
        elif papers is None and ctx.plan.filters.author:
            # "summarize the fei xia collabs, what's the common thread?": the co-author is the question
            note, ctx = _without_topic(ctx)
            overview = answer_overview(ctx)
            return overview.model_copy(update={"answer": note + overview.answer})
        elif papers is None and (asked := _asked_topic(ctx)):
            # "chem dept seminar is asking what he's done in materials / atomic-scale science": the words after
            # "done in" are the topic; the rest is who asks and why
            narrowed = replace(ctx, plan=ctx.plan.model_copy(update={"topic": asked, "examples": ""}))
            if (found := topic_papers(narrowed, TOPIC_CANDIDATES, "overview")) is not None:
                ctx, papers = narrowed, found
        if papers is None:
            return ctx.abstain(ctx.search(ctx.plan.topic, ctx.settings.answer_sources))
    else:
        papers = ctx.filtered()
    if not ctx.papers:  # a profile with metrics only: no work to lay out
        return ctx.abstain([])
    if not papers:
        return ctx.answer(f"None of {ctx.owner}'s listed papers matches{describe_filters(ctx.plan.filters)}.", [])
    themes = group_into_themes(papers, ctx.paper_vectors, OVERVIEW_THEMES if not ctx.plan.topic else 3)
    lines = [
        f"{ctx.owner}'s work"
        + (f" on {ctx.plan.topic}" if ctx.plan.topic else "")
        + f" in {_counted(len(themes), 'theme')} ({_counted(len(papers), 'paper')}):"
    ]
    citations: list[Citation] = []
    for label, members in themes:
        shown = members[:THEME_PAPERS]
        numbers = []
        for paper in shown:
            citations.append(citation(len(citations) + 1, paper))
            numbers.append(f"{short_name(paper)} ({paper.year}) [{len(citations)}]")
        years = (
            f"{min(p.year for p in members)}–{max(p.year for p in members)}"
            if len(members) > 1
            else str(members[0].year)
        )
        more = f" and {len(members) - len(shown)} more" if len(members) > len(shown) else ""
        lines.append(f"• {label} ({years}): " + "; ".join(numbers) + more)
    return ctx.answer("\n".join(lines), citations)


# what he did on a topic: "what he's done in materials science", "his work on crystals"
DONE_ON = re.compile(
    r"\b(?:done|did|doing|worked?|working|published|written|wrote|work|papers?|research)\s+(?:in|on|about|around|"
    r"regarding|related to)\s+(?P<topic>[^?!]+)",
    re.IGNORECASE,
)


ASKER_JUST_BEFORE = re.compile(r"\b(?:i|i'm|my|we|our|me)\b[^?.!]{0,15}$", re.IGNORECASE)


def _asked_topic(ctx: AnswerContext) -> str:
    """The words after the first "done in"/"work on" when the plan's topic has more words: the topic the question
    asks about, without the lead before it (the words after it, examples too, stay: "worked on symbolic regression,
    i.e. discovering equations from data")."""
    # the first that is not the asker's ("his work on protein folding? I work on materials": protein folding)
    match = next(
        (m for m in DONE_ON.finditer(ctx.question) if not ASKER_JUST_BEFORE.search(ctx.question[: m.start()])), None
    )
    if match is None:
        return ""
    topic_words = ctx.plan.topic.split()
    asked = " ".join(word for word in re.findall(r"[\w'’-]+", match.group("topic")) if word in topic_words)
    return asked if asked and len(asked.split()) < len(ctx.plan.topic.split()) else ""


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def group_into_themes(
    papers: list[Paper], paper_vectors: Callable[[list[str]], dict[str, list[float]]], most: int
) -> list[tuple[str, list[Paper]]]:
    """Papers clustered by their stored vectors (average-linkage, cosine), each theme named by the words its
    titles use more than the other themes' titles do."""
    if len(papers) <= 3:
        return [(theme_name([papers], 0), papers)]
    from sklearn.cluster import AgglomerativeClustering

    vectors = paper_vectors([paper.id for paper in papers])
    matrix = np.asarray([vectors[paper.id] for paper in papers])
    count = max(2, min(most, len(papers) // 3))
    labels = AgglomerativeClustering(n_clusters=count, metric="cosine", linkage="average").fit_predict(matrix)
    groups = [
        [paper for paper, label in zip(papers, labels, strict=True) if label == cluster] for cluster in range(count)
    ]
    groups = sorted((group for group in groups if group), key=len, reverse=True)
    singles = [group[0] for group in groups if len(group) == 1]
    groups = [group for group in groups if len(group) > 1]
    if singles:
        groups.append(singles)  # one "other" theme instead of many one-paper themes
    named = [
        (theme_name(groups, i), sorted(group, key=lambda p: p.date, reverse=True)) for i, group in enumerate(groups)
    ]
    if singles:
        named[-1] = ("Other", named[-1][1])
    return named


def theme_name(groups: list[list[Paper]], index: int) -> str:
    """The 2-3 title words most specific to this group (c-TF-IDF over the groups' titles and abstracts)."""
    documents = [
        Counter(_salient_words(" ".join(f"{p.title} {p.title} {p.abstract}" for p in group))) for group in groups
    ]
    mine = documents[index]
    total_docs = len(documents)

    def score(word: str) -> float:
        spread = sum(1 for doc in documents if word in doc)
        return mine[word] * np.log(1 + total_docs / spread)

    words = sorted(mine, key=score, reverse=True)[:3]
    return ", ".join(words).capitalize() if words else "Other"


def answer_lookup(ctx: AnswerContext) -> Answer:
    hits = ctx.search(ctx.question, ctx.settings.answer_sources) if not ctx.plan.papers else []
    if not ctx.plan.papers and topic_is_foreign(ctx.plan.topic, ctx.searcher.lexical_index(), ctx.settings):
        return ctx.abstain(hits)  # (answer_question answers a question about the person himself)
    if not ctx.plan.papers and ctx.plan.topic:
        # "has he worked on X?" asks whether X is covered at all: the coverage model's call; other look-ups only when
        # it is surer (it turned away descriptive paraphrases: "household chore plans written by GPT-3")
        whether_covered = asks_if_covered(ctx.question, ctx.owner)
        uncovered = uncovered_probability(ctx, ctx.plan.topic, ctx.search(ctx.plan.topic, COVERAGE_HITS))
        if uncovered >= (
            ctx.settings.abstain_uncovered_probability
            if whether_covered
            else ctx.settings.abstain_lookup_uncovered_probability
        ):
            return ctx.abstain(hits)
    if ctx.plan.papers:
        hits = [
            SearchHit(paper=ctx.by_id[paper_id], score=1.0, rank=n) for n, paper_id in enumerate(ctx.plan.papers, 1)
        ]
    elif hits and _asks_unstated_detail(ctx.question, hits[0].paper.abstract):
        # "what kind of compute did the EBM continual learning experiments run on?": the paper described, unnamed
        return _beyond_the_named_abstract(ctx, hits[0].paper)
    if not hits and has_filter(ctx.plan.filters):
        hits = ctx.searcher.search(
            ctx.question, k=ctx.settings.answer_sources, paper_filter=PaperFilter(profile=ctx.profile_id)
        )
    answer = extractive_answer(
        KNOWN_ALREADY.sub("", ctx.question),  # ("besides the gradient term, what other tricks": not that term)
        hits,
        ctx.owner,
        ctx.vectors,
        ctx.searcher.lexical_index(),
        ctx.settings,
        may_abstain=not ctx.plan.papers,
    )
    if ctx.settings.llm and not answer.abstained:
        answer = llm_cited_answer(ctx.question, hits, ctx.owner, ctx.vectors, ctx.settings, answer)
    if ASKS_FOR_LINK.search(ctx.question) and not answer.abstained and (ctx.plan.papers or answer.citations):
        # the papers named, else the one the answer found ("the project page of the latent collocation paper")
        linked = ctx.plan.papers or [answer.citations[0].id]
        answer = with_links(answer, [ctx.by_id[paper_id] for paper_id in linked if paper_id in ctx.by_id])
    return ctx.tag(answer)


# "is the code for LOLA public? drop the link": the abstract's pointers, never quoted otherwise, answer this
ASKS_FOR_LINK = re.compile(
    r"\b(?:the|a|any|its|drop|share|send|post|give)(?: \w+){0,2} (?:links?|urls?)\b|"
    r"\blinks? (?:to|for|pls|please)\b|\burls?\b|\b(?:the|its|web|site|github) address\b|"
    r"\b(?:github|repo(?:sitory)?|website|project (?:page|site)|web ?(?:page|site))\b|\bpage with code\b|"
    r"\bwatch (?:the )?videos?\b|\bdownload\b|"
    r"\b(?:code|implementation)\b.{0,30}\b(?:public|available|released|out|online|open[- ]sourced?)\b|"
    r"\b(?:is there|any|where(?:'s| is)?) (?:the )?code\b|\bopen[- ]sourced?\b|"
    r"\bwhere (?:do|can|could) (?:i|we|you) (?:get|download|grab)\b",
    re.IGNORECASE,
)


def with_links(answer: Answer, papers: list[Paper]) -> Answer:
    """Each named paper's link sentences as its abstract words them, or what the profile says of its code when the
    abstract gives none, then the answer: the link is what was asked for."""
    citations = list(answer.citations)
    parts = []
    for paper in papers:
        n = cited_as(citations, paper)
        pointers = [sentence for sentence in split_sentences(paper.abstract) if POINTER.search(sentence)]
        if pointers:
            parts.extend(f"{sentence} [{n}]" for sentence in pointers)
        else:
            code = "marks its code as released" if paper.has_code else "does not mark its code as released"
            parts.append(f"{short_name(paper)}'s abstract gives no link; the profile {code} [{n}].")
    return answer.model_copy(update={"answer": "\n".join([*parts, answer.answer]), "citations": citations})


TopicUse = Literal["listing", "newest", "overview"]  # what the papers on a topic are wanted for


def topic_papers(ctx: AnswerContext, k: int, use: TopicUse) -> list[Paper] | None:
    """Papers on the plan's topic within its filters (see `_on_topic`); None when it is not covered at all.
    With examples of the topic (a listing's or the newest: "papers about robots (robot arms, mobile
    manipulators)"), the papers on the topic and those on the topic with its examples, when the latter is covered
    or the topic surely is."""
    topic, examples = ctx.plan.topic, ctx.plan.examples
    if not examples:
        papers = _on_topic(ctx, topic, k, use)
    else:
        with_examples = _on_topic(ctx, f"{topic} {examples}", k, use)
        on_topic = _on_topic(ctx, topic, k, use) or []
        # the examples often hold the words no paper uses ("like making photos look …"): they decide, unless the
        # coverage model is sure of the topic itself ("locomotion (agents walking, hopping)")
        if with_examples is None and not (on_topic and _surely_covered(ctx, topic)):
            return None
        papers = on_topic + (with_examples or [])
    if papers is None:  # whether the topic is covered is decided on it whole; its alternatives add papers only
        return None
    for alternative in ctx.plan.alternatives:  # "math or arithmetic": the papers on either
        papers += _on_topic(ctx, alternative, k, use) or []
    return list({paper.id: paper for paper in papers}.values())


def _on_topic(ctx: AnswerContext, topic: str, k: int, use: TopicUse) -> list[Paper] | None:
    """Papers on `topic` within the plan's filters; None when the topic is not covered at all. Those scoring at
    least TOPIC_RELATIVE of the best, or WORDED_RELATIVE when they use the topic's words. For an overview, those
    before the largest drop in score among the top ones instead, when that drop is clear, and never fewer than two
    when others come within OVERVIEW_RELATIVE; for a filtered listing, those too when that drop comes later (one
    paper missed costs more than one more among the few a filter leaves); for the newest, those using the topic's
    phrase at NEWEST_WORDED of the best too (a long abstract mentions "a diffusion model" once). Then a paper
    must also use the topic's most specific words (one of the two rarest), unless it scores CLOSE_TO_BEST (for
    the newest: unless it is the best), as one stray paper shows."""
    hits = ctx.search(topic, k)
    if not hits or not covers(ctx, topic, hits):
        return None
    best = hits[0].score
    index = ctx.searcher.lexical_index()
    present = [term for term in terms(topic) if index.document_frequency.get(term, 0)]
    papers = [
        hit
        for hit in hits
        if hit.score >= (NEWEST_RELATIVE if use == "newest" else TOPIC_RELATIVE) * best
        or (hit.score >= WORDED_RELATIVE * best and index.uses_words(topic, hit.paper.id))
    ]
    drops = [(hits[i - 1].score - hits[i].score, i) for i in range(2, min(BREAK_WITHIN, len(hits)))]
    clear_break = bool(drops) and max(drops)[0] >= BREAK_DROP * best
    # a filtered listing (a few papers to choose from) also takes the papers before a later break
    later_break = use == "listing" and has_filter(ctx.plan.filters) and max(drops, default=(0, 0))[1] > len(papers)
    if clear_break and (use == "overview" or later_break):
        papers = hits[: max(drops)[1]]
    if use == "overview" and len(papers) < 2:
        papers = [hit for hit in hits if hit.score >= OVERVIEW_RELATIVE * best]
    keys = sorted(dict.fromkeys(present), key=index.idf, reverse=True)[:2]  # ties in question order: no hash order
    if use == "newest" and len(set(present)) > 1:  # a paper using a phrase ("a diffusion model") is on it
        papers += [
            hit
            for hit in hits
            if hit not in papers and hit.score >= NEWEST_WORDED * best and index.uses_words(topic, hit.paper.id)
        ]
    if use == "listing" and has_filter(ctx.plan.filters) and keys:
        # a filtered listing wants every paper: one using the topic's rarest word is on it ("which 2022 papers
        # evaluate on atari games?": the Decision Transformer scores low beside the multi-game one)
        papers += [
            hit
            for hit in hits
            if hit not in papers
            and hit.score >= FILTERED_KEY_RELATIVE * best
            and keys[0] in index.terms_of(hit.paper.id)
        ]
    if keys:
        papers = [
            hit
            for hit in papers
            if any(key in index.terms_of(hit.paper.id) for key in keys)
            or hit.score >= (1.0 if use == "newest" else CLOSE_TO_BEST) * best
        ]
    if use == "overview" and len(papers) < 2 and len(set(present)) > len(keys):
        # an overview of one paper is a look-up: the rarest words were examples (not the whole topic: "compilers"
        # is used by Brax alone, and the papers scoring near it never use it)
        papers = [hit for hit in hits if hit.score >= OVERVIEW_RELATIVE * best]
    return [hit.paper for hit in papers]


def covers(ctx: AnswerContext, topic: str, hits: list[SearchHit]) -> bool:
    """The papers speak of `topic`: none of the extractive answer's abstention tests fires. Under a filter the
    share of words no paper uses is left to the coverage model, which weighs them: chat inside a date window
    ("before 2022 rolled around, the latest paper reporting Atari results") adds such words."""
    index = ctx.searcher.lexical_index()
    uncovered = uncovered_probability(ctx, topic, hits)
    if uncovered >= ctx.settings.abstain_uncovered_probability:
        return False
    # the model weighs absent words too: when it is sure the topic is covered, a word the papers don't use is chat
    # ("where self-supervised learning is the core training signal")
    weighed = uncovered <= ctx.settings.abstain_absent_waived_probability
    if not weighed and not has_filter(ctx.plan.filters) and topic_is_foreign(topic, index, ctx.settings):
        return False
    answer = extractive_answer(topic, hits[: ctx.settings.answer_sources], ctx.owner, ctx.vectors, index, ctx.settings)
    return not answer.abstained


def _surely_covered(ctx: AnswerContext, topic: str) -> bool:
    hits = ctx.search(topic, COVERAGE_HITS)
    return uncovered_probability(ctx, topic, hits) <= SURELY_COVERED


def uncovered_probability(ctx: AnswerContext, topic: str, hits: list[SearchHit]) -> float:
    features = coverage_features(topic, ctx.question, hits[:COVERAGE_HITS], ctx.searcher.lexical_index(), ctx.vectors)
    return ctx.coverage.uncovered_probability(features)


STRATEGIES: dict[str, Callable[[AnswerContext], Answer]] = {
    "metrics": answer_metrics_plan,
    "not_in_profile": answer_not_in_profile,
    "listing": answer_listing,
    "recency": answer_recency,
    "definition": answer_definition,
    "comparison": answer_comparison,
    "overview": answer_overview,
    "lookup": answer_lookup,
}


# "how many TPU chips were used to train gemini 1.5?": what is counted, up to the verb
COUNTED = re.compile(
    r"\bhow many ((?:[\w-]+ ){0,2}?[\w-]+?)(?= (?:did|does|do|were|was|are|is|can|could|have|has|had|went|in)\b)",
    re.IGNORECASE,
)


# a detail of how a paper was run or built that abstracts rarely give, with the words an abstract giving it would use:
# "what size TPU pod did they train RT-1 on?", "how strong were the magnets, like pull force in newtons?"
DETAILS = (
    (
        re.compile(
            r"\b(?:tpu|gpu)[- ]?(?:pods?|clusters?|hours|days|months)\b|"
            r"\bwhat (?:size|kind|sort|type|number|amount) of (?:tpus?|gpus?|accelerators?|compute|chips)\b|"
            r"\bwhat size (?:tpu|gpu)\b|"
            r"\b(?:tpus?|gpus?|accelerators?|compute)\b[^?.]{0,40}\b(?:run|ran|runs|trained)\b on\b",
            re.IGNORECASE,
        ),
        re.compile(r"(?:tpu|gpu|accelerat|compute\b|computation|chip|hardware|cluster)\w*"),
    ),
    (
        re.compile(
            r"\b(?:pull|holding|grip(?:ping)?|clamping|contact) forces?\b|"
            r"\bin (?:newtons|grams|kilograms|kgs?|pounds|lbs|watts|volts|amps|millimet(?:er|re)s|mm)\b|"
            r"\bhow (?:much|heavy) (?:does|did|do|is|was|were|are) (?:the |its |their |each |an? )?"
            r"[\w-]+(?: [\w-]+)? weigh",
            re.IGNORECASE,
        ),
        re.compile(r"(?:newton|grams?\b|kilogram|kg\b|force|weigh|pound|watt|volt|millimet)\w*"),
    ),
    (
        # a model's size: "how big, in parameters, were the LMs trained?"
        re.compile(
            r"\bin parameters\b|\bparameter counts?\b|\bhow many (?:parameters|params)\b|"
            r"\bhow (?:big|large)\b[^?.]{0,30}\b(?:parameters|params)\b",
            re.IGNORECASE,
        ),
        re.compile(r"param\w*|billion|million|\d+(?:\.\d+)?[bm]"),
    ),
)


def _asks_unstated_detail(question: str, abstract: str) -> bool:
    words = set(re.findall(r"[a-z0-9]+", abstract.casefold()))
    return any(
        pattern.search(question) and not any(stated.fullmatch(word) for word in words) for pattern, stated in DETAILS
    )


UNIT_NOUNS = frozenset({"points", "percent", "percentage", "times", "fold"})  # a figure's unit ("by 7.5%")


def _counts(abstract: str, noun: str) -> bool:
    """The abstract puts a number before the noun, or a word starting as it does ("700 tasks", "four robot arms")."""
    singular = noun.casefold().removesuffix("s") if len(noun) > 3 else noun.casefold()  # ("TPUs": "TPU-months")
    stem = singular[: max(3, len(singular) - 2)]  # ("robots": "robo", "environments": "environme")
    number = rf"(?:{FIGURE.pattern}|{NUMBER_WORDS.pattern})"
    plain = abstract.replace("$", "")  # ("$12$ minutes")
    return re.search(rf"{number}(?:[\s-]+[\w-]+){{0,3}}?[\s-]+{re.escape(stem)}", plain, re.IGNORECASE) is not None


def _beyond_the_abstract(ctx: AnswerContext, described: bool = False) -> bool:
    """A figure asked of one paper that its abstract cannot give: only the full paper could say. Either a count of a
    thing the abstract never mentions or never puts a number to ("how many parameters does Gemini 2.5 Pro have?",
    "how many robots were in the fleet?"), or a figure ("what exact success rate did ...?", "how many human raters
    ...?") from an abstract that states none. `described`: the paper was found by the question's words, not named,
    so those words describe it rather than what is counted."""
    if len(ctx.plan.papers) != 1 or ctx.plan.papers[0] not in ctx.by_id:
        return False
    abstract = ctx.by_id[ctx.plan.papers[0]].abstract
    if _asks_unstated_detail(ctx.question, abstract):
        return True
    if RESULT_ASKED.search(ctx.question) and not figures(abstract):
        return True
    if NUMBER_ASKED.search(ctx.question) and not states_a_figure(abstract):
        return True
    match = COUNTED.search(ctx.question)
    if not match or not NUMBER_ASKED.search(match.group()):  # what is counted is some paper's detail, not his papers
        return False
    noun = re.split(r"\s+of\s+", match.group(1))[0].split()[-1]  # ("minutes of gameplay": minutes)
    if noun.casefold() not in UNIT_NOUNS and not _counts(abstract, noun):  # "how many robots were in the fleet?"
        return True
    if described:  # found by its words, not named: the question's other words describe it ("real-world eval trials")
        return False
    counted = [term for term in terms(match.group(1)) if term not in STOPWORDS]
    held = ctx.searcher.lexical_index().terms_of(ctx.plan.papers[0])
    # "sim", "eval": a shortened word counts where the abstract has the whole one
    stems = [term[:-1] if term.endswith("s") and len(term) > 3 else term for term in counted]  # ("TPUs": "TPU-months")
    return bool(stems) and any(not any(word.startswith(stem) for word in held) for stem in stems)


def answer_question(ctx: AnswerContext) -> Answer:
    if ctx.plan.set_aside:  # "newest paper with yilun du that has nothing to do with language models"
        ruled_out = [paper_id for topic in ctx.plan.set_aside.split(", ") for paper_id in _ruled_out(ctx, topic)]
        plan = ctx.plan.model_copy(update={"exclude": [*ctx.plan.exclude, *ruled_out]})
        ctx = replace(ctx, plan=plan)
    if ctx.plan.intent == "lookup" and _beyond_the_abstract(ctx):
        return _beyond_the_named_abstract(ctx, ctx.by_id[ctx.plan.papers[0]])
    if ctx.plan.intent == "definition" and len(ctx.plan.papers) == 1 and ctx.plan.papers[0] in ctx.by_id:
        named = ctx.by_id[ctx.plan.papers[0]]
        if _asks_unstated_detail(ctx.question, named.abstract):  # "what's the block size in mm in …?"
            return _beyond_the_named_abstract(ctx, named)
    answer = STRATEGIES[ctx.plan.intent](ctx)
    if ctx.plan.intent == "lookup" and not ctx.plan.papers and not answer.abstained:
        # "how many robots were in the fleet in the 2025 embodied foundation model paper?": the paper it describes,
        # once found (the answer's lead), may state no such figure either
        lead = answer.citations[0].id if answer.citations else None
        if lead in ctx.by_id:
            described = replace(ctx, plan=ctx.plan.model_copy(update={"papers": [lead]}))
            if _beyond_the_abstract(described, described=True):
                return _beyond_the_named_abstract(described, ctx.by_id[lead])
    if answer.abstained and ctx.plan.intent not in SET_INTENTS and not ctx.plan.papers and _personal(ctx):
        # "does igor enjoy hiking?": no paper covers it because it is about him, not his research
        return _as_missing(ctx, "that (it holds no personal or biographical details)")
    if ctx.plan.papers and ctx.plan.intent in PAPER_INTENTS and not answer.abstained:
        # "when did RT-2 come out?", "who wrote VeLO?": the record says it, the abstract never does
        named = [ctx.by_id[paper_id] for paper_id in ctx.plan.papers if paper_id in ctx.by_id]
        index = ctx.searcher.lexical_index()
        answer = with_paper_facts(answer, ctx.question, named, [name_words(index.names[paper.id]) for paper in named])
    return answer


PAPER_INTENTS = ("definition", "lookup", "comparison")  # (not a listing's or the newest's: those give dates)


def _ruled_out(ctx: AnswerContext, topic: str) -> list[str]:
    """The papers on a topic the question rules out, generously: one left in by mistake is the wrong answer, while
    one too many left out rarely is the one asked for."""
    hits = ctx.search(spelled_out(topic), TOPIC_CANDIDATES)
    if not hits or not covers(ctx, topic, hits):
        return []
    return [hit.paper.id for hit in hits if hit.score >= RULED_OUT_RELATIVE * hits[0].score]


def _beyond_the_named_abstract(ctx: AnswerContext, paper: Paper) -> Answer:
    """The paper asked about, what its abstract does report, and that the detail asked for is not held."""
    reported = finding_sentence(paper, exclude="") or intro_sentence(paper)
    text = (
        f"{short_name(paper)} ({paper.year}) [1]: its abstract doesn't state that, and {ctx.owner}'s profile holds "
        f"no {BEYOND_ABSTRACTS}; the full paper would. What the abstract reports: "
        f'"{textwrap.shorten(reported, 240, placeholder=" …")}" [1]'
    )
    plan = ctx.plan.model_copy(update={"intent": "not_in_profile", "missing": BEYOND_ABSTRACTS})
    return replace(ctx, plan=plan).answer(text, [citation(1, paper)], generated_by="metadata")


def _as_missing(ctx: AnswerContext, missing: str) -> Answer:
    """What the profile holds, for a question the plan did not read as asking for data it lacks."""
    return answer_not_in_profile(
        replace(ctx, plan=ctx.plan.model_copy(update={"intent": "not_in_profile", "missing": missing}))
    )


RESEARCH_UNIT = re.compile(r"\bhis (?:group|lab|team)\b", re.IGNORECASE)
GROUP_DID = re.compile(r"\bhis (?:group|lab|team) (?:has |have |ever )?\w+ed\b", re.IGNORECASE)  # "his group poked at"


def _personal(ctx: AnswerContext) -> bool:
    # (not "tumor segmentation: has his group touched it at all?", "where has his group poked at LLMs being
    # unreliable? overview of those findings": his group's work on a topic, not his person)
    group_work = bool(RESEARCH_UNIT.search(ctx.question)) and (
        asks_if_covered(ctx.question, ctx.owner) or (ctx.plan.intent == "overview" and GROUP_DID.search(ctx.question))
    )
    return (
        asks_about_person(ctx.question, ctx.owner)
        and not TOPIC_PHRASE.search(ctx.question)
        and not AMONG_HIS_TOPICS.search(ctx.question)  # "castle architecture, is that among mordatch's topics?"
        and not group_work
    )


AMONG_HIS_TOPICS = re.compile(
    r"\b(?:among|one of|part of) (?:his|[\w-]+['’]s) (?:research |own )?(?:topics?|areas?|interests?|fields?|work)\b",
    re.IGNORECASE,
)


# words that make a question one about the researcher, his profile or his research
ABOUT_HIM = re.compile(
    r"\b(?:he|him|his|himself|she|her|profile|papers?|work|research|publications?|publish\w*|co-?authors?|lab|"
    r"group|team|career|projects?|experiments?|results?|models?|methods?|datasets?|code|benchmarks?|reports?|"
    r"setups?|hardware|robots?|agents?|training|trained)\b",
    re.IGNORECASE,
)


def about_the_researcher(ctx: AnswerContext) -> bool:
    """The question speaks of him, his profile or a paper: "what's the time difference between chicago and tokyo?"
    and "born on march 21, am i an aries?" do not, so no "his profile doesn't hold that" answers them."""
    names = [re.escape(token) for token in name_tokens(ctx.owner)]
    named = bool(names) and re.search(rf"\b(?:{'|'.join(names)})\b", ctx.question, re.IGNORECASE) is not None
    return bool(ctx.plan.papers) or named or ABOUT_HIM.search(ctx.question) is not None
