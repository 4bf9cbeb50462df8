"""`research-bot` (also `python -m bot`): every service the bot offers, scriptable.

Exit codes: 0 ok, 2 bad input (the message says what to fix), 1 internal error or the store unavailable.
`--json` output is a public contract documented in README.md: extend it, don't break it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from retrieval.conversation.models import ConversationReply
from retrieval.database import Database
from retrieval.errors import (
    AmbiguousPaperError,
    FollowUpError,
    PaperNotFoundError,
    StoreUnavailableError,
    UserFacingError,
)
from retrieval.feedback import FeedbackEntry, FeedbackStore, development_questions
from retrieval.index.search import SEARCH_MODES
from retrieval.ingest.progress import IngestProgress
from retrieval.models import Answer, Citation, MetricsReport, Paper, PaperFilter, SearchHit, Summary
from retrieval.service import ResearchService
from retrieval.settings import Settings

if TYPE_CHECKING:
    from retrieval.sources.service import FetchReport, SourceService

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2
Handler = Callable[[ResearchService, argparse.Namespace], int]


def to_json(value: Any) -> str:
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    if isinstance(value, list):
        return json.dumps([item.model_dump(mode="json") if isinstance(item, BaseModel) else item for item in value])
    return json.dumps(value)


def paper_json(paper: Paper) -> dict[str, Any]:
    return paper.model_dump(mode="json", exclude={"et_al"})


def notify_auto_ingest(service: ResearchService) -> None:
    """The first command after install finds an empty store: fill it from data/profiles, say so on stderr."""
    if service.store_is_empty():
        print(f"The store is empty; ingesting {service.settings.profiles_dir} first...", file=sys.stderr)
        with IngestProgress() as progress:
            report = service.ensure_ingested(on_embedded=progress)
        if report is not None:
            print(f"Ingested {report.added} papers from {len(report.files)} file(s).", file=sys.stderr)


# --- ingest ---


def cmd_ingest(service: ResearchService, args: argparse.Namespace) -> int:
    paths = [Path(path) for path in args.paths] or None
    with IngestProgress() as progress:
        report = service.ingest(paths, rebuild=args.rebuild, on_embedded=progress)
    if args.json:
        print(to_json(report))
    else:
        print(
            f"{len(report.files)} file(s), profiles: {', '.join(report.profiles)}\n"
            f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
            f"removed {report.removed}; metric snapshots added {report.snapshots_added}"
            + (" (store rebuilt)" if report.rebuilt else "")
        )
    return EXIT_OK


# --- papers ---


def cmd_papers(service: ResearchService, args: argparse.Namespace) -> int:
    notify_auto_ingest(service)
    papers = service.papers(
        PaperFilter(
            profile=args.profile,
            year=args.year,
            category=args.category,
            author=args.author,
            has_code=True if args.code else None,
        )
    )
    if args.json:
        print(json.dumps([paper_json(paper) for paper in papers], ensure_ascii=False))
        return EXIT_OK
    for paper in papers:
        authors = ", ".join(paper.authors) + (" et al." if paper.et_al else "")
        code = "  [code]" if paper.has_code else ""
        print(f"{paper.date.isoformat()}  {paper.category:<8} {paper.title}{code}\n{'':20}{authors}")
    print(f"{len(papers)} paper(s)")
    return EXIT_OK


# --- metrics ---


def metrics_json(report: MetricsReport) -> dict[str, Any]:
    return report.model_dump(mode="json")


def render_metrics_text(report: MetricsReport) -> str:
    def fmt(value: object) -> str:
        return "—" if value is None else f"{value:,}" if isinstance(value, int) else str(value)

    lines = [
        f"{report.name} ({report.profile}), primary category {fmt(report.category)}",
        f"  h-index {fmt(report.h_index)} · citations {fmt(report.citations)} · "
        f"novelty {fmt(report.novelty)}% · AI score {fmt(report.ai_score)}",
        f"  papers: {report.papers_listed} listed, {fmt(report.papers_claimed)} claimed by the profile; "
        f"{report.with_code} with code ({report.with_code_share:.0%})",
        f"  first paper {fmt(report.first_date)} ({fmt(report.first_paper)})",
        f"  latest paper {fmt(report.last_date)} ({fmt(report.last_paper)})",
        "  per year: " + ", ".join(f"{year}: {count}" for year, count in report.by_year.items()),
        "  per category: " + ", ".join(f"{cat}: {count}" for cat, count in report.by_category.items()),
        "  top co-authors: " + ", ".join(f"{name} ({count})" for name, count in report.top_coauthors.items()),
        "  affiliations: " + ", ".join(f"{name} ({count})" for name, count in report.affiliations.items()),
    ]
    if report.source:
        lines.insert(1, f"  from {report.source}; i10-index {fmt(report.i10_index)}")
    if report.citations_by_year:
        lines.append(
            "  citations per year: " + ", ".join(f"{year}: {n:,}" for year, n in report.citations_by_year.items())
        )
    if report.most_cited:
        lines.append("  most cited: " + "; ".join(f"{p.title} ({p.year}): {p.cited_by:,}" for p in report.most_cited))
    lines.append("  snapshots:")
    for snapshot in report.snapshots:
        change = ", ".join(f"{field} {delta:+,}" for field, delta in snapshot.change.items()) or "first"
        lines.append(
            f"    {snapshot.taken_at:%Y-%m-%d %H:%M} h-index {fmt(snapshot.h_index)}, "
            f"citations {fmt(snapshot.citations)} ({change})"
        )
    return "\n".join(lines)


def cmd_metrics(service: ResearchService, args: argparse.Namespace) -> int:
    notify_auto_ingest(service)
    report = service.metrics(args.profile)
    print(json.dumps(metrics_json(report), ensure_ascii=False) if args.json else render_metrics_text(report))
    if args.chart:
        from retrieval.charts import render_metrics_chart

        args.chart.write_bytes(render_metrics_chart(report))
        print(f"chart written to {args.chart}", file=sys.stderr)
    return EXIT_OK


# --- single papers: summary, similar ---


def print_lookup_error(error: AmbiguousPaperError | PaperNotFoundError) -> int:
    """Ambiguous or unknown paper: the candidates (or closest titles), one per line, on stderr."""
    if isinstance(error, AmbiguousPaperError):
        heading, titles = "Several papers match; name one of:", error.candidates
    else:
        heading, titles = "No paper matches." + (" Closest:" if error.suggestions else ""), error.suggestions
    print("\n".join([f"error: {heading}", *(f"  - {title}" for title in titles)]), file=sys.stderr)
    return EXIT_BAD_INPUT


def summary_json(summary: Summary) -> dict[str, Any]:
    return {
        "paper": paper_json(summary.paper),
        "tldr": summary.tldr,
        "key_points": summary.key_points,
        "results": summary.results,
    }


def render_summary_text(summary: Summary) -> str:
    paper = summary.paper
    authors = ", ".join(paper.authors) + (" et al." if paper.et_al else "")
    affiliations = f" · {', '.join(paper.affiliations)}" if paper.affiliations else ""
    code = "code available" if paper.has_code else "no code listed"
    lines = [
        paper.title,
        f"{authors}{affiliations}",
        f"{paper.date.isoformat()} · {paper.category} · {code} · {paper.id}",
        "",
        f"TL;DR: {summary.tldr}",
        "",
        "Key contributions:",
        *(f"  • {point}" for point in summary.key_points),
        "",
        "Reported results:",
        *(f"  • {result}" for result in summary.results or ["(the abstract reports no figures)"]),
    ]
    return "\n".join(lines)


def cmd_summary(service: ResearchService, args: argparse.Namespace) -> int:
    notify_auto_ingest(service)
    try:
        summary = service.summary(args.paper, profile=args.profile)
    except (AmbiguousPaperError, PaperNotFoundError) as error:
        return print_lookup_error(error)
    print(json.dumps(summary_json(summary), ensure_ascii=False) if args.json else render_summary_text(summary))
    return EXIT_OK


def similar_json(paper: Paper, hits: list[SearchHit]) -> dict[str, Any]:
    results = [{"rank": h.rank, "id": h.paper.id, "title": h.paper.title, "year": h.paper.year, "score": h.score}
               for h in hits]  # fmt: skip
    return {"paper": {"id": paper.id, "title": paper.title}, "results": results}


def render_similar_text(paper: Paper, hits: list[SearchHit]) -> str:
    lines = [f"Papers nearest to: {paper.title}"]
    lines += [f"{hit.rank:>3}. {hit.score:.3f}  {hit.paper.year}  {hit.paper.title}" for hit in hits]
    return "\n".join(lines)


def cmd_similar(service: ResearchService, args: argparse.Namespace) -> int:
    notify_auto_ingest(service)
    try:
        paper = service.resolve_paper(args.paper, profile=args.profile)
    except (AmbiguousPaperError, PaperNotFoundError) as error:
        return print_lookup_error(error)
    hits = service.similar(paper.id, k=args.k, profile=args.profile)
    print(json.dumps(similar_json(paper, hits), ensure_ascii=False) if args.json else render_similar_text(paper, hits))
    return EXIT_OK


# --- search and ask ---


def lines_or_one(text: str) -> list[str]:
    """`-` reads one query per line from stdin (blank lines skipped); anything else is the single query."""
    if text != "-":
        return [text]
    return [line.strip() for line in sys.stdin if line.strip()]


def cmd_search(service: ResearchService, args: argparse.Namespace) -> int:
    notify_auto_ingest(service)
    paper_filter = PaperFilter(profile=args.profile) if args.profile else None
    for query in lines_or_one(args.query):
        hits = service.search(query, k=args.k, mode=args.mode, paper_filter=paper_filter)
        if args.json or args.query == "-":
            results = [{"id": h.paper.id, "title": h.paper.title, "year": h.paper.year, "score": round(h.score, 4)}
                       for h in hits]  # fmt: skip
            print(json.dumps({"query": query, "results": results}, ensure_ascii=False), flush=True)
        else:
            print("\n".join(f"{h.rank:>3}. {h.score:.3f}  {h.paper.year}  {h.paper.title}" for h in hits))
    return EXIT_OK


def source_line(citation: Citation) -> str:
    authors = ", ".join(citation.authors[:3]) + (" et al." if len(citation.authors) > 3 else "")
    researcher = f" · profile: {citation.researcher}" if citation.researcher else ""
    return f"  [{citation.n}] {citation.title} · {citation.year} · {authors}{researcher}"


def render_answer_text(answer: Answer) -> str:
    lines = [answer.answer]
    if answer.needs_source_list:
        lines += ["", "Sources:", *map(source_line, answer.citations)]
    if answer.suggestions:
        lines += ["", "Nearest papers:", *map(source_line, answer.suggestions)]
    return "\n".join(lines)


def cmd_ask(service: ResearchService, args: argparse.Namespace) -> int:
    notify_auto_ingest(service)
    batch = args.question == "-"
    exit_code = EXIT_OK
    for question in lines_or_one(args.question):
        try:
            answer = service.ask(question, profile=args.profile)
        except UserFacingError as error:
            if not batch or isinstance(error, StoreUnavailableError):
                raise  # an outage is no one line's fault: the batch stops, exit 1
            print(json.dumps({"question": question, "error": str(error)}, ensure_ascii=False), flush=True)
            exit_code = EXIT_BAD_INPUT  # one bad line does not stop the batch
            continue
        for warning in answer.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if args.json or batch:
            print(answer.model_dump_json(), flush=True)
        else:
            print(render_answer_text(answer))
    return exit_code


# --- chat ---

CHAT_KEY = "cli"  # one conversation per `chat` process
QUIT = {"exit", "quit"}


def chat_json(reply: ConversationReply) -> dict[str, Any]:
    """The keys of `ask --json`, then what a conversation adds (README: `chat --json`)."""
    line: dict[str, Any] = reply.answer.model_dump(mode="json")
    line["kind"] = reply.kind
    line["turn"] = reply.turn
    line["followup"] = reply.followup.model_dump(mode="json") if reply.followup else None
    if reply.summary:
        line["summary"] = summary_json(reply.summary)
    if reply.similar:
        line["similar"] = similar_json(reply.similar.paper, reply.similar.results)
    return line


def render_reply_text(reply: ConversationReply) -> str:
    lines = [f"(following up on: {reply.followup.resolved_question})"] if reply.followup else []
    if reply.summary:
        lines.append(render_summary_text(reply.summary))
    elif reply.similar:
        lines.append(render_similar_text(reply.similar.paper, reply.similar.results))
    else:
        lines.append(render_answer_text(reply.answer))
    return "\n".join(lines)


def chat_messages(prompt: bool) -> Iterator[str]:
    """Lines from stdin until EOF or `exit`; a prompt on a terminal."""
    while True:
        try:
            line = input("you> ") if prompt else sys.stdin.readline()
        except EOFError:
            return
        if not prompt and not line:
            return
        if line.strip().casefold() in QUIT:
            return
        yield line.rstrip("\n")


def cmd_chat(service: ResearchService, args: argparse.Namespace) -> int:
    notify_auto_ingest(service)
    interactive = sys.stdin.isatty() and not args.json
    exit_code = EXIT_OK
    for message in chat_messages(prompt=interactive):
        try:
            reply = service.converse(CHAT_KEY, message, profile=args.profile)
        except UserFacingError as error:
            exit_code = EXIT_BAD_INPUT if args.json else exit_code  # one bad line does not end the conversation
            if args.json:
                line: dict[str, Any] = {"question": message, "error": str(error)}
                if isinstance(error, FollowUpError) and error.candidates:
                    line["candidates"] = [citation.model_dump(mode="json") for citation in error.candidates]
                print(json.dumps(line, ensure_ascii=False), flush=True)
            else:
                choices = getattr(error, "candidates", [])
                print("\n".join([f"error: {error}", *map(source_line, choices)]) + ("" if interactive else "\n"))
            continue
        for warning in reply.answer.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if args.json:
            print(json.dumps(chat_json(reply), ensure_ascii=False), flush=True)
        else:
            print(render_reply_text(reply) + ("" if interactive else "\n"), flush=True)
    return exit_code


# --- profiles ---


def cmd_profiles(service: ResearchService, args: argparse.Namespace) -> int:
    notify_auto_ingest(service)
    profiles = service.profiles()
    if args.json:
        print(to_json(profiles))
        return EXIT_OK
    for profile in profiles:
        print(
            f"{profile.id:<24} {profile.name} — {profile.papers_listed} papers listed "
            f"({profile.papers_claimed} claimed), category {profile.category}"
        )
    return EXIT_OK


# --- feedback ---


def since_date(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-01-31 or 2026-01-31T12:00, not {text!r}") from None


def feedback_line(entry: FeedbackEntry) -> str:
    thumb = "👍" if entry.vote == 1 else "👎"
    reason = f"  — {entry.reason}" if entry.reason else ""
    return f"{entry.updated_at:%Y-%m-%d %H:%M}  {thumb}  {entry.intent or '—':<14} {entry.question}{reason}"


def cmd_feedback(service: ResearchService, args: argparse.Namespace) -> int:
    """Reads the database the bot writes; a missing file is simply no feedback (nothing is created)."""
    path = service.settings.database_file
    entries: list[FeedbackEntry] = []
    if path.exists():
        database = Database(path)
        try:
            entries = FeedbackStore(database).entries(since=args.since, negative_only=args.negative)
        finally:
            database.close()
    if args.jsonl_questions:
        for row in development_questions(entries):
            print(json.dumps(row, ensure_ascii=False))
    elif args.json:
        print(json.dumps([entry.model_dump(mode="json") for entry in entries], ensure_ascii=False))
    else:
        for entry in entries:
            print(feedback_line(entry))
        up = sum(entry.vote == 1 for entry in entries)
        print(f"{len(entries)} vote(s): 👍 {up}, 👎 {len(entries) - up}")
    return EXIT_OK


# --- sources: fetch, refresh, remove ---


def fetch_progress() -> IngestProgress:
    return IngestProgress(label="fetching works", verb="fetched", noun="work")


def print_fetch_report(report: FetchReport) -> None:
    ingest = report.ingest
    resumed = f" (resumed after {report.resumed_from} already fetched)" if report.resumed_from else ""
    papers = f"{report.papers} paper{'' if report.papers == 1 else 's'}"
    print(f"{report.name} ({report.profile}) from {report.source} {report.reference}: {papers}{resumed}")
    if report.without_abstract:
        print(f"  {report.without_abstract} of them have no abstract at the source (kept with their titles)")
    print(
        f"  added {ingest.added}, updated {ingest.updated}, unchanged {ingest.unchanged}, removed {ingest.removed}; "
        f"metric snapshots added {ingest.snapshots_added}"
    )
    for metric, (before, after) in report.changes.items():
        print(f"  {metric.replace('_', '-')}: {before if before is not None else '—'} → {after}")


def source_service(service: ResearchService) -> SourceService:
    """Imported here: the sources (aiohttp) cost every other command's start ~0.1 s."""
    from retrieval.sources.service import SourceService

    return SourceService(service.settings, service)


def cmd_fetch(service: ResearchService, args: argparse.Namespace) -> int:
    from retrieval.sources.service import AmbiguousAuthorError

    sources = source_service(service)
    with fetch_progress() as progress:
        try:
            if args.source == "openalex":
                report = asyncio.run(sources.add_openalex(args.reference, pick=args.pick, progress=progress))
            else:
                report = asyncio.run(sources.add_arxiv(args.reference, ids=args.ids, name=args.name, progress=progress))
        except AmbiguousAuthorError as error:
            if args.json:
                print(to_json(error.candidates))
            raise
    if args.json:
        print(to_json(report))
    else:
        print_fetch_report(report)
    return EXIT_OK


def cmd_refresh(service: ResearchService, args: argparse.Namespace) -> int:
    if bool(args.profile) == args.all:
        raise UserFacingError("Name one profile to refresh, or pass --all.")
    sources = source_service(service)
    with fetch_progress() as progress:
        reports = asyncio.run(sources.refresh(None if args.all else args.profile, progress=progress))
    if args.json:
        print(to_json(reports))
        return EXIT_OK
    for report in reports:
        print_fetch_report(report)
    if not reports:
        print("No researchers are followed yet (add one with `research-bot fetch openalex NAME`).")
    return EXIT_OK


def cmd_remove(service: ResearchService, args: argparse.Namespace) -> int:
    sources = source_service(service)
    profile_id = service.resolve_profile(args.profile)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserFacingError(f"Removing {profile_id!r} deletes its papers and metric history; add --yes.")
        if input(f"Remove {profile_id} and its metric history? [y/N] ").strip().casefold() not in ("y", "yes"):
            print("Nothing removed.")
            return EXIT_OK
    name, removed = sources.remove(profile_id)
    if args.json:
        print(json.dumps({"profile": profile_id, "name": name, "papers_removed": removed}))
    else:
        print(f"Removed {name} ({profile_id}): {removed} papers and the metric history.")
    return EXIT_OK


# --- doctor ---


def cmd_doctor(service: ResearchService, args: argparse.Namespace) -> int:
    """Reads the settings only: the store is inspected, never created or ingested."""
    from bot.doctor import diagnose

    return print_doctor_report(diagnose(service.settings), args.json)


def print_doctor_report(report: Any, as_json: bool) -> int:
    print(json.dumps(report.as_json(), ensure_ascii=False) if as_json else report.as_text())
    return EXIT_OK if report.ok else EXIT_INTERNAL


# --- run (the Discord bot) ---


def cmd_run(service: ResearchService, args: argparse.Namespace) -> int:
    from bot.runner import run_bot  # discord.py is only imported when the bot runs

    return run_bot(service, verbose=args.verbose)


# --- parser ---


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="research-bot", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, handler: Handler, help_text: str, json_flag: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        if json_flag:
            sub.add_argument("--json", action="store_true", help="machine-readable output")
        return sub

    ingest = command("ingest", cmd_ingest, "Parse profile files and sync them into the store.")
    ingest.add_argument("paths", nargs="*", help="profile files or folders (default: data/profiles/)")
    ingest.add_argument("--rebuild", action="store_true", help="re-embed every paper; drop profiles no file names")

    papers = command("papers", cmd_papers, "List papers, newest first, with optional filters.")
    papers.add_argument("--profile", help="profile id or name")
    papers.add_argument("--year", type=int)
    papers.add_argument("--category", help="e.g. LG, RO, CL")
    papers.add_argument("--author", help="tolerant of initials and middle names")
    papers.add_argument("--code", action="store_true", help="only papers with code")

    metrics = command("metrics", cmd_metrics, "Profile metrics, aggregates and snapshot history.")
    metrics.add_argument("--profile", help="profile id or name")
    metrics.add_argument("--chart", type=Path, metavar="FILE.png", help="also write a PNG chart (per year, category)")

    summary = command("summary", cmd_summary, "Summarize one paper: TL;DR, key contributions, reported results.")
    summary.add_argument("paper", metavar="PAPER", help="a title fragment, an acronym (e.g. VeLO, RT-2) or an id")
    summary.add_argument("--profile", help="profile id or name")

    similar = command("similar", cmd_similar, "List the papers nearest to one paper.")
    similar.add_argument("paper", metavar="PAPER", help="a title fragment, an acronym or an id")
    similar.add_argument("-k", type=int, default=5, help="how many papers (default 5)")
    similar.add_argument("--profile", help="profile id or name")

    search = command("search", cmd_search, "Search the papers (hybrid: meaning + keywords).")
    search.add_argument("query", metavar="QUERY", help="the query, or - to read one query per line from stdin")
    search.add_argument("--mode", choices=SEARCH_MODES, default="hybrid", help="ranking to use (default hybrid)")
    search.add_argument("-k", type=int, default=10, help="how many results (default 10)")
    search.add_argument("--profile", help="profile id or name")

    ask = command("ask", cmd_ask, "Answer a question from the papers, with numbered citations.")
    ask.add_argument("question", metavar="QUESTION", help="the question, or - to read one per line from stdin")
    ask.add_argument("--profile", help="profile id or name; `all` asks every profile and names each paper's researcher")

    chat = command(
        "chat",
        cmd_chat,
        "A conversation: each line a question or a follow-up (“the second one”, “what about 2021?”, “more”).",
    )
    chat.add_argument("--profile", help="profile id or name; `all` asks every profile")

    command("profiles", cmd_profiles, "List the profiles in the store.")

    feedback = command("feedback", cmd_feedback, "Export the 👍/👎 votes on the bot's answers, oldest first.")
    feedback.add_argument(
        "--since", type=since_date, metavar="DATE", help="only votes cast or changed since DATE (UTC)"
    )
    feedback.add_argument("--negative", action="store_true", help="only 👎 votes")
    feedback.add_argument(
        "--jsonl-questions",
        action="store_true",
        help="one development question per distinct question, in tests/data/answer_questions.jsonl's format",
    )

    fetch = command("fetch", cmd_fetch, "Add (or update) a researcher from OpenAlex or arXiv, and follow them.")
    fetch.add_argument("source", choices=("openalex", "arxiv"))
    fetch.add_argument(
        "reference",
        nargs="?",
        metavar="NAME_OR_ID",
        help="OpenAlex: a name, an author id (A…) or an ORCID; arXiv: an author name",
    )
    fetch.add_argument("--pick", type=int, metavar="N", help="OpenAlex: the N-th of the researchers a name matches")
    fetch.add_argument("--ids", nargs="+", metavar="ID", help="arXiv: these papers (e.g. 2303.03378) instead")
    fetch.add_argument("--name", help="arXiv: whose papers they are (default: the author name, or the shared author)")

    refresh = command(
        "refresh", cmd_refresh, "Fetch followed researchers again; a snapshot is added when a metric changed."
    )
    refresh.add_argument("profile", nargs="?", metavar="PROFILE", help="profile id or name")
    refresh.add_argument("--all", action="store_true", help="every followed researcher")

    remove = command("remove", cmd_remove, "Remove a profile (its papers and metric history) and stop following it.")
    remove.add_argument("profile", metavar="PROFILE", help="profile id or name")
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    command(
        "doctor",
        cmd_doctor,
        "Check the store, embedding model, token, intents and profiles; exit 1 if any check fails.",
    )

    command("run", cmd_run, "Start the Discord bot (needs DISCORD_TOKEN).", json_flag=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command != "run":  # `run` sets up its own logging (bot.runner.configure_logging), once
        logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr)
    try:
        try:
            settings = Settings()
        except ValidationError as error:
            from bot.doctor import settings_error_message, settings_failure

            if args.command == "doctor":
                return print_doctor_report(settings_failure(error), args.json)
            print(f"error: invalid setting: {settings_error_message(error)}", file=sys.stderr)
            return EXIT_BAD_INPUT
        service = ResearchService(settings)
        return args.handler(service, args)
    except StoreUnavailableError as error:
        print(f"error: {error} ({error.reason})", file=sys.stderr)
        return EXIT_INTERNAL
    except UserFacingError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception:
        logging.getLogger("research_bot").exception("internal error")
        return EXIT_INTERNAL
