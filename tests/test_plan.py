"""The question plan: intents, filters written in words, named papers, and the topic that remains."""

from __future__ import annotations

import datetime as dt

import pytest

from retrieval.answers.intents import IntentClassifier, without_owner
from retrieval.answers.plan import BEYOND_ABSTRACTS, BIOGRAPHY, PlanContext, plan_question
from retrieval.ingest.profile_format import parse_profile_file
from tests.conftest import SEED_PROFILE

PARSED = parse_profile_file(SEED_PROFILE)
CONTEXT = PlanContext.of(PARSED.profile.name, PARSED.papers)
TITLES = {paper.id: paper.title for paper in PARSED.papers}


def plan(question: str):
    return plan_question(question, CONTEXT)


def learned_plan(embeddings, question: str):
    """The plan as `ask` makes it: the cue rules with the intent classifier's scores."""
    return plan_question(question, CONTEXT, IntentClassifier(embeddings).scores(question, CONTEXT.owner))


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # the issue's misroutes: cue words inside a topical question are not aggregates
        ("How do agents collaborate in multi-agent debate?", "lookup"),
        ("Which papers generate code with language models?", "listing"),
        ("How many tasks did RT-1 learn in 2022?", "lookup"),
        ("What did the most recent paper on energy-based models show?", "recency"),
        ("What did he publish on emergent communication?", "overview"),
        # one per intent
        ("What is Grounded Decoding?", "definition"),
        ("How is PaLM-E different from RT-2?", "comparison"),
        ("What does his research cover?", "overview"),
        ("Anything recent from him?", "recency"),
        ("papers with sergey levine", "listing"),
        ("What are his novelty and AI scores?", "metrics"),
        ("How many citations does RT-2 have?", "not_in_profile"),
        ("where did igor do his phd?", "not_in_profile"),
        ("anyone have the DOI for the brax paper?", "not_in_profile"),  # a named paper's data the profile lacks
        ("what license is the VeLO code released under?", "not_in_profile"),
        ("does he have any hobbies outside research?", "not_in_profile"),
    ],
)
def test_intents(question: str, intent: str) -> None:
    assert plan(question).intent == intent


@pytest.mark.parametrize(
    ("question", "scores", "intent"),
    [
        # the classifier's choice stands when the slots allow it
        ("has he done much with robot hands?", {"overview": 0.7, "lookup": 0.3}, "overview"),
        # a metric answer needs a metric named; "the profile doesn't hold that" needs a known kind of data
        ("what is he up to with agents?", {"metrics": 0.8, "overview": 0.2}, "overview"),
        # "the profile doesn't hold that" for a kind of data the rules don't know needs a sure classifier
        ("did he write about sourdough?", {"not_in_profile": 0.45, "uncovered": 0.3, "lookup": 0.25}, "lookup"),
        ("what country did he grow up in?", {"not_in_profile": 0.8, "lookup": 0.2}, "not_in_profile"),
        # the label of uncovered example questions is never an intent
        ("did he write about sourdough?", {"uncovered": 0.9, "overview": 0.1}, "overview"),
        # a comparison needs two things, and two named papers are compared
        ("how does RT-2 work?", {"comparison": 0.6, "lookup": 0.4}, "definition"),
        ("How is PaLM-E different from RT-2?", {"definition": 0.6, "comparison": 0.4}, "comparison"),
        # the rules keep the last word where every word is a cue, or a data kind the profile lacks is named
        ("What is the h-index?", {"definition": 0.9, "metrics": 0.1}, "metrics"),
        ("where did igor do his phd?", {"overview": 0.9}, "not_in_profile"),
        # a named paper is what is asked about, whatever else the classifier says
        ("give me an overview of RT-2", {"overview": 0.9, "lookup": 0.1}, "definition"),
        ("list the papers related to RT-1", {"listing": 0.9, "lookup": 0.1}, "definition"),
        ("how recent is the VeLO paper?", {"recency": 0.9, "lookup": 0.1}, "definition"),
        # two named papers' dates compared: the newer one, by date (not what the profile lacks)
        ("which is newer, RT-1 or RT-2?", {"not_in_profile": 0.6, "comparison": 0.4}, "recency"),
        # a named paper: definition (what it is) or look-up (a fact about it) by the question's form
        ("How many tasks did RT-1 learn in 2022?", {"definition": 0.9, "lookup": 0.1}, "lookup"),
    ],
)
def test_learned_intent_within_the_slots(question: str, scores: dict[str, float], intent: str) -> None:
    assert plan_question(question, CONTEXT, scores).intent == intent


@pytest.mark.parametrize(
    "question",
    ["someone at lunch asked what he is known for", "someone asked what he is known for, and who he works with"],
)
def test_researcher_overview_drops_the_leftover_words(question: str) -> None:
    planned = plan_question(question, CONTEXT, {"overview:researcher": 0.8})
    assert (planned.intent, planned.topic) == ("overview", "")


@pytest.mark.parametrize(
    "question", ["any papers with max entropy reinforcement learning?", "his 2017 and 2024 papers"]
)
def test_words_that_only_look_like_filters(question: str) -> None:
    """A lower-case word that is some co-author's given name, and two years far apart, are no co-author or span."""
    filters = plan(question).filters
    assert filters.author is None and filters.year_from is None


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("Which papers are from 2021?", {"year": 2021}),
        ("his papers since 2022", {"year_from": 2022}),
        ("papers from 2023 onwards", {"year_from": 2023}),
        ("list his 2023-and-later papers", {"year_from": 2023}),
        ("his 2020-or-earlier papers", {"year_to": 2020}),
        ("ignoring 2024 and 2025, what's his latest cs.LG paper?", {"year_to": 2023, "category": "LG"}),
        ("excluding 2017, which is his oldest paper?", {"year_from": 2020}),  # the next year with papers
        ("excluding 2017 and 2025, list his papers", {"year_from": 2020, "year_to": 2024}),
        ("excluding anything from 2025, which paper of his is the most recent?", {"year_to": 2024}),
        ("piche et al's offline RL paper", {"author": "Alexandre Piche", "first_author": "Alexandre Piche"}),
        ("anything after 2023?", {"year_from": 2024}),
        # "on her profile" is where, not "from 2018 on"; "newer than" excludes its year like "after"
        ("anything older than 2018 on her profile?", {"year_to": 2017}),
        ("his papers newer than 2021", {"year_from": 2022}),
        ("from 2021 on, what did he publish?", {"year_from": 2021}),
        ("his papers across 2023 and 2024", {"year_from": 2023, "year_to": 2024}),
        ("wenlong huang's robotics papers", {"author": "Wenlong Huang", "category": "RO"}),
        ("abbeel collabs under cs.LG?", {"author": "Pieter Abbeel", "category": "LG"}),
        ("his language papers before 2024", {"category": "CL", "year_to": 2023}),
        ("papers from 2020 and before", {"year_to": 2020}),
        ("vision papers between 2020 and 2022", {"category": "CV", "year_from": 2020, "year_to": 2022}),
        ("which of his papers are tagged AI (cs.AI)?", {"category": "AI"}),
        ("list his papers in the materials science arxiv category (cond-mat.mtrl-sci)", {"category": "MTRL-SCI"}),
        ("does he have anything in the mesoscale / nanoscale physics category?", {"category": "MES-HALL"}),
        ("which papers come with code?", {"has_code": True}),
        ("which of her 2019 papers shipped code?", {"year": 2019, "has_code": True}),
        ("latest paper w/ sherry yang?", {"author": "Sherry Yang"}),
        ("most recent thing he did with josh tenenbaum", {"author": "Joshua B. Tenenbaum"}),
        ("Which papers did P. Abbeel author?", {"author": "Pieter Abbeel"}),
        # an author's place in the list, and the owner among the listed authors (profiles list the first few)
        ("papers where yilun du is the second author", {"author": "Yilun Du", "author_position": 2}),
        (
            "what's the most recent paper where igor is the second author?",
            {"author": "Igor Mordatch", "author_position": 2},
        ),
        (
            "which cs.LG papers show igor's own name in the (truncated) author list?",
            {"author": "Igor Mordatch", "category": "LG"},
        ),
        ("newest paper where his name is visible in the author list", {"author": "Igor Mordatch"}),
        # chat around a filtered listing is no topic; "predates 2023" is up to 2022; "LG-tagged" a category
        (
            "building a citation graph: every yilun du co-authored paper dated 2022 or later",
            {"author": "Yilun Du", "year_from": 2022},
        ),
        (
            "the LG-tagged ones from 2023, i'm making a spreadsheet so i need every single one",
            {"year": 2023, "category": "LG"},
        ),
        (
            "quals committee wants me to have read everything robotics-tagged (RO) of his that predates 2023",
            {"year_to": 2022, "category": "RO"},
        ),
        ("of the papers arXiv files under computer vision, which one is the most recent?", {"category": "CV"}),
    ],
)
def test_filters_in_words(question: str, filters: dict) -> None:
    assert plan(question).filters.model_dump(exclude_none=True) == filters


def test_a_group_author_is_not_a_co_author() -> None:
    assert plan("How are agents trained with team rewards in Melting Pot?").filters.author is None


@pytest.mark.parametrize(
    ("question", "title_start"),
    [
        ("what's a gamma-model in mordatch's work?", "Generative Temporal Difference"),
        ("what does ReST^EM actually do", "Beyond Human Data"),
        ("whats UniMat", "Scalable Diffusion"),
        ("in the llms as zero-shot planners paper, what tradeoff did they find?", "Language Models as Zero-Shot"),
    ],
)
def test_papers_named_by_short_name_acronym_or_title_words(question: str, title_start: str) -> None:
    (paper_id,) = plan(question).papers
    assert TITLES[paper_id].startswith(title_start)


def test_comparison_names_both_papers_and_keeps_no_year_filter() -> None:
    compared = plan("COMET vs. the 2020 compositional visual generation EBM paper, how do they differ?")
    assert compared.intent == "comparison"
    assert compared.filters.year is None
    assert [TITLES[paper_id][:13] for paper_id in compared.papers] == ["Unsupervised ", "Compositional"]


def test_an_unnamed_operand_is_kept_for_search() -> None:
    compared = plan("what's the difference between the original decision transformer and the multi-game one?")
    assert compared.intent == "comparison" and compared.compared == ["multi-game"]


def test_counts_under_a_filter_become_the_filtered_listing() -> None:
    assert plan("How many papers did he write with Pieter Abbeel?").intent == "listing"
    assert plan("How many papers did he put out in 2020?").intent == "metrics"


def test_the_topic_is_what_remains() -> None:
    assert plan("summarize his work on energy-based models").topic == "energy-based models"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("what multi-agent environments and benchmarks has he helped build?", "multi-agent environments benchmarks"),
        ("what simulators did he develop?", "simulators"),
        ("summarize what he's done on learning from trajectory data", "learning trajectory data"),
    ],
)
def test_an_overview_cue_leaves_the_topic_around_it(question: str, topic: str) -> None:
    assert plan(question).topic == topic


def test_examples_in_parentheses_widen_a_listing_but_are_not_its_topic() -> None:
    listing = plan("up to 2021, which of his papers are multi-agent (marl methods or multiagent environments)?")
    assert listing.intent == "listing" and listing.topic == "multi-agent"
    assert listing.examples == "marl methods multiagent environments"
    overview = plan("overview of his work on making models reason better (llm self-improvement, debate etc)")
    assert overview.examples == "" and "debate" in overview.topic


@pytest.mark.parametrize(
    ("question", "topic", "examples"),
    [
        (
            "newest paper on robot hardware, like arms or mobile manipulators?",
            "robot hardware",
            "arms mobile manipulators",
        ),
        ("list his multi-agent papers, e.g. debate or marl", "multi-agent", "debate marl"),
        ("which papers are about games? atari, mmo style games, poker", "games", "atari mmo games poker"),
    ],
)
def test_examples_after_like_eg_or_the_question(question: str, topic: str, examples: str) -> None:
    planned = plan_question(question, CONTEXT, {"listing": 0.5, "recency": 0.4, "lookup": 0.1})
    assert (planned.topic, planned.examples) == (topic, examples)


def test_his_research_trajectory_is_a_timeline_with_no_topic() -> None:
    timeline = plan("how has his research trajectory changed over the years?")
    assert timeline.intent == "overview" and timeline.topic == ""
    changing = plan("summarize how he has dealt with environments that change or data that keeps shifting")
    assert changing.intent == "overview" and "environments" in changing.topic


def test_multi_agent_is_a_topic_unless_called_a_category() -> None:
    topical = plan("multi-agent papers from 2022 onwards, can u list them")
    assert topical.filters.category is None and "multi-agent" in topical.topic
    assert plan("which of his papers are in the multi-agent category?").filters.category == "MA"


def test_a_co_authors_own_metrics_are_not_the_owners() -> None:
    asked = plan("what's yilun du's h-index?")
    assert asked.intent == "not_in_profile" and "Yilun Du" in (asked.missing or "")
    assert plan("what is igor's h-index?").intent == "metrics"


def test_intensifiers_leave_the_topic_empty() -> None:
    assert plan("what was the very last paper he released in 2021?").topic == ""


@pytest.mark.parametrize(
    ("question", "owner", "neutral"),
    [
        ("what does igor mordatch work on?", "Igor Mordatch", "what does the researcher work on?"),
        ("Mordatch's newest paper", "Igor Mordatch", "the researcher's newest paper"),
        ("where is Ada from", "Ada Lovelace", "where is the researcher from"),
        ("papers by Lovelacey", "Ada Lovelace", "papers by Lovelacey"),  # whole words only
        ("the lab's newest paper", "", "the lab's newest paper"),  # no owner: every profile
    ],
)
def test_the_classifier_reads_the_owner_as_the_researcher(question: str, owner: str, neutral: str) -> None:
    assert without_owner(question, owner) == neutral


def test_the_intent_does_not_depend_on_whose_profile_it_is(embeddings) -> None:
    classifier = IntentClassifier(embeddings)
    for question in ("what does {} work on?", "where did {} grow up?", "what is {}'s h-index?"):
        about_igor = classifier.scores(question.format("Igor Mordatch"), "Igor Mordatch")
        about_ada = classifier.scores(question.format("Ada Lovelace"), "Ada Lovelace")
        assert about_ada == pytest.approx(about_igor, abs=1e-9)


@pytest.mark.parametrize(
    ("question", "intent", "missing"),
    [
        ("where did Lovelace study?", "not_in_profile", "education or biography"),
        ("does ada teach any courses?", "not_in_profile", "teaching"),
        ("who does ada lovelace work with most?", "metrics", None),
    ],
)
def test_the_rules_read_any_owners_name(question: str, intent: str, missing: str | None) -> None:
    context = PlanContext.of("Ada Lovelace", PARSED.papers)
    result = plan_question(question, context)
    assert (result.intent, result.missing) == (intent, missing)
    assert "ada" not in result.topic.casefold() and "lovelace" not in result.topic.casefold()


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("how many papers has he claimed in total, and how many of the listed ones come with code", {"with_code"}),
        ("how many papers has he claimed, and whats the oldest one listed?", {"first_paper"}),
        ("is he more of a cs.LG or cs.RO person by paper count? category split pls", {"by_category"}),
    ],
)
def test_every_metric_a_question_asks_is_kept(question: str, metrics: set[str]) -> None:
    result = plan(question)
    assert result.intent == "metrics" and metrics | {"papers_claimed"} <= set(result.metrics)
    assert result.filters.category is None


def test_a_count_under_a_filter_is_its_listing_whatever_the_classifier_says() -> None:
    scores = {"metrics": 0.9, "recency": 0.05, "listing": 0.05}
    result = plan_question("whats his LG paper count", CONTEXT, scores)
    assert (result.intent, result.filters.category, result.topic) == ("listing", "LG", "")


def test_a_category_named_as_a_filter_is_no_category_split() -> None:
    result = plan("his papers filed under the cs.MA (multiagent systems) arxiv category?")
    assert (result.intent, result.filters.category, result.metrics, result.topic) == ("listing", "MA", [], "")


@pytest.mark.parametrize(
    ("question", "year_to"),
    [
        ("looking only at stuff up to the end of 2022, which was his latest paper?", 2022),
        ("robotics papers up to and including 2021", 2021),
        ("anything through 2020?", 2020),
        ("papers before 2020", 2019),
    ],
)
def test_an_end_year_in_words(question: str, year_to: int) -> None:
    result = plan(question)
    assert (result.filters.year_to, result.topic, result.metrics) == (year_to, "", [])


@pytest.mark.parametrize(
    ("question", "category", "topic"),
    [
        ("most recent paper of his about language models specifically (not the robot ones)", None, "language models"),
        (
            "newest robotics paper of his? any robot learning counts, doesn't have to be filed under cs.RO",
            None,
            "robotics robot learning",
        ),
        ("newest robotics paper of his?", "RO", ""),
    ],
)
def test_what_the_question_sets_aside_is_no_topic_or_filter(question: str, category: str | None, topic: str) -> None:
    result = plan(question)
    words = " ".join(filter(None, [result.topic, result.examples]))  # "any robot learning counts" widens "robotics"
    assert (result.intent, result.filters.category, words) == ("recency", category, topic)


def test_co_wrote_is_the_co_author_cue_not_a_topic() -> None:
    """'co-wrote with X' names a co-author; with the category's own words gone, no topic narrows the listing."""
    result = plan("list the robotics papers (cs.RO) he co-wrote with pieter abbeel")
    assert (result.filters.author, result.filters.category, result.topic) == ("Pieter Abbeel", "RO", "")


def test_final_is_no_topic() -> None:
    """'final' asks which paper came last, like 'last'; it names no subject."""
    result = plan("his final robotics paper of 2022?")
    assert (result.filters.year, result.filters.category, result.topic) == (2022, "RO", "")


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("which of his papers appeared at NeurIPS?", "publication venues"),
        ("any ICLR 2023 papers?", "publication venues"),
        ("is he hiring postdocs right now", "open positions or hiring"),
        ("is his lab taking new students?", "open positions or hiring"),
        ("what did igor tweet when gemini 2.5 launched?", "contact details or personal pages"),
        ("have any of his papers been retracted or gotten an erratum?", "retractions or errata"),
        (
            "which of his own papers does igor consider his most important one?",
            "his own opinions, favourites or recommendations",
        ),
        ("what's igor's personal stance on open weights?", "his own opinions, favourites or recommendations"),
        ("what RL textbooks does igor recommend to new students?", "his own opinions, favourites or recommendations"),
        ("which later papers cite LOLA or build on it?", "papers citing his papers"),
        ("what exactly did igor contribute to the gemini 1.5 report?", "who did what within a paper"),
        (
            "on RT-2, which part was igor personally responsible for? the author list is huge",
            "who did what within a paper",
        ),
        (
            "what was igor responsible for on palm-e — did he run experiments or mostly advise?",
            "who did what within a paper",
        ),
        ("how does his h-index rank compared to other deepmind research scientists?", "other researchers' metrics"),
        ("how many pull requests has igor merged into the brax repo?", "GitHub activity or download statistics"),
        ("which of his papers got rejected before they were accepted?", "peer reviews or submission histories"),
        ("what programming languages does igor code in day to day?", "personal life"),
        ("what is he working on now that hasn't been published yet?", "work not yet published"),
        ("did igor sign any open letters calling for a pause?", "public statements or letters"),
        ("which coauthors were his interns?", "lab members or students"),
        ("whats igor's discord or slack handle?", "contact details or personal pages"),
        ("what are the titles of the 17 missing ones?", "the claimed papers that are not listed"),
        ("has anyone published a reproducibility study of decision transformer?", "work by others on his papers"),
        ("what's his h-index if you only count his robotics papers?", "metrics of a subset of his papers"),
        ("which of his 2022 papers has picked up the most citations so far?", "citation counts for single papers"),
        (
            "what learning rate did they use to train multi-game decision transformers?",
            BEYOND_ABSTRACTS,
        ),
        (
            "is the neural mmo codebase still maintained?",
            BEYOND_ABSTRACTS,
        ),
        ("bibtex q: what proceedings did the LatCo paper land in? need the booktitle field", "publication venues"),
        ("what changed between the arxiv preprint and the camera-ready of grounded decoding?", "publication venues"),
        (
            "what were the main reviewer objections in the blocks assemble! rebuttal?",
            "peer reviews or submission histories",
        ),
        ("has anyone independently replicated the U-shape bimanual sim2real results?", "replications by others"),
    ],
)
def test_kinds_of_data_the_profile_lacks(question: str, missing: str) -> None:
    assert (plan(question).intent, plan(question).missing) == ("not_in_profile", missing)


@pytest.mark.parametrize(
    "question",
    [
        "any papers from him on spam or phishing email detection?",
        "how does prompt inversion rejection sampling work?",
        "what did PaLM-E contribute over earlier embodied models?",
        "summarize his contributions for a grant report, grouped by theme",
        "if his papers were sorted into tracks at a conference, what would the tracks be?",
        "how is the h-index of a researcher computed?",
        "if mordatch gave a keynote covering his papers, what would the sections of the talk be?",
        "how many hours of video can gemini 2.5 pro take in?",
        "fake news / misinformation detection on social media, did mordatch ever work on that?",
        "how do i renew my driver's license in texas online",
        "inner monologue keeps the LLM frozen and talks to it: how?",
        "total citations + how many papers he had in 2022",
        "what did he contribute to multi-agent RL?",
        "which papers train language models to cite their sources?",
        "what papers does RT-2 cite?",
        "which hyperparameters does VeLO tune automatically?",
        "is the LOLA code not out yet?",
        "how do the legged robots handle the stance phase?",
        "papers on slack variables in trajectory optimization",
        "has he built an email assistant agent?",
        "papers on LLMs generating social media posts",
        "how does RT-1 differ from the other 2 papers on robot transformers?",
        "in the robotics (cs.RO) bucket, which papers have an LLM / language model somewhere in the pipeline?",
        # what the answer is wanted for asks for nothing: a grant form, a citation dump
        "what's his h-index? need it for a grant form",
        "which papers on the profile have kevin lu as a coauthor? need all of them for a citation dump",
        # where the asker is (a grant, an interview for his team) beside an overview or a complete listing
        "interviewing for his team next week. give me the main themes of his research so i can ask smart questions",
        "need to cite igor fairly in a grant. what are the main pillars of his work, w/ representative papers?",
        "putting abbeel-lab connections in a grant appendix: every pieter abbeel coauthored paper dated 2021 or before",
    ],
)
def test_words_of_missing_data_used_otherwise_ask_for_nothing_missing(question: str) -> None:
    assert plan(question).missing is None


@pytest.mark.parametrize(
    "question",
    [
        "if his papers were sorted into tracks at a conference, what would the tracks be?",
        "map his work on two axes: method families (transformers, EBMs) vs application areas (robots, games)",
        "how wide is the range of application domains in his work, from robots to materials?",
        "group his contributions by theme, with a result or two for each",
        "if mordatch gave a keynote covering his papers, what would the sections of the talk be?",
    ],
)
def test_asking_for_the_layout_of_the_whole_work_is_a_researcher_overview(question: str) -> None:
    result = plan(question)
    assert (result.intent, result.topic) == ("overview", "")


def test_chit_chat_after_the_question_is_no_topic_or_examples() -> None:
    result = plan("which of his papers are about multi-agent communication? asking for my thesis, thanks")
    assert (result.intent, result.topic, result.examples) == ("listing", "multi-agent communication", "")


def test_a_venue_name_is_a_venue_only_where_it_names_one() -> None:
    """The venue ACL is also a knee ligament: there it is a topic, for the coverage test to judge."""
    assert plan("his research on ACL knee injury rehab protocols?").missing is None


def test_a_listing_of_all_papers_on_a_topic_reads_named_papers_as_examples() -> None:
    scores = {"listing": 0.8, "lookup": 0.2}
    question = "since 2023, list all the papers on self-improving language models (debate, multiagent finetuning...)"
    planned = plan_question(question, CONTEXT, scores)
    assert (planned.intent, planned.papers) == ("listing", [])
    assert planned.topic == "self-improving language models" and planned.filters.year_from == 2023
    assert "multiagent finetuning" in planned.examples


def test_papers_marked_as_having_code() -> None:
    planned = plan("which of his papers are marked as having code? list em all")
    assert (planned.intent, planned.filters.has_code, planned.topic) == ("listing", True, "")


@pytest.mark.parametrize(
    ("question", "topic_word"),
    [("has he worked on fairness in hiring?", "hiring"), ("does he use the EM algorithm?", "EM")],
)
def test_words_that_only_look_like_asides_stay_in_the_topic(question: str, topic_word: str) -> None:
    planned = plan(question)
    assert planned.missing is None and topic_word in planned.topic.split()


def test_no_later_than_is_an_end_year() -> None:
    filters = plan("papers no later than 2020").filters
    assert (filters.year_from, filters.year_to) == (None, 2020)


def test_a_plain_list_request_keeps_the_paper_it_names() -> None:
    planned = plan_question("list the robots used in RT-2", CONTEXT, {"listing": 0.4, "lookup": 0.3})
    assert [TITLES[paper_id].split(":")[0] for paper_id in planned.papers] == ["RT-2"]


def test_every_paper_on_a_topic_is_a_listing_whatever_the_classifier_says() -> None:
    question = "from 2022 only: every paper where pretrained language models are used to plan actions"
    planned = plan_question(question, CONTEXT, {"lookup": 0.7, "listing": 0.3})
    assert planned.intent == "listing" and planned.filters.year == 2022 and "language models" in planned.topic


def test_talks_about_is_the_verb_not_talks_the_profile_lacks() -> None:
    assert plan("ALPT talks about source and target environments, what is the difference?").missing is None
    assert plan("has he given any invited talks?").intent == "not_in_profile"


def test_papers_named_only_among_a_listings_examples_are_examples() -> None:
    question = "cs.LG papers of his since 2022 that involve language models (like planners, palm-e, self-training)?"
    planned = plan_question(question, CONTEXT, {"listing": 0.6, "lookup": 0.4})
    assert (planned.intent, planned.papers, planned.topic) == ("listing", [], "language models")
    assert "palm-e" in planned.examples
    named = plan_question("what is palm-e (the embodied one)?", CONTEXT, {"definition": 0.9, "listing": 0.1})
    assert [TITLES[paper_id] for paper_id in named.papers] == ["PaLM-E: An Embodied Multimodal Language Model"]


def test_the_compared_operands_come_from_the_clause_naming_the_papers() -> None:
    planned = plan("ReST^EM vs the consensus-of-models approach: both push math without labels, but one finetunes?")
    assert planned.intent == "comparison" and planned.compared == ["consensus-of-models approach"]
    listed = plan("LOLA, melting pot 2.0, neural mmo v1.3 and multiagent debate: compare what multi-agent means")
    assert len(listed.papers) == 3 and listed.compared == ["multiagent debate"]


def test_a_bare_shared_name_is_the_paper_without_a_version() -> None:
    bare = plan("lola vs melting pot: what does each contribute?")
    assert [TITLES[paper_id] for paper_id in bare.papers][1].startswith("Scalable Evaluation of Multi-Agent")
    assert [TITLES[paper_id] for paper_id in plan("what is melting pot 2.0?").papers] == ["Melting Pot 2.0"]


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("any 2020 or 2021 papers of his with released code?", {"year_from": 2020, "year_to": 2021, "has_code": True}),
        ("the most recent paper he put out in 2023 on generating crystal structures?", {"year": 2023}),
        ("papers from 2021 on?", {"year_from": 2021}),
    ],
)
def test_years_in_words_beside_a_topic(question: str, filters: dict) -> None:
    assert plan(question).filters.model_dump(exclude_defaults=True) == filters


def test_what_else_he_works_on_is_his_other_work() -> None:
    planned = plan("i only know him from decision transformer lol. what else does he work on, broadly?")
    assert (planned.intent, planned.papers, planned.topic) == ("overview", [], "")
    assert [TITLES[paper_id] for paper_id in planned.exclude] == [
        "Decision Transformer: Reinforcement Learning via Sequence Modeling"
    ]


def test_a_title_head_before_an_exclamation_names_the_paper() -> None:
    planned = plan("Blocks Assemble! and Brax both lean on RL in simulation. contrast what each one contributes")
    assert planned.intent == "comparison" and len(planned.papers) == 2


def test_social_media_is_data_the_profile_lacks() -> None:
    assert plan("is he on bluesky or mastodon? would love to follow").intent == "not_in_profile"


def test_a_year_without_a_superlative_is_that_years_listing() -> None:
    assert plan_question("what came out in 2020", CONTEXT, {"recency": 0.7, "listing": 0.3}).intent == "listing"
    assert plan_question("newest paper from 2022?", CONTEXT, {"recency": 0.7, "listing": 0.3}).intent == "recency"


def test_the_verbs_of_a_paper_are_no_missing_data() -> None:
    assert plan("in the forgetful causal masking paper, why do they think masking helps?").missing is None
    assert plan("learning to ski at 35, should i just youtube it?").missing is None


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("fei xia coauthored papers that are tagged robotics: which is the newest?", {"category": "RO"}),
        ("newest LG-category paper he coauthored with yilun du", {"category": "LG"}),
        # the code after "arXiv", and a field arXiv is said to have put papers in
        ("nlp side only (arXiv CL), calendar 2023: which paper was the last one out the door?", {"category": "CL"}),
        ("which papers did arXiv put in computer vision rather than LG or RO? all of them", {"category": "CV"}),
        ("anything on arXiv AI alignment?", {"category": None}),  # (AI and ML name fields as often as categories)
        # marked without a preposition, a code "only", the category's full name with "&" before "tag"
        ("of the entries labelled RO, which is the oldest?", {"category": "RO"}),
        ("keep it to CL only: what's the most recent?", {"category": "CL"}),
        ("which is his latest paper under the computation & language tag?", {"category": "CL"}),
    ],
)
def test_categories_tagged_or_hyphenated(question: str, filters: dict) -> None:
    assert plan(question).filters.category == filters["category"]


def test_a_classifier_reading_of_missing_data_needs_words_saying_what_is_missing() -> None:
    assert plan_question("the first one", CONTEXT, {"not_in_profile": 0.95, "lookup": 0.05}).missing is None
    erdos = plan_question("what's mordatch's erdos number", CONTEXT, {"not_in_profile": 0.95, "lookup": 0.05})
    assert erdos.intent == "not_in_profile"


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("has he given any talks about multi-agent RL?", "talks, slides or videos"),
        ("any youtube lectures by him?", "talks, slides or videos"),
        ("in the LOLA paper, does he consider more than two agents?", None),
    ],
)
def test_talks_and_opinions_read_by_their_context(question: str, missing: str | None) -> None:
    assert plan(question).missing == missing


def test_what_else_on_a_topic_keeps_the_topic() -> None:
    planned = plan("besides RT-2, what else has he done on robot manipulation?")
    assert (planned.intent, planned.topic, planned.papers) == ("overview", "robot manipulation", [])
    assert TITLES[planned.exclude[0]].startswith("RT-2")


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("papers in 2022 + novelty score", ["by_year", "novelty"]),
        ("h-index as of 2023?", ["h_index"]),
    ],
)
def test_a_years_count_only_when_asked(question: str, metrics: list[str]) -> None:
    assert plan(question).metrics == metrics


def test_matching_is_a_topic_word_unless_it_means_the_filters() -> None:
    assert "matching" in plan("newest paper on flow matching").topic
    assert plan("2020 + cs.LG: gimme every paper matching both").topic == ""


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("h-index pls, and in which year did his listed paper count peak?", ["h_index", "peak_year"]),
        (
            "which org appears most in his affiliations, and what was his most prolific year?",
            ["affiliations", "peak_year"],
        ),
        ("number of claimed papers, plus the title of the most recent listed one", ["papers_claimed", "last_paper"]),
        ("year-by-year paper counts pls, plus the title of the very first paper", ["by_year", "first_paper"]),
        (
            "title of the oldest paper, title of the newest, and the year with the most papers?",
            ["last_paper", "peak_year"],
        ),
        ("per-year paper counts for him, and which of those years is the peak?", ["by_year", "peak_year"]),
        ("who has he coauthored with most, and what's the oldest paper?", ["top_coauthors", "first_paper"]),
        ("three quick stats: top coauthor and the year he published the most", ["top_coauthors", "peak_year"]),
    ],
)
def test_metric_cues_in_other_words(question: str, metrics: list[str]) -> None:
    assert set(metrics) <= set(plan(question).metrics)


@pytest.mark.parametrize(
    ("question", "scores", "intent"),
    [
        (
            "three ways he's used energy functions: implicit BC, EBMs for continual learning, and iterative "
            "reasoning via energy minimization. contrast them pls",
            {"lookup": 0.8, "comparison": 0.2},
            "comparison",
        ),
        (
            "his oldest paper (LOLA) vs his newest one (self-improving embodied foundation models): what changed?",
            {"recency": 0.9, "comparison": 0.1},
            "comparison",
        ),
        ("gemini 1.5: which competitor models did they compare against?", {"lookup": 0.8, "comparison": 0.2}, "lookup"),
    ],
)
def test_a_cue_joining_named_things_makes_a_comparison(question: str, scores: dict, intent: str) -> None:
    assert plan_question(question, CONTEXT, scores).intent == intent


def test_a_parenthesis_saying_what_is_not_meant_is_no_topic_or_example() -> None:
    result = plan("most recent paper of his on PaLM 2 models specifically (not PaLM-E or the original PaLM)?")
    assert "palm-e" not in f"{result.topic} {result.examples}".casefold()


@pytest.mark.parametrize(
    ("question", "alternatives"),
    [
        ("among his cs.CL papers, which ones deal with math or arithmetic?", ["math", "arithmetic"]),
        (
            "his abbeel collabs on pretrained language models / transformers?",
            ["pretrained language models", "transformers"],
        ),
        (
            "which 2022 papers train agents or robot policies with reinforcement learning?",
            ["train agents reinforcement learning", "robot policies reinforcement learning"],
        ),
        ("newest paper on robots (arms or legs)?", []),  # alternatives among the examples are examples
        ("list papers about sim-to-real or domain randomization", ["sim-to-real", "domain randomization"]),
        ("papers where two or more agents cooperate", []),
        ("papers on actor/critic methods", []),
    ],
)
def test_a_set_topic_offering_alternatives_names_each(question: str, alternatives: list[str]) -> None:
    assert plan_question(question, CONTEXT, {"listing": 0.9, "recency": 0.1}).alternatives == alternatives


def test_layout_words_keep_a_topic_the_question_names() -> None:
    result = plan("give me the full picture of his work on robot learning")
    assert (result.intent, result.topic) == ("overview", "robot learning")


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("snapshot of 2020 for him: what was he working on that year?", {"year": 2020}),
        ("2022 was his busiest year. what did that year's output cover? overview pls", {"year": 2022}),
        ("rundown of his 2024 and 2025 papers and what they're about", {"year_from": 2024, "year_to": 2025}),
        ("what was igor working on back in 2021? give me a rundown of that year's papers", {"year": 2021}),
    ],
)
def test_an_overview_of_a_period_lays_out_that_periods_work(question: str, filters: dict) -> None:
    planned = plan(question)
    assert (planned.intent, planned.topic, planned.metrics) == ("overview", "", [])
    assert planned.filters.model_dump(exclude_defaults=True) == filters


def test_a_period_with_a_topic_or_without_an_overview_cue_is_no_period_overview() -> None:
    assert plan("overview of his 2022 work on energy-based models").topic
    assert plan("what was his busiest year?").metrics == ["peak_year"]
    assert plan("list his 2021 papers and summarize the themes").intent == "listing"


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("what was mordatch's master's thesis about?", "education"),
        ("which of his papers include a broader impact or ethics statement section?", "beyond the abstracts"),
        ("what are the page counts of his 2022 papers?", "beyond the abstracts"),
    ],
)
def test_more_data_the_profile_lacks(question: str, missing: str) -> None:
    planned = plan(question)
    assert planned.intent == "not_in_profile" and missing in (planned.missing or "")


def test_data_the_profile_lacks_read_by_its_words_not_a_mention() -> None:
    assert plan("papers that bound the thesis of scaling laws").missing is None
    assert plan("asking for my thesis: his papers on robot learning").missing is None
    assert plan("is there a thesis running through his robotics work?").missing is None


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("need his h-index and the number of papers he put out in 2022", ["by_year", "h_index"]),
        ("citations, h-index, and the count of papers shown", ["h_index", "citations", "papers_claimed"]),
        ("h-index, and what's the title of the most recent paper he has listed?", ["h_index", "last_paper"]),
    ],
)
def test_more_metric_cues(question: str, metrics: list[str]) -> None:
    assert set(metrics) <= set(plan(question).metrics)


def test_a_paper_called_by_two_words_of_its_title() -> None:
    compared = plan("gemini 1.5 vs the adversarial arithmetic paper: how do their views of frontier LLMs differ?")
    assert compared.intent == "comparison"
    assert [TITLES[paper_id][:14] for paper_id in compared.papers] == ["Gemini 1.5: Un", "Frontier Langu"]
    # "his ... work" is a body of work, not a paper
    assert plan("walk me through his magnetic block assembly work").papers == []
    quoted = plan("in 'implicit offline RL via supervised learning', what is the proposed method?")
    assert [TITLES[paper_id][:26] for paper_id in quoted.papers] == ["Implicit Offline Reinforce"]
    assert plan("he's got papers on energy models, igor's best ones?").papers == []  # apostrophes quote nothing
    # asked for papers on them, a paper's words are a topic; a word outside the title names no paper
    assert plan("which of his papers use 'long context'?").papers == []
    assert plan('list papers that use "behavioral cloning"').papers == []
    assert plan("what did his graph neural networks paper find?").papers == []


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("for a podcast intro: what are his signature research areas?", None),
        ("writing his speaker bio, need his h-index", None),
        ("did he appear on a podcast?", "talks, slides or videos"),
        ("for his keynote talk, is there a video?", "talks, slides or videos"),
    ],
)
def test_what_an_answer_is_for_is_not_what_is_asked(question: str, missing: str | None) -> None:
    assert plan(question).missing == missing


def test_what_an_answer_is_for_is_no_topic() -> None:
    planned = plan("preparing a talk: which of his papers have code?")
    assert (planned.intent, planned.topic, planned.filters.has_code) == ("listing", "", True)


def test_a_category_written_in_words_and_code_leaves_no_category_word_in_the_topic() -> None:
    planned = plan("which robotics (RO) papers of his use a transformer architecture?")
    assert (planned.filters.category, planned.topic) == ("RO", "transformer architecture")


def test_newest_first_in_the_question_asks_for_the_newest_whatever_the_classifier_says() -> None:
    question = "newest work of his on learning from demonstrations that are missing labels?"
    assert plan_question(question, CONTEXT, {"overview": 0.6, "recency": 0.4}).intent == "recency"
    assert (
        plan_question("his work on imitation learning, newest first?", CONTEXT, {"overview": 0.6}).intent == "overview"
    )


def test_what_the_question_says_is_not_just_meant_is_no_topic() -> None:
    assert plan("which of his robotics papers test on physical robot hardware, not just sim?").topic == (
        "test physical robot hardware"
    )


@pytest.mark.parametrize(
    "question", ["give me 3 points on his robotics research", "what's the main point of his multi-agent work?"]
)
def test_points_of_an_answer_are_no_topic(question: str) -> None:
    assert "point" not in plan(question).topic


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("ignoring anything after 2022, what's the newest model-based RL paper he's on?", {"year_to": 2022}),
        ("excluding papers before 2020, list his robotics work", {"year_from": 2020, "category": "RO"}),
        ("skipping anything since 2023, his newest paper?", {"year_to": 2022}),
    ],
)
def test_years_set_aside_on_one_side(question: str, filters: dict) -> None:
    assert plan(question).filters.model_dump(exclude_defaults=True) == filters


def test_a_line_of_work_named_by_one_paper_is_a_topic() -> None:
    family = plan("most recent paper of his on implicit policies, the implicit BC family?")
    assert (family.papers, family.topic) == ([], "implicit policies implicit BC")
    assert plan("between 2022 and 2023, his papers in the decision-transformer style?").topic == "decision-transformer"
    assert plan("what's the family of tasks in RT-1?").papers  # a family of things in a paper names the paper


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("has igor ever testified before congress about AI?", "public statements or letters"),
        ("was the LOLA paper rejected anywhere before it got accepted?", "peer reviews or submission histories"),
        ("when's the next neural mmo competition and how do i sign up?", "upcoming events or sign-ups"),
        ("what framework is the LOLA repo written in, tensorflow or pytorch?", BEYOND_ABSTRACTS),
        ("does igor personally prefer jax or pytorch?", BEYOND_ABSTRACTS),
        ("what review scores did the VeLO submission get on openreview?", "peer reviews or submission histories"),
    ],
)
def test_still_more_data_the_profile_lacks(question: str, missing: str) -> None:
    assert plan(question).missing == missing


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("list all his LG (machine learning) papers from 2021 through 2022", {"category": "LG"}),
        ("code-released papers in LG, restricted to 2021 and 2022", {"category": "LG", "has_code": True}),
        ("what has igor done with daniel freeman (the brax guy)?", {"author": "C. Daniel Freeman"}),
    ],
)
def test_filters_in_more_words_leave_no_topic(question: str, expected: dict) -> None:
    planned = plan(question)
    assert (planned.topic, planned.papers) == ("", [])
    assert expected.items() <= planned.filters.model_dump(exclude_defaults=True).items()


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("quick stats pls: h-index and how many times he's been cited overall?", ["h_index", "citations"]),
        ("how many papers from 2017 are on the profile, and what's the earliest one called?", ["first_paper"]),
    ],
)
def test_metric_cues_in_yet_more_words(question: str, metrics: list[str]) -> None:
    assert set(metrics) <= set(plan(question).metrics)


def test_a_period_overview_beside_its_peak_keeps_no_metric_word_as_topic() -> None:
    question = "2022 was apparently his busiest year. what themes were his 2022 papers about?"
    planned = plan_question(question, CONTEXT, {"listing": 0.6, "overview": 0.4})
    assert (planned.intent, planned.topic, planned.metrics) == ("overview", "", [])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("of the few papers that link a github repo, which came out last?", {"has_code": True}),
        (
            "from 2022 on, which papers have a code release? need the full list for a reproducibility audit",
            {"year_from": 2022, "has_code": True},
        ),
        ("I'm compiling his pre-2020 output: list every paper dated 2019 or earlier", {"year_to": 2019}),
        ("which 2021 paper of his has the latest date, like november-ish?", {"year": 2021}),
        ("since 2022, what are his computation & language (CL) papers?", {"year_from": 2022, "category": "CL"}),
        ("I only trust papers with code. limited to 2021 and earlier, what's on the list?", {"year_to": 2021}),
        # (no filter: the newest of all)
        ("writing a recent-advances paragraph and want whatever he published last. which paper tops the list?", {}),
    ],
)
def test_filters_amid_chatter_leave_no_topic(question: str, expected: dict) -> None:
    planned = plan(question)
    assert planned.topic == ""
    assert expected.items() <= planned.filters.model_dump(exclude_defaults=True).items()


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("which paper is listed as his oldest, and which as his newest?", ["first_paper", "last_paper"]),
        (
            "what was the very first paper on his profile, and what's the latest one? titles pls",
            ["first_paper", "last_paper"],
        ),
        ("how productive was 2021 for him, number-of-papers wise?", ["by_year"]),
    ],
)
def test_both_ends_and_a_years_output_are_metrics(question: str, metrics: list[str]) -> None:
    assert set(metrics) <= set(plan(question).metrics)


def test_a_code_count_beside_a_years_count_is_two_counts_but_in_one_clause_a_filtered_one() -> None:
    two = plan("2021 paper count please, plus how many of his listed papers have a code release")
    assert set(two.metrics) == {"by_year", "with_code"} and not two.filters.has_code
    one = plan("how many papers with code in 2021?")
    assert (one.intent, one.topic, one.metrics) == ("listing", "", [])
    assert (one.filters.year, one.filters.has_code) == (2021, True)
    since = plan("how many papers with code since 2020?")
    assert (since.intent, since.topic, since.filters.has_code) == ("listing", "", True)


def test_who_an_explanation_is_for_is_no_data_asked_for() -> None:
    planned = plan("can u explain implicit behavioral cloning like i'm a first year grad student")
    assert (planned.intent, planned.missing, planned.topic) == ("definition", None, "")


def test_a_paper_called_by_two_title_words_joined_by_a_plus() -> None:
    planned = plan("what's the training setup in the hallucinations + detectability paper?")
    assert [TITLES[paper] for paper in planned.papers] == [
        next(title for title in TITLES.values() if "Detectability" in title)
    ]


def test_an_overview_asked_for_is_no_missing_data_by_the_classifier_alone() -> None:
    question = "overview of his cs.RO-category work: what robotics problems do those papers go after?"
    planned = plan_question(question, CONTEXT, {"not_in_profile": 0.6, "overview": 0.4})
    assert (planned.intent, planned.missing, planned.filters.category) == ("overview", None, "RO")


def test_what_it_is_asked_for_only_when_nothing_about_it_follows() -> None:
    assert plan("PaLM-E - what is it exactly?").intent == "definition"
    assert plan("the RT-1 paper: what is it trained on?").intent == "lookup"
    assert plan("VeLO's learned optimizers, what are they optimized for?").intent == "lookup"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the review's false positives: topics about code, counting, sets, dates and reviews stay topics
        ("papers about code repositories", "code repositories"),
        ("papers that link code and natural language", "link code natural language"),
        ("papers on object counting", "object counting"),
        ("papers about exact inference", "exact inference"),
        ("papers on training set contamination", "training set contamination"),
        ("any papers on agents negotiating deals?", "agents negotiating deals"),
        ("any papers on predicting review ratings with LLMs?", "predicting review ratings LLMs"),
    ],
)
def test_words_of_chatter_elsewhere_stay_in_a_topic(question: str, expected: str) -> None:
    planned = plan(question)
    assert (planned.topic, planned.filters.has_code, planned.missing) == (expected, None, None)


def test_a_code_count_stays_one_filtered_count_unless_a_second_count_is_asked() -> None:
    assert plan("in 2021, how many of his papers had code?").filters.model_dump(exclude_defaults=True) == {
        "year": 2021,
        "has_code": True,
    }
    generated = plan("how many papers in 2022 generate code?")  # code the papers generate is a topic
    assert (generated.metrics, generated.topic) == ([], "generate code")
    topical = plan("how many papers with code are about energy-based models?")
    assert (topical.filters.has_code, topical.topic) == (True, "energy-based models")


@pytest.mark.parametrize(
    "question",
    ["is he looking for first year phd students?", "what advice does he give to a new phd student?"],
)
def test_students_asked_about_are_not_an_audience(question: str) -> None:
    assert plan(question).intent == "not_in_profile"


def test_first_author_is_no_earliest_paper() -> None:
    assert plan("what's his latest paper and who is the first author?").metrics == ["last_paper"]


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("h index plus the count of papers with released code", ["h_index", "with_code"]),
        ("novelty % and ai_score pls", ["novelty", "ai_score"]),
        ("what does his profile start with (oldest), and what's the newest entry?", ["first_paper", "last_paper"]),
        ("what was his 2021 tally, paper-wise?", ["by_year"]),
        ("how many papers so far in 2024, and which year holds the record?", ["by_year", "peak_year"]),
        ("how many CL papers vs RO papers?", ["by_category"]),
    ],
)
def test_metric_cues_in_still_more_words(question: str, metrics: list[str]) -> None:
    assert set(metrics) <= set(plan(question).metrics)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("of the yilun du papers, which is newest if i skip 2022 onwards?", {"year_to": 2021}),
        ("2020-21 window, LG category: the last one he published?", {"year_from": 2020, "year_to": 2021}),
        ("most recent RO paper with a public repo?", {"category": "RO", "has_code": True}),
    ],
)
def test_more_filters_in_words(question: str, expected: dict) -> None:
    assert expected.items() <= plan(question).filters.model_dump(exclude_defaults=True).items()


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("is igor fluent in french?", "personal life"),
        ("on which papers did he personally write the code?", "who did what on each paper"),
        ("which of his papers list equal contribution?", "who did what on each paper"),
        ("what's the h-index of his coauthor yilun du?", "Yilun Du's own metrics"),
    ],
)
def test_yet_more_data_the_profile_lacks(question: str, missing: str) -> None:
    assert plan(question).missing == missing


def test_a_coined_names_words_name_its_paper_but_a_fields_do_not() -> None:
    masking = plan("what is forgetful causal masking?")
    assert [TITLES[paper].startswith("Towards Better Few-Shot") for paper in masking.papers] == [True]
    assert plan("his 2023 papers on reinforcement learning").papers == []


def test_a_ranked_coauthor_named_beside_the_ranking_is_no_filter() -> None:
    ranked = plan_question(
        "who's his #2 most frequent coauthor, after yilun du?", CONTEXT, {"metrics": 0.6, "recency": 0.4}
    )
    assert (ranked.metrics, ranked.filters.author) == (["top_coauthors"], None)
    assert plan("which papers did Daniel Freeman co-author?").filters.author == "C. Daniel Freeman"


def test_the_most_recent_paper_with_a_coauthor_keeps_the_coauthor() -> None:
    planned = plan_question(
        "the most recent paper where fei xia is a coauthor?", CONTEXT, {"recency": 0.6, "metrics": 0.4}
    )
    assert (planned.intent, planned.filters.author) == ("recency", "Fei Xia")


def test_a_leading_sentence_of_context_asks_for_no_missing_data() -> None:
    grant = plan("drafting the collaborators part of a grant. can you sum up his research themes?")
    assert (grant.intent, grant.missing) == ("overview", None)
    club = plan("trivia night at journal club: which of his papers is the newest?")
    assert club.missing is None
    # a sentence about him is what is asked, even before a short question
    assert plan("his github stars. how many are there?").missing == "GitHub activity or download statistics"


@pytest.mark.parametrize(
    ("question", "missing"),
    [("irony detection in tweets, has he done any?", None), ("does he tweet about new papers?", "contact details")],
)
def test_tweets_are_his_account_only_when_his(question: str, missing: str | None) -> None:
    found = plan(question).missing
    assert (found if found is None else found.split(" or ")[0]) == missing


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("annual paper counts for the whole profile, please", ["by_year"]),
        ("which paper is the very first, and how many came out in 2021?", ["first_paper", "by_year"]),
        ("h-index + the newest listed paper", ["h_index", "last_paper"]),
        ("how many in 2022, and which year was the high-water mark?", ["by_year", "peak_year"]),
        ("which paper kicks the profile off?", ["first_paper"]),
    ],
)
def test_metric_cues_of_a_fresh_set(question: str, metrics: list[str]) -> None:
    assert set(metrics) <= set(plan(question).metrics)


def test_a_listing_for_a_calendar_year_keeps_no_topic() -> None:
    listed = plan("for our year-in-review doc: enumerate each paper dated calendar year 2023, nothing from other years")
    assert (listed.filters.year, listed.topic) == (2023, "")


def test_a_topic_ruled_out_is_set_aside_not_searched() -> None:
    plan = plan_question("newest yilun du collab that has nothing to do with language models?", CONTEXT)
    assert plan.set_aside == "language models" and not plan.topic
    assert plan.filters.author == "Yilun Du"
    plan = plan_question("his RO papers that don't involve a vision-language model at all", CONTEXT)
    assert plan.set_aside == "vision-language model" and plan.filters.category == "RO"


def test_a_word_after_a_shared_name_picks_the_paper_whose_title_has_it() -> None:
    """ "the neural mmo platform paper" is "The Neural MMO Platform ...", though "original" is said of another."""
    plan = plan_question("neural mmo platform paper vs the original melting pot paper, which came out later?", CONTEXT)
    assert [TITLES[paper_id].split(":")[0] for paper_id in plan.papers] == [
        "The Neural MMO Platform for Massively Multiagent Research",
        "Scalable Evaluation of Multi-Agent Reinforcement Learning with Melting Pot",
    ]


def test_a_slash_between_two_words_offers_those_words_only() -> None:
    plan = plan_question("which multi-agent RL environment/benchmark paper of his is the most recent one?", CONTEXT)
    assert plan.alternatives == ["multi-agent RL environment", "multi-agent RL benchmark"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("robotics-category papers of his that come with code", {"category": "RO", "has_code": True}),
        ("stopping the clock at end of 2023, his latest on LLM hallucinations?", {"year_to": 2023}),
        ("within 2023, what's the latest paper on LLM debate?", {"year": 2023}),
        ("every paper since the start of 2022 with yilun du", {"year_from": 2022, "author": "Yilun Du"}),
        ("his computer-vision-tagged papers from 2021", {"year": 2021, "category": "CV"}),
    ],
)
def test_filters_in_a_fresh_sets_words(question: str, expected: dict) -> None:
    plan = plan_question(question, CONTEXT)
    assert plan.filters.model_dump(exclude_defaults=True) == expected
    assert not {"category", "end", "within", "robotics-category"} & set(plan.topic.split())


@pytest.mark.parametrize(
    "question",
    [
        "latest paper where shuang li is the FIRST author?",
        "most recent shuang li first-author paper on the profile?",
        "list the papers shuang li first-authored",
    ],
)
def test_a_first_author_is_a_filter(question: str) -> None:
    plan = plan_question(question, CONTEXT)
    assert plan.filters.first_author == "Shuang Li"
    assert not {"first-author", "first-authored", "FIRST"} & set(plan.topic.split())


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("what are the titles of his first and most recent listed ones?", ["first_paper", "last_paper"]),
        ("oldest entry on the profile?", ["first_paper"]),
        ("newest listed paper plus the 2021 count", ["last_paper", "by_year"]),
    ],
)
def test_the_ends_of_the_listing_in_more_words(question: str, metrics: list[str]) -> None:
    assert set(metrics) <= set(plan(question).metrics)


@pytest.mark.parametrize(
    "question",
    [
        "i'm a biologist who just joined this server. broadly, what does he work on?",
        "planning a workshop panel and need to know his main research areas",
    ],
)
def test_the_askers_situation_asks_for_no_missing_data(question: str) -> None:
    assert (plan(question).intent, plan(question).missing) == ("overview", None)


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("who are the best-known labs citing RT-1?", "papers citing his papers"),
        ("what did the meta-review say about the VeLO paper?", "peer reviews or submission histories"),
        ("carbon footprint of training gemini 1.5?", BEYOND_ABSTRACTS),
        ("when was the last commit on the brax repo?", "GitHub activity or download statistics"),
    ],
)
def test_data_about_a_named_paper_the_profile_lacks(question: str, missing: str) -> None:
    assert plan(question).missing == missing


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("every levine-coauthored paper", {"author": "Sergey Levine"}),
        ("his 2022 papers with a public codebase", {"year": 2022, "has_code": True}),
    ],
)
def test_filters_joined_to_other_words(question: str, expected: dict) -> None:
    assert plan(question).filters.model_dump(exclude_defaults=True) == expected


@pytest.mark.parametrize(
    ("question", "set_aside"),
    [
        ("newest 2023 paper, skipping anything about language models or robots", "language models, robots"),
        ("newest RO paper where no language model is involved", "language model"),
        ("his latest paper ignoring 2024 and 2025?", ""),  # years left out are a filter, no topic
    ],
)
def test_more_ways_to_rule_a_topic_out(question: str, set_aside: str) -> None:
    assert plan(question).set_aside == set_aside


def test_an_aside_in_brackets_describes_an_operand_but_is_none() -> None:
    compared = plan("Brax (a physics engine), VeLO (learned optimizers) and ReST: how do their approaches line up?")
    assert compared.intent == "comparison" and compared.compared == ["ReST"]


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("did brax ever win a best paper award?", "funding or awards"),
        ("who funded the VeLO compute? any grant?", "funding or awards"),
        ("is there a recorded talk on the γ-model paper?", "talks, slides or videos"),
        # a topic whose words are also data the profile lacks, asked about as a topic
        ("LLMs writing review comments on pull requests, anything like that from him?", None),
        ("does he have a github profile?", "GitHub activity or download statistics"),
    ],
)
def test_awards_talks_and_topics_worded_like_missing_data(question: str, missing: str | None) -> None:
    assert plan(question).missing == missing


@pytest.mark.parametrize(
    "question",
    [
        "podcast host here, prepping to interview him. what are his main research areas?",
        "what problems does he keep coming back to across his career? big picture pls",
    ],
)
def test_an_overview_asked_beside_where_it_is_for_is_an_overview(question: str) -> None:
    assert (plan(question).intent, plan(question).missing) == ("overview", None)


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("who he's published with most, and his h-index", ["top_coauthors", "h_index"]),
        ("how many papers he had in 2021, and his total citation count", ["by_year", "citations"]),
        ("what's the newest one called, and his novelty?", ["last_paper", "novelty"]),
        ("how many papers in 2023, and was it actually his peak?", ["by_year", "peak_year"]),
    ],
)
def test_metrics_asked_beside_others(question: str, metrics: list[str]) -> None:
    planned = plan(question)
    assert set(metrics) <= set(planned.metrics) and planned.missing is None


def test_named_papers_with_what_they_share_are_ordered_by_date_unfiltered() -> None:
    planned = plan("VeLO, ALPT and melting pot 2.0 all came out in nov 2022. which of the three is the latest?")
    assert planned.intent == "recency" and len(planned.papers) == 3
    assert planned.filters.model_dump(exclude_defaults=True) == {}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("his last paper with yilun du before the calendar flipped to 2022?", {"year_to": 2021, "author": "Yilun Du"}),
        ("which computation-and-language paper came last?", {"category": "CL"}),
        ("every cs.CL paper from 2023 through now, don't skip the tech reports", {"year_from": 2023, "category": "CL"}),
    ],
)
def test_filters_in_the_words_of_check47_to_49(question: str, expected: dict) -> None:
    planned = plan(question)
    assert planned.filters.model_dump(exclude_defaults=True) == expected
    assert not {"calendar", "flipped", "computation-and-language", "now", "skip", "tech"} & set(planned.topic.split())


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # an acronym beside its own words is the same topic said twice
        (
            "giving a 20 min reading-group talk on energy-based models. which ones should i pull, and what job does "
            "the EBM do?",
            "energy-based models",
        ),
        ("been a while since i checked - what's the most recent igor paper and what's it about in a sentence?", ""),
        ("his robotics-category papers from before the LLM wave, i.e. 2021 and earlier", ""),
        ("putting together a poster on his 2022 robotics output. need every RO-category paper, none missing", ""),
        ("post-2023 check: which LG-category papers does the profile show for 2024 and 2025 combined?", ""),
        # the categories a category filter sets apart are no topic
        (
            "what did he put out in 2023 that arXiv filed under machine learning (cs.LG) rather than robotics or NLP?",
            "",
        ),
        ("wenlong huang's output with igor, start to finish: the complete set", ""),
        # who wants the answer: "my roommate is a materials scientist and wants to know"
        (
            "my roommate is a materials scientist and wants to know what igor did on crystals, atoms, microscopy etc",
            "crystals atoms microscopy",
        ),
    ],
)
def test_chat_around_the_question_is_no_topic(question: str, topic: str) -> None:
    assert plan(question).topic == topic


def test_a_paper_after_newer_than_is_a_date() -> None:
    rt2 = next(paper for paper in PARSED.papers if paper.title.startswith("RT-2"))
    plan_ = plan("anything newer than RT-2 on robot learning?")
    assert plan_.papers == [] and plan_.filters.date_from == rt2.date + dt.timedelta(days=1)
    assert plan_.topic == "robot learning"


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("seminar poster blurb: novelty %, newest paper title, and total papers listed", {"novelty", "last_paper"}),
        (
            "is he slowing down? which year was his peak for paper count, and how many in 2025 so far",
            {"peak_year", "by_year"},
        ),
        (
            "was 2021 his most productive? give me 2021's count and whichever year actually topped it",
            {"peak_year", "by_year"},
        ),
        ("quick check: is 2018 empty on his profile? and his h-index", {"by_year", "h_index"}),
        ("the person who's coauthored the most papers with him, and his main institution", {"top_coauthors"}),
    ],
)
def test_metrics_asked_in_other_words(embeddings, question: str, metrics: set[str]) -> None:
    scores = IntentClassifier(embeddings).scores(question, CONTEXT.owner)
    result = plan_question(question, CONTEXT, scores)
    assert result.intent == "metrics" and metrics <= set(result.metrics)


def _titled(start: str) -> str:
    return next(paper.id for paper in PARSED.papers if paper.title.startswith(start))


@pytest.mark.parametrize(
    ("question", "titles"),
    [
        # four words of one title name it, the rest of the title with them; "RL" is spelled out as titles spell it
        ("how does iterative reasoning through energy minimization think longer?", ["Learning Iterative Reasoning"]),
        ("in implicit offline RL via supervised learning, what is the extra signal?", ["Implicit Offline"]),
        # an abbreviation does not name the paper it is in the title of: a field is no paper
        ("setting up a new multi-agent RL project: which of his tools help?", []),
        # "melting pot, not 2.0" is not "Melting Pot 2.0"
        ("what does melting pot evaluate (the original melting pot, not 2.0)?", ["Scalable Evaluation of Multi-Agent"]),
    ],
)
def test_papers_named_by_words_of_their_titles(question: str, titles: list[str]) -> None:
    assert plan(question).papers == [_titled(title) for title in titles]


@pytest.mark.parametrize(
    "question",
    [
        "the silicon dopant paper and ALPT both learn a model from data. what is it used for in each?",
        "RT-1 and the decision transformer paper loop over tokens. is it the same idea or not?",
    ],
)
def test_cues_that_join_things_into_a_comparison(question: str) -> None:
    assert plan(question).intent == "comparison"


@pytest.mark.parametrize(
    ("question", "left_out"),
    [
        ("what's his newest paper other than the gemini 2.5 report?", "Gemini 2.5"),
        (
            "kamyar ghasemipour collabs excluding the 2025 self-improving embodied FM one: which is the latest?",
            "Self-Improving",
        ),
    ],
)
def test_a_named_paper_left_out(question: str, left_out: str) -> None:
    result = plan(question)
    assert result.exclude == [_titled(left_out)] and result.papers == []
    assert result.intent == "recency" and result.filters.year_to is None  # "the 2025 ... one" is no year bound


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("building a reproduction queue: every paper from 2021 onward that ships code", {"year_from", "has_code"}),
        ("wenlong huang's papers that arXiv calls machine learning (cs.LG)", {"author", "category"}),
        ("every cs.CL paper between 2022 and 2024 inclusive", {"year_from", "year_to", "category"}),
    ],
)
def test_filtered_listings_with_no_topic_left(question: str, filters: set[str]) -> None:
    result = plan(question)
    assert result.intent == "listing" and not result.topic
    assert {key for key, value in result.filters.model_dump().items() if value is not None} == filters


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("which creative commons license is the multiagent debate preprint under?", "software licenses"),
        ("is there a recording of igor presenting the multiagent debate paper?", "talks, slides or videos"),
    ],
)
def test_missing_data_asked_of_a_named_paper(question: str, missing: str) -> None:
    result = plan(question)
    assert (result.intent, result.missing) == ("not_in_profile", missing)


def _year_counts() -> dict[int, int]:
    counts: dict[int, int] = {}
    for paper in PARSED.papers:
        counts[paper.year] = counts.get(paper.year, 0) + 1
    return counts


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a named paper standing for its year, its category or its first author
        ("which cs.CL papers came out in the same year as RT-2?", {"year": "RT-2"}),
        ("decision transformer came out the same year as a few others. list that year's papers", {"year": "Decision"}),
        ("list the papers that share LOLA's arXiv category", {"category": "Learning with Opponent"}),
        ("newest paper with the first author of RT-1 on it?", {"author": "RT-1"}),
    ],
)
def test_filters_given_by_a_named_paper(question: str, expected: dict[str, str]) -> None:
    result = plan(question)
    values = {}
    for key, value in expected.items():
        paper = next(paper for paper in PARSED.papers if paper.title.startswith(value))
        values[key] = {"year": paper.year, "category": paper.category, "author": paper.authors[0]}[key]
    assert {key: getattr(result.filters, key) for key in values} == values
    assert result.papers == [] and result.intent in ("listing", "recency")


def test_filters_given_by_profile_facts() -> None:
    counts = _year_counts()
    peak = max(year for year, count in counts.items() if count == max(counts.values()))
    assert plan("list the cs.RO papers from his most productive year").filters.year == peak
    assert plan("which papers came out after his peak year?").filters.year_from == peak + 1
    assert plan("everything from the same year as his latest paper").filters.year == max(counts)
    second = plan("his second most frequent coauthor: what's the newest paper the two of them have together?")
    assert second.filters.author and second.intent == "recency"
    # the person or the year asked for is a metric, not a filter
    assert "top_coauthors" in plan("who's his most frequent coauthor, and how many papers does he have?").metrics
    assert plan("did he slow down after his peak year? which year was it?").filters.year_from is None


@pytest.mark.parametrize(
    "question",
    [
        "new postdoc here, joining his group in january. what are the main threads of his research?",
        "I'm interviewing Igor for our newsletter next week. can you give me an overview of his research areas?",
    ],
)
def test_a_lead_sentence_about_the_asker_is_context_though_it_names_him(question: str) -> None:
    result = plan(question)
    assert (result.intent, result.missing) == ("overview", None)


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("benchmarking club: i need every paper of his from 2022 that has public code", {"year", "has_code"}),
        ("putting together a deck for our lab: all his cs.RO papers since 2023, please", {"year_from", "category"}),
    ],
)
def test_the_askers_context_names_no_topic_under_a_filter(question: str, filters: set[str]) -> None:
    result = plan(question)
    assert result.intent == "listing" and not result.topic
    assert {key for key, value in result.filters.model_dump().items() if value is not None} == filters


def test_two_co_authors_on_one_paper() -> None:
    both = plan("what's the newest paper with both yilun du and shuang li on it?").filters
    assert (both.author, both.also_author) == ("Yilun Du", "Shuang Li")
    either = plan("papers with yilun du or shuang li").filters
    assert either.also_author is None


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("what has he done with ML for chemistry?", None),
        ("spam filtering with ML (naive bayes etc) - anything from him?", None),
        ("his papers in the stat.ML category", "ML"),
    ],
)
def test_ml_in_running_text_is_the_field_not_the_category(question: str, category: str | None) -> None:
    assert plan(question).filters.category == category


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("in GenMS, what does the model in the pipeline predict for each structure?", None),
        ("did he sign the open statement on AI risk?", "public statements or letters"),
        ("which of his papers should go on the syllabus for my robot learning course?", None),
    ],
)
def test_words_of_missing_data_used_otherwise(question: str, missing: str | None) -> None:
    assert plan(question).missing == missing


def test_a_count_mentioned_while_asking_for_his_work_sorted_into_groups_is_an_aside() -> None:
    result = plan("if you split his ~50 listed papers into a few buckets, what would they be?")
    assert (result.intent, result.metrics) == ("overview", [])


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("if you order his cs.CL papers by date, which entry comes out on top?", {"category"}),
        ("shuang li + igor, full list with dates", {"author"}),
        ("his 2021 batch, all of it, for a lit review table", {"year"}),
        ("stopping the clock at the end of 2020, what was his latest robotics paper?", {"year_to", "category"}),
    ],
)
def test_words_about_the_list_itself_are_no_topic_under_a_filter(question: str, filters: set[str]) -> None:
    result = plan(question)
    assert result.intent in ("listing", "recency") and not result.topic
    assert {key for key, value in result.filters.model_dump().items() if value is not None} == filters


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("newest title on record plus his h-index", {"last_paper", "h_index"}),
        ("h-index and number of claimd papers", {"h_index", "papers_claimed"}),
        ("whose name appears next to his most often?", {"top_coauthors"}),
        ("is he mostly cs.RO? category counts please", {"by_category"}),
    ],
)
def test_more_metrics_in_other_words(embeddings, question: str, metrics: set[str]) -> None:
    result = plan_question(question, CONTEXT, IntentClassifier(embeddings).scores(question, CONTEXT.owner))
    assert result.intent == "metrics" and metrics <= set(result.metrics)


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("is the brax code licensed for commercial use?", "software licenses"),
        ("sort his 2021 papers by how many times each was cited", "citation counts for single papers"),
        ("how many GPU-hours did all his papers use together?", BEYOND_ABSTRACTS),
    ],
)
def test_more_missing_data_in_other_words(question: str, missing: str) -> None:
    result = plan(question)
    assert (result.intent, result.missing) == ("not_in_profile", missing)


@pytest.mark.parametrize(
    "question",
    [
        "sum up his research as a few themes, please",
        "what ties the RL, robot and LLM work together for him?",
    ],
)
def test_his_work_as_a_few_themes_is_laid_out(question: str) -> None:
    result = plan(question)
    assert (result.intent, result.topic) == ("overview", "")


def test_how_his_work_drifted_between_two_eras_spans_them() -> None:
    result = plan("how did his focus drift between the 2018/2020 papers and the 2024 ones? themes please")
    assert result.intent == "overview" and (result.filters.year_from, result.filters.year_to) == (2018, 2024)


def test_everything_with_a_co_author_in_date_order_is_a_listing() -> None:
    result = plan("everything kevin lu coauthored, oldest to newest")
    assert (result.intent, result.filters.author) == ("listing", "Kevin Lu")


def test_code_available_is_the_code_filter() -> None:
    result = plan("code-available papers up to 2020, full list")
    assert result.filters.has_code and not result.topic


@pytest.mark.parametrize(
    ("question", "topic_word"),
    [
        ("reading group on diffusion models: list all his papers since 2023", "diffusion"),
        ("list his papers between 2019 and 2022 that focus on robot manipulation", "manipulation"),
        ("which of his 2021 papers are about batch RL?", "batch"),
    ],
)
def test_topic_words_that_context_and_list_talk_rules_keep(question: str, topic_word: str) -> None:
    assert topic_word in plan(question).topic.split()


@pytest.mark.parametrize(
    ("question", "paper_words"),
    [
        # the papers named are milestones of the line of work asked about, not the one paper asked about
        ("how did his planning work evolve, starting from the zero-shot planners paper?", {"planners"}),
        ("what's the arc of his LLM reasoning work, from multiagent debate to multiagent finetuning?", {"debate"}),
    ],
)
def test_a_line_of_work_traced_through_named_papers_is_an_overview(
    embeddings, question: str, paper_words: set[str]
) -> None:
    result = plan_question(question, CONTEXT, IntentClassifier(embeddings).scores(question, CONTEXT.owner))
    assert (result.intent, result.papers) == ("overview", [])
    assert paper_words <= {word.casefold() for word in result.topic.split()}
    assert result.filters.year is None  # the milestone's year filters nothing


def test_a_question_passed_on_from_someone_else_keeps_only_its_topic() -> None:
    topic = plan("my labmate in bio asked whether he has done anything on protein design. overview?").topic
    assert topic.split() == ["protein", "design"]


def test_mistakes_compounding_over_time_stay_the_topic_of_an_overview() -> None:
    result = plan("overview of his work on errors compounding over time in long rollouts")
    assert "compounding" in result.topic.split()


@pytest.mark.parametrize(
    ("question", "title_start"),
    [
        ("what did the KG hallucination paper find about model scale?", "Training Language Models on the Knowledge"),
        ("in the knowledge-graph hallucinations one, what gets detected?", "Training Language Models on the Knowledge"),
        ("what does the game-theoretic MBRL paper unify?", "A Game Theoretic Framework"),
    ],
)
def test_a_paper_called_by_its_title_words_plural_or_acronym(question: str, title_start: str) -> None:
    assert [TITLES[paper_id][: len(title_start)] for paper_id in plan(question).papers] == [title_start]


def test_title_words_shared_by_several_papers_name_none() -> None:
    assert plan("what did the language models paper find?").papers == []


def test_several_papers_traced_in_a_line_are_compared() -> None:
    result = plan("trace the arc from decision transformer to the multi-game decision transformer to MTM for me")
    assert result.intent == "comparison" and len(result.papers) == 3


@pytest.mark.parametrize(
    ("question", "topic", "papers"),
    [
        ("does RT-2 generalize all the way to unseen objects?", "generalize unseen objects", 1),  # a fact, not a line
        ("has he worked on ARC?", "ARC", 0),
        ("evolving robot morphologies, anything?", "evolving robot morphologies", 0),
        ("a study on emergent communication asks whether agents invent languages", "emergent communication", 0),
    ],
)
def test_this_sessions_cues_leave_ordinary_questions_alone(question: str, topic: str, papers: int) -> None:
    result = plan(question)
    assert result.topic.startswith(topic) and len(result.papers) == papers


def test_words_shared_by_titles_name_no_paper_without_a_specific_one() -> None:
    assert plan("the scaling language models paper - what did it find?").papers == []


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("checking whether he still does cs.RO stuff: what's the most recent paper carrying that tag?", {"category"}),
        ("the MA tag on arxiv: which of his papers got it?", {"category"}),
        ("full list of his cs.CV papers, going to skim them on the train", {"category"}),
        ("need every cs.RO item dated 2022 or later for a robotics reading group", {"category", "year_from"}),
        ("among his papers with an official code release, which is the most recently dated?", {"has_code"}),
    ],
)
def test_words_about_the_filter_or_the_asker_leave_no_topic(question: str, filters: set[str]) -> None:
    result = plan(question)
    assert result.topic == ""
    assert set(result.filters.model_dump(exclude_none=True)) - {"profile"} == filters


def test_a_paper_named_twice_as_a_date_leaves_no_topic() -> None:
    result = plan("is there anything newer than VeLO with a code release, or is VeLO still his most recent with code?")
    assert (result.papers, result.topic, result.filters.has_code) == ([], "", True)
    assert result.filters.date_from == dt.date(2022, 11, 18)


@pytest.mark.parametrize(
    ("question", "author", "year"),
    [
        ("is grounded decoding actually fei xia's latest paper with him, or is there a later one?", "Fei Xia", None),
        ("which 2023 paper of his came out last? the graphene microscopy one, or something else?", None, 2023),
    ],
)
def test_papers_offered_as_the_newest_are_candidates(question: str, author: str | None, year: int | None) -> None:
    result = plan(question)
    assert (result.intent, result.papers) == ("recency", [])
    assert (result.filters.author, result.filters.year) == (author, year)
    assert "decoding" not in result.topic.split()


def test_the_first_day_of_a_year_bounds_the_dates() -> None:
    result = plan("as of new year's day 2021, what would have been his newest paper?")
    assert (result.filters.date_to, result.filters.year, result.topic) == (dt.date(2021, 1, 1), None, "")


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("first and most recent paper titles on the profile, for my timeline graphic", {"first_paper", "last_paper"}),
        ("plotting a bar chart, x = year, y = number of his papers. give me the data points", {"by_year"}),
        ("reproducibility report card: 'X of Y listed papers have code'. fill in X and Y", {"with_code"}),
    ],
)
def test_metrics_asked_in_new_words(embeddings, question: str, metrics: set[str]) -> None:
    result = plan_question(question, CONTEXT, IntentClassifier(embeddings).scores(question, CONTEXT.owner))
    assert (result.intent, set(result.metrics)) == ("metrics", metrics)


def test_both_papers_of_a_shared_name_are_named() -> None:
    result = plan("what do both melting pot papers measure? how do they differ?")
    assert sorted(TITLES[paper_id][:11] for paper_id in result.papers) == ["Melting Pot", "Scalable Ev"]


def test_a_bare_shared_name_still_names_one_paper() -> None:
    assert len(plan("what does melting pot measure?").papers) == 1


def test_how_similar_compares_a_named_paper_with_a_described_one() -> None:
    result = plan("LOLA and the stackelberg MBRL framework both treat learning as a game. how similar are they?")
    assert result.intent == "comparison" and result.compared


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("saw 'COMET' cited next to energy-based models in a talk. what is that model?", False),
        ("how many times has RT-2 been cited?", True),
        ("is RT-1 cited a lot?", True),
    ],
)
def test_citations_asked_for_not_where_a_paper_was_cited(question: str, missing: bool) -> None:
    assert (plan(question).missing is not None) == missing


def test_a_role_played_is_no_topic_word() -> None:
    assert plan("papers coauthored by shuang li where pretrained language models play a role").topic == (
        "pretrained language models"
    )


def test_a_paper_called_by_one_hyphenated_description() -> None:
    papers = plan("what did the iterative-reasoning-by-energy-minimization paper show?").papers
    assert [TITLES[paper_id] for paper_id in papers] == ["Learning Iterative Reasoning through Energy Minimization"]


@pytest.mark.parametrize(
    ("question", "intent", "topic_word"),
    [
        ("in RT-2, is the final policy a VLM or something else?", "lookup", "VLM"),
        ("in RT-2, will it handle unseen objects?", "lookup", "unseen"),
        ("multi-agent papers where agents have different roles", None, "roles"),
        ("what's the experimental setup in RT-1?", None, "setup"),
    ],
)
def test_the_new_chat_cues_leave_ordinary_questions_alone(question: str, intent: str | None, topic_word: str) -> None:
    result = plan(question)
    assert topic_word in result.topic.split()
    assert intent is None or result.intent == intent


def test_the_start_of_a_year_as_a_time_is_that_year() -> None:
    result = plan("what did he publish at the start of 2022?")
    assert result.filters.date_to is None


def test_candidates_for_the_newest_keep_every_filter() -> None:
    result = plan("is RT-2 his latest paper since 2021, or is there a later one?")
    assert (result.intent, result.papers, result.filters.year_from) == ("recency", [], 2021)


@pytest.mark.parametrize(
    ("question", "field", "values"),
    [
        ("newest paper with 'Decision Transformers' in its title?", "title_has", ["Decision Transformers"]),
        ('papers whose titles contain "Energy-Based" or "EBM"', "title_has", ["Energy-Based", "EBM"]),
        ("which of his papers mention Atari?", "mentions", ["Atari"]),
        ("of his papers with the word 'policy' in the title, which is the oldest?", "title_has", ["policy"]),
    ],
)
def test_words_of_the_title_or_abstract_are_filters(question: str, field: str, values: list[str]) -> None:
    result = plan(question)
    assert getattr(result.filters, field) == values
    assert result.topic == ""


def test_an_abbreviated_year_range_ends_a_sentence() -> None:
    result = plan("his robotics papers from 2021-22. which came out last?")
    assert (result.filters.year_from, result.filters.year_to) == (2021, 2022)


@pytest.mark.parametrize(
    "question",
    [
        # operands written out between "between" and the question
        "between yilun du's compositional visual generation work and the continual learning EBM paper, which needs "
        "fewer labels?",
        # two papers the question describes together
        "which of sherry yang's two materials papers takes text instructions, and what does the other one do?",
    ],
)
def test_two_described_papers_are_compared(question: str) -> None:
    result = plan(question)
    assert result.intent == "comparison"
    assert len(result.papers) + len(result.compared) == 2


def test_a_vs_with_nothing_before_it_leaves_the_listed_operands() -> None:
    result = plan("what does he do about memory in agents? recurrent nets, external memory... vs none at all. overview")
    assert result.compared[:2] == ["recurrent nets", "external memory"]


def test_a_hyphenated_x_vs_y_is_a_word_not_a_comparison() -> None:
    assert plan("in the gemini 2.5 report, what do they call the capability-vs-cost tradeoff?").intent != "comparison"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("where can i download the VeLO optimizer?", "lookup"),  # the verb asks for a link
        ("how many downloads does brax have?", "not_in_profile"),  # the noun asks for a statistic
        ("what did the reviewers say about RT-2?", "not_in_profile"),
        ("who maintains the brax codebase these days?", "not_in_profile"),
        ("how much did they spend on cloud compute to train VeLO?", "not_in_profile"),
        ("what did RT-2 find about scaling up the model?", "lookup"),
    ],
)
def test_what_a_named_papers_abstract_cannot_hold(question: str, intent: str) -> None:
    assert plan(question).intent == intent


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("who has he co-written the most papers with?", {"top_coauthors"}),
        ("what's his latest paper titled, and how many did he publish in 2021?", {"by_year", "last_paper"}),
        ("2022 output count, and his h-index?", {"by_year", "h_index"}),
    ],
)
def test_more_metrics_asked_in_new_words(embeddings, question: str, metrics: set[str]) -> None:
    result = plan_question(question, CONTEXT, IntentClassifier(embeddings).scores(question, CONTEXT.owner))
    assert (result.intent, set(result.metrics)) == ("metrics", metrics)


def test_the_source_of_a_category_filter_is_no_topic() -> None:
    result = plan("every paper since 2023, going by the RO label")
    assert (result.filters.category, result.topic) == ("RO", "")


@pytest.mark.parametrize(
    "question",
    [
        # the review's misfires: the asker's own codebase, reviewers, compute and PhD are not the paper's data
        "before committing to RT-2 as our baseline, does it have code?",
        "we maintain a codebase built on Brax; is Brax differentiable end to end?",
        "reviewers asked us to compare against Decision Transformer; what does DT report on Atari?",
        "how much did they spend on compute for VeLO?",
        "my PhD advisor said to read RT-2, what is it about?",
        "I'm a first-year PhD student, where should I start with his work?",
    ],
)
def test_the_new_missing_data_cues_leave_ordinary_questions_alone(question: str) -> None:
    assert plan(question).intent != "not_in_profile"


@pytest.mark.parametrize(
    "question",
    [
        "what's the paper with 'Beyond Human Data' in the title about?",  # a title quoted to name one paper
        "what does 'VLA' in the title of RT-2 stand for?",
        "does the RT-2 paper mention PaLI-X?",
    ],
)
def test_a_named_paper_is_no_title_or_mention_filter(question: str) -> None:
    result = plan(question)
    assert len(result.papers) == 1
    assert (result.filters.title_has, result.filters.mentions) == (None, None)


def test_a_year_then_on_is_that_year_unless_from() -> None:
    assert plan("anything in 2023 on where language models fail?").filters.year == 2023
    assert plan("LG papers from 2023 on where a model improves itself?").filters.year_from == 2023


def test_his_phd_advisor_is_still_biography_while_the_askers_is_not() -> None:
    assert plan("who was his phd advisor?").missing == BIOGRAPHY
    assert plan("my phd advisor said to read RT-2, what is it about?").missing is None


def test_a_download_count_is_a_statistic() -> None:
    assert plan("what's the download number for brax?").intent == "not_in_profile"


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("list his 2023 papers whose primary category is cs.LG, all of them", "LG"),
        ("is anything of his filed under cs.AI as the primary category? list every one", "AI"),
        ("primary category cs.RO: how many of his papers?", "RO"),
    ],
)
def test_a_primary_category_named_with_its_value_is_a_filter(embeddings, question: str, category: str) -> None:
    result = learned_plan(embeddings, question)
    assert (result.filters.category, result.metrics, result.topic) == (category, [], "")


def test_his_own_primary_category_is_still_the_metric() -> None:
    assert plan("is his primary category cs.LG?").metrics == ["category"]


def test_a_journal_club_is_no_venue(embeddings) -> None:
    result = learned_plan(embeddings, "for robotics journal club: everything categorized cs.RO with a 2021 date")
    assert (result.missing, result.intent, result.filters.year) == (None, "listing", 2021)
    assert plan("which journal was RT-2 published in?").intent == "not_in_profile"


def test_a_research_map_is_an_overview_and_discord_length_no_contact_detail(embeddings) -> None:
    assert (
        learned_plan(embeddings, "igor mordatch research map pls, discord-length, bullets are fine").intent
        == "overview"
    )
    assert plan("what's his discord handle?").intent == "not_in_profile"


def test_years_joined_by_through_are_a_range() -> None:
    result = plan("what did he publish 2021 through 2023?")
    assert (result.filters.year_from, result.filters.year_to) == (2021, 2023)


def test_a_per_year_histogram_over_a_range_is_each_years_count(embeddings) -> None:
    result = learned_plan(embeddings, "give me his papers-per-year histogram as raw numbers, 2017 through 2025")
    assert (result.intent, result.metrics) == ("metrics", ["by_year"])


def test_the_one_right_before_that_is_no_topic(embeddings) -> None:
    result = learned_plan(embeddings, "what did he put out most recently, and what was the one right before that?")
    assert (result.intent, result.topic) == ("recency", "")


def test_the_last_of_a_list_of_named_papers_is_compared_too(embeddings) -> None:
    result = learned_plan(
        embeddings,
        "compounding model error over long horizons: how do the γ-model paper, LatCo and the stackelberg / "
        "game-theoretic MBRL framework each deal with it (or not)?",
    )
    assert (result.intent, len(result.papers)) == ("comparison", 2)
    assert result.compared and "stackelberg" in result.compared[0]


def test_a_check_asked_after_the_answer_is_no_topic(embeddings) -> None:
    result = learned_plan(
        embeddings,
        "is shuang li still collaborating with him? what's the most recent paper they share, and is it still "
        "energy-based?",
    )
    assert (result.intent, result.filters.author, result.topic) == ("recency", "Shuang Li", "")


def test_who_passed_the_question_on_and_a_phrase_in_one_word() -> None:
    result = plan(
        "the physics and chemistry folks asked what ML-for-the-natural-sciences work he has (materials, "
        "microscopy, that kind of thing). can you summarize it for them?"
    )
    assert result.topic.split()[:3] == ["ML", "natural", "sciences"]


def test_what_a_trailing_no_sets_aside_is_no_topic() -> None:
    result = plan(
        "most recent paper where robot policies were trained from scratch with RL in simulation, no human demos "
        "and no pretrained models?"
    )
    assert "demos" not in result.topic and "pretrained" not in result.topic and "simulation" in result.topic


def test_the_newest_asked_for_does_not_pick_the_follow_up_of_a_shared_name() -> None:
    result = plan("has anything in cs.MA come out since the melting pot days? whats the newest paper in that category")
    assert result.filters.date_from == dt.date(2021, 7, 15)  # the day after the original Melting Pot
    assert [TITLES[paper_id] for paper_id in plan("what is the newer melting pot about?").papers] == ["Melting Pot 2.0"]


def test_closest_to_the_end_of_the_year_is_the_newest(embeddings) -> None:
    result = learned_plan(
        embeddings, "which of his 2022 machine learning (cs.LG) papers landed closest to the end of that year?"
    )
    assert (result.intent, result.filters.year, result.topic) == ("recency", 2022, "")


@pytest.mark.parametrize(
    ("question", "author", "year_from"),
    [
        ("I want to actually run code. which papers from 2021 on have code available? all of them", None, 2021),
        ("language-category (arxiv cs.CL) output from 2024 to now: enumerate every paper", None, 2024),
        (
            "kamyar ghasemipour (seyed kamyar seyed ghasemipour) + igor: every paper with him in the author list, the "
            "magnet-block ones and whatever else",
            "Seyed Kamyar Seyed Ghasemipour",
            None,
        ),
    ],
)
def test_listing_chat_is_no_topic(embeddings, question: str, author: str | None, year_from: int | None) -> None:
    result = learned_plan(embeddings, question)
    assert (result.intent, result.filters.author, result.filters.year_from, result.topic) == (
        "listing",
        author,
        year_from,
        "",
    )


def test_his_interests_over_time_is_a_timeline_but_tasks_over_time_a_topic() -> None:
    assert plan("how did his interests change over time?").topic == ""
    assert "tasks" in plan("what has he done where an agent keeps picking up new tasks over time?").topic


def test_what_connects_two_papers_years_apart_is_his_work_between(embeddings) -> None:
    result = learned_plan(
        embeddings,
        "what connects a 2017 opponent-shaping paper with a 2025 robot foundation model paper? walk me through "
        "the arc of mordatch's research",
    )
    assert (result.intent, result.filters.year_from, result.filters.year_to, result.topic) == (
        "overview",
        2017,
        2025,
        "",
    )


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("code availability ratio: X papers with code out of Y listed. what are X and Y?", {"with_code"}),
        (
            "open-science audit, need numerator and denominator: papers with a code release vs total papers listed",
            {"with_code"},
        ),
        (
            "what paper does his listed record start with, and what's the title at the other end (most recent)?",
            {"first_paper", "last_paper"},
        ),
        (
            "for a slide: code-release count, total papers listed, and the newest listed title",
            {"with_code", "last_paper"},
        ),
        (
            "which organization appears most in his affiliations, and who is he most often coauthoring with?",
            {"affiliations", "top_coauthors"},
        ),
    ],
)
def test_metrics_of_a_fresh_set_in_new_words(embeddings, question: str, metrics: set[str]) -> None:
    result = learned_plan(embeddings, question)
    assert result.intent == "metrics" and metrics <= set(result.metrics)


@pytest.mark.parametrize(
    ("question", "described"),
    [
        (
            "how much adaptation does each need for unseen stuff? multi-game DT on new atari games, the geometry-aware "
            "dexterous hand policy on new object shapes, and Blocks Assemble! on unseen blueprints",
            "geometry-aware dexterous hand policy",
        ),
        (
            "RT-2 gets its boost from co-fine-tuning on web vision-language data plus robot trajectories; the 2025 "
            "embodied foundation model paper adds a practice stage after supervised fine-tuning. where does the extra "
            "capability come from in each, and which can pick up genuinely new skills?",
            "embodied foundation model",
        ),
    ],
)
def test_papers_described_beside_named_ones_are_compared(embeddings, question: str, described: str) -> None:
    result = learned_plan(embeddings, question)
    assert result.intent == "comparison"
    assert any(operand.startswith(described) for operand in result.compared)


@pytest.mark.parametrize(
    "question",
    [
        # the review's misfires: each new rule must leave these readings alone
        "what connects the 2021 Brax paper and the 2022 VeLO paper?",
        "what did RT-1 do; is it also trained on web data?",
    ],
)
def test_named_papers_keep_their_reading(embeddings, question: str) -> None:
    result = learned_plan(embeddings, question)
    assert result.papers and result.filters.year_from is None and result.filters.year_to is None


def test_the_reviews_misfires_keep_their_topic_or_filter() -> None:
    assert plan("his coauthors over time").metrics == ["top_coauthors"]
    assert "energy-based" in plan("show me his energy-based model papers and everything else related").topic
    assert "one-size-fits-all" in plan("is there a one-size-fits-all policy paper?").topic
    assert plan("did he publish anything from 2021 on that topic?").filters.year_from is None
    assert plan("which papers from 2020 to 2023 connect language models and robots?").topic
    assert plan("any papers with Joel Leibo about collaboration?").topic == "collaboration"
    assert plan("which papers have cs.RO as their primary category?").metrics == []


def test_a_version_word_before_the_name_wins_over_days() -> None:
    assert [TITLES[paper_id] for paper_id in plan("since the newer Melting Pot days, anything in cs.MA?").papers] == [
        "Melting Pot 2.0"
    ]


def test_from_a_year_on_that_are_is_a_start() -> None:
    result = plan("cs.CL papers from 2023 on that are about LLM reliability: which ones?")
    assert (result.filters.year_from, result.filters.year) == (2023, None)


def test_a_years_output_number_and_a_shipped_repo() -> None:
    assert plan("2024 output — just the number").metrics == ["by_year"]
    result = plan("i want something i can clone and run. newest paper of his that ships a repo?")
    assert result.filters.has_code is True


@pytest.mark.parametrize(
    ("question", "author"),
    [
        ("last time huang wenlong and igor published together, what was the paper?", "Wenlong Huang"),  # surname first
        ("abbeel is listed on a handful of igor's papers. which of those has the most recent date?", "Pieter Abbeel"),
        ("rajeswaran + mordatch papers, full list?", "Aravind Rajeswaran"),
        ("any recent work w/ tenenbaum?", "Joshua Tenenbaum"),  # the shorter of one person's two spellings
        ("every paper where rajeswaran is a co-author", "Aravind Rajeswaran"),
        ("which ones have tenenbaum on them?", "Joshua Tenenbaum"),
        ("writing to tenenbaum's group: newest joint paper?", "Joshua Tenenbaum"),
    ],
)
def test_a_surname_first_or_alone_names_the_coauthor(question: str, author: str) -> None:
    assert plan(question).filters.author == author


def test_a_surname_after_a_place_word_is_no_coauthor() -> None:
    assert plan("did igor publish anything on medieval trade guilds in florence?").filters.author is None


def test_of_two_years_the_one_the_papers_are_dated_filters() -> None:
    result = plan(
        "what did his robotics work look like going into 2022? of the cs.RO papers dated 2021, which is last?"
    )
    assert (result.filters.year, result.filters.category) == (2021, "RO")


def test_an_unnamed_compared_thing_is_read_from_its_aside() -> None:
    result = plan(
        "generalizing to new tasks from a single demo (semi-supervised OSIL) vs generalizing to unseen object shapes "
        "(geometry-aware dexterous manipulation): how does each paper get its generalization?"
    )
    assert any("geometry-aware" in operand for operand in result.compared)
    assert any("OSIL" in operand for operand in result.compared)


def test_the_reports_sharing_a_name_are_all_named() -> None:
    assert len(plan("he's on the gemini tech reports apparently?? what do those reports cover").papers) == 2


@pytest.mark.parametrize(
    "question",
    [
        "LOLA in 2017, self-improving robot foundation models in 2025. what themes connect the dots in between?",
        "how has the mix of topics in his papers changed between 2017-2020 and 2023-2025?",
    ],
)
def test_two_eras_asked_about_span_his_work_between(question: str) -> None:
    result = plan(question)
    assert (result.intent, result.filters.year_from, result.filters.year_to) == ("overview", 2017, 2025)


def test_narrating_his_research_trajectory_at_a_workshop_is_an_overview(embeddings) -> None:
    question = "doing the intro for a workshop panel he is on. how would you narrate his research trajectory?"
    assert learned_plan(embeddings, question).intent == "overview"


def test_a_possessive_shared_name_settles_by_the_release_asked_for() -> None:
    result = plan("melting pot's pitch is RL-built scenarios. how many scenarios were in the first release?")
    assert [TITLES[paper_id] for paper_id in result.papers] == [
        "Scalable Evaluation of Multi-Agent Reinforcement Learning with Melting Pot"
    ]


def test_a_year_in_an_era_phrase_and_other_categories_skipped_filter_nothing() -> None:
    result = plan("his work with yilun du goes back to the 2020 energy-model days. what's the newest the two share?")
    assert (result.filters.year, result.filters.author) == (None, "Yilun Du")
    result = plan("enumerate all the 2020 papers whose category is LG, skip RO/CV/AI ones")
    assert (result.filters.year, result.filters.category, result.topic) == (2020, "LG", "")


@pytest.mark.parametrize(
    "question",
    [
        "has igor collaborated with peter stone?",  # another person's surname with a given name that is not theirs
        "was he on the gpt-3 paper with tom brown?",
        "heading to the florence workshop next week. what's his newest paper?",
        "stone soup: which of his papers are about composing pre-trained models?",
        "how many papers does he have? brown bag is friday",
        "does he have anything like grover for neural fake news detection?",
    ],
)
def test_a_surname_used_as_a_word_or_of_another_person_is_no_coauthor(question: str) -> None:
    assert plan(question).filters.author is None


@pytest.mark.parametrize(
    ("question", "year"),
    [
        ("which of his 2022 papers build on his work from 2020?", 2022),
        ("need to get through his 2022 papers in two days, which ones are there?", 2022),
        ("which of his 2023 robotics era papers use language models?", 2023),
    ],
)
def test_the_year_asked_for_stays_beside_other_years_and_days(question: str, year: int) -> None:
    assert plan(question).filters.year == year


def test_papers_of_two_years_connecting_things_keep_their_topic() -> None:
    result = plan("which papers from 2021 and 2022 connect language models to robot control? focus on planning")
    assert result.intent == "listing" and "robot" in result.topic


def test_a_year_picks_one_of_the_papers_sharing_a_name() -> None:
    assert [TITLES[paper_id] for paper_id in plan("summarize the melting pot ones from 2022").papers] == [
        "Melting Pot 2.0"
    ]


@pytest.mark.parametrize(
    ("question", "category", "has_code"),
    [
        ("arxiv's catch-all 'Artificial Intelligence' bucket, which of his entries got filed there?", "AI", None),
        ("vision folks in our discord wonder how much is pure CV. list whatever is tagged computer vision", "CV", None),
        ("list every paper of his where the profile marks code as released", None, True),
    ],
)
def test_listings_by_a_category_in_words_or_the_code_mark(question: str, category: str | None, has_code) -> None:
    result = plan(question)
    assert (result.intent, result.filters.category, result.filters.has_code, result.topic) == (
        "listing",
        category,
        has_code,
        "",
    )


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("did blocks assemble get an oral or a spotlight wherever it was published?", "publication venues"),
        ("which of his coauthors from the RT-1 era have since left google?", "employment history"),
        ("what python version and deps does the MTM repo need? trying to set it up on our cluster", BEYOND_ABSTRACTS),
    ],
)
def test_how_a_paper_was_presented_run_or_who_moved_on_is_not_in_the_profile(question: str, missing: str) -> None:
    assert (plan(question).intent, plan(question).missing) == ("not_in_profile", missing)


@pytest.mark.parametrize(
    "question",
    [
        "which of his papers use MuJoCo for their experiments?",
        "what does the oral history of multi-agent RL look like in his work?",
        "how does RT-1 handle objects left on the counter?",
        "how does Decision Transformer handle long-range dependencies?",
        "how did they get it running on the real robots for Bi-Manual Block Assembly?",
        "which algorithms does brax ship jax versions for?",
        "does RT-2 shine a spotlight on emergent reasoning?",
        "I need a spotlight slide on decision transformer, what's the key idea?",
        "where does he work now?",
    ],
)
def test_words_near_those_details_in_research_questions_ask_no_missing_data(question: str) -> None:
    assert plan(question).missing is None


def test_a_short_surname_paired_with_his_names_his_most_frequent_coauthor_of_that_name() -> None:
    # Yilun Du has ten papers with him, Yuqing Du one
    assert plan("du x mordatch: by date, which paper closes out their run so far?").filters.author == "Yilun Du"
    assert plan("igor + du papers?").filters.author == "Yilun Du"
    assert plan("du bois and the history of sociology?").filters.author is None
    assert plan("lee x mordatch: which papers?").filters.author is None  # Lisa Lee or Kuang-Huei Lee, one paper each


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "one rule for my reading list: the code has to be public. under that rule what's his newest paper?",
            ("recency", None, None, True),
        ),
        (
            "For an NLP-leaning journal club I need every one of his papers classified under Computation and Language.",
            ("listing", "CL", None, None),
        ),
        ("all entries dated 2024 or later, oldest to newest is fine", ("listing", None, 2024, None)),
    ],
)
def test_filters_in_new_words_leave_no_topic(question: str, expected: tuple) -> None:
    result = plan(question)
    assert (result.intent, result.filters.category, result.filters.year_from, result.filters.has_code) == expected
    assert result.topic == ""


def test_the_stuff_a_question_skips_is_set_aside() -> None:
    result = plan("latest paper of his on language models, skip the robot stuff")
    assert (result.topic, result.set_aside) == ("language models", "robot")


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("which approaches skip the hand-designed reward stuff?", "approaches skip hand-designed reward"),
        ("which papers learn from neither rewards nor demonstrations?", "learn neither rewards nor demonstrations"),
    ],
)
def test_skipping_or_neither_inside_a_research_question_is_its_topic(question: str, topic: str) -> None:
    assert plan(question).topic == topic


def test_a_word_after_classified_names_a_category_only_after_a_preposition() -> None:
    assert plan("which method classified language instructions into skills?").filters.category is None
    assert plan("list his papers classified under computation and language").filters.category == "CL"


def test_an_order_asked_is_no_topic_and_no_recency() -> None:
    assert plan("list his energy-based model papers in date order").topic == "energy-based model"
    result = plan("his 2022 papers, oldest to newest is fine")
    assert (result.intent, result.filters.year, result.topic) == ("listing", 2022, "")


def test_the_last_of_several_names_before_et_al_is_no_first_author() -> None:
    result = plan("is multiagent debate (du, li, torralba et al.) something you train or run at inference?")
    assert result.filters.first_author is None
    assert plan("du et al's 2020 paper on contrastive divergence").filters.first_author == "Yilun Du"


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("for our group wiki: every RO-tagged paper from 2022", {"year": 2022, "category": "RO"}),
        ("show me everything categorized as CV", {"category": "CV"}),
        ("his papers dated 2023-01-01 or later, please", {"date_from": dt.date(2023, 1, 1)}),
        ("all his papers on or after 2022-06-01", {"date_from": dt.date(2022, 6, 1)}),
        ("list his papers on or after march 2023", {"date_from": dt.date(2023, 3, 1)}),
        ("only the ones whose code got open-sourced, list them", {"has_code": True}),
        ("list everything with the plain AI category code", {"category": "AI"}),
        ("robotics from 2022, each paper please", {"year": 2022, "category": "RO"}),
    ],
)
def test_filtered_listings_in_chat_words_leave_no_topic(embeddings, question: str, filters: dict) -> None:
    result = learned_plan(embeddings, question)
    assert result.filters.model_dump(exclude_none=True, exclude_defaults=True) == filters
    assert result.topic == ""


def test_category_words_saying_where_a_coauthor_shows_up_filter_nothing() -> None:
    lead = plan("yilun du turns up in lots of his language papers; list every paper they share")
    assert (lead.filters.author, lead.filters.category) == ("Yilun Du", None)
    asked = plan("his language papers with yilun du")
    assert (asked.filters.author, asked.filters.category) == ("Yilun Du", "CL")


@pytest.mark.parametrize(
    "question",
    ["his 2022 output ended with which paper?", "2022 was a busy year. which paper was the final one that year?"],
)
def test_the_last_paper_of_a_year_is_that_years_newest(embeddings, question: str) -> None:
    result = learned_plan(embeddings, question)
    assert (result.intent, result.filters.year, result.metrics) == ("recency", 2022, [])


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("which paper opens his list and which one closes it?", ["first_paper", "last_paper"]),
        ("his oldest paper, and which calendar year has the most entries?", ["first_paper", "peak_year"]),
        ("what's the 2022 count, and which year actually tops his output?", ["by_year", "peak_year"]),
    ],
)
def test_metric_pairs_in_new_words(question: str, metrics: list[str]) -> None:
    assert set(metrics) <= set(plan(question).metrics)


def test_a_version_names_the_one_paper_of_a_shared_name_with_it() -> None:
    result = plan("is the 2021 neural mmo paper just v1.3 again?")
    assert {TITLES[paper][:15] for paper in result.papers} == {"Neural MMO v1.3", "The Neural MMO "}


def test_a_paper_described_by_its_year_and_what_it_says_is_compared(embeddings) -> None:
    result = learned_plan(
        embeddings,
        "one paper says scale the demos (rt-1), the 2025 one says robots practice on their own. pros and cons of each?",
    )
    assert result.intent == "comparison"
    assert any("2025" in operand for operand in result.compared)


def test_a_pair_of_surnames_as_the_subject_names_the_frequent_coauthor() -> None:
    assert plan("du and mordatch have written a lot together. their newest paper?").filters.author == "Yilun Du"


def test_co_author_surnames_listed_after_from_filter_by_author() -> None:
    result = plan("does the implicit RvS paper from piche and vazquez evaluate on locomotion?")
    assert result.filters.author == "Alexandre Piche"


def test_examples_after_incl_and_a_line_traced_from_its_start_leave_the_overview_topic(embeddings) -> None:
    assert (
        learned_plan(embeddings, "survey his model-based RL papers incl. the odd ones like gamma-models").papers == []
    )
    traced = learned_plan(
        embeddings, "his LLM planner papers, from the early prompting-based planners up to the VLA models"
    )
    assert (traced.intent, traced.papers) == ("overview", [])


def test_what_he_is_known_for_beyond_is_set_aside_and_hedged_words_are_their_field(embeddings) -> None:
    result = learned_plan(
        embeddings, "beyond robots and LLMs he has some chemistry-adjacent papers. what are they about?"
    )
    assert (result.topic, result.set_aside) == ("chemistry", "robots, LLMs")


def test_a_weak_second_guess_after_a_kind_without_its_slots_is_left_to_the_rules() -> None:
    question = "How do they get language models to fact-check each other through discussion?"
    scores = {"comparison": 0.43, "uncovered": 0.21, "overview": 0.12, "lookup": 0.11}
    assert plan_question(question, CONTEXT, scores).intent == "lookup"
    sure = {"comparison": 0.43, "overview": 0.4, "lookup": 0.17}
    assert plan_question(question, CONTEXT, sure).intent == "overview"


def test_category_words_in_the_asking_clause_still_filter_after_a_coauthor_lead() -> None:
    result = plan("yilun du appears on his vision papers a lot. which CV ones are they?")
    assert (result.filters.author, result.filters.category) == ("Yilun Du", "CV")


@pytest.mark.parametrize(
    ("question", "topic_word"),
    [
        ("the 2024 report, which one is it? 2024 only", "report"),
        ("list his CL papers on code, all of them", "code"),
        ("2022 language, all of them", "language"),
    ],
)
def test_real_topic_words_under_a_filter_stay_the_topic(embeddings, question: str, topic_word: str) -> None:
    assert topic_word in learned_plan(embeddings, question).topic.split()


def test_away_from_the_lab_in_a_research_question_asks_about_the_work() -> None:
    assert plan("did any of his robot work get tested away from the lab, in real kitchens?").intent != "not_in_profile"


def test_beyond_that_starts_a_title_names_the_paper() -> None:
    result = plan("beyond human data, which papers build on self-training?")
    assert result.set_aside == ""
    assert [TITLES[paper][:17] for paper in result.papers] == ["Beyond Human Data"]


def test_a_place_after_from_is_no_coauthor() -> None:
    assert plan("papers from brown and stanford people?").filters.author is None


def test_a_word_of_the_askers_place_yields_to_a_sure_researcher_overview() -> None:
    question = "new to this discord, who is he and what kinds of problems does he usually go after?"
    sure = {"overview:researcher": 0.94, "not_in_profile": 0.03, "overview": 0.03}
    assert plan_question(question, CONTEXT, sure).intent == "overview"
    unsure = {"overview:researcher": 0.6, "not_in_profile": 0.4}
    assert plan_question("what's his discord handle?", CONTEXT, unsure).intent == "not_in_profile"


@pytest.mark.parametrize(
    "question",
    ["67 vs 50 — explain the two paper numbers on his page", "why does it say 67 papers when I only see 50?"],
)
def test_the_listed_count_quoted_beside_a_larger_one_asks_both_counts(embeddings, question: str) -> None:
    assert CONTEXT.listed == len(PARSED.papers)
    result = learned_plan(embeddings, question.replace("50", str(CONTEXT.listed)))
    assert result.intent == "metrics" and {"papers_claimed", "papers_listed"} <= set(result.metrics)
    assert not {"papers_claimed", "papers_listed"} & set(plan("which of his 5 newest papers has code?").metrics)


def test_the_rest_split_across_other_tags_is_the_category_split(embeddings) -> None:
    question = "is he mostly an LG guy? how many entries are LG and how do the rest split across other tags"
    result = learned_plan(embeddings, question)
    assert result.intent == "metrics" and "by_category" in result.metrics


@pytest.mark.parametrize(
    "question",
    ["bookends of his publication list: which entry is oldest, which is newest?", "which entry is the oldest?"],
)
def test_an_entry_at_either_end_is_a_first_or_last_paper(question: str) -> None:
    result = plan(question)
    assert result.intent == "metrics" and "first_paper" in result.metrics
    assert ("last_paper" in result.metrics) == ("newest" in question)


def test_a_part_responsible_for_planning_is_no_persons_part() -> None:
    assert plan("which module is responsible for planning in inner monologue?").intent != "not_in_profile"


@pytest.mark.parametrize(
    ("question", "author"),
    [
        ("kevin lu-authored ones: which has the newest date?", "Kevin Lu"),
        ("does pathak show up as an author anywhere in his list? enumerate those papers", "Deepak Pathak"),
    ],
)
def test_a_co_author_before_authored_or_show_up(question: str, author: str) -> None:
    result = plan(question)
    assert result.filters.author == author and result.topic == ""


def test_the_askers_slides_ask_for_no_talks() -> None:
    question = "need the link for my slides: where did the velo people host the open-sourced optimizer and code?"
    assert plan(question).missing is None
    assert plan("which slides did igor present at his last talk?").intent == "not_in_profile"


def test_a_year_on_before_a_dash_is_a_lower_bound() -> None:
    result = plan("anything multi-agent from 2021 on — environments, benchmarks, all of it. full list")
    assert (result.filters.year, result.filters.year_from) == (None, 2021)


def test_the_co_authors_surname_named_again_is_no_topic() -> None:
    result = plan("yilun du + energy functions: which of igor's papers with du are EBM papers? all of them")
    assert result.filters.author == "Yilun Du" and "du" not in result.topic.split()


def test_a_category_that_does_not_count_is_no_filter() -> None:
    result = plan("tag-wise robotics (RO) only — newest? the LG-tagged robot stuff doesn't count")
    assert result.filters.category == "RO"


def test_what_a_paper_does_with_its_topic_is_no_topic() -> None:
    assert plan("most recent paper of his that reports emergent behaviour?").topic == "emergent behaviour"


@pytest.mark.parametrize(
    ("question", "not_wanted"),
    [
        ("of his 50 papers, which 60 authors appear most?", "papers_claimed"),
        ("which paper is first-authored by igor?", "first_paper"),
    ],
)
def test_near_misses_of_the_count_and_end_cues(question: str, not_wanted: str) -> None:
    assert not_wanted not in plan(question).metrics


def test_advising_and_not_counting_in_research_questions_are_research() -> None:
    assert plan("in inner monologue, does the LLM just advise the robot planner?").intent != "not_in_profile"
    assert plan("results for RT-2 where the baseline doesn't count as a success?").papers == [
        next(paper for paper, title in TITLES.items() if title.startswith("RT-2"))
    ]


def test_all_the_papers_asked_for_under_a_filter_are_a_listing_not_an_overview() -> None:
    question = (
        "auditing open-source releases across his work. give me all the papers flagged as having code on his page"
    )
    planned = plan_question(question, CONTEXT, {"overview": 0.31, "metrics": 0.3, "listing": 0.15})
    assert (planned.intent, planned.filters.has_code) == ("listing", True)
    laid_out = plan_question(
        "snapshot of 2020 for him: what was he working on that year, across all the papers?",
        CONTEXT,
        {"overview": 0.6, "listing": 0.2},
    )
    assert laid_out.intent == "overview"


def test_a_busy_year_remarked_before_its_papers_asked_for_is_their_listing(embeddings) -> None:
    planned = learned_plan(embeddings, "2020 looks like a busy year for him. enumerate all the 2020 papers")
    assert (planned.intent, planned.filters.year, planned.metrics) == ("listing", 2020, [])
    counted = learned_plan(embeddings, "2020 looks like a busy year for him. how many papers that year?")
    assert counted.intent == "metrics"
    for question in ("give me all the paper counts per year since 2020", "how many 2021 papers? list all of them"):
        assert learned_plan(embeddings, question).intent == "metrics"


def test_he_shown_among_the_first_authors_is_his_own_author_filter() -> None:
    planned = plan("on which papers is igor himself shown among the first three authors? list them all")
    assert (planned.intent, planned.filters.author) == ("listing", "Igor Mordatch")


@pytest.mark.parametrize(
    "question",
    [
        "which code-tagged paper is his newest?",
        "how many entries are marked with the code badge?",
        "list the ones flagged with code from 2022",
    ],
)
def test_the_profiles_code_mark_is_the_code_filter(question: str) -> None:
    assert plan(question).filters.has_code is True


def test_a_tally_of_papers_with_the_code_mark_is_the_code_count() -> None:
    assert plan("quick tally of the papers tagged with code?").metrics == ["with_code"]


def test_what_is_compared_about_the_papers_is_no_operand() -> None:
    result = plan("multiagent debate vs adversarial arithmetic, how do scope and findings differ?")
    assert (result.intent, result.compared) == ("comparison", ["multiagent debate", "adversarial arithmetic"])


@pytest.mark.parametrize(
    "question",
    [
        "which of his CL papers is newest, and which came right before it?",
        "sorting his papers by date, which is the newest?",
    ],
)
def test_ordering_words_leave_no_topic_to_a_newest_question(question: str) -> None:
    assert plan(question).topic == ""
