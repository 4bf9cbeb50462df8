"""`ResearchService`: the one entry point the CLI and the bot share.

Methods are synchronous and CPU-bound, and safe to call from several threads at once; async callers
(the Discord bot) use `await service.run(service.ask, ...)`, which runs them in a worker thread so the
event loop never blocks. When the Chroma server cannot be reached, every public method raises
`StoreUnavailableError` (retrieval/index/chroma_server.py) and the next call tries again.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from retrieval.answers.coverage import CoverageModel, shipped_model
from retrieval.answers.intents import IntentClassifier
from retrieval.answers.plan import PlanContext, QueryPlan, plan_question
from retrieval.answers.questions import validate_question
from retrieval.answers.strategies import AnswerContext, answer_question
from retrieval.answers.summary import summarize
from retrieval.errors import UnknownProfileError, UserFacingError
from retrieval.index.chroma_server import store_calls
from retrieval.index.embeddings import embeddings_for
from retrieval.index.lexical_cache import cache_file
from retrieval.index.paper_lookup import PaperIndex
from retrieval.index.search import HybridSearcher, matches
from retrieval.index.sentence_vectors import SentenceVectors
from retrieval.index.similar import similar_papers
from retrieval.index.store import PaperStore, ProgressCallback, make_client
from retrieval.index.write_lock import StoreWriteLock, lock_file
from retrieval.ingest.profile_format import parse_profile_bytes
from retrieval.ingest.profiles import collect_profile_files, ingest_profiles, parse_all
from retrieval.metrics import compute_metrics
from retrieval.models import (
    Answer,
    Citation,
    IngestReport,
    MetricSnapshot,
    MetricsReport,
    Paper,
    PaperFilter,
    ParsedProfile,
    ProfileSummary,
    SearchHit,
    Summary,
)
from retrieval.settings import Settings
from retrieval.text.names import name_tokens

if TYPE_CHECKING:
    from retrieval.conversation.models import ConversationReply
    from retrieval.conversation.service import ConversationService

P = ParamSpec("P")


@dataclass(frozen=True)
class ProfileView:
    profile_id: str | None  # None: every profile
    owner: str
    papers: list[Paper]
    snapshots: list[MetricSnapshot]
    context: PlanContext
    paper_index: PaperIndex


T = TypeVar("T")
log = logging.getLogger(__name__)

ALL_PROFILES = "all"  # `ask --profile all`
LAB = "the lab"  # whose work an every-profile answer speaks of ("the lab's newest papers")


def asks_everyone(profile: str | None) -> bool:
    return profile is not None and profile.casefold() == ALL_PROFILES


def with_researchers(answer: Answer, papers: list[Paper], names: dict[str, str]) -> Answer:
    """Each citation and suggestion names the researcher whose profile lists the paper."""
    profile_of = {paper.id: paper.profile for paper in papers}

    def attributed(citations: list[Citation]) -> list[Citation]:
        return [c.model_copy(update={"researcher": names.get(profile_of.get(c.id, ""))}) for c in citations]

    return answer.model_copy(
        update={
            "answer": answer.answer[:1].upper() + answer.answer[1:],  # "The lab's newest papers ..."
            "citations": attributed(answer.citations),
            "suggestions": attributed(answer.suggestions),
        }
    )


@store_calls  # every public method: a Chroma server out of reach raises StoreUnavailableError
class ResearchService:
    def __init__(self, settings: Settings, store: PaperStore | None = None) -> None:
        self.settings = settings
        self._store = store
        self._store_lock = threading.Lock()
        self._writer = StoreWriteLock(
            lock_file(settings.chroma_path, settings.chroma_host, settings.chroma_port), settings.write_lock_timeout
        )
        self._lookup_lock = threading.Lock()
        self._paper_indexes: dict[tuple[str | None, int], PaperIndex] = {}
        self._profile_views: dict[tuple[str | None, int], ProfileView] = {}
        self._profile_names: tuple[int, dict[str, str]] | None = None
        self._answer_lock = threading.Lock()
        self._searcher: HybridSearcher | None = None
        self._sentence_vectors: SentenceVectors | None = None
        self._intent_classifier: IntentClassifier | None = None
        self._coverage_model: CoverageModel | None = None
        self._conversations_lock = threading.Lock()
        self._conversations: ConversationService | None = None

    @property
    def store(self) -> PaperStore:
        with self._store_lock:  # opened on first use: `--help` and argument errors never touch Chroma
            if self._store is None:
                settings = self.settings
                client = make_client(
                    str(settings.chroma_path), settings.chroma_host, settings.chroma_port, settings.chroma_timeout
                )
                self._store = PaperStore(client, embeddings_for(settings.embedding, settings.embedding_backend))
            return self._store

    # --- ingest ---

    def ingest(
        self, paths: list[Path] | None = None, *, rebuild: bool = False, on_embedded: ProgressCallback | None = None
    ) -> IngestReport:
        files = collect_profile_files(paths or [self.settings.profiles_dir])
        parsed = parse_all(files, self.settings.max_profile_bytes)  # all or nothing: parse first
        return self._write(lambda: ingest_profiles(self.store, parsed, rebuild=rebuild, on_embedded=on_embedded))

    def ingest_text(self, raw: bytes, source: str) -> IngestReport:
        """One uploaded profile (the bot's /ingest): parsed fully before the store is touched."""
        parsed = parse_profile_bytes(raw, source, self.settings.max_profile_bytes)
        return self._write(lambda: ingest_profiles(self.store, [parsed]))

    def ingest_parsed(self, parsed: list[ParsedProfile]) -> IngestReport:
        """Profiles parsed elsewhere (fetched from a source: retrieval/sources/), ingested like files."""
        return self._write(lambda: ingest_profiles(self.store, parsed))

    def _write(self, write: Callable[[], T]) -> T:
        """One writer at a time; then, if the store changed, its BM25 index is built and saved here, so that the
        next question (of any process on this store) loads it instead of building it: at 100k papers building
        takes a minute and ~0.6 GB more memory than loading."""
        with self._writer.hold():
            before = self.store.revision() if self.store.readable() else None  # None: `ingest --rebuild` resets it
            result = write()
            changed = self.store.revision() != before
        if changed:
            try:
                self._answer_tools()[0].lexical_index()
            except Exception:  # the write has committed: the next question builds the index instead
                log.warning("could not build the search index after a write", exc_info=True)
        return result

    def remove_profiles(self, profile_ids: list[str]) -> int:
        """Remove these profiles' papers and snapshots, in one commit; the number of papers removed."""
        return self._write(lambda: self.store.remove_profiles(profile_ids))

    def store_is_empty(self) -> bool:
        return self.store.is_empty()

    def ensure_ingested(self, on_embedded: ProgressCallback | None = None) -> IngestReport | None:
        """Ingest the bundled profiles when the store is empty; returns the report if it did."""
        if not self.store.is_empty():
            return None
        with self._writer.hold():
            if not self.store.is_empty():
                return None
            parsed = parse_all(collect_profile_files([self.settings.profiles_dir]), self.settings.max_profile_bytes)
            return ingest_profiles(self.store, parsed, on_embedded=on_embedded)

    # --- profiles ---

    def profile_ids(self) -> list[str]:
        """Read once per store revision (every question checks its profile)."""
        return sorted(self.profile_names())

    def resolve_profile(self, requested: str | None) -> str:
        """A profile id from an id, a name or nothing (the default profile, else the first one)."""
        known = self.profile_ids()
        requested = requested or self.settings.default_profile
        if requested is None:
            if not known:
                raise UserFacingError("The store holds no profiles yet; run `research-bot ingest`.")
            return known[0]
        wanted = "-".join(name_tokens(requested))
        for profile_id in known:
            if profile_id in (wanted, requested):
                return profile_id
        raise UnknownProfileError(requested, known)

    def profile_names(self) -> dict[str, str]:
        """Every profile id → its researcher's name (latest snapshot), in one read that is kept until the
        store changes: autocomplete asks on every keystroke, with any number of profiles."""
        key = self.store.revision()  # every ingest that adds a snapshot commits a new revision
        with self._lookup_lock:
            if self._profile_names is not None and self._profile_names[0] == key:
                return dict(self._profile_names[1])
        names = {snapshot.profile: snapshot.name for snapshot in self.store.get_snapshots()}  # oldest first
        with self._lookup_lock:
            self._profile_names = (key, names)
        return dict(names)

    def profiles(self) -> list[ProfileSummary]:
        summaries = []
        for profile_id in self.profile_ids():
            latest = self.store.get_snapshots(profile_id)[-1]
            summaries.append(
                ProfileSummary(
                    id=profile_id,
                    name=latest.name,
                    category=latest.category,
                    papers_listed=len(self.store.get_papers(PaperFilter(profile=profile_id))),
                    papers_claimed=latest.papers_claimed,
                    last_snapshot=latest.taken_at,
                    source=latest.source,
                )
            )
        return summaries

    # --- papers and metrics ---

    def papers(self, paper_filter: PaperFilter | None = None) -> list[Paper]:
        paper_filter = paper_filter or PaperFilter()
        if paper_filter.profile:
            paper_filter = paper_filter.model_copy(update={"profile": self.resolve_profile(paper_filter.profile)})
        papers = self.store.get_papers(paper_filter)
        return [paper for paper in papers if matches(paper, paper_filter)]  # (the store leaves authors to this)

    def metrics(self, profile: str | None = None) -> MetricsReport:
        profile_id = self.resolve_profile(profile)
        snapshots = self.store.get_snapshots(profile_id)
        return compute_metrics(snapshots, self.store.get_papers(PaperFilter(profile=profile_id)))

    def metrics_chart(self, profile: str | None = None) -> bytes:
        """The metrics as a PNG: papers per year and per category."""
        from retrieval.charts import render_metrics_chart

        return render_metrics_chart(self.metrics(profile))

    # --- single papers: lookup, summary, neighbours ---

    def _paper_index(self, profile: str | None) -> PaperIndex:
        """The lookup over one profile (all profiles when none is named or configured), rebuilt on writes."""
        named = (profile or self.settings.default_profile) and not asks_everyone(profile)
        profile_id = self.resolve_profile(profile) if named else None
        key = (profile_id, self.store.revision())
        with self._lookup_lock:
            if key not in self._paper_indexes:
                papers = self.store.get_papers(PaperFilter(profile=profile_id))
                current = {k: v for k, v in self._paper_indexes.items() if k[1] == key[1]}
                self._paper_indexes = {**current, key: PaperIndex(papers)}
            return self._paper_indexes[key]

    def resolve_paper(self, query: str, *, profile: str | None = None) -> Paper:
        """One paper from a title fragment, an acronym or an id; AmbiguousPaperError / PaperNotFoundError."""
        return self._paper_index(profile).resolve(query)

    def suggest_papers(self, text: str, *, limit: int = 25, profile: str | None = None) -> list[Paper]:
        """Autocomplete: fuzzy title matches for partly typed text, the newest papers for empty text."""
        return self._paper_index(profile).suggest(text, limit)

    def summary(self, paper_query: str, *, profile: str | None = None) -> Summary:
        return summarize(self.resolve_paper(paper_query, profile=profile), self.store.embeddings)

    def similar(self, paper_query: str, *, k: int = 5, profile: str | None = None) -> list[SearchHit]:
        return similar_papers(self.store, self.resolve_paper(paper_query, profile=profile), k)

    # --- search and ask ---

    def _answer_tools(self) -> tuple[HybridSearcher, SentenceVectors]:
        """Built once, under a lock: the bot calls search/ask from many worker threads at once."""
        with self._answer_lock:
            if self._searcher is None or self._sentence_vectors is None:
                index_file = cache_file(self.settings.chroma_path, self.settings.chroma_host, self.settings.chroma_port)
                self._searcher = HybridSearcher(self.store, self.settings, index_file)
                self._sentence_vectors = SentenceVectors(self.store.embeddings, self.store.stored_sentences)
            return self._searcher, self._sentence_vectors

    def search(
        self, query: str, *, k: int = 10, mode: str = "hybrid", paper_filter: PaperFilter | None = None
    ) -> list[SearchHit]:
        if paper_filter and paper_filter.profile:
            paper_filter = paper_filter.model_copy(update={"profile": self.resolve_profile(paper_filter.profile)})
        return self._answer_tools()[0].search(query, k=k, mode=mode, paper_filter=paper_filter)

    def ask(self, question: str, *, profile: str | None = None) -> Answer:
        """The question planned (intent, filters, named papers, topic), then answered by its intent's strategy.
        `profile="all"` asks every profile at once; each citation then names its researcher."""
        question = validate_question(question, self.settings.max_question_chars)
        with self.store.one_revision():
            view = self._asked_view(profile)
            return self._answer(self._plan(question, view), view)

    def answer_plan(self, plan: QueryPlan, *, profile: str | None = None) -> Answer:
        """A plan made or changed elsewhere (a conversation's follow-up: retrieval/conversation/) answered as `ask`
        answers its own; `plan.question` is the question the strategies read."""
        with self.store.one_revision():
            view = self._asked_view(profile)
            known = {paper.id for paper in view.papers}
            if any(paper_id not in known for paper_id in [*plan.papers, *plan.exclude]):
                raise UserFacingError("A paper this question refers to is no longer in the store; please ask afresh.")
            return self._answer(plan, view)

    def plan(self, question: str, *, profile: str | None = None, referred: Sequence[str] = ()) -> QueryPlan:
        """`referred`: papers the question means without naming them (see `plan_question`)."""
        question = validate_question(question, self.settings.max_question_chars)
        with self.store.one_revision():
            return self._plan(question, self._asked_view(profile), referred)

    def asked_profile(self, requested: str | None) -> str:
        """Whom a question is asked of: `all` when asked so, or when it names no profile, none is set as the
        default and the store holds several (a lab's server asks across its researchers); else one profile id."""
        if asks_everyone(requested):
            return ALL_PROFILES
        if requested is None and self.settings.default_profile is None and len(self.profile_ids()) > 1:
            return ALL_PROFILES
        return self.resolve_profile(requested)

    def _asked_view(self, profile: str | None) -> ProfileView:
        """One profile's view, or every profile's (see `asked_profile`)."""
        asked = self.asked_profile(profile)
        return self._profile_view(None if asked == ALL_PROFILES else asked)

    def _answer(self, plan: QueryPlan, view: ProfileView) -> Answer:
        everyone = view.profile_id is None
        if everyone and plan.intent in ("metrics", "not_in_profile"):
            raise UserFacingError(
                "Metrics and profile details are per researcher: ask again with one profile (see `profiles`)."
            )
        searcher, vectors = self._answer_tools()
        context = AnswerContext(
            question=plan.question,
            plan=plan,
            profile_id=view.profile_id,
            owner=view.owner,
            papers=view.papers,
            snapshots=view.snapshots,
            searcher=searcher,
            vectors=vectors,
            settings=self.settings,
            paper_vectors=self.store.paper_vectors,
            paper_index=view.paper_index,
            coverage=self.coverage_model,
        )
        answer = answer_question(context)
        return with_researchers(answer, view.papers, self.profile_names()) if everyone else answer

    @property
    def intent_classifier(self) -> IntentClassifier:
        with self._answer_lock:
            if self._intent_classifier is None:
                self._intent_classifier = IntentClassifier(self.store.embeddings)
            return self._intent_classifier

    @intent_classifier.setter
    def intent_classifier(self, classifier: IntentClassifier) -> None:
        self._intent_classifier = classifier

    @property
    def coverage_model(self) -> CoverageModel:
        return self._coverage_model or shipped_model()  # read on first use: fit_coverage.py may be replacing it

    @coverage_model.setter
    def coverage_model(self, model: CoverageModel) -> None:
        self._coverage_model = model

    def _plan(self, question: str, view: ProfileView, referred: Sequence[str] = ()) -> QueryPlan:
        scores = None
        if self.settings.learned_intents:  # a lab-wide question has no owner whose name to neutralise
            scores = self.intent_classifier.scores(question, view.owner if view.profile_id else "")
        return plan_question(question, view.context, scores, referred)

    def _profile_view(self, profile_id: str | None) -> ProfileView:
        """The profile's papers, snapshots and planning context, read once per store revision (not per question).
        None: every profile's papers as one body of work ("the lab"), without snapshots."""
        index = self._answer_tools()[0].lexical_index()  # every paper, already in memory at this revision
        key = (profile_id, index.revision)
        with self._lookup_lock:
            view = self._profile_views.get(key)
        if view is None:
            papers = index.papers if profile_id is None else index.by_profile.get(profile_id, [])
            if profile_id is None and not papers:
                raise UserFacingError("The store holds no profiles yet; run `research-bot ingest`.")
            snapshots = self.store.get_snapshots(profile_id) if profile_id else []
            owner = snapshots[-1].name if snapshots else LAB
            names = index.name_table()  # derived once per revision, and saved with the index
            context = PlanContext.of(owner, papers, names, person=owner != LAB)
            view = ProfileView(profile_id, owner, papers, snapshots, context, PaperIndex(papers, names))
            with self._lookup_lock:
                self._profile_views = {k: v for k, v in self._profile_views.items() if k[1] == key[1]}
                self._profile_views[key] = view
        return view

    # --- conversations ---

    @property
    def conversations(self) -> ConversationService:
        """Follow-ups in memory (retrieval/conversation/): built on first use, one for every conversation key."""
        from retrieval.conversation.service import ConversationService  # it builds on this module

        with self._conversations_lock:
            if self._conversations is None:
                self._conversations = ConversationService(self)
            return self._conversations

    def converse(
        self, key: str, message: str, *, profile: str | None = None, default: str | None = None
    ) -> ConversationReply:
        """`message` as the next turn of conversation `key` (a thread, a reply chain, a CLI session): a follow-up
        ("the second one", "what about 2021?", "more", "summarize it") is read against the earlier turns.
        `default`: the profile a conversation starts with when `profile` names none (a Discord server's)."""
        return self.conversations.converse(key, message, profile=profile, default=default)

    # --- async use (the bot) ---

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await asyncio.to_thread(function, *args, **kwargs)
