"""The one configuration object, grouped by concern. Every value comes from an env var (prefix ``RESEARCH_BOT_``)
or ``.env``; each group is a base class of `Settings`, so the variable names stay flat (`RESEARCH_BOT_LLM_TIMEOUT`).
How the tuned defaults were chosen: benchmarks/RESULTS.md."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Annotated, Literal

from platformdirs import user_data_path
from pydantic import AliasChoices, Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The profiles that ship with the package (data/profiles/ in a checkout; see pyproject.toml)
BUNDLED_PROFILES = Path(str(files("retrieval.bundled_profiles")))
DATABASE_FILENAME = "research-bot.sqlite3"


def default_chroma_path() -> Path:
    """data/chroma in a source checkout (git-ignored); the user's data folder for an installed wheel,
    never site-packages."""
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT / "data" / "chroma"
    return user_data_path("research-bot") / "chroma"


class _Group(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RESEARCH_BOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )


class StoreSettings(_Group):
    """Where profiles come from and where the Chroma store lives; the embedding model."""

    profiles_dir: Path = Field(BUNDLED_PROFILES, description="Profile files to ingest (default: the bundled ones).")
    chroma_path: Path = Field(default_factory=default_chroma_path, description="Embedded Chroma store folder.")
    chroma_host: str | None = Field(None, description="Chroma server host; set it to use `chroma run`.")
    chroma_port: int = Field(8000, description="Chroma server port (with chroma_host).")
    chroma_timeout: float = Field(
        30.0, gt=0, description="Seconds a Chroma server request may take; then the store counts as unavailable."
    )
    max_profile_bytes: int = Field(5_000_000, description="Larger profile files are refused.")
    write_lock_timeout: float = Field(
        600.0, ge=0, description="Seconds a write waits for another process's ingest, fetch or refresh to finish."
    )
    database_path: Path | None = Field(
        None, description="SQLite file: feedback, answer records, per-guild settings (default: beside chroma_path)."
    )

    embedding: str = Field(
        "minilm",
        description="`minilm` (offline, bundled) or `chroma-onnx` (Chroma's default; downloads on first use).",
    )
    embedding_backend: Literal["onnx", "torch"] = Field(
        "onnx",
        description="How MiniLM runs: `onnx` (ONNX Runtime; exported locally once, fast start) or `torch` "
        "(sentence-transformers). Same vectors: a store embedded by one is read by the other.",
    )

    @property
    def database_file(self) -> Path:
        """`database_path`, or research-bot.sqlite3 beside the Chroma folder (data/ in a checkout)."""
        return self.database_path or self.chroma_path.parent / DATABASE_FILENAME


class SearchSettings(_Group):
    """Hybrid search: dense (best passage cosine) + BM25, fused by a weighted sum."""

    dense_weight: float = Field(0.85, description="Weight of the dense cosine in the fusion; BM25 gets the rest.")
    bm25_title_repeat: int = Field(2, description="Times the title is indexed, so title words outweigh the abstract.")
    search_candidates: int = Field(
        30, description="Papers each ranking contributes before fusion (the dense query reads 2× as many passages)."
    )


class AnswerSettings(_Group):
    """Extractive answers: which sentences are quoted, and when to abstain."""

    max_question_chars: int = Field(500, description="Longer questions are refused with an explanation.")
    learned_intents: bool = Field(
        True, description="A classifier trained on example questions picks the intent; off: the cue rules alone."
    )
    abstain_threshold: float = Field(0.29, description="Extractive answers abstain below this evidence score.")
    abstain_absent_share: float = Field(
        0.25, description="A short topic abstains when at least this share of its words appears in no paper."
    )
    abstain_topic_max_terms: int = Field(6, description="Topics of at most this many terms get the absent-word test.")
    abstain_uncovered_probability: float = Field(
        0.45, description="Abstain when the coverage model (retrieval/answers/coverage.py) gives at least this."
    )
    abstain_lookup_uncovered_probability: float = Field(
        0.85,
        description="A look-up that doesn't ask whether a topic is covered abstains when the coverage model gives at "
        "least this.",
    )
    abstain_absent_waived_probability: float = Field(
        0.15, description="The absent-word test is waived for topics the coverage model gives at most this."
    )
    chatter_topic_cosine: float = Field(
        0.25,
        description="Under a year, category or code filter, a listing's or newest-first topic whose best cosine to an "
        "abstract sentence is below this is chat, not a topic ('2023 papers, kindly'): the filter alone answers.",
    )
    answer_sources: int = Field(3, description="Top search hits whose abstracts an answer may quote.")
    answer_overlap_weight: float = Field(0.5, description="Weight of word overlap next to cosine in sentence ranking.")
    answer_rank_penalty: float = Field(0.1, description="Sentence score lost per rank of its paper among the hits.")
    answer_figure_bonus: float = Field(0.2, description="Bonus for sentences stating a figure, for how-many questions.")
    answer_margin: float = Field(0.1, description="Sentences within this score of the best one join the answer.")


class ConversationSettings(_Group):
    """Follow-up context (retrieval/conversation/): kept in memory, bounded, forgotten on restart."""

    conversation_max_turns: int = Field(10, ge=1, description="Turns a conversation remembers (the oldest go).")
    conversation_idle_seconds: float = Field(
        1800.0, gt=0, description="A conversation idle this long is forgotten: its next message starts afresh."
    )
    conversation_cache_size: int = Field(
        1000, ge=1, description="Conversations kept in memory; beyond it the least recently used is forgotten."
    )


class LLMSettings(_Group):
    """The optional LLM (retrieval/answers/llm.py) and the checks on what it writes."""

    llm: str | None = Field(
        None,
        description="Unset: extractive answers. `provider:model` for LangChain's init_chat_model, e.g. "
        "`openai:gpt-4o-mini`, `openai:<served model>` with llm_base_url, `ollama:llama3.2`.",
    )
    llm_base_url: str | None = Field(
        None, description="An OpenAI-compatible endpoint (vLLM, llama-server, LM Studio, Ollama's /v1) or Ollama's URL."
    )
    llm_api_key: SecretStr | None = Field(
        None, description="API key; a local endpoint needs none (the provider's own env var also works)."
    )
    llm_temperature: float = Field(0.0, description="Sampling temperature; 0 gives the most likely wording.")
    llm_max_tokens: int = Field(384, description="Longest LLM answer, in tokens.")
    llm_timeout: float = Field(60.0, description="Seconds before an LLM answer falls back to extractive.")
    llm_max_retries: int = Field(2, description="Retries on 429 (honouring Retry-After), 5xx and dropped connections.")
    llm_streaming: bool = Field(False, description="Read the answer as a server-sent event stream.")
    llm_support_threshold: float = Field(
        0.6, description="An LLM sentence is kept when its support by the abstracts it cites reaches this (0..1)."
    )


class DiscordSettings(_Group):
    """The bot: token, intents, command sync, cooldowns, shards."""

    discord_token: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("DISCORD_TOKEN", "RESEARCH_BOT_DISCORD_TOKEN"),
        description="The bot token (secret; never logged).",
    )
    discord_guild_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Comma-separated guild ids for instant command sync (development)."
    )
    command_prefix: str = Field("!", description="Prefix for text commands.")
    message_content_intent: bool = Field(
        True, description="Request the privileged message-content intent (prefix commands need it)."
    )
    default_profile: str | None = Field(None, description="Profile used when a command names none.")
    cooldown_rate: int = Field(5, description="Commands a user may run per cooldown window (0: no cooldown).")
    cooldown_seconds: float = Field(30.0, description="Length of the per-user cooldown window.")
    paginator_timeout_seconds: float = Field(
        180.0, description="Seconds of inactivity after which /papers page buttons are disabled."
    )
    choice_timeout_seconds: float = Field(
        60.0, description="Seconds /summary and /similar wait for the paper picked from an ambiguous title."
    )
    answer_record_days: int = Field(
        90, ge=0, description="Answers nobody rated are forgotten after this many days (0: kept forever)."
    )
    discord_connect_attempts: int = Field(
        5, ge=1, description="Attempts to reach Discord when `run` starts (DNS, refused, gateway down); then exit 1."
    )
    discord_connect_retry_seconds: float = Field(
        2.0, ge=0, description="Wait before the second attempt; it doubles after each failure, up to 60 s."
    )
    shard_count: int | None = Field(
        None, ge=1, description="Shards of the whole bot, over every process; alone: this process runs them all."
    )
    shard_ids: Annotated[list[int] | None, NoDecode] = Field(
        None, description="Comma-separated shards this process runs, each below shard_count (which it needs)."
    )

    @field_validator("discord_guild_ids", "shard_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(" ", "").split(",") if part]
        return value

    @field_validator("shard_ids")
    @classmethod
    def _shards_within_count(cls, ids: list[int] | None, info: ValidationInfo) -> list[int] | None:
        if not ids:
            return None  # an empty list means "every shard", as when unset
        if "shard_count" not in info.data:
            return ids  # the count itself is invalid: that is the error to report
        count = info.data["shard_count"]
        if count is None:
            raise ValueError("needs RESEARCH_BOT_SHARD_COUNT, the number of shards over every process")
        outside = [shard for shard in ids if not 0 <= shard < count]
        if outside:
            raise ValueError(f"shard ids run from 0 to {count - 1} (RESEARCH_BOT_SHARD_COUNT={count}): {outside}")
        if len(set(ids)) != len(ids):
            raise ValueError("a shard id is listed twice")
        return sorted(ids)


class SourceSettings(_Group):
    """Researchers from live sources (retrieval/sources/): OpenAlex and arXiv, and the scheduled refresh."""

    openalex_url: str = Field(
        "https://api.openalex.org", description="OpenAlex API base URL (a mirror or proxy may stand in)."
    )
    openalex_mailto: str | None = Field(None, description="Contact email sent with every OpenAlex request, as asked.")
    openalex_api_key: SecretStr | None = Field(None, description="OpenAlex API key (free; raises the daily budget).")
    openalex_requests_per_second: float = Field(5.0, gt=0, description="Polite request rate to OpenAlex.")
    arxiv_url: str = Field("https://export.arxiv.org/api", description="arXiv API base URL (its /query endpoint).")
    arxiv_interval_seconds: float = Field(
        3.0, ge=0, description="Seconds between arXiv requests (arXiv asks for one every 3 s, one at a time)."
    )
    source_timeout: float = Field(30.0, gt=0, description="Seconds one source request may take.")
    source_attempts: int = Field(
        4, ge=1, description="Attempts per request on 429, 5xx, timeouts and dropped connections (then an error)."
    )
    source_retry_max_seconds: float = Field(
        60.0, gt=0, description="Longest wait between attempts (a longer Retry-After is an error at once)."
    )
    fetch_checkpoint_dir: Path | None = Field(
        None, description="Where an interrupted fetch keeps its pages to resume from (default: beside chroma_path)."
    )
    refresh_interval_hours: float = Field(
        168.0, ge=0, description="The bot refreshes followed researchers this often (0: never; default weekly)."
    )
    refresh_channel_id: int | None = Field(
        None, description="Channel where the scheduled refresh posts what changed (unset: it posts nothing)."
    )
    refresh_check_seconds: float = Field(
        3600.0,
        gt=0,
        description="How often the bot checks whether the scheduled refresh is due (at most every "
        "refresh_interval_hours); the time of the last run is kept in the database, so a restart keeps the schedule.",
    )


class Settings(
    StoreSettings, SearchSettings, AnswerSettings, ConversationSettings, LLMSettings, DiscordSettings, SourceSettings
):
    """Everything, flat: `settings.dense_weight`, `settings.llm_timeout`, `settings.discord_token`. The env prefix
    and `.env` file come from `_Group`."""

    @property
    def checkpoint_dir(self) -> Path:
        """`fetch_checkpoint_dir`, or fetches/ beside the Chroma folder."""
        return self.fetch_checkpoint_dir or self.chroma_path.parent / "fetches"
