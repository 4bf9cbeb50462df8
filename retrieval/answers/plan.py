"""A question turned into a typed plan: what it asks for (the intent), the filters written in words, the papers
it names, the metrics it wants, and the topic that remains once all of those are taken out.

Rules, not a model: every cue is a phrase, and an aggregate (a metric or a listing) answers only when no
topic is left, so "How do agents collaborate in multi-agent debate?" is a topical question, not a co-author
count. The plan is the input of one answer strategy per intent (retrieval/answers/strategies.py).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from retrieval.answers.dates import RELEASED, RESTATED_BOUND, YEAR, month_bounds, paper_bound
from retrieval.answers.derived_filters import papers_as_filters, profile_facts_as_filters
from retrieval.index.paper_lookup import paper_names, title_phrases
from retrieval.index.paper_names import NameTable, compact_key, phrase_words
from retrieval.metrics import coauthor_counts
from retrieval.models import Paper, PaperFilter
from retrieval.text.lexical import ACRONYM, ACRONYMS, SEVERAL_AGENTS, terms
from retrieval.text.names import author_matches, name_tokens, replace_person

Intent = Literal["lookup", "definition", "comparison", "overview", "recency", "listing", "metrics", "not_in_profile"]


class QueryPlan(BaseModel):
    question: str
    intent: Intent
    filters: PaperFilter = Field(default_factory=PaperFilter, description="Years, category, co-author, code.")
    papers: list[str] = Field(default_factory=list, description="Ids of the papers the question names, in order.")
    topic: str = Field("", description="The question's words once cues, names and filters are taken out.")
    compared: list[str] = Field(default_factory=list, description="Compared things that name no known paper.")
    metrics: list[str] = Field(default_factory=list, description="Metric keys (MetricsReport fields) asked for.")
    missing: str | None = Field(None, description="For not_in_profile: what the profile does not hold.")
    exclude: list[str] = Field(
        default_factory=list, description="Ids of papers to leave out: already shown (a conversation's “more”)."
    )
    examples: str = Field(
        "", description="Examples the question gives of its topic (in parentheses, after “like”, …), apart from it."
    )
    alternatives: list[str] = Field(
        default_factory=list,
        description="For a topic naming alternatives (“math or arithmetic”): each one, with the words they share.",
    )
    set_aside: str = Field(
        "",
        description=(
            "Topics the question rules out, comma-separated (“nothing to do with language models”, “skipping "
            "anything about LLMs or robots”): their papers are left out."
        ),
    )


# --- years ---
YEAR_RANGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (
            rf"\bbetween {YEAR} and {YEAR}\b|\b(?:from )?{YEAR} (?:to|until|till|through|thru|-) ?{YEAR}\b|"
            rf"\b{YEAR} ?[-–] ?{YEAR}\b|"
            rf"\b{YEAR}[-–/](\d\d)\b(?![-–\d]|\.\d)|"  # "2021-22", "from 2022-23."
            rf"\b{YEAR} (?:and|or|&|\+) {YEAR}\b",
            "range",
        ),
        (
            rf"\b(?:since|after|starting(?: in)?|post|(?<!no )(?<!not )(?:newer|later) than)[ -]"
            rf"(?:the (?:start|beginning) of )?{YEAR}\b|"
            rf"\b(?:from )?{YEAR}[ -](?:and|or)[ -](?:later|after|onwards?|newer|beyond)\b|"
            rf"\b(?:from )?{YEAR} (?:through|to|until|till|up to) (?:now|today|the present|present|date)\b|"
            # "2020 onwards", "2020 on?", "from 2021 on, …"; not a place ("2020 on his profile") or a topic ("in 2023
            # on crystals")
            rf"\b(?:from )?{YEAR} (?:onwards?|on(?=\s*(?:[,.?!;:)—–]|\s-\s|$|and\b|or\b|pls\b|please\b)))|"
            rf"\bfrom {YEAR} on(?= where\b| in which\b|"
            r" (?:(?:that|which) )?(?:have|has|had|with|are|were|is|was|did|does)\b)",
            "from",
        ),
        (
            rf"\b(?:before|prior to|until|up to|pre|older than|earlier than|predates?|predating)[ -](?:and including )?"
            rf"(?:the end of )?"
            rf"{YEAR}\b|\b(?:through|thru|by the end of|no later than|in or before)(?: the end of)? {YEAR}\b|"
            rf"\b{YEAR}[ -](?:and|or)[ -](?:earlier|before|older)\b|\b(?:(?:at|by) )?(?:the )?end of {YEAR}\b|"
            # "before the calendar flipped to 2022" (before 2022 itself)
            rf"\bbefore (?:the )?(?:calendar|year|clock) (?:flipped|turned|rolled over|ticked over|switched) (?:in)?to "
            rf"{YEAR}\b",
            "to",
        ),
        (rf"\b(?:(?:within|during|throughout) )?{YEAR}\b", "year"),
    )
)

YEAR_ONLY = re.compile(YEAR)
ERA_AFTER = re.compile(r"(?:\s+[a-z-]+){0,3}\s+(?:days|era)\b(?!\s+(?:papers?|work|ones))", re.IGNORECASE)
PER_YEAR = re.compile(r"\byear[- ]by[- ]year\b|\b(?:per|each|every|by)[- ]year\b|\byearly\b", re.IGNORECASE)
# years left out at one end of the work: "ignoring 2024 and 2025", "excluding 2017"
# the verbs that leave years out: "ignoring 2024", "skip 2023 onwards", "excluding anything after 2022"
EXCLUDING = (
    r"(?:ignor(?:e|ing)|exclud(?:e|ing)|except(?: for)?|not counting|leav(?:e|ing) out|setting aside|minus|"
    r"skip(?:ping)?|drop(?:ping)?)"
)
EXCLUDED_YEARS = re.compile(
    rf"\b{EXCLUDING} "
    rf"(?:(?:anything|everything|papers|stuff|work) (?:from|in) )?(?:the )?(?:years? )?"
    rf"{YEAR}(?:(?: ?(?:and|,|&|or|-|–|to) ?){YEAR})?\b",
    re.IGNORECASE,
)
# "ignoring anything after 2022": the years kept are the other side
EXCLUDED_SIDE = re.compile(
    rf"\b{EXCLUDING} "
    rf"(?:anything|everything|papers|stuff|work|what came out) (?P<side>after|since|from|before|prior to) {YEAR}\b",
    re.IGNORECASE,
)
EXCLUDED_ONWARDS = re.compile(
    rf"\b{EXCLUDING} {YEAR}"
    rf"(?: and)? (?P<side>onwards?|on|later|after|beyond|newer|earlier|before|older)\b",
    re.IGNORECASE,
)
# metrics that count papers: under a filter other than one year they become the filtered listing
TOTAL_COUNTS = ("papers_claimed", "papers_listed")  # the whole profile's paper counts
COUNT_METRICS = {*TOTAL_COUNTS, "by_year", "with_code", "by_category"}
# metrics of a person, from the profile's header: the profile holds its owner's only
YEAR_METRICS = {"peak_year", "by_year", *TOTAL_COUNTS}  # what a year's overview may say beside it ("his busiest")
PERSON_METRICS = {"h_index", "citations", "novelty", "ai_score"}
# "how does his h-index rank against other deepmind scientists?": other people's metrics
OTHER_PEOPLE = re.compile(
    r"\b(?:other|peers?|colleagues|typical|average)\b(?: [\w-]+){0,3}? (?:researchers?|scientists?|professors?|people|"
    r"academics|peers|colleagues|authors)\b",
    re.IGNORECASE,
)

# --- categories in words; only as a filter when they qualify the papers ("robotics papers", "in the CL category") ---
CATEGORY_WORDS = {
    "RO": r"robotics?|robot",
    "CL": r"computation(?:[- ]and[- ]| ?& ?)language|language|nlp|natural[- ]language|computational linguistics",
    "CV": r"vision|computer[- ]vision",
    "MA": r"multi-?agent",
    "AI": r"artificial[- ]intelligence",
    "LG": r"machine[- ]learning",
    "MTRL-SCI": r"materials? science",
    "MES-HALL": r"meso-?scale(?: ?(?:and|/|or) ?nano-?scale)?(?: physics)?|nano-?scale(?: physics)?",
}
# "multi-agent papers" are papers about multi-agent learning, mostly filed under cs.LG: the word names the
# category only as "the multi-agent category"
TOPIC_FIRST_CATEGORIES = {"MA", "AI", "MTRL-SCI", "MES-HALL"}
# words that add nothing once their category is a filter ("latest language / NLP papers")
CATEGORY_TOPIC_WORDS = {
    "RO": {"robotics", "robotic", "robot", "robots"},
    "CL": {"language", "nlp", "natural", "linguistics", "computational"},
    "CV": {"vision", "computer"},
    "MA": {"multiagent", "multi-agent", "agent", "agents", "system", "systems"},
    "LG": {"machine", "learning", "ml"},
    "AI": {"artificial", "intelligence", "ai"},
    "ML": {"machine", "learning", "ml", "statistics"},
}
PAPER_NOUN = r"(?:papers?|work|stuff|publications?|research|articles?|preprints?|output)"
PAPERS_OF_YEAR = re.compile(r"\bdated (?:in )?$", re.IGNORECASE)
ONE_CATEGORY = rf"(?:(?:cs|stat|cond-mat)\.[\w-]+|{'|'.join(CATEGORY_WORDS.values())})"
CATEGORY_LIST = rf"{ONE_CATEGORY}(?:(?:\s*,\s*|\s*/\s*|\s+or\s+|\s+and\s+){ONE_CATEGORY})*"

# --- other filters ---
QUOTED = r"['‘\"“]([^'‘’\"“”]{2,60})['’\"”]"
QUOTED_LIST = rf"{QUOTED}(?:\s*(?:,|\bor\b|\band\b|/)\s*{QUOTED})*"
# words of the title: "with 'Language Model' or 'Language Models' in the title", "titles containing 'RL'"
IN_THE_TITLE = re.compile(
    rf"(?:(?:the )?(?:words?|terms?|phrases?) )?{QUOTED_LIST}\s*"
    r"(?:(?:is |are )?(?:spelled out|written out|appears?|appearing|used|somewhere|right) )?"
    r"in (?:the|its|their) titles?\b(?! of\b)|"
    r"\btitles? (?:that )?(?:contains?|containing|includes?|including|with|has|have|having|uses?|using|"
    rf"mentions?|mentioning)(?: the (?:words?|phrases?|terms?))? {QUOTED_LIST}",
    re.IGNORECASE,
)
# a name the abstract uses: "his newest paper that mentions MuJoCo?" (a capitalised name, or quoted, ending the clause)
MENTIONS = re.compile(
    r"(?:\b(?:[Tt]hat|[Ww]hich|papers|ones) (?:mentions?|mention)|\b[Mm]entioning)(?: the (?:word|term|name))? "
    rf"(?:(?P<name>[A-Z][\w.+-]*\w)|{QUOTED})(?=\s*[?.!,;:)]|\s*$)"
)
HAS_CODE = re.compile(
    r"\b(?:with|have|has|had|having|comes? with|released?|releasing|ship(?:s|ped)?|open[- ]?sourced?|public|"
    r"available)\s+"
    r"(?:a |an |their |the |any |its |some )?(?:official |public |open[- ]source )?"
    r"code(?: ?base| repos?(?:itor(?:y|ies))?| releases?)?\b|"
    r"\bcode (?:is |was )?(?:available|released|public|out)\b|"
    r"\bcode (?:has|have|needs?|must)(?: to)? be (?:public(?:ly available)?|available|released|open[- ]?sourced?|out)"
    r"\b|"
    r"(?<!non-)\bcode-(?:released|available|releasing)\b|"
    r"\bopen[- ]sourced?\b|\bmarks? (?:its |the |their )?code as released\b|"
    r"\bgithub (?:repo|code|link)s?\b|\bcode (?:release|repo\w*) (?:attached|linked)\b|\bcode releases\b|"
    r"\bpublic (?:code |github )?repo\w*\b|\b(?:ships?|shipped|comes? with) (?:a |an |its |the )?(?:public )?repo\w*\b|"
    r"\blinks? (?:to )?(?:a |the |their |its )?(?:code repo\w*|github(?: repo\w*)?)\b|"
    # the profile's code mark: "code-tagged", "the Code tag", "flagged with code"
    r"(?<!\w)['\"‘“]?code['\"’”]?[- ](?:tagged|badged?|flag(?:ged)?|tag|marked)s?\b|"
    r"\b(?:tagged|flagged|marked|badged) (?:with |as )?(?:the |a )?(?:having )?code(?: tag| badge| flag| mark)?\b",
    re.IGNORECASE,
)
RECENCY = re.compile(
    # (not the far end of an order asked: "oldest to newest", "latest to earliest")
    r"(?<!oldest to )(?<!earliest to )(?<!oldest to the )(?<!earliest to the )"
    r"\b(?:recent(?:ly)?|latest|newest|lately|most recent|new(?:er)? (?:papers?|work|stuff)|these days|nowadays|"
    r"last (?:year|few months)|currently|up to lately|fresh(?:est)?|most up[- ]to[- ]date|"
    # "and the one right before that", "which came right before it"
    r"(?:(?<=\bone )|(?<=\bcame ))(?:right |just |immediately )?(?:before|prior to) (?:that|it)|"
    r"closest to the end of (?:that|the|this) year)\b(?! to (?:the )?(?:oldest|earliest)\b)",
    re.IGNORECASE,
)

VENUE_NAMES = r"(?:neurips|nips|icml|iclr|corl|cvpr|iccv|eccv|iros|icra|rss|acl|emnlp|naacl|aaai|ijcai|aamas)\b"

# --- data the profile does not hold (checked first: "most cited paper" is not the citation total) ---
# (a fetched profile does hold per-paper counts: the strategy answers those from them)
PAPER_CITATIONS = "citation counts for single papers"
PAPER_LINKS = "links, DOIs or BibTeX entries for papers"
BIOGRAPHY = "education or biography"
UNNAMED_DATA = "that"  # data the classifier alone says the profile lacks
BEYOND_ABSTRACTS = (
    "details beyond the abstracts (results not stated there, hyperparameters, costs, page counts, code upkeep)"
)
# what no abstract of a named paper states: what running or training it cost ("carbon" alone is an element), who
# keeps its code up, what its reviewers said
BEYOND_A_PAPER = re.compile(
    r"\bcarbon (?:footprint|emissions?|cost|impact)\b|\bcarbon\b(?=[^?!]{0,40}\b(?:emit\w*|footprint)\b)|"
    r"\bco2\b|\bgreenhouse\b|\bgpu (?:memory|hours|requirements?)\b|\bvram\b|\bhow much (?:gpu|vram|ram)\b|"
    # money, not compute an abstract may state ("spend on cloud compute", "how many dollars"; not "spend more compute
    # on harder problems", "VeLO's compute budget")
    r"\b(?:spen[dt]|spending|paid|pay)\b[^?!.]{0,30}\bon (?:the )?cloud\b|\bcloud (?:bill|costs?|spend\w*|budget)\b|"
    r"\b(?:dollars?|money|usd)\b[^?!.]{0,40}\b(?:train\w*|compute|run\w*|cost\w*)\b|"
    # who keeps the code up (not "we maintain a codebase built on Brax")
    r"\bwho (?:maintains|keeps)\b|\bmaintainers?\b|\bmaintained by\b|"
    r"\bcommit(?:s|ting)? (?:code )?to (?:the |its )?(?:codebase|repo\w*|code)\b|"
    # what reviewers said of it (not "reviewers asked us to compare against DT")
    r"\breviewers?\b[^?!.]{0,10}\b(?:flag\w*|said|say|raise\w*|criticiz\w*|complain\w*|thought|think|wrote|"
    r"point\w* out|liked?|disliked?)\b|\breviewers?['’]? (?:comments?|scores?|concerns?|feedback|criticism)\b|"
    r"\bpeer reviews?\b|\brebuttal\b|\bopenreview\b|\breviews of\b|"
    # how to run its code ("what python version and deps does the MTM repo need?")
    r"\b(?:what|which) (?:[\w-]+ ){0,2}(?:python|cuda|pytorch|torch|jax|tensorflow|gym|mujoco) versions?\b(?! of\b)|"
    r"\b(?:python|cuda) versions?\b|\bdeps\b|\b(?:package|software|pip|library|python|install) dependenc(?:y|ies)\b|"
    r"\bdependenc(?:y|ies) (?:does|do|did) (?:the |its )?(?:code|repo\w*|library|package)\b|"
    r"\brequirements\.txt\b|\bpip install\b|\bdocker(?:file| image| container)\b|"
    r"\b(?:set|get) (?:it|this|that|the (?:code|repo\w*)) (?:up|running) on (?:our|my|a|the) "
    r"(?:cluster|machine|server|gpus?|laptop|box)\b|\binstall (?:it|the (?:code|repo\w*))\b",
    re.IGNORECASE,
)
# data the profile lacks whose words are often where the asker is or what the answer is for ("a podcast episode",
# "our discord", "his career"): an overview asked for beside them is still an overview
WHERE_ASKED = (
    "publication venues",
    "contact details or personal pages",
    "talks, slides or videos",
    "employment history",
    "funding or awards",
    "lab members or students",
)
# data the profile lacks whose words may name a research topic ("pull requests", "scanned PDFs")
TOPIC_WORDS_TOO = ("GitHub activity or download statistics", "full texts")
TOPIC_WORDS_TOO_LENGTH = 4  # the fewest words of a topic asked about ("his github activity" is no topic)
NOT_IN_PROFILE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), missing)
    for pattern, missing in (
        (
            r"\bmost[- ]cited\b|\b(?:the )?most citations\b|"
            r"\b(?:highly|least|most|often) cited\b|\bcitations? (?:per|for each|of each|by) paper\b|"
            r"\bcitation counts? (?:of|for|per)\b|\bcitations? (?:come|came|comes|coming) from\b|"
            r"\bhow (?:many times|often) (?:was|is|has) (?:it|that|this|the|rt|"
            r"palm|\w+[- ]\w+) .*cited\b",
            PAPER_CITATIONS,
        ),
        (
            # "rank his 2022 papers by how many citations each one has"
            r"\b(?:rank|sort|order)\w*\b[^?]{0,40}\bby (?:how many |the number of |number of )?(?:times )?"
            r"(?:each (?:one |paper )?(?:was |is |has been |got |gets )?)?cit(?:ations?|ed)\b|"
            r"\bcitations? each (?:one|paper) (?:has|got|gets|received)\b",
            PAPER_CITATIONS,
        ),
        (
            # "add up the GPU/TPU-hours across all his papers": compute no abstract states
            r"\b(?:add up|total|sum|how many|how much compute)\b[^?]{0,20}"
            r"\b(?:gpu|tpu)s?(?:[ /-](?:gpu|tpu)s?)?[- ]hours\b|"
            r"\bcompute (?:footprint|bill)\b",
            BEYOND_ABSTRACTS,
        ),
        (
            # who cites a paper: "which later papers cite LOLA?", "citing papers", "work that builds on it"
            # not references ("what papers does RT-2 cite?") or a topic ("models that cite their sources")
            r"\b(?:later|other|subsequent|follow-?up|newer) (?:papers?|works?)\b[^?.!]{0,20}\bcit(?:e|es|ed|ing)\b|"
            r"\b(?:who|which papers|what papers|which works)\b (?:has |have )?(?:cited|cites?)\b"
            r"(?! (?:their|its|an?|sources?)\b)|"
            r"\bciting (?:papers|work|articles)\b|\bcited by (?:whom|which|what|others|other papers)\b|"
            r"\b(?:researchers|people|authors|groups|labs) (?:who (?:are |have )?)?(?:citing|cite|cited)\b|"
            r"\bcited (?:in|by) (?:any )?(?:government|policy|regulat\w+|news|the press|media|patents?|textbooks?)\b",
            "papers citing his papers",
        ),
        (
            r"\bvenues?\b|\bconferences?\b|\bjournals?\b(?! club)|\bworkshops?\b|"
            r"\b(?:accepted|appeared|presented) (?:at|in)\b|\bproceedings\b|\bbooktitle\b|\bcamera[- ]ready\b|"
            # a venue's name only where it is one: "ACL knee injury" is no conference
            rf"\b(?:at|in|to|for) {VENUE_NAMES}|{VENUE_NAMES}(?: ?'?\d\d(?:\d\d)?)? (?:papers?|submissions?|"
            r"publications?|orals?|spotlights?)\b|"
            # how it was presented ("did blocks assemble get an oral or a spotlight?")
            r"\b(?:get|got|gets|receive[ds]?|given|was (?:it|this|that)|accepted (?:as|for)|selected (?:as|for)) "
            r"(?:an? )?(?:oral|spotlight)\b|\b(?:poster|oral|spotlight) or (?:an? )?(?:poster|oral|spotlight)\b",
            "publication venues",
        ),
        (
            # not "his h-index and the number of papers he put out in 2022": no paper count between
            r"\bh-?index\b(?:(?!\bpapers?\b).)*\b(?:grow|grown|growth|over (?:the )?years|year over year|history|"
            r"trend|changed?|"
            r"in (?:19|20)\d\d)\b|"
            # not "total citations + how many papers he had in 2022": no paper count between
            r"\b(?:citations?|cites)\b(?:(?!\bpapers?\b).)*\b(?:grow|grown|growth|year over year|per year|each year|"
            r"trend|(?:19|20)\d\d\b(?! papers?\b))|"
            # (not "papers he had in 2021, and his total citation count": another ask between)
            r"\b(?:19|20)\d\d\b(?:(?!\bpapers?\b|,|\band\b).)*\b(?:citations?|cites)\b",
            "a year-by-year history of the h-index or citations",
        ),
        (
            # (his, not the asker's: "fits my phd interests", "i'm doing a phd", "at a phd level")
            r"(?<!\bmy )(?<!\bour )(?<!\byour )(?<!\ba )(?<!\ban )\bph\.?d\b"
            r"(?! (?:interests?|applica\w*|students?|programs?|positions?|level|advis[oe]r|thesis|research)\b)|"
            r"(?<!\bmy )(?<!\bour )(?<!\byour )\bdoctora\w*\b(?! research)|\bhis (?:ph\.?d\.? )?advis[oe]r\b|"
            r"\bborn\b|\bhow old\b|"
            r"\bwhere did he (?:study|go to|do his|get his)\b|"
            r"\bhis (?:education|degrees?|alma mater|background|age)\b|"
            r"(?<!\bmy )(?<!\bour )(?<!\byour )"
            r"\b(?:master'?s|masters|bachelor'?s|undergrad(?:uate)?|phd|doctoral) (?:thesis|degree|dissertation)\b|"
            r"\bhis (?:thesis|dissertation)\b",
            BIOGRAPHY,
        ),
        (
            # (the noun, not the verb: "where do i download VeLO?", "want to fork the code" ask for a link)
            r"\bgithub stars?\b|\bstars on github\b|\bforks\b|\bforked\b|\bfork counts?\b|\bdownloads\b|"
            r"\bdownloaded\b|\bdownload (?:counts?|stats|statistics|numbers?|figures)\b|\bpull requests?\b|"
            r"\bcommits\b|"
            r"\b(?:last|latest|recent|first) commit\b|\bopen issues\b|"
            r"\bgithub (?:activity|contributions?|profile|account)\b",
            "GitHub activity or download statistics",
        ),
        (
            r"\b(?:does|did|will) he teach\b|"
            r"\bteach(?:es|ing)? (?:any |a )?(?:courses?|class(?:es)?)\b|"
            r"\b(?:courses?|class(?:es)?) (?:does|did) he teach\b|\bhis (?:courses?|classes|"
            r"lectures|teaching|syllabus)\b|\boffice hours\b",  # ("which papers belong on the syllabus": the asker's)
            "teaching",
        ),
        (
            r"\bi10(?:-index)?\b|\bg-index\b|\bm-index\b|\baltmetric\b|\bimpact factor\b|\bfield[- ]weighted\b",
            "metrics other than the h-index, citations, novelty and AI score",
        ),
        (
            r"\bfull author list\b|\ball (?:the )?(?:co-?)?authors of\b|\bevery author\b|"
            r"\b(?:last|senior|corresponding) author\b|\bauthor (?:order|position)\b|"
            r"\bhow many (?:co-?)?authors\b|\bnumber of (?:co-?)?authors\b",
            "full author lists",
        ),
        (
            # his share of one paper, not the paper's contributions ("what did PaLM-E contribute?")
            r"\b(?:did|does) (?:he|she) (?:personally |exactly |actually |specifically )contribute\b|"
            r"\b(?:did|does) (?:he|she) contribute (?:to|in) (?:it|this|that|the (?:[\w.-]+ ){0,3}(?:paper|report))\b|"
            r"\bwhich (?:sections?|parts?) (?:was|were) (?:his|hers)\b|"
            r"\bhis (?:individual|exact|personal|own|specific) (?:contributions?|role|part)\b|"
            # "which part was igor personally responsible for?", "did he run experiments or mostly advise?"
            r"\bpersonally (?:responsible|in charge)\b|"
            r"\bwas (?:he|she|igor|mordatch) (?:personally )?(?:responsible|in charge)\b|"
            r"\b(?:did|does|was) (?:he|she|igor|mordatch)\b[^?.!]{0,40}\b(?:mostly|only|just) advis(?:e|ed|ing)\b|"
            r"\bwho did what\b|\bauthor contributions? statements?\b",
            "who did what within a paper",
        ),
        (
            # an address, not a topic ("spam email detection")
            r"\bhis e-?mail\b|\be-?mail (?:address|him)\b|\bphone number\b|"
            r"\bcontact (?:him|details|info)\b|\bhomepage\b|"
            # his account, not a topic ("sarcasm detection in tweets")
            r"\b(?:his|is he on|does he (?:have|use)) (?:a )?(?:twitter|x)\b|"
            r"\btwitter (?:handle|account|profile|bio)\b|"
            r"\b(?:he|his) tweet(?:s|ed)?\b|\btweet(?:s|ed)? (?:by|from) (?:him|igor)\b|"
            r"\bfollowers\b|"
            r"\bbluesky\b|\bmastodon\b|\blinkedin\b|"
            # (not "discord-length")
            r"\b(?:discord|slack)(?: (?:handle|username|id|account))?\b(?! variables?)(?![-‑])|"
            r"\bhis handle\b|"
            # social media as his, not a topic ("misinformation detection on social media")
            r"\b(?:his|is he on|does he have|does he use) (?:any )?social media\b|"
            r"\bsocial media (?:accounts?|profiles?|handles?|presence)\b|"
            r"\b(?:personal )?(?:website|web ?page|blog)\b",
            "contact details or personal pages",
        ),
        (r"\bpatent(?:s|ed)?\b", "patents"),
        (
            r"\b(?:missing|unlisted) (?:ones|papers|titles)\b|"
            r"\btitles of the (?:\d+ )?(?:missing|unlisted)\b",
            "the claimed papers that are not listed",
        ),
        (
            r"\breproducibility (?:study|studies|reports?)\b|\breplication (?:study|studies|of (?:the|his))\b|"
            r"\b(?:replicated|reproduced) (?:the |his |its )?results\b",
            "work by others on his papers",
        ),
        (
            r"\b(?:h-?index|citations?)\b[^?]*\b(?:only count(?:ing)?|counting only)\b|"
            r"\b(?:only count(?:ing)?|counting only)\b[^?]*\b(?:h-?index|citations?)\b",
            "metrics of a subset of his papers",
        ),
        (
            r"\bunpublished\b|"
            r"\b(?:hasn'?t|has not|haven'?t|isn'?t|is not|not|yet to)(?: been| be)? published(?: yet)?\b|"
            # (not "the graph net in the pipeline predicts")
            r"(?<!somewhere )\bin the (?:pipeline|works)\b"
            r"(?=\s*(?:[?.!,;]|$|right now|now|currently|these days|for (?:now|next year|20\d\d)\b))|"
            r"\bupcoming (?:papers?|work|projects?)\b",
            "work not yet published",
        ),
        (
            r"\bopen letters?\b|\bpetitions?\b|\bpublic statements?\b|\bpolicy (?:positions?|statements?)\b|"
            r"\b(?:said|say|stated?|comment(?:ed)?|spoken?) (?:\w+ ){0,2}(?:publicly|in public)\b|"
            r"\bpublicly (?:said|stated?)\b|\btestif(?:y|ied|ies)\b|"
            r"\bsign(?:ed|s)? (?!language)(?:an? |the )?(?:[\w-]+ ){0,3}?(?:statement|letter|petition|pledge)\b",
            "public statements or letters",
        ),
        (
            # what only the full paper or the code holds (not what abstracts do state: "hours of video", compute)
            r"\b(?:what|which) (?:learning rates?|batch sizes?|hyper-?parameters?)\b[^?]{0,40}"
            r"\b(?:did|do|does|was|were)\b[^?]{0,30}\b(?:use|used|set|choose|chose|pick|picked)\b|"
            r"\bhow many pages\b|\bpage[- ](?:wise|counts?|lengths?)\b|\bnumber of pages\b|"
            r"\b(?:tensorflow|pytorch|jax)\b[^?]{0,20}\bor\b[^?]{0,10}\b(?:tensorflow|pytorch|jax)\b|"
            r"\b(?:broader[- ]impacts?|ethics|limitations) (?:statements?|sections?)\b|"
            r"\b(?:in |us )?(?:actual )?dollars\b|"
            r"\bhow much did (?:[\w.-]+ ){0,5}cost\b|\bhours of (?:[\w-]+ ){0,3}(?:data|demos?|demonstrations?)\b|"
            r"\bstill maintained\b|\b(?:latest|current) release(?: version)?\b|\brelease versions?\b",
            BEYOND_ABSTRACTS,
        ),
        (r"\bretract(?:ed|ions?)\b|\berrat(?:um|a)\b", "retractions or errata"),
        (
            r"\bsign(?:ing)? up\b|\bregist(?:er|ration)\b|"
            r"\bnext (?:[\w-]+ ){0,2}(?:competition|challenge|workshop|tutorial|edition)\b",
            "upcoming events or sign-ups",
        ),
        (
            # what he personally holds, not what his papers argue ("why do they think masking helps?")
            r"\b(?:does|did) (?:he|she) (?:personally )?consider\b(?=.*\b(?:most important|best|favou?rite|greatest|"
            r"proudest)\b)|\bhis (?:own |personal )?(?:opinions?|favou?rite)\b|\bhis (?:personal )?stance\b|"
            r"\bpersonal(?:ly)? (?:views?|opinions?|take|thoughts|position|beliefs?)\b|"
            r"\b(?:does|would|did|can|could) (?:he|she) recommend\b|\b(?:he|she) recommends\b|"
            r"\b(?:he|she) (?:personally )?prefers?\b",
            "his own opinions, favourites or recommendations",
        ),
        (
            # "talks" but not the verb ("ALPT talks about 'source' environments"), youtube as a place, not a verb
            r"\b(?:any|his|some|recorded|invited|recent|given|gave|public) talks\b|\btalks\b(?! (?:about|to|with)\b)|"
            r"\bkeynotes?\b|\byoutube (?:channel|videos?|talks?|lectures?)\b|"
            r"\b(?:on|his) youtube\b|\bpodcasts?\b|\bslides\b|"
            r"\binterviews?\b|\b(?:give|gave|a) talk\b|\brecorded (?:lectures?|talks?|videos?)\b|"
            r"\b(?:recording|video) of (?:him|her|\w+) (?:presenting|talking|giving|explaining)\b",
            "talks, slides or videos",
        ),
        (
            r"\bbefore (?:joining |he joined |he was at )?(?:google|deepmind|openai|brain)\b|\b(?:previous|past|former|"
            r"prior|earlier) (?:jobs?|employers?|positions?|roles?|companies|labs?)\b|\bworked (?:at|for) before\b|"
            r"\bhow (?:long|many years) (?:has|is|was) he (?:been )?(?:at|with)\b|\bwhere (?:did|has) he work(?:ed)? "
            r"before\b|\bhis (?:career|cv|resume|employment)\b|"
            # where people work now ("which of his coauthors from the RT-1 era have since left google?")
            r"\b(?:since|already|have|has|who) left (?:google|deepmind|openai|brain|meta|fair|microsoft|nvidia|"
            r"berkeley|mit|stanford|the (?:company|lab|team|group))\b|"
            r"\b(?:are|is) (?:they|any of them) still (?:at|with) (?:google|deepmind|openai|brain|meta)\b",
            "employment history",
        ),
        (r"\bself-?citations?\b", "citation counts without self-citations"),
        (
            # "a grant report" is where the answer goes, not a grant
            r"\bfund(?:ed|ing)\b|\bgrants?\b(?! (?:report|proposal|application))|\bhis salary\b|\bawards?\b|"
            r"\bprizes?\b|\bhonou?rs?\b",
            "funding or awards",
        ),
        (r"\bpdfs?\b|\bfull text\b|\bsupplementary\b|\bappendix\b", "full texts"),
        (
            r"\b(?:peer|openreview|meta)[- ]?reviews?\b|\barea chairs?\b|\bwhat did (?:the )?reviewers\b|"
            r"\breviewer (?:scores?|comments?)\b|\b(?:the|its|their|what were the) review scores\b|\brebuttals?\b|"
            r"\breviewers?\b[^?.]{0,30}\bpush(?:ed)? back\b|"
            r"\breviewers?\b[^?.]{0,30}\b(?:objections?|concerns?|criticisms?|complaints?|questions)\b|"
            r"\bopenreview\b|\bwhat (?:review |reviewer )?(?:ratings?|scores?) did\b|"
            # a paper rejected, not "rejection sampling"
            r"\breviews? (?:of|for) (?:the |that |this )?paper\b|\b(?:got|was|were|been|be) rejected\b|"
            r"\brejected (?:by|from|at|somewhere|anywhere|before)\b|\bresubmi(?:tted|ssions?)\b|"
            r"\b(?:was|were|got) (?:the |his |that |this )?(?:[\w-]+ ){1,3}(?:paper )?rejected\b",
            "peer reviews or submission histories",
        ),
        (
            r"\b(?:independently|anyone|others?|other (?:labs|groups|people)) (?:\w+ )?(?:replicated|reproduced)\b|"
            r"\b(?:replicated|reproduced) (?:by|independently|elsewhere)\b|"
            r"\bindependent (?:replications?|reproductions?)\b",
            "replications by others",
        ),
        (
            r"(?<!\bi'm a )(?<!\bi am a )(?<!\bas a )(?<!\bi'm a first-year )(?<!\bi'm a first year )"
            r"\b(?:phd|his|grad(?:uate)?) students?\b|\binterns\b(?! (?:at|to))|"
            r"\blab members?\b|\bwho works? (?:for|in) his lab\b|"
            r"\b(?:people|members|researchers) (?:are )?(?:on|in) his (?:team|group|lab)\b|\bhis team\b",
            "lab members or students",
        ),
        (
            r"\bdois?\b|\bbib ?tex\b|\bcitation (?:key|entry)\b|\b(?:links?|urls?) (?:to|for) (?:the |that |this )?"
            r"(?:paper|article|preprint)\b|\barxiv (?:links?|ids?|numbers?)\b",
            PAPER_LINKS,
        ),
        (
            # of code, weights or data; not a driver's license
            r"\b(?:what|which) (?:[\w-]+ )?(?:[\w-]+ )?licen[cs]e\b|\blicen[cs]ed? under\b|"
            r"\blicen[cs]ed for (?:commercial|research|academic|non-?commercial)\b|\ballows? commercial use\b|"
            r"\b(?:code|software|repo|weights?|model|dataset)(?:'s)? licen[cs](?:es?|ing)\b|"
            r"\blicen[cs](?:es?|ing) (?:of|for|on) (?:the |its )?(?:code|software|repo|weights?|model|dataset)\b|"
            r"\b(?:MIT|apache|BSD|GPL)(?: or|[- ]\d(?:\.\d)?)?\b(?=[^?]*\blicen[cs])",  # "MIT or apache licensed?"
            "software licenses",
        ),
        (
            r"\barxiv versions?\b|\bhow many versions\b|\b(?:last|latest) revision\b|\brevision (?:history|posted)\b",
            "arXiv version histories",
        ),
        (
            # not a topic: "summarization of news articles"
            r"\bnews (?:outlets?|coverage)\b|\bnews (?:articles?|stories) (?:about|on|that covered|cover(?:ed|ing)?)\b|"
            r"\b(?:which|any|what) news (?:articles?|stories)\b|\b(?:press|media) (?:coverage|releases?)\b|"
            r"\bcovered (?:by|in) the (?:press|news|media)\b|\bin the news\b",
            "press or news coverage",
        ),
        (
            r"\bhobb(?:y|ies)\b|\blanguages? (?:does|did|can) he speak\b|\bgr[eo]w(?:n)? up\b|\bnationality\b|"
            r"\bwhere is he (?:originally )?from\b|\bhometown\b|\bmarried\b|\bfree time\b|"
            r"\boutside (?:of )?(?:work|research)\b|\baway from work\b|"
            r"\bprogramming languages? (?:does|did|do) (?:he|she)\b|"
            r"\b(?:he|she) (?:actually )?codes? in\b|\bfluent\b|\b(?:he|igor|mordatch) speaks?\b",
            "personal life",
        ),
        (
            r"\bequal contribution\b|\bco-?first authors?(?:hip)?\b|\bauthor contributions?\b|"
            r"\b(?:personally|himself) (?:wr[io]te|written|writes|coded?|implement\w*)\b|"
            r"\bwho (?:wrote|implemented) the code\b",
            "who did what on each paper",
        ),
        (r"\bconsult(?:ing|s|ant|ancy)\b|\badvisory boards?\b|\bboard of\b", "consulting or board roles"),
        (
            r"\b(?:is|are) (?:he|she|they|the lab|the group|his lab|his group) (?:still |currently )?hiring\b|"
            r"\bhiring (?:students|postdocs|interns|phds?|researchers|people)\b|"
            r"\b(?:open|vacant|postdoc(?:toral)?|phd|internship) (?:positions?|roles?|openings?)\b|"
            r"\b(?:taking|accepting|recruiting) (?:new |any )?(?:students|postdocs|interns)\b|\bjob openings?\b",
            "open positions or hiring",
        ),
    )
)

# every category's count asked, whichever one the question names
CATEGORY_SPLIT = re.compile(
    r"\bcategory (?:counts|split|breakdown|mix|distribution)\b|"
    # "how do the remaining ones split across other tags?"
    r"\b(?:split|spread|distributed|divided|break down|fall) (?:across|over|among|into|between) (?:the )?"
    r"(?:other |remaining |rest of the )?(?:tags|categories|buckets|arxiv codes)\b|"
    # "how many papers fall in each category", "count per primary category"
    r"\b(?:fall|are|sit|land|go) (?:in|into|under) (?:each|every) (?:arxiv )?(?:category|tag|bucket)\b|"
    r"\b(?:per|each|every|in each) (?:arxiv |primary )?(?:category|tag|bucket)\b",
    re.IGNORECASE,
)

# --- metrics: (key(s), pattern); several may match one question ---
NOT_ANOTHER_COUNT = r"(?:(?!\b(?:how many|plus|also)\b).)"  # a character before another count is asked
METRIC_CUES: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (keys, re.compile(pattern, re.IGNORECASE))
    for keys, pattern in (
        (("h_index",), r"\bh[- ]?index\b|\bhirsch(?: index| number)?\b"),
        (
            ("citations",),
            r"\bcitation counts?\b|\bcitations?\b|\bcites\b|\btimes cited\b|"
            r"\bhow (?:often|much) (?:is )?he (?:is )?cited\b|\bhow many times (?:[\w']+ ){0,3}cited\b",
        ),
        (("novelty",), r"\bnovelty\b(?! (?:detect\w*|search|bonus|seeking))"),  # not "a novelty detector"
        (("ai_score",), r"\bai[- _]?scores?\b"),
        # before the paper count: "how many papers in 2021" is a count for a year
        (
            ("by_year",),
            # (not across another count: "how many have code, and how many in 2017", "2022? plus how many have code")
            rf"{PER_YEAR.pattern}|\bhow many\b{NOT_ANOTHER_COUNT}*?\b(?:19|20)\d\d\b|"
            rf"\b(?:19|20)\d\d\b{NOT_ANOTHER_COUNT}*?\bhow many\b|"
            r"\bbusy year\b|\byearly\b|\byear[- ]by[- ]year\b|\bhow productive\b(?=[^?]*\b(?:19|20)\d\d\b)|"
            r"\b(?:annual|per[- ]year) (?:paper |publication |output )?(?:counts?|totals?|tall(?:y|ies))\b|"
            r"\b(?:19|20)\d\d(?:['’]s)? (?:paper |publication |output )?(?:tally|count)\b|"
            r"\b(?:19|20)\d\d output in papers\b|\b(?:19|20)\d\d(?:['’]s)? output\b(?=[^?]*\b(?:number|count|total)\b)|"
            r"\b(?:is|was) (?:19|20)\d\d (?:empty|blank|a blank)\b|"  # "is 2019 empty on his profile?"
            r"\b(?:spread|distribut\w*|breakdown|output) (?:across|over|by) (?:the )?years\b|"
            # "a bar chart, x = year, y = number of his papers"
            r"\byear\b[^?.]{0,30}\bnumber of (?:his )?papers\b|\bnumber of (?:his )?papers (?:each|per|every|a) year\b|"
            r"\bnumber of (?:his )?(?:papers|publications) (?:in )?(?:this|that|the same) year\b",
        ),
        (
            ("with_code",),
            # the last "how many" before "code": "how many papers has he claimed, and how many have code"
            r"\b(?:how many|number of)\b(?:(?!\b(?:how many|number of)\b).)*?\b(?:have|has|had|with|ship\w*|"
            r"release\w*|includ\w*|provid\w*|public|open[- ]?sourced?|link\w*)\s+"
            r"(?:a |an |the |their |its |any |some )?code\b|\bshare\b.*\bcode\b|\bwith[- ]code count\b|"
            r"\bcount of (?:papers |publications )?(?:with|that have|having) "
            r"(?:released |public |open[- ]source )?code\b|"
            r"\b(?:percent(?:age)?|fraction|proportion)\b.*\bcode\b|\bcode[- ]availability\b|\bcode[- ]release count\b|"
            r"\b(?:tall(?:y|ies)|count|total) of (?:his |the )?(?:papers|entries|publications)\b[^?.;]*\bcode\b|"
            # "papers with a code release vs total papers listed"
            r"\bcode(?: releases?)? (?:vs\.?|versus|against|out of) (?:the )?total\b|"
            r"\b[XN] of [YM]\b[^?]{0,30}\bcode\b|"  # "'X of Y listed papers have code'. fill in X and Y"
            # "number of code-tagged papers"
            r"\b(?:number|count|how many) (?:of )?code[- ](?:tagged|released|marked)\b",
        ),
        (
            ("papers_claimed", "papers_listed"),
            r"\bhow many (?:papers|publications|articles)\b|\bnumber[- ]of[- ](?:papers|publications)\b|"
            r"\b(?:paper|publication|output) count\b|\bclaim(?:s|ed|d)?\b|\blisted\b|\bpapers (?:shown|displayed) on\b|"
            r"\bcount of (?:papers|publications) (?:shown|displayed|listed)\b|"
            r"\bpapers? (?:does he|has he) (?:have|got)\b",
        ),
        (
            ("top_coauthors",),
            r"\bco-?authors?\b|\bco-?authoring\b|\bco-?(?:authored|written|wrote) (?:with|(?:the )?most)\b|"
            r"\bcollaborat\w*\b|"
            r"\bworks? with (?:the )?most\b|"
            r"\bwho (?:does|has) he (?:work|written|write|publish)\w* with\b|"
            r"\b(?:wr(?:ites?|itten|ote)|work(?:s|ed)?|publish(?:es|ed)?) with (?:the )?most\b|"
            # "whose name shows up next to his most", not "whose names are on his most recent paper"
            r"\bwhose names?\b[^?.]{0,40}\b(?:most(?! (?:recent|cited|popular|famous))|often|frequently)\b|"
            # "which names co-occur with his the most", "whose names keep recurring next to his"
            r"\bnames? (?:co-?occur|recur|keep (?:recurring|showing up|appearing)|show up|appear)\w*\b"
            r"[^?.]{0,40}\b(?:most|often|frequently|next to|beside|alongside|with)\b",
        ),
        (
            ("affiliations",),
            r"\baffiliat(?:ions?|ed)\b|\binstitutions?\b|\borgani[sz]ations?\b|\borgs?\b|\bwhere does he work\b|"
            r"\blabs? (?:is he|does he)\b|"
            # "what labs and companies are attached to his papers?"
            r"\b(?:what|which) (?:labs?|companies|universities)(?: (?:and|&|or|/) (?:labs?|companies|universities|"
            r"institutes?))? (?:are|were|is|show up|appear)\b(?=[^?]{0,30}\b(?:his|the) (?:papers|profile|work)\b)",
        ),
        (
            ("first_paper",),
            r"\b(?:earliest|oldest|first)\b(?= (?:and|&) (?:the )?(?:latest|newest|last|most recent) (?:listed )?"
            r"(?:papers?|publications?|ones?))|"
            r"\b(?:earliest|oldest|first) entry\b|\b(?:publication|publishing|profile) span\b|"
            r"\bwhich (?:one|paper|entry) opens (?:it|the list|his list)\b|"
            r"\b(?:earliest|oldest|first)(?:[- ]dated)? (?:listed |published )?(?:papers?|publications?|articles?|"
            r"thing)\b|"
            r"\b(?:earliest|oldest) one\b(?=(?: listed| on (?:his|the) profile| called| titled)?\s*[?.!]*$)|"
            r"\bas (?:his |the )?(?:earliest|oldest|first)\b(?= *[,?.!]| and\b)|"
            r"\b(?:profile|listing|list|record) (?:starts?|begins?) with\b|\bstarts? with \((?:oldest|earliest)\)|"
            # "when does his listed record start and end?"
            r"\b(?:record|listing|list|profile|timeline) (?:starts?|begins?) and (?:ends?|stops?)\b|"
            r"\bkicks? (?:off (?:his|the) (?:listing|list|profile)|(?:his|the) (?:listing|list|profile) off)\b|"
            r"\bbookends\b(?= of (?:his|the) (?:publication |paper )?(?:list|listing|profile|record)\b)|"
            r"\bwhich (?:one|paper|entry)(?:'s| is) (?:the )?(?:very )?(?:first|earliest|oldest)\b"
            r"(?! (?:to|in|on|of|that|where)\b)(?![- ]?author)",
        ),
        (
            ("last_paper",),
            r"\b(?:latest|newest|most recent|last) (?:listed |published )?(?:papers?|publications?|articles?|thing)\b"
            r"(?= (?:in|on) (?:his|the) profile| listed| (?:he|she) (?:has )?listed| called\b| titled\b|,|\)| and\b|"
            r" plus\b| ?\+|\s*\?*$)|"
            r"\bwhich (?:one|paper|entry)(?:'s| is) (?:the )?(?:latest|newest|most recent)\b|"
            r"\b(?:latest|newest|most recent|last) entry\b|"
            r"\b(?:latest|newest|most recent|last) listed ones?\b|"
            r"\b(?:latest|newest|most recent) one (?:on|in) (?:his|the) profile\b|"
            r"(?<=, )(?:the )?(?:latest|newest|most recent) one\b(?=,| and\b)|"
            r"\btitle of (?:the|his) (?:latest|newest|most recent)(?: one| paper)?\b(?=\s*(?:[,;?]|and\b|$))|"
            r"\b(?:latest|newest|most recent) one called\b|"
            r"\b(?:latest|newest|most recent) (?:paper|publication)['’]?s? title\b|"
            # "newest title on record", "the title of the newest one that IS listed"
            r"\b(?:latest|newest|most recent)(?: listed)? title\b|\btitle at the other end\b|"
            r"\btitle of the (?:latest|newest|most recent) one that is listed\b|"
            r"\bwhich (?:one|paper|entry) closes (?:it|the list|his list)\b|"
            # "the earliest paper on his profile and the most recent one"
            r"(?<=\band )(?:the |his )?(?:latest|newest|most recent|last) one\b(?=\s*\?*$)",
        ),
        (
            ("peak_year",),
            r"\b(?:which|what) (?:calendar )?year\b.*\b(?:most|fewest|least)\b|\bmost productive\b|"
            r"\bpeak (?:\w+ )?year\b|"
            r"\b(?:which|what) (?:calendar )?year (?:actually |really )?(?:tops|topped|leads|led)\b|"
            r"\b(?:which|what) year (?:holds|has|had|set) the record\b|\bhigh[- ]water mark\b|"
            r"\bbusiest(?: year)?\b|\bmost prolific\b(?! co-?authors?| collaborators?)|\byear with (?:the )?most\b|"
            r"\byears?\b[^?.]{0,50}\b(?:paper count|output|papers?|publications?)\b[^?.]{0,20}\bpeak(?:ed|s)?\b|"
            r"\b(?:which|what) (?:of those )?years? (?:is|was) (?:the )?peak\b|"
            r"\byear (?:he|she) (?:published|put out|wrote) (?:the )?most\b|"
            r"\b(?:was|is) (?:it|that|(?:19|20)\d\d) (?:actually |really )?(?:his|the) peak\b|"
            r"\b(?:which|what) year (?:was|is) (?:his|the) peak\b|\byear (?:actually |really )?(?:topped|beat) it\b",
        ),
        (
            ("by_category",),
            rf"{CATEGORY_SPLIT.pattern}|"
            r"\bcategor(?:y|ies)\b|\bsubject areas?\b|\barxiv (?:fields?|areas?)\b|\bbreak ?down\b",
        ),
        (("category",), r"\bprimary (?:category|field|area)\b|\bmain (?:field|area|category)\b"),
    )
)

# his own primary category asked ("is igor's primary category cs.LG?"), not papers filed under one
OWN_CATEGORY_ASKED = re.compile(
    r"\b(?:his|her|\w+['’]s) (?:own |overall |profile )?(?:primary|main) (?:category|field|area)\b", re.IGNORECASE
)
PRIMARY_WORD = re.compile(r"\b(?:primary|main)\b(?= (?:arxiv )?(?:category|field|area)\b)", re.IGNORECASE)
# what the question sets aside: "(not the robot ones)", "not the 2.0 report", "not just gym-style benchmarks",
# "doesn't have to be filed under cs.RO"
NEGATED = re.compile(
    r"\b(?:do not|don'?t|dont) (?:skip|leave out|forget|miss|exclude|drop|omit) [^,;?.!()]*|"  # what to include too
    r"\(not [^()]*\)|"  # "(not PaLM-E or the original PaLM)"
    r"(?<=[,;] )no (?:[\w-]+ ){0,3}[\w-]+(?: and no (?:[\w-]+ ){0,3}[\w-]+)*(?=\s*[,;:?.!]|$)|"  # ", no human demos"
    r"\((?:the |that )?[^()]{1,30} (?:guy|person|dude|prof|professor|researcher)\)|"  # "daniel freeman (the brax guy)"
    r",\s*not (?:just|only|merely) [\w -]{1,30}(?=[?.!]*$)|"  # "tested on real hardware, not just sim?"
    # "shuang li did way more than EBMs with him": what else was done is asked for, not that
    r"\b(?:did|does|do|has done|have done) (?:way |much |a lot |far )?more than (?:just )?[\w -]{1,30}?"
    r"(?= with\b|[,.;?!]|$)|"
    r"\(?\bnot (?:the |just |only |a |an )?(?:[\w.+/-]+ ){0,4}?(?:ones?|thing|stuff|papers?|report|version|kind)\b\)?|"
    r"\b(?:does|do)(?:n't| not) (?:have|need) to be (?:filed |tagged |listed )?(?:under|in|as) (?:the )?[\w.]+"
    r"(?: category)?\b|"
    # "tag-wise RO only — newest? the LG-tagged robot stuff doesn't count"
    r"(?:(?<=[.?!;,:—–] )|^)[^.?!;,:—–]{0,50}?\b(?:ones|stuff|papers?|reports?|work|entries|category|tags?)"
    r" (?:doesn'?t|don'?t|does not|do not|won'?t) count\b",
    re.IGNORECASE,
)
# a topic ruled out: "that has nothing to do with language models", "doesn't involve a language model at all",
# "skipping anything about LLMs or robots", "where no language model is involved anywhere"
RULED_OUT = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\b(?:(?:that|which|and|but) )?(?:(?:has|have|had) nothing to do with|(?:does|do|did|is|are|was)(?:n't| not) "
        r"(?:involve|use|touch|include|cover|deal with|have anything to do with|about|involving|using|on)|"
        r"(?:nothing|none) (?:about|involving|using|on))"
        r" (?:any |an? |the )?(?P<topic>[^,;?.!()]+?)(?: at all| whatsoever)?(?=\s*(?:[,;?.!()]|$))",
        r"\b(?:skipping|skip|excluding|exclude|ignoring|ignore|leaving out|leave out|minus|except(?: for)?|"
        r"other than|apart from|aside from) (?:anything|everything|any(?: papers?| ones?| work)?|the (?:ones|papers)|"
        r"papers|ones)(?: (?:that (?:are|is) )?(?:about|on|involving|with|using|related to|touching))?"
        r" (?P<topic>(?!(?:19|20)\d\d|(?:from|in|before|after|since|until|prior|dated|published|released)\b)"
        r"[a-z][^,;?.!()]*?)(?=\s*(?:[,;?.!():]|$))",
        # "skip the robot stuff", "ignoring the vision ones"
        r"(?:^|(?<=[(,;:] )|(?<=\()|(?<=[.?!] ))"
        r"(?:skipping|skip|excluding|exclude|ignoring|ignore|leaving out|leave out|minus) (?:the|any|all) "
        r"(?P<topic>[a-z][\w -]{1,30}?) (?:stuff|ones|papers|work|side|things)\b",
        r"\b(?:where|in which|with) no (?P<topic>[\w -]{2,40}?) (?:is|are|was|were|gets?) (?:involved|used|present)\b"
        r"(?: anywhere| at all)?",
        # "beyond robots and LLMs he has a few papers in chemistry": what he is known for, set aside
        r"(?:^|(?<=[.?!;:] ))beyond (?:the |his )?(?P<topic>[\w /&-]{2,40}?)(?:,|\s+(?=(?:he|there|what|which)\b))",
    )
)
# an author's place in the list other than first (FIRST_AUTHOR): "where yilun du is the second author"
AUTHOR_POSITION = re.compile(r"\b(?:is |as )?(?:the )?(second|third|2nd|3rd)[- ]author(?:ed)?\b", re.IGNORECASE)
POSITIONS = {"second": 2, "2nd": 2, "third": 3, "3rd": 3}
# the owner among a paper's listed authors (profiles list the first few): "where igor is the second author",
# "where his own name is visible in the author list", "where igor himself shows up among the listed authors"
OWNER_LISTED = re.compile(
    r"\b(?:is|as) (?:the )?(?:second|third|2nd|3rd)[- ]author\b|"
    r"\b(?:his|own|\w['’]s) name (?:(?:is )?(?:visible|shows up|appears|listed|is listed)\b|"
    r"(?:in|among) (?:the )?(?:\(?truncated\)? )?(?:listed )?author(?:s| list)\b)|"
    r"\b(?:shows? up|appears?|is listed|is visible|(?:is )?shown) (?:among|in) (?:the )?"
    r"(?:first (?:three|3|few) |listed |visible |\(?truncated\)? )?authors?(?: list)?\b|"
    r"\b(?:visible|listed|named) in the (?:\(?truncated\)? )?author list\b",
    re.IGNORECASE,
)
FIRST_AUTHOR = re.compile(
    r"\b(?:is |was |as )?(?:the )?(?:first|lead)[- ]author(?:ed)?\b|\bfirst-authored by\b", re.IGNORECASE
)
CLAIMED = re.compile(r"\bclaim(?:s|ed)?\b|\bin total\b|\btotal number\b", re.IGNORECASE)
# the total asked beside the code count: "X papers with code out of Y listed", "code count, total papers listed"
TOTAL_TOO = re.compile(r"\bout of [YM]\b|\btotal (?:papers|listed)\b|\b(?:papers|total) listed\b", re.IGNORECASE)

# "what exact success rate ...?", "accuracy on MATH, exact number": a measured figure is asked for, in digits
RESULT_ASKED = re.compile(
    r"\bexact (?:numbers?|figures?|%|percentages?|success rates?|accurac(?:y|ies)|scores?|values?)\b|"
    r"\b(?:what|which)(?: exact| final| overall| actual| average)? (?:success rates?|accurac(?:y|ies)|scores?|"
    r"percentages?|win rates?|error rates?)\b|\bas a %|"
    r"\bper[- ](?:task|environment|game|domain) (?:normali[sz]ed )?(?:numbers|scores|results|returns|figures)\b|"
    r"\bby how many (?:points|percent|percentage points)\b",
    re.IGNORECASE,
)
# "how many human raters ...?", "wall-clock hours": a number, in digits or words ("four environments")
# (not a count of his papers, "how many 2017 papers are there?", nor a date, "how long ago did Brax come out?")
NUMBER_ASKED = re.compile(
    r"\bhow many\b(?! (?:[\w-]+ )?(?:papers|publications|citations)\b)|\bhow long\b(?! ago\b)|\bwall[- ]clock\b|"
    r"\bhow (?:big|large)\b(?=[^?.]{0,30}\b(?:in parameters|parameters?|params)\b)",  # ("how big, in parameters, …")
    re.IGNORECASE,
)

# --- intents ---
OVERVIEW = re.compile(
    r"\b(?:overview|big picture|summar(?:y|ize|ise)|topics?|themes?|research (?:areas?|interests?|agenda|directions?)|"
    r"areas?|interests?|focus|body of work|what (?:kind|sort|type)s? of|known for|cover|span|in general|in a nutshell|"
    r"main (?:lines?|threads?|directions?)|what does (?:he|\w+) (?:do|work on|research|study)|"
    r"anything (?:on|about|in|related to)|"
    r"(?:done|worked|working|work|stuff|papers?|publish(?:ed)?|written|wrote) (?:on|about)|"
    r"what has he (?:done|published|written)|main threads?|tl;?dr|gist|sum (?:up|it up)|rundown|run-down|recap|"
    r"research[- ]wise|bullet points?|highlights?|main contributions?|in short|in brief|what's he about|"
    r"map of|clusters?|what(?:'s| has) he done\b|"
    # only the verb is the cue: "what multi-agent environments has he built?" keeps its topic
    r"what (?:[\w-]+ ){0,4}(?P<cue>(?:has|did) he (?:helped? )?(?:build|built|develop|developed|create|created|make|"
    r"made|release|released)))\b",
    re.IGNORECASE,
)
# a year's paper count asked beside another metric ("papers in 2022 + novelty", "2024 paper count and ...")
YEAR_COUNT = re.compile(
    rf"\bpapers? (?:in|from|for|dated) {YEAR}\b|\b{YEAR} (?:papers?|paper count|count|publications?)\b|"
    rf"\b(?:number|count|how many)\b[\w ]{{0,30}}\b{YEAR}\b|\b{YEAR}\b.{{0,50}}\b(?:paper|publication) count\b",
    re.IGNORECASE,
)
# the papers like the one named: "the implicit BC family", "in the decision-transformer style"
LINE_OF_WORK = re.compile(
    r"\bline of (?:work|research|papers)\b|(?<!the )(?<!a )\bfamily\b(?! of)|\blineage\b|\bdescendants\b|"
    r"\bstyle\b(?! of)|\bseries of papers\b",
    re.IGNORECASE,
)
# "newest work of his on X?", not "latest overview of his research", "most recent few years: what themes?"
# "RT-1 or RT-2, which came out later?": the named papers' dates compared, the newest (or oldest) of them asked for
DATES_COMPARED = re.compile(
    r"\bwhich\b[^?.]{0,60}?\b(?:came out|come out|published|released|appeared|dropped|posted|out|landed|is|was|one|"
    r"paper|first|last)\s+(?:later|earlier|first|last|newer|older|more recent(?:ly)?|sooner|most recent(?:ly)?)\b|"
    r"\bwhich (?:one |paper )?(?:of (?:the|these|those|them) (?:two|three|four|\d|papers|ones) |of (?:them|those) )?"
    r"(?:is |was |came )?(?:the )?(?:newer|older|more recent|later|earlier|oldest|newest|latest|last|first|"
    r"most recent|earliest)\b|\b(?:newer|older|more recent|later|earlier) than\b|"
    # "order them newest first", "sort these by date"
    r"\b(?:order|sort|rank|arrange)(?: (?:them|these|those|the (?:two|three|four)))?(?: by (?:date|recency))?,? "
    r"(?:(?:newest|latest|most recent|oldest|earliest) first|by (?:date|recency))\b",
    re.IGNORECASE,
)
# the dates of several things compared, the question ending on its comparative or superlative ("which is
# newer?", "which was the last of the three?"); not "which older gemini model", "which later papers cite it"
COUNTED_THINGS = r"(?: of (?:the|these|those|them)(?: (?P<count>two|three|four|2|3|4))?(?: papers| ones)?)?"
DATES_OF_SEVERAL = re.compile(
    rf"\bwhich(?: one| paper)?{COUNTED_THINGS}(?: (?:is|was|one|came out|come out|dropped|appeared|landed|"
    r"got published|was published|was released|came))*(?: the)? (?:newer|older|later|earlier|sooner|more recent(?:ly)?|"
    rf"newest|latest|most recent(?:ly)?|oldest|earliest|last|first)(?: one)?{COUNTED_THINGS.replace('count', 'then')}"
    r"\s*(?:[?.!,;]|$)",
    re.IGNORECASE,
)
COMPARATIVE = re.compile(r"\b(?:newer|older|later|earlier|sooner|more recent)\b", re.IGNORECASE)
COUNTS = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}
# whether a paper named is still his newest: the newest of all is asked for ("is the gemini 2.5 report still the
# newest thing on his profile, or has something come out since?")
STILL_NEWEST = re.compile(
    r"\bstill (?:the |his )?(?:newest|latest|most recent|last)\b|"
    r"\b(?:anything|something|any\w*) (?:newer(?! than)|(?:come|came|been) out since|since then)\b",
    re.IGNORECASE,
)
# the papers named are candidates, not the answer: "..., or is there a later one?", "..., or something else?"
OR_LATER = re.compile(
    r"\bor (?:is there |was there |has there been |did (?:he|they) (?:do|write|put out) )?(?:a |an |any(?:thing)? |"
    r"some(?:thing)? )?(?:later|newer|more recent|else)(?: one| paper)?\s*[?!.]*\s*$",
    re.IGNORECASE,
)
# ... when the newest paper is asked for: "his latest paper with fei", "which 2023 paper came out last?"
NEWEST_PAPER = re.compile(
    rf"\b(?:latest|newest|most recent|last|final)\s+(?:{PAPER_NOUN}|one|thing)\b|"
    r"\b(?:came|come|comes) out (?:last|latest)\b",
    re.IGNORECASE,
)
ASKS_NEWEST = re.compile(
    rf"^\s*(?:what(?:'s| is| was) )?(?:the |his )?(?:newest|latest|most recent) (?:{PAPER_NOUN}|thing|one)\b",
    re.IGNORECASE,
)
RANKED = re.compile(r"\bmost (?:frequent\w*|common|often)\b|\b(?:top|second|third|2nd|3rd)\b|#\d", re.IGNORECASE)
COUNTS_ASKED = re.compile(r"\bhow many\b|\bcounts?\b|\bnumber of\b|\btally\b", re.IGNORECASE)
# not "first author", "first, ..."
FIRST_END = r"(?:earliest|oldest|first (?:paper|publication|one listed|entry)|kicks? off|starts? with)"
BOTH_ENDS = re.compile(
    rf"\b{FIRST_END}\b.*\b(?:latest|newest|most recent)\b|\b(?:latest|newest|most recent|last)\b.*\b{FIRST_END}\b|"
    r"\bfirst (?:and|&) (?:the |his )?(?:latest|newest|most recent|last)\b|"  # "first and most recent paper titles"
    r"\b(?:publication|publishing|profile) span\b|"  # "how long is his publication span? titles and dates"
    r"\bopens\b.*\bcloses\b|"  # "which paper opens it and which one closes it?"
    r"\b(?:starts?|begins?) and (?:ends?|stops?)\b|"  # "when does his listed record start and end?"
    r"\bbookends of (?:his|the)\b",  # "bookends of his publication list: …"
    re.IGNORECASE,
)
# the last paper of a year: "the final one released that year", "his 2023 output ended with which paper?"
LAST_ONE = re.compile(r"\b(?:last|final)\b|\b(?:ended|ends|closed out|wrapped up) with\b", re.IGNORECASE)
IN_DATE_ORDER = re.compile(
    r"\b(?:oldest|earliest) (?:to|through) (?:the )?(?:newest|latest|most recent)\b|"
    r"\b(?:newest|latest) (?:to|through) (?:the )?(?:oldest|earliest)\b|\bin (?:chronological|date) order\b|"
    r"\bchronologically\b",
    re.IGNORECASE,
)
# the researcher's other work, beside the papers named
WHAT_ELSE = re.compile(
    r"\bwhat else (?:does|has|did|is) (?:he|she) (?:work(?:ed|ing)? on|done|do|research(?:ed)?|stud(?:y|ied)|"
    r"publish(?:ed)?|written|been up to)\b",
    re.IGNORECASE,
)
# intents that answer with every paper on a topic, or the newest of them: they read the examples a question gives
# of its topic apart from it (strategies.topic_papers); an overview keeps them in its topic, as what to describe
SET_INTENTS = ("listing", "recency")
# examples of the topic: in parentheses; after "like", "e.g.", "such as", "including"; a list after the question
EXAMPLES = re.compile(
    r"\([^()]*\)?|"
    r"(?:[,?;:]|\s-|\bstuff|\bthings?|\bwork|\bones)\s*(?:like|e\.g\.|eg|such as|including|i\.e\.)[\s,]+[^()?!]*|"
    r"\bincl\.?\s[^()?!]*|"  # "survey his model-based RL papers incl. the weirder ones like gamma-models"
    r"\be\.g\.[\s,]+[^()?!]*|"
    # ... but not chit-chat after the question: "? asking for my thesis, thanks"
    r"(?<=\?)\s+(?![^?]*\b(?:i|i'm|my|me|we|our|you|u|thanks?|thx|ty|pls|please|asking|cheers)\b)[^?]*,[^?]*$",
    re.IGNORECASE,
)
# what the asker already knows, set aside: "besides the gradient term everyone drops, what two other tricks ...",
# "apart from the gradient fix what augmentation trick", "econ aside, which disciplines are named?"
KNOWN_ALREADY = re.compile(
    r"\b(?:besides|apart from|aside from|other than)\s+(?:the|its|their|that|this|keeping the)\s+[^,?.;:]{1,60}?"
    r"(?=\s*,|\s+(?:what|which|how|who|whom|did|does|do|is|are|was|were|can|could)\b)|"
    r"(?:^|(?<=[.!?:;] ))[^,?.;:]{1,30}\baside(?=\s*,)",
    re.IGNORECASE,
)
# phrasing that carries no topic: "marked as having code", "list 'em all"
ASIDES = re.compile(
    r"\b(?:marked|flagged|tagged|labell?ed|listed) as\b|\b(?:list|show|give me|name) (?:'?em|them)(?: all)?\b|"
    r"\b(?:for )?(?:our|my|the|a) ['\"]?year[- ]in[- ]review['\"]?(?: doc(?:ument)?| post| page)?\b|"
    r"\bnothing (?:from|outside|before|after) (?:other|those|that|the other) years?\b|\bcalendar year\b|"
    r"\bmatching (?:both|all|these|those|them|each)\b|\bthat match(?:es)? (?:both|all|these|those|them)\b|"
    # why it is asked: "asking for my thesis", "need it for my bib file"
    r"\b(?:asking|need (?:it|this|that|them|the (?:whole|full|complete) (?:set|list))) for (?:my|a|an|our) [\w-]+"
    r"(?: (?:file|project|class|report|audit|review|survey))?\b|"
    r"\b(?:main|key|(?:a )?few|some|\d+|two|three|four|five) points?\b|\bthe point\b|"
    r"\b(?:right|correct)\s*\?|"  # a tag: "he has a couple of virtualhome papers right?"
    # his papers by another name: "that year's output", "his research output"
    r"\b(?:his(?: (?:pre|post)-?\d{4}| \d{4}s?)?|(?:that |the |this )?year's|research|publication|paper) output\b|"
    r"\bwalk (?:me|us|them) through\b|\bright now\b|\bfast[- ]forward(?: to (?:now|today))?\b|"
    r"\b(?:is|are) (?:totally |perfectly |also )?(?:fine|ok(?:ay)?)(?= *(?:[.,;!?)]|$))|"  # "oldest to newest is fine"
    r"\bin (?:chronological|date|ascending|descending) order\b|\b(?:sorted|ordered) by date\b|"
    r"(?<=['’]s )output\b|\boutput(?=\s*(?:[.,;:?!]|$))|\bstart to finish\b|"
    r"\bnone missing\b|\b(?:keeps?|kept) (?:popping|showing|coming|cropping) up\b|\blay of the land\b|"
    r"\bskip(?:ping)? (?:the )?other categories\b|\b(?:of|among) the rest\b|"
    # what the asker is making: "building a reproduction queue: ...", "putting together a reading list"
    r"\b(?:building|making|compiling|assembling|putting together) (?:a|an|my|our) [\w-]+(?: [\w-]+)? "
    r"(?:queue|list|spreadsheet|syllabus|doc|deck|backlog)\b|\b(?:arxiv|it) (?:calls|lists|files)\b|"
    # chatter around a set asked for: "counting only 2021 and later", "the complete set", "the exact paper count",
    # "i'm compiling", "has the latest date", "that deals with", "what problems do they go after"
    rf"{KNOWN_ALREADY.pattern}|"
    # a question passed on: "a chemist in our dept asked if ...", "my advisor wants to know whether ..."
    r"(?:^|(?<=[.!?;:] ))\W*(?:(?:a|an|my|our|the|some|one of (?:my|our))\s+(?:[\w'/-]+\s+){0,3}?"
    r"(?:friend|labmate|colleague|advisor|adviser|supervisor|pi|boss|manager|chemist|physicist|biologist|student|"
    r"collaborator|reviewer|mentor|teammate|coworker|professor|folk|guy|crowd|team|lab|dept|department)s?(?:\s+(?:in|from|at)\s+(?:[\w'/-]+\s+){0,3}?)?|"
    r"someone|somebody|people)\s*"
    r"(?:asked|asks|is asking|are asking|wants? to know|wonders|wondered|(?:was|were|is|are) wondering)"
    r"(?: (?:me|us))?(?: (?:if|whether)\b|(?= (?:what|which|how|about)\b))|"
    r"\bcounting only\b|\b(?:the |a )?(?:whole|full|complete|entire) (?:set|list)\b|"
    r"\bexact(?= (?:paper |publication )?(?:count|number|titles?)\b)|\bi'?m (?:compiling|putting together)\b|"
    r"(?<=latest |newest |oldest )dates?\b|\bdeals? with\b|\bgo(?:es)? after\b|"
    # the categories a filter sets apart: "filed under cs.LG rather than robotics or NLP"
    rf"\b(?:rather than|instead of) (?:the |in |under )?{CATEGORY_LIST}\b|"
    # an era named for a date: "from before the LLM wave", "after the chatgpt boom"
    r"\b(?:before|after|since|prior to|pre|post)[- ]the [\w-]+(?: [\w-]+)? (?:wave|era|boom|hype|craze)\b|"
    # what the asker gives: "giving a 20 min talk on EBMs", "prepping slides about his RL work"
    r"\b(?:talk|presentation|lecture|seminar|slides|session)(?= (?:on|about|covering)\b)|"
    r"(?<=\s)play(?:s|ed)? (?:a|any|some) (?:\w+ )?(?:role|part)\b(?=\s*(?:[,.;:?!]|$))|"  # "where LMs play a role,"
    # what the asker will do with the answer: "..., going to skim them on the train"
    r"[,;]\s*(?:i'?m |we'?re )?(?:going to|gonna|i'?ll|we'?ll|plan(?:ning)? to) (?:\w+ )?"
    r"(?:skim|read|print|go through|look through|browse|cite|share|post|present|sort|print)\b[^,.;:?!]*|"
    # the filter referred back to: "the most recent paper carrying that tag", "the last one that calendar year"
    r"\b(?:carrying |with |having |under |in |from |during )?that (?:tag|label|category|(?:calendar )?year)\b|"
    # the filter's source named: "judging by the RO category tag", "going by the arXiv label"
    r"\b(?:judging|going) by (?:the |its |their )?(?:[\w.]+ )?(?:category |arxiv )?(?:tags?|labels?)\b|"
    # the asker's own remark after the question: "…, which is the most recently dated? i'd rather not build on something
    # stale"
    r"(?<=\?)\s+(?:i|i'd|i'm|im|i've|i'll|we|we'd|we're|we've|my|our)\b[^?]*$|"
    # what a paper does with its topic: "the most recent paper of his that reports emergent behaviour"
    r"(?<=\bthat )(?:reports|reported|describes|described|presents|presented|proposes|proposed|introduces|"
    r"introduced|demonstrates|demonstrated|explores|explored|investigates|investigated|evaluates|evaluated)\b|"
    # an example of the set asked for, not a limit: "every paper with him, the magnet-block ones and whatever else"
    r"\bthe (?:[\w-]+ ){0,3}ones (?:and|plus|as well as) (?:whatever|anything|everything) else\b",
    re.IGNORECASE,
)
# a check on the newest paper asked after it: "what's the most recent paper they share, and is it still energy-based?"
# (not of a named paper: "what did RT-1 do; is it also trained on web data?" asks that too)
CHECKED_AFTER = re.compile(
    r"(?<=[,;?] )(?:and )?(?:is|was) (?:it|that|that one|this one) (?:still|also) [^?.!;]*", re.I
)
# who the answer is for, not what is asked: "explain it like i'm a first year grad student"
AUDIENCE = re.compile(
    r"\b(?:like (?:i'?m|i am)|to|for) (?:a |an )?(?:\d+[- ]year[- ]old|five|5|(?:first|second|1st|2nd)[- ]year|new|"
    r"non[- ]?expert|layperson|beginner|undergrad\w*|high[- ]school\w*)\b(?: (?:grad|phd|ml|cs)?(?: ?students?)?)?",
    re.IGNORECASE,
)
EXPLAINED = re.compile(
    r"\b(?:explain|eli5|describe|define|summari[sz]e|walk me through|break down|what(?:'s| is))\b", re.I
)
# asks for the work laid out, whatever else it asks: "snapshot of 2020", "what did that year's output cover?"
SURELY_OVERVIEW = re.compile(
    r"\b(?:overview|summar(?:y|ize|ise)|rundown|run-down|recap|snapshot|big picture|themes)\b|"
    r"\b(?:main|research) areas\b|\bareas of (?:research|expertise)\b|\bpillars\b|"
    r"\barc of (?:his|the|her|\w+['’]s)\b|\blay of the land\b|\bheadings\b|\bresearch (?:map|identity|trajectory)\b|"
    r"\bmap of (?:his |the )?(?:research|work)\b|"
    r"\bwhat (?:was|were|is|has) he (?:been )?(?:working on|up to|doing)\b|\bbeen up to\b|"
    r"\bwhat did [\w' ]{0,30}\bcover\b",
    re.IGNORECASE,
)
# asks for every paper, not one: "list all", "every one about", "all the papers on"
EXHAUSTIVE = re.compile(
    r"\b(?:list|enumerate) (?:all|every|them all|'?em all)\b|"
    r"\ball (?:the |of )?(?:his |the )?(?:papers|publications|works?|ones)\b|\bevery (?:paper|publication|one)\b|"
    r"\bevery\b[^?.;:]{0,40}\bpapers?\b|\b(?:complete|full) (?:list|set)\b|\bexhaustive\b",
    re.IGNORECASE,
)
# the papers themselves asked for, every one: "give me all the papers flagged as having code"
ALL_REQUESTED = re.compile(
    r"\b(?:give me|list|show me|enumerate|pull up|send me)\b[^?.;:]{0,15}\b(?:all|every)\b", re.IGNORECASE
)
COUNT_WORDS = re.compile(r"\b(?:counts?|how many|number of|tall(?:y|ies)|totals?)\b", re.IGNORECASE)
# "which papers generate code with language models?": a list of the papers on a topic
WHICH_PAPERS = re.compile(
    r"^\s*(?:which|what|list|show me|any)(?: of)?(?: his| the)? (?:papers|publications|work)\b", re.IGNORECASE
)
# how the work changed over time: a researcher-wide overview, themes with their years
TIMELINE = re.compile(
    # past tenses and "his research trajectory": "environments that change", "trajectory data" are topics
    # ("mistakes compounding over time", "environments changing over time" are topics)
    r"\b(?:shifted|evolved|changed|(?:his|research|career) trajectory|over the years|progressed|"
    # "his interests over time", "what has he been interested in over time"; not "what has he done where an agent
    # keeps picking up new tasks over time" (only "over time" is taken)
    r"\b(?:he|his|him)\b[^?.;:,]{0,40}?(?<!ing )\b(?P<cue>over time)|"
    r"progression)\b|\b(?:did|has|have) (?:his|he)\b(?: [\w-]+){0,4} (?:change|shift|evolve)\b",
    re.IGNORECASE,
)
# "from LOLA in 2017 to the 2025 robot paper, what has he kept coming back to?": his work across the years between
# ... "between the 2017/2020 papers and the 2024/2025 ones" (not "his papers between 2019 and 2022 on X")
ERA_SPAN = re.compile(
    rf"\bfrom\b[^?]{{0,40}}?{YEAR}[^?]{{0,60}}?\bto\b[^?]{{0,40}}?{YEAR}|"
    rf"\bbetween (?:the |his )?{YEAR}(?:/{YEAR})?s? (?:papers|ones|work|era)\b[^?]{{0,20}}\band\b[^?]{{0,20}}?{YEAR}|"
    # "what connects a 2017 opponent-shaping paper with a 2025 robot foundation model paper?"
    rf"\bconnects? (?:a |an |the |his )?{YEAR}\b[^?]{{0,60}}?\b(?:with|and|to)\b (?:a |an |the |his )?{YEAR}|"
    # "LOLA in 2017, robot foundation models in 2025. what themes connect the dots in between?"
    rf"\b{YEAR}\b[^?]{{0,100}}?\b{YEAR}\b[^?]{{0,60}}?\b(?:themes? connects?|connects? the dots|in between|"
    r"ties? (?:them )?together)\b|"
    # "how has the mix changed between 2017-2020 and 2023-2025?"
    rf"\bbetween (?:the )?{YEAR}\s*[-–]\s*(?:{YEAR}|\d\d)\b[^?]{{0,30}}?\band\b[^?]{{0,20}}?{YEAR}",
    re.IGNORECASE,
)
DRIFT = re.compile(
    r"\b(?:drift(?:ed)?|mov(?:e|ed)|shift(?:ed)?|evolv(?:e|ed)|chang(?:e|ed)|coming back|recurr\w*|trace|arc|"
    r"themes?|themed|(?:research )?directions|"
    r"interests?|focus)\b",
    re.IGNORECASE,
)
# what the answer is for, not what is asked: "for a podcast intro: what are his signature areas?"
PURPOSE = re.compile(
    # ("for his keynote talk, is there a video?" asks about his talk)
    r"^\s*(?:for (?:a|an|my|our|the|this) |"
    r"(?:writing|prepping|preparing|drafting|making) (?:a |an |my |our |the |his |this )?)(?:[\w-]+ ){0,2}?"
    r"(?:intro(?:duction)?|bio|talk|slides?|podcast|newsletter|blog post|grant(?: proposal)?|nomination(?: form)?|"
    r"report|presentation|seminar|lecture|poster|wiki(?: page)?|post|episode|interview)(?: intro)?\s*[:,]",
    re.IGNORECASE,
)
# a line of work followed across its papers: "what's the arc?", "trace his imitation work in chronological order",
# "how did his language-for-robots work evolve?", "what changed from the original suite to 2.0?"
LINE_TRACED = re.compile(
    r"\b(?P<surely>arc|trace|chronological(?:ly)?|all the way (?:to|from|up to)|line of work|"
    r"from (?:the )?(?:early|earliest|first|initial)\b[^?]{1,80}\bup to)\b|"  # "from the early planners up to VLAs"
    r"\b(?:evolved?|develop(?:ed)?|progressed)\b(?=[^?]*\?)|\bchanged? (?:from|between)\b",
    re.IGNORECASE,
)
# ... only of a body of work: "his imitation work", "the melting pot work", "from X all the way to Y" (not "does RT-2
# generalize all the way to unseen objects?")
BODY_OF_WORK = re.compile(
    r"\b(?:his|their|the|this|that)\b(?:\s+[\w/-]+){0,5}\s+(?:work|research|line|strand|thread)\b|"
    r"\bfrom\b[^?]{1,80}\b(?:to|through)\b",
    re.IGNORECASE,
)
HYPOTHETICAL = re.compile(r"^\s*if\b[^,?]*,(?=.*\bwould\b)", re.IGNORECASE)
# a leading sentence that asks nothing is the asker's context: "writing a grant section. can you sum up his
# themes?", "trivia for journal club: what's his newest paper?", "chem PhD here: which of his is the newest?"
LEAD_SENTENCE = re.compile(r"^(?:[^?.!:]|[.:](?=\S))*?[\w)'\"](?:[.!:]|\s[-–—])\s+(?=\S)")  # ("gemini 1.5", "cs.LG")
ASK_WORDS = (
    r"(?:what|what's|whats|which|how|who|whom|whose|when|where|why|can|could|would|is|are|was|were|does|did|do|"
    r"has|have|any|list|give|gimme|show|tell|name|sum|summari[sz]e|enumerate|compare|explain|describe|find|pull|"
    r"need|want|looking)\b"
)
ASKS = re.compile(rf"\?|\b{ASK_WORDS}|\b(?:all|every)\b", re.IGNORECASE)  # ("...: all his cs.RO papers")
# a sentence that opens with one ("im a chemist who got added here." asks nothing)
OPENS_ASKING = re.compile(rf"^\W*(?:(?:hey|hi|ok|okay|so|also|and|but|pls|please|yo)\W+)*{ASK_WORDS}", re.I)
# the asker's own words in a leading sentence: "reproducibility reading group:", "timeline check for my notes:"
ASKERS_OWN = re.compile(
    r"\b(?:i(?!\.)|i'm|im|me|my|we|we're|our)\b|\b(?:reading group|club|syllabus|survey|slides?|deck|audit)\b", re.I
)
# where the asker's lead names a topic after all: "reading group on diffusion policies: list all his papers since 2023"
LEAD_TOPIC = re.compile(r"\b(?:on|about|covering|regarding)\b(?P<topic>.*)$", re.IGNORECASE)
# a leading sentence about the asker, though it names him: "new phd student here, starting in his orbit next month.",
# "I'm preparing an interview with Igor Mordatch for our lab podcast.", "interviewing for a role on his team."
ASKER_DOING = (
    r"(?:preparing|prepping|interviewing|joining|starting|writing|drafting|planning|putting together|building)"
)
ABOUT_THE_ASKER = re.compile(
    rf"^\W*(?:(?:i'?m|i am|we'?re|we are) (?:(?:a |now )?new\b|{ASKER_DOING}\b)|{ASKER_DOING}\b|"
    r"(?:our|my) (?:[\w-]+ )?(?:journal club|reading group|club|lab|group|team|seminar|class|course)\b|"
    r"(?:a )?(?:new |first[- ]year |incoming )?"
    r"(?:phd student|grad student|student|postdoc|intern|hire|member|joiner)s? here\b)",
    re.IGNORECASE,
)


# what the asker will do with the answer: "need all of them for a citation dump", "want it for our wiki page"
WANTED_FOR = re.compile(
    r"\b(?:need|want|needed|wanted)(?: (?:it|this|that|them|these|those|all|every one|all of them|the list|a list))+ "
    r"for (?:a|an|my|our|the) [\w -]+|"
    r"\b(?:building|making|for) (?:a |my |our )?citation (?:graph|dump|network|list|audit|footnote|entry|key)\b",
    re.IGNORECASE,
)
# the asker's own things, whose words name data the profile lacks: "need the link for my slides", "our discord"
ASKERS_THINGS = re.compile(
    r"\b(?:my|our)\s+(?:own\s+)?(?:[\w-]+\s+)?(?:slides?|talks?|decks?|discord|slack|server|channel|website|blog|"
    r"podcast|newsletter|conference|workshop|lecture|seminar|poster|webpage|homepage)\b",
    re.IGNORECASE,
)
# what the answer is needed for: "conference bio needs his h-index", "assigning reviewers for a workshop and need to
# know his areas" (not a question's own words: "how much GPU memory do you need")
NEEDED_FOR = re.compile(
    rf"^\s*(?!{ASK_WORDS})(?:[\w'-]+ ){{1,8}}?(?:and )?(?:i |we )?(?:needs?|wants?)(?: to know)?\b", re.IGNORECASE
)


# a question whether a topic is in the work at all ("has he worked on X", "any papers on X", "anything about X",
# "X - has he written about it?", "X, did he work on that?": the question may open after a dash or a comma;
# "X, anything from igor?"); the subject is a pronoun or one of the owner's names
ASKS_IF_COVERED = re.compile(
    r"(?:^|\s[-–—]\s|[,;:.]\s)\W*(?:so\s+|and\s+|hey\s+|also\s+)?(?:(?:has|did|does|have)\s+(?P<subject>\w+)|"
    r"is there|are there)\b|"
    r"\b(?:any|anything|something)\s+(?:\w+\s+){0,3}?(?:on|about|regarding|in|with|involving|from)\b|"
    # "table structure recognition in scanned PDFs, any papers?"
    # ("conservation of medieval stained glass — any papers by mordatch?": by him, after a dash)
    # ("noisy labels — any mordatch papers?": his, named before them)
    r"(?:[,;:.]|\s[-–—])\s*any(?:thing)?(?: (?P<whose>\w+?)(?:['’]s)?(?= (?:papers?|work|publications?|stuff)\b))?"
    r"(?: (?:papers?|work|publications?|stuff))?(?: (?:by|from) (?P<by>\w+))?\s*[?!.]*\s*$|"
    # "… weight uncertainty — is that something he's published on?"
    r"\bis (?:that|this|it) (?:something|a thing|an area|a topic) (?P<doer>\w+)(?:['’]s| has)? "
    r"(?:published|worked|written|done work)\b|"
    # "sumo wrestling history — is that among igor's research topics?", "… is that one of his?"
    r"\b(?:is|was) (?:that|this|it) (?:among|one of|part of) (?P<among>\w+?)(?:['’]s)?"
    r"(?: (?:research |own )?(?:topics?|areas?|interests?|papers?|work|ones?))?\s*[?!.]*\s*$",
    re.IGNORECASE,
)
PRONOUNS = frozenset({"he", "she", "they", "him", "her", "his"})


def asks_if_covered(question: str, owner: str) -> bool:
    match = ASKS_IF_COVERED.search(question)
    subject = match and next(
        (match.group(name) for name in ("subject", "by", "whose", "doer", "among") if match.group(name)), None
    )
    return bool(match) and (not subject or subject.casefold() in PRONOUNS | set(name_tokens(owner)))


def _the_askers(lead: str) -> bool:
    return bool(ASKERS_OWN.search(lead) or ABOUT_THE_ASKER.search(lead))


def without_context(text: str, owner: str) -> str:
    """`text` without its leading sentences that neither ask nor speak of him (unless they speak of the asker), if a
    sentence that asks is left ("his github stars. what are they?" keeps its first sentence)."""
    of_him = re.compile(rf"\b(?:he|his|him|himself|{'|'.join(map(re.escape, name_tokens(owner)))})\b", re.IGNORECASE)
    while (
        (lead := LEAD_SENTENCE.match(text))
        and not OPENS_ASKING.search(lead.group())
        and (not of_him.search(lead.group()) or ABOUT_THE_ASKER.search(lead.group()))
        and ASKS.search(text[lead.end() :])
    ):
        text = text[lead.end() :]
    return text


# the whole work laid out: "group them by theme", "the tracks", "the range of application domains", "the overall mix"
BREADTH = re.compile(
    r"\b(?:group|sort|organi[sz]e|cluster|bucket|split|divide|break)(?:s|ed|ing)?\b[^?.!]{0,40}\b(?:by|into|per) "
    r"(?:(?:a )?(?:handful|few|couple|small number|number) of |(?:a )?few |\w+ )?"
    r"(?:themes?|topics?|tracks?|areas?|clusters?|buckets?|research lines?|directions?)\b|"
    r"\b(?:per|each|every) (?:theme|track|cluster|research line)\b|\btracks\b|\bsections of (?:the|a|his) talk\b|"
    r"\b(?:range|breadth|spread|span|spectrum|diversity|variety|mix) of (?:his )?(?:application )?"
    r"(?:domains?|areas?|topics?|fields?|problems?|work|research|interests)\b|"
    r"\b(?:overall|whole|full) (?:spread|range|breadth|scope|picture|mix)\b|"
    r"\b(?:two|three|2|3) axes\b|\bmethod families\b|\bapplication (?:areas|domains)\b|"
    # "summarize the research program as a few themes", "what ties RL, robots, EBMs and LLMs together for him?"
    r"\b(?:as|in|into) (?:a (?:few|handful of|couple of|small number of)|several|two|three|four|five|\d) "
    r"(?:themes|topics|areas|buckets|clusters|threads|directions|tracks)\b|\bwhat ties\b[^?]{0,60}\btogether\b",
    re.IGNORECASE,
)
# "what did the papers say about energy-based models for continual learning?": a topic, though a title's words,
# and what the abstracts say about it, not an overview
NARROW_TOPIC_WORDS = 4  # a topic of a few words, not a list of aspects to lay out
PAPERS_SAY = re.compile(r"\b(?:the|his) papers (?:say|said|show|showed|find|found) (?:about|on)\b", re.IGNORECASE)
ON_A_TOPIC = re.compile(r"\b(?:work|papers?|research|publications) (?:on|about) (?!(?:two|three|\d) axes)\w", re.I)
# the intents BREADTH overrules ("method families vs application areas" compares no papers)
LAYOUT_READS = ("overview", "lookup", "definition", "comparison")
COMPARISON = re.compile(
    r"\b(?:compare[ds]?|comparison|comparing|(?<!-)vs\.?(?!-)|versus|differen(?:t|ce|ces|tly)|differ|distinguish|contrast|"
    r"similarit(?:y|ies)|how similar|similar (?:are|were) (?:they|the two|these|those)|in common|better than|"
    r"relate to|relation(?:ship)? between|"
    r"(?:line|stack|measure)(?: (?:them|these|those|(?:all|the) (?:two|three|four)))? up|side[- ]by[- ]side|"
    r"(?:how|what) (?:does|did|do|would) each(?: one| of them)?|how alike|"
    r"(?:the )?same (?:[\w-]+ ){0,2}(?:idea|thing|approach|method|trick|setup|recipe)(?: or not)?|"
    r"(?:in|for) each(?: one| of them| case| paper)?(?=\s*[?.!]*$)|"
    r"changed? between)\b",  # "what changed between the 2022 connect-task paper and the 2023 follow-up?"
    re.IGNORECASE,
)
# two papers asked about together, named or not ("the two papers", "sherry yang's two materials papers")
TWO_PAPERS = re.compile(
    r"\b(?:the|these|those|both|his|her|their|[\w-]+'s) (?:two|2)(?: [\w+/-]+){0,3}? (?:papers|works|reports|preprints|"
    r"ones|writeups|write-ups)\b|\b(?:the|these|those) two\b(?= (?:handle|do|differ|compare|show|say|approach)\b)|"
    r"\bboth papers\b|\bthe other (?:one|paper)\b",
    re.IGNORECASE,
)
# "between wenlong's zero-shot planner and shuang li's finetuned policy, which fits us better?": two operands
BETWEEN = re.compile(
    r"\bbetween (?P<first>[^,?:;]{3,120}?) and (?P<second>[^,?:;]{3,120}?)\s*[,:;?]\s*"
    r"(?:which|what|who|how|is|are|does|do|would|should|can)\b|"
    # "what changed between the 2022 connect-task paper and the 2023 U-shape follow-up?"
    r"\bchanged? between (?P<first2>[^,?:;]{3,120}?) and (?P<second2>[^,?:;]{3,120}?)\s*[?]",
    re.IGNORECASE,
)
# a cue that joins the things named into one comparison ("X, Y and Z. contrast them"), unlike "compared against"
JOINING_COMPARISON = re.compile(
    r"\b(?:contrast|(?<!-)vs\.?(?!-)|versus|compare (?:them|these|those|the (?:two|three|four)|all (?:three|four)))\b",
    re.IGNORECASE,
)
DEFINITION = re.compile(
    r"^\s*(?:what(?:'s| is| are|s)|define|definition of|explain|eli5|describe|tell me about|who is|"
    r"what does .+ (?:do|mean))\b|"
    # "what is it?", "what is it exactly"; not "what are they optimized for", "what is it conditioned on"
    r"\bwhat (?:is|are) (?:it|they)\b(?!\s+(?:[a-z]+(?:ed|ing)|(?:in)?dependent|made|meant|good|better|bad)\b)|"
    r"\bin a (?:couple|few) sentences\b",
    re.IGNORECASE,
)
LISTING = re.compile(
    r"\b(?:list|show|which|what|all|every|any|enumerate|give me)\b|^\s*(?:his )?(?:\w+ )?" + PAPER_NOUN,
    re.IGNORECASE,
)

# Words that carry no topic: question words, pronouns, research nouns, verbs of asking and publishing.
FILLER = frozenset(
    """
    a an the and or but of in on at to for from by with about into onto over under as than then so if is are was
    were be been being am do does did doing done have has had having can could would should will shall may might must
    what whats what's which who whom whose when where why how whats is it its it's this that these those there here
    he him his himself she her they them their theirs we us our you your i me my mine very exactly around built build
    paper papers work works working worked stuff things thing research researched publication publications article
    articles preprint preprints study studies project projects result results publish published publishes publishing
    write wrote written writing put out release released come came list show tell give let know please pls plz
    any anything something some all every each one ones most more many much lot lots few latest newest recent recently
    lately new newer newest last final first earliest oldest year years category categories ever also actually really
    just like kind sort type yeah hey hi thanks thank lol ok okay maybe mean means meaning define definition explain
    eli5 describe overview summary summarize summarise big picture compare compared comparison versus vs difference
    different differ between both them vs. does did done doing got get gets getting has have top main overall
    again other another else same such only own profile says say here total busy up down show shows everything
    count number numbers value values score scores stats statistics metric metrics someone somebody anyone joining
    join lab group team person people new intro introduction basically general generally broad broadly area areas
    field fields topic topics theme themes done doing go went goes focus focused interests interest second add adds
    including include includes involve involves involving related regarding used use uses using body look looks
    comes goes coming going actual earlier later plus title titles need needs want wanna entirely roughly x y z
    fits within
    three four five quick stats stat et al prolific
    available frequent frequently often appear appears appeared usually typically author authors authored
    co-author co-authors co-authored coauthor coauthors coauthored co-write co-wrote co-written cowrote collab collabs
    among amongst sanity inclusive bucket buckets categorized categorised classified once twice shown releases two
    qualify qualifies ton tons asked
    tl dr tldr presenting present
    reading group monday tuesday wednesday thursday friday saturday sunday today tomorrow week cover across threads
    thread should helped help build built got onwards onward far gist deal wise u ur pls bullet bullets saga sagas
    installment installments
    short brief rundown recap digest sum highlights yet territory collectively
    couple bunch several full entire whole complete together whatever anyway ship ships shipped shipping thx
    gimme wanna gonna kinda sorta exactly roughly quick quickly mostly mainly side matter matters care cares filed
    listed split arxiv looking specifically counts e.g eg i.e ie dealt dated besides they're theyre snapshot
    touches touched touching restricted restrict called titled back apparently builds
    handful i'm im i'd they'd attached chronologically chronological entry entries grab read
    relevant seems seem seemed discord way contribute contributed contributes
    listing enumerate carries carry bears before after close closes closed timeline stopping
    while checked sentence sentences dropped month months days apart since still
    giving min mins example examples pull job through putting poster none combined check making retrospective
    tackle tackles tackled tackling contributions contribution too dates
    journal club exhaustive spreadsheet single appendix queue building quals committee wants half early etc
    framed framing hot now needed co-authorship co-authorships coauthorship coauthorships
    anywhere somewhere literally shares weekend weekends drop drops
    """.split()
)


@dataclass(frozen=True)
class PlanContext:
    """What the planner knows of the profile: its owner, its papers' names, its co-authors."""

    owner: str
    names: dict[str, str]  # compact name key -> paper id (only names that pick out one paper)
    shared_names: dict[str, list[str]]  # a name several titles share -> their ids, oldest first ("neuralmmo")
    years: dict[str, int]  # paper id -> year, to settle a shared name ("neural mmo, the 2021 one")
    by_surname: dict[str, list[str]]  # co-authors (not the owner, not group authors) by lower-case surname
    by_given_name: dict[str, str]  # lower-case given name -> the one co-author who has it ("wenlong")
    phrases: dict[tuple[str, ...], str]  # three specific title words -> paper id ("zero shot planners")
    categories: frozenset[str]
    person: bool  # the owner is one person, whose names the rules read as "he" (not "the lab")
    versioned: frozenset[str] = frozenset()  # ids of papers whose title carries a version ("Melting Pot 2.0")
    pairs: dict[tuple[str, ...], str] = field(default_factory=dict)  # two specific title words (or one unique)
    title_words: dict[str, frozenset[str]] = field(default_factory=dict)  # paper id -> its title's words
    dates: dict[str, dt.date] = field(default_factory=dict)  # paper id -> its date ("before RT-2 came out")
    long_phrases: dict[tuple[str, ...], str] = field(default_factory=dict)  # four title words, one specific
    category_of: dict[str, str] = field(default_factory=dict)  # paper id -> its category ("LOLA's category")
    first_authors: dict[str, str] = field(default_factory=dict)  # paper id -> its first author
    coauthor_papers: dict[str, int] = field(default_factory=dict)  # co-author -> papers with the owner
    single_title_words: frozenset[str] = frozenset()  # title words no other title has ("offline")
    # surnames of one co-author each that no title or abstract uses as a word: alone, they name that co-author
    # ("abbeel is listed on a handful of his papers"; not "stone", were a Stone's papers to mention stones)
    lone_surnames: dict[str, str] = field(default_factory=dict)
    listed: int = 0  # how many papers the profile lists ("67 vs 50": its claimed and listed counts)

    @property
    def coauthor_ranking(self) -> list[str]:
        """Co-authors, most papers with the owner first, ties in list order (as the metric ranks them)."""
        return sorted(self.coauthor_papers, key=self.coauthor_papers.__getitem__, reverse=True)

    @classmethod
    def of(cls, owner: str, papers: list[Paper], names: NameTable | None = None, *, person: bool = True) -> PlanContext:
        """`names`: the papers' names already derived (the BM25 index holds every paper's)."""
        names = names if names is not None else NameTable()
        authors = list(dict.fromkeys(author for paper in papers for author in paper.authors))
        categories = frozenset(paper.category for paper in papers)
        owner_surname = name_tokens(owner)[-1:]
        by_surname: dict[str, list[str]] = {}
        for author in authors:
            tokens = name_tokens(author)
            if tokens and tokens[-1:] != owner_surname and not GROUP_AUTHOR.search(author):
                by_surname.setdefault(tokens[-1], []).append(author)
        given: dict[str, list[str]] = {}
        for same_surname in by_surname.values():
            for author in same_surname:
                tokens = name_tokens(author)
                if len(tokens) >= 2 and len(tokens[0]) > 2:
                    given.setdefault(tokens[0], []).append(author)
        by_given_name = {name: authors[0] for name, authors in given.items() if len(authors) == 1}
        unique_names, shared_names = paper_names(papers, names)
        years = {paper.id: paper.year for paper in papers}
        phrases = title_phrases(papers, names)
        versioned = frozenset(paper.id for paper in papers if VERSION.search(paper.title))
        title_spread = Counter(word for paper in papers for word in set(names.of(paper).phrase_words))
        return cls(
            owner,
            unique_names,
            shared_names,
            years,
            by_surname,
            by_given_name,
            phrases,
            categories,
            person,
            versioned,
            title_phrases(papers, names, size=2) | title_phrases(papers, names, size=2, specific=1, rare=1),
            {
                paper.id: frozenset(names.of(paper).phrase_words) | _title_initials(names.of(paper).phrase_words)
                for paper in papers
            },
            {paper.id: paper.date for paper in papers},
            title_phrases(papers, names, size=4, specific=1),
            {paper.id: paper.category for paper in papers},
            {paper.id: paper.authors[0] for paper in papers if paper.authors},
            dict(coauthor_counts(owner, papers)),
            frozenset(word for word, count in title_spread.items() if count == 1),
            _lone_surnames(by_surname, papers),
            len(papers),
        )


LONE_SURNAME_LETTERS = 5  # ("du", "li", "wu" are too short to stand for a person alone)


def _lone_surnames(by_surname: dict[str, list[str]], papers: list[Paper]) -> dict[str, str]:
    words = {word.casefold() for paper in papers for word in re.findall(r"[\w'’-]+", f"{paper.title} {paper.abstract}")}
    lone = {}
    for surname, authors in by_surname.items():
        shortest = min(authors, key=lambda author: len(name_tokens(author)))  # "Joshua Tenenbaum", one person
        if all(author_matches(shortest, author) for author in authors):
            lone[surname] = shortest
    return {
        surname: author
        for surname, author in lone.items()
        if len(surname) >= LONE_SURNAME_LETTERS and surname not in words
    }


# a count of papers written alone: "67 vs 50", "67 papers when I only see 50 in the list" (not "60 authors", "5%",
# "2.0", "k=50")
PLAIN_NUMBER = re.compile(
    r"(?<![\w.,$£€%=-])(\d{1,4})(?=\s+(?:papers?|entries|publications|listed|in\b|on\b|vs\b|versus\b|[—–-])|"
    r"\s*[?.,!;:—–]|\s*$)"
)
COUNTS_DIFFER = re.compile(
    r"\b(?:vs\.?|versus|says?|said|claims?|claimed|lists?|listed|only|shows?|see|counts?|numbers)\b", re.IGNORECASE
)


def _both_counts_quoted(text: str, context: PlanContext) -> bool:
    """The question quotes the listed count beside a larger one: the claimed and listed counts are asked
    ("why does it say 67 papers when I only see 50?")."""
    numbers = {int(number) for number in PLAIN_NUMBER.findall(text) if not YEAR_ONLY.fullmatch(number)}
    listed_and_more = context.listed in numbers and any(n > context.listed for n in numbers)
    return bool(context.listed) and listed_and_more and COUNTS_DIFFER.search(text) is not None


def plan_question(
    question: str,
    context: PlanContext,
    intent_scores: dict[str, float] | None = None,
    referred: Sequence[str] = (),
) -> QueryPlan:
    """`intent_scores` (retrieval/answers/intents.py) choose the intent among those the slots allow; without them
    the cue rules choose. `referred`: papers the question means without naming them ("compare it with RT-1"),
    resolved by a conversation (retrieval/conversation/); they count as named, first."""
    # "papers w/ sherry yang", "newest paper w wenlong"; "RT-1 vs. RT-2" (the dot is no sentence end)
    text = " ".join(re.sub(r"\bvs\.", "vs", re.sub(r"(?<![\w'’])w/?(?![\w'’])", "with", question)).split())
    text = text.replace(" & ", " and ")  # "computation & language"
    text = replace_person(text, context.owner if context.person else "", "he", "his")  # "igor's" → "his"
    set_aside = " ".join(match.group() for match in NEGATED.finditer(text))
    text = NEGATED.sub(" ", text).strip()  # "(not the robot ones)": what is not asked for is no topic or filter
    # each topic apart: "skipping anything about LLMs or robots" rules out the papers on either
    ruled_out_matches = [
        match
        for pattern in RULED_OUT
        for match in pattern.finditer(text)
        # ("beyond human data, which papers build on self-training?": a title, nothing set aside)
        if not (match.group().lower().startswith("beyond") and _named_papers(match.group(), context, [], []))
    ]
    ruled_out = [
        topic
        for match in ruled_out_matches
        for side in re.split(r"\s+(?:or|and|nor)\s+|\s*/\s*", match.group("topic"), flags=re.IGNORECASE)
        if (topic := _topic(side, [], context))
    ]
    ruled_out_spans = [match.span() for match in ruled_out_matches]
    text = "".join(" " if any(a <= i < b for a, b in ruled_out_spans) else char for i, char in enumerate(text))
    text = " ".join(text.split())
    consumed: list[tuple[int, int]] = []  # spans taken by names, filters and cues

    phrase_spans: list[tuple[tuple[int, int], str]] = []
    name_at: dict[str, tuple[int, int]] = {}
    by_words, words_spans = _words_of_the_paper(text)
    blanked = "".join(" " if any(a <= i < b for a, b in words_spans) else char for i, char in enumerate(text))
    papers = _named_papers(blanked, context, consumed, phrase_spans, name_at)
    if phrase_spans and (
        OVERVIEW.search(text) or RECENCY.search(text) or WHICH_PAPERS.search(text) or PAPERS_SAY.search(text)
    ):
        # "what has he done on bi-manual manipulation?": title words there name a topic, not one paper
        for span, paper_id in phrase_spans:
            consumed.remove(span)
            papers.remove(paper_id)
    family = bool(papers) and bool(LINE_OF_WORK.search(text)) and not COMPARISON.search(text)
    if family:  # "the implicit BC family", "the neural mmo line of work": the papers like the one named, a topic
        papers, consumed = [], []
    consumed.extend(words_spans)
    dated, dated_spans, adjacent = _papers_as_dates(text, context, papers, name_at, consumed)
    left_out = _papers_left_out(text, papers, name_at, consumed)
    by_paper, by_paper_spans = papers_as_filters(text, context, papers, name_at, consumed)
    papers = list(dict.fromkeys([*referred, *papers]))
    name_spans = [span for span in consumed if span not in dated_spans and span not in by_paper_spans]
    soft: list[tuple[int, int]] = []
    by_profile = profile_facts_as_filters(text, context, consumed)
    filters = _filters(text, context, consumed, soft)
    if by_paper or by_profile or by_words:  # "the same year RT-2 came out", "his most productive year"
        filters = filters.model_copy(update=by_paper | by_profile | by_words)
    if dated:
        filters = filters.model_copy(update=dated)
        consumed.extend(match.span() for match in RESTATED_BOUND.finditer(text))
    waived = _category(set_aside, context) if set_aside and filters.category else None
    if waived and waived[0] == filters.category:  # "robotics papers, doesn't have to be filed under cs.RO"
        category_spans = (_category(text, context) or ("", []))[1]
        consumed[:] = [span for span in consumed if span not in category_spans]
        filters = filters.model_copy(update={"category": None})
    # "if he gave a keynote on his papers, what would its sections be?": what the if-clause supposes is not asked for
    asked = NEEDED_FOR.sub(" ", PURPOSE.sub(" ", HYPOTHETICAL.sub(" ", without_context(text, context.owner))))
    asked = ASKERS_THINGS.sub(" ", WANTED_FOR.sub(" ", asked))
    if EXPLAINED.search(text):  # "explain it like i'm a first year grad student" asks nothing about students
        asked = AUDIENCE.sub(" ", asked)
    missing = next((what for pattern, what in NOT_IN_PROFILE if pattern.search(asked)), None)
    listed = has_filter(filters) and (EXHAUSTIVE.search(text) or re.search(r"\blist\b", text, re.IGNORECASE))
    his_work = bool(intent_scores) and intent_scores.get(RESEARCHER_OVERVIEW, 0.0) >= SURE_RESEARCHER_OVERVIEW
    if missing in WHERE_ASKED and (SURELY_OVERVIEW.search(text) or listed or his_work):
        # "podcast host prepping an interview: his main research areas?", "new to this discord, who is he and what
        # problems does he go after?": his work laid out
        missing = None
    if papers and missing is None and CITED.search(text):
        missing = PAPER_CITATIONS  # "How many citations does RT-2 have?"
    if papers and missing is None and BEYOND_A_PAPER.search(asked):
        missing = BEYOND_ABSTRACTS  # "the carbon footprint of training gemini 1.5?" (not "has he studied carbon …")
    year_spans = [span for span in consumed if YEAR_ONLY.fullmatch(text[span[0] : span[1]].split()[-1])]
    _take(WANTED_FOR, text, consumed)  # ("need all of them for a citation dump" asks no citation count)
    before_metrics = list(consumed)
    metrics = [key for keys, pattern in METRIC_CUES for key in keys if _take(pattern, text, consumed, year_spans)]
    metric_spans = [span for span in consumed if span not in before_metrics]
    if "category" in metrics and filters.category and not OWN_CATEGORY_ASKED.search(text):
        metrics.remove("category")  # "papers whose primary category is cs.LG": the phrase names the filter
        _take(PRIMARY_WORD, text, consumed)
    named_categories = _categories_named(text, context)
    unfiltered = not (filters.year or filters.year_from or filters.year_to or filters.author or filters.has_code)
    if len(named_categories) >= 2 and COUNTS_ASKED.search(text) and unfiltered:  # "how many LG papers vs RO papers?"
        metrics = list(dict.fromkeys([*metrics, "by_category"]))
        _take(re.compile(rf"\b(?:(?:cs|stat)\.)?(?:{'|'.join(map(re.escape, named_categories))})\b"), text, consumed)
    if _both_counts_quoted(text, context):  # "67 vs 50 — explain the two paper numbers"
        metrics = list(dict.fromkeys([*metrics, *TOTAL_COUNTS]))
    if {"first_paper", "last_paper"} & set(metrics) and BOTH_ENDS.search(text):  # "his earliest, and his newest?"
        metrics = list(dict.fromkeys([*metrics, "first_paper", "last_paper"]))
    asked_metrics = set(metrics) - {"top_coauthors"}  # ("his most frequent coauthor, yilun du": who is asked of)
    if filters.author and missing is None and asked_metrics & PERSON_METRICS and not asked_metrics - PERSON_METRICS:
        missing = f"{filters.author}'s own metrics"  # "what's yilun du's h-index?": only the owner's are held
    if missing is None and set(metrics) & PERSON_METRICS and OTHER_PEOPLE.search(text):
        missing = "other researchers' metrics"
    # ("line of work", "style": no topic words, whether or not a paper is named)
    for pattern in (
        RECENCY,
        HAS_CODE,
        OVERVIEW,
        TIMELINE,
        COMPARISON,
        DEFINITION,
        ASIDES,
        PURPOSE,
        LINE_OF_WORK,
        NEEDED_FOR,
    ):
        _take(pattern, text, consumed)
    if EXPLAINED.search(text):
        _take(AUDIENCE, text, consumed)
    if RECENCY.search(text) and not papers:
        _take(CHECKED_AFTER, text, consumed)
    topic = _topic(text, consumed, context, filters.category)
    if (
        missing in TOPIC_WORDS_TOO
        and not papers
        and len(topic.split()) >= TOPIC_WORDS_TOO_LENGTH
        and asks_if_covered(text, context.owner)
    ):
        missing = None  # "pull requests reviewed by LLMs, anything from him?": a topic, not his GitHub's statistics
    if soft and topic:  # "multi-agent stuff, including the LLM society things": the area is part of the topic
        consumed.remove(soft[0])
        filters = filters.model_copy(update={"category": None})
        topic = _topic(text, consumed, context, filters.category)

    if metrics and filters.year is not None and "by_year" not in metrics and YEAR_COUNT.search(text):
        metrics = ["by_year", *metrics]  # "papers in 2022 + novelty score": the year's count is asked too
    if "by_year" in metrics and (filters.year or filters.year_from or filters.year_to) and not CLAIMED.search(text):
        metrics = [key for key in metrics if key not in TOTAL_COUNTS]
    # "newest robotics paper", "his latest paper up to 2022" are not the newest paper (a year alone is a count's)
    if (
        filters.category
        or filters.author
        or filters.year_from
        or filters.year_to
        or filters.date_from
        or filters.date_to
        or ("with_code" not in metrics and filters.has_code)
    ):
        metrics = [key for key in metrics if key not in ("first_paper", "last_paper")]
    if filters.author and not filters.also_author and "top_coauthors" in metrics and RANKED.search(text):
        filters = filters.model_copy(update={"author": None})  # "his #2 most frequent coauthor, after yilun du?"
    elif filters.author:  # "which papers did Daniel Freeman co-author?" lists papers with him
        metrics = [key for key in metrics if key != "top_coauthors"]
    # "his papers in the cs.MA category"; not "is he mostly cs.LG? category counts pls"
    if filters.category and len(_categories_named(text, context)) < 2 and not CATEGORY_SPLIT.search(text):
        metrics = [key for key in metrics if key != "by_category"]
    if "with_code" in metrics and not (CLAIMED.search(text) or TOTAL_TOO.search(text)):  # "how many have code?"
        metrics = [key for key in metrics if key not in TOTAL_COUNTS]
    # "how many papers with Pieter Abbeel since 2020?", "his LG paper count", "how many papers with code in 2021?":
    # the filtered listing states the count
    code_in_year = filters.year is not None and _in_one_clause(text, YEAR_ONLY, HAS_CODE)
    filtered_count = (
        bool(metrics)
        and set(metrics) <= COUNT_METRICS
        and "by_category" not in metrics  # "more of a cs.LG or a cs.RO person? category split": every category
        and not ("by_year" in metrics and PER_YEAR.search(text))  # "papers-per-year, 2017 through 2025": each year's
        and bool(
            filters.author
            or filters.category
            or filters.year_from
            or filters.year_to
            or (filters.has_code and ("with_code" not in metrics or code_in_year))
        )
    )
    if filtered_count:
        metrics = []
    compared = _compared(text, name_spans, context)
    if len(papers) + len(compared) < 2 and len(topic.split()) >= 2 and TWO_PAPERS.search(text):
        # "which of sherry yang's two materials papers is built for that, and what does the other one do?": two
        # papers the topic describes, each found on its own (strategies.compared_papers keeps them apart)
        author = f"{filters.author}'s " if filters.author else ""
        year = f" {filters.year}" if filters.year else ""
        compared += [f"{author}{topic}{year}"] * (2 - len(papers) - len(compared))
    laid_out = SURELY_OVERVIEW.search(text) and not re.search(r"\b(?:list|enumerate)\b", text, re.IGNORECASE)
    researcher_wide = traced = False
    if intent_scores and not missing:  # (a kind of data the rules know the profile lacks decides by itself)
        pure_metrics = bool(metrics) and not topic and not papers
        plan_parts = (papers, compared, filters, topic, metrics, missing)
        intent = _learned_intent(intent_scores, papers, compared, metrics) or _intent(text, plan_parts)
        if (
            papers
            and not referred
            and intent in (*SET_INTENTS, "overview")
            # (one paper named is compared with nothing: "the spectrum of his models (gamma models, ...) and how
            # does each get used?")
            and (not COMPARISON.search(text) or (intent == "overview" and len(papers) == 1))
            and _named_only_as_examples(text, context)
        ):
            # "the most recent paper that uses PaLM models (palm, palm-2, palm-e)": the named ones are examples
            papers = []
            consumed = [span for span in consumed if span not in name_spans]
            topic = _topic(text, consumed, context, filters.category)
        elif (
            len(papers) == 1  # (several named are compared: "trace the arc RT-1 -> RT-2 -> ...")
            and (traced_line := LINE_TRACED.search(text))
            and BODY_OF_WORK.search(text)
            and (intent == "overview" or (intent in ("lookup", "definition") and traced_line.group("surely")))
            and not COMPARISON.search(text)
        ):
            # "from LLMs writing step lists in virtualhome all the way to VLAs: how did that work evolve?": the
            # papers named are milestones of the line of work, and their years no filters
            papers = []
            consumed = [span for span in consumed if span not in name_spans]
            tracing = [match.span() for match in LINE_TRACED.finditer(text)]
            topic = _topic(text, consumed + tracing, context, filters.category)
            filters = filters.model_copy(update={"year": None, "year_from": None, "year_to": None})
            intent, traced = "overview", True
        elif papers and intent == "listing" and topic and EXHAUSTIVE.search(text):
            # "list all the papers on X (self-training, debate, multiagent finetuning)": the named ones are examples
            papers = []
            consumed = [span for span in consumed if span not in name_spans]
            topic = _topic(text, consumed, context, filters.category)
        elif (
            intent == "comparison"
            and len(papers) >= 2
            and not compared
            and (listed := _listed_unnamed(text, name_spans))
        ):
            # "the γ-model paper, LatCo and the stackelberg MBRL framework": the list's unnamed items are operands
            compared = [
                operand for item in listed if (operand := " ".join(_topic(item, [], context).split()[:OPERAND_WORDS]))
            ]
        elif (
            len(papers) <= 1
            and not compared
            and not (RECENCY.search(text) or filters.has_code)  # ("the newest robotics paper and ..., both")
            and EACH_OF_SEVERAL.search(text)
            and len(papers) + len(described := _described_papers(text, name_spans, context)) >= 2
        ):
            # "RT-2 gets its boost from ...; the 2025 embodied foundation model paper adds a practice stage. where does
            # the extra capability come from in each?": papers described in the question's sentences, side by side
            intent, compared = "comparison", described
        elif TWO_PAPERS.search(text) and len(papers) + len(compared) >= 2 and intent in ("lookup", "definition"):
            intent = "comparison"  # "how do the two handle the user's spec?": both papers, side by side
        elif papers and intent != "comparison":  # named papers are what is asked about
            # one: definition or look-up by form, below; "X, Y and Z. contrast them": what a comparison cue joins
            joined = len(papers) + len(compared) >= 2 and JOINING_COMPARISON.search(text)
            intent = "comparison" if len(papers) >= 2 or joined else "lookup"
        elif intent == "not_in_profile" and topic and not RESULT_ASKED.search(text) and not laid_out:
            missing = UNNAMED_DATA  # (a result asked for is looked up: the strategy says when the abstract lacks it)
        elif intent == "not_in_profile":  # "the first one": no words of its own say what the profile lacks
            others = {label: score for label, score in intent_scores.items() if label != "not_in_profile"}
            intent = _learned_intent(others, papers, compared, metrics) or _intent(text, plan_parts)
        elif intent in ("lookup", "definition") and topic and not papers and EXHAUSTIVE.search(text):
            intent = "listing"  # "every paper where language models pick actions": the set, not one fact
        elif intent == "overview" and has_filter(filters) and not papers and ALL_REQUESTED.search(text):
            intent = "listing"  # "auditing releases across his work. give me all the papers flagged with code"
        if intent == "overview" and ASKS_NEWEST.search(text):  # the newest papers on the topic, by date
            intent = "recency"
        # "what is the h-index?": every word is a metric cue; not "2020 was a busy year. which was its final paper?"
        papers_requested = ALL_REQUESTED.search(text) and not COUNT_WORDS.search(text)
        if pure_metrics and set(metrics) <= YEAR_METRICS and has_filter(filters) and papers_requested:
            intent = "listing"  # "2020 looks like a busy year for him. enumerate all the 2020 papers"
        elif pure_metrics and not (intent == "recency" and set(metrics) <= YEAR_METRICS and LAST_ONE.search(text)):
            intent = "metrics"
        elif (filtered_count or _likeliest(intent_scores) == "metrics") and not (metrics or topic or papers):
            intent = "listing" if has_filter(filters) else intent  # a count under a filter: its listing says it
        # "what is he known for?": his whole work, whatever words are left
        researcher_wide = _likeliest(intent_scores) == RESEARCHER_OVERVIEW and not papers
    else:
        if not (metrics and not topic and not papers and not missing):
            metrics = []
            if metric_spans:
                topic = _topic_without(metric_spans, text, consumed, context, filters.category)
        intent = _intent(text, (papers, compared, filters, topic, metrics, missing))
    timed = filters.year is not None or filters.year_from is not None or filters.year_to is not None
    period = intent != "not_in_profile" and not papers and not topic and timed and laid_out
    if period and set(metrics) <= YEAR_METRICS:
        # "snapshot of 2020: what was he working on?", "his busiest year. what themes?": that year's work laid out
        intent, metrics, metric_spans = "overview", [], []  # (the metric's words are no topic either)
    if intent != "not_in_profile":
        missing = None
    if intent == "metrics" and "with_code" in metrics:  # "2022's count, plus how many have a code release": two
        filters = filters.model_copy(update={"has_code": None})  # counts, not 2022's papers with code
    if intent != "metrics":
        metrics = []
        if metric_spans:  # "how do agents collaborate in debate?": the cue word is part of the topic
            topic = _topic_without(metric_spans, text, consumed, context, filters.category)
    if intent_scores and papers and intent == "lookup":  # "how many tasks did RT-1 learn?" asks a fact
        intent = "definition" if DEFINITION.search(text) or not topic else "lookup"
    if researcher_wide:
        topic = ""
    offered = OR_LATER.search(text) and NEWEST_PAPER.search(text)
    if len(papers) == 1 and (STILL_NEWEST.search(text) or offered) and intent != "comparison":
        # the newest of all, whichever it is ("is X fei's most recent paper with igor, or is there a later one?",
        # "which 2023 paper came out last? the self-training one, the graphene one, or something else?")
        _take_mentions(text, name_at, papers, consumed)
        intent, papers = "recency", []
        filters = filters.model_copy(update={"year": filters.year if offered else None})
        topic = _topic(text, consumed, context, filters.category)
        topic = topic if len(topic.split()) > 1 else ""  # ("the gemini 2.5 report": a word naming the paper)
    dated_operands = _dated_operands(text, papers, name_spans, context)
    if DATES_COMPARED.search(text) and len(papers) + len(dated_operands) >= 2:  # "RT-1 or RT-2, which came out later?"
        intent, compared, topic = "recency", dated_operands, ""
        filters = PaperFilter()  # ("both 2021, both with code": what the papers named share filters nothing)
    if intent == "comparison":  # "COMET vs the 2020 EBM paper": the year picks a paper, it filters nothing
        filters = PaperFilter()
    if "by_year" in metrics and PER_YEAR.search(text):  # "counts per year, like 2017: x": the year is an example
        filters = filters.model_copy(update={"year": None})
    if "by_category" in metrics:  # the split over every category, whichever the question names
        filters = filters.model_copy(update={"category": None})
    narrow = 0 < len(topic.split()) <= NARROW_TOPIC_WORDS
    if intent == "overview" and narrow and PAPERS_SAY.search(text) and not SURELY_OVERVIEW.search(text):
        intent = "lookup"  # "what did the papers say about EBMs for continual learning?": what they say, quoted
    if adjacent and intent not in ("comparison", "metrics", "not_in_profile"):
        intent = "recency"  # "which paper landed just before the debate one?": the newest before it
    elif intent == "recency" and filters.year is not None and not RECENCY.search(text) and not LAST_ONE.search(text):
        intent = "listing"  # "what came out in 2020": that year's papers, not its newest three
    elif intent == "recency" and IN_DATE_ORDER.search(text) and re.search(r"\b(?:everything|all|every)\b", text, re.I):
        intent = "listing"  # "everything wenlong huang coauthored, oldest to newest": all of them, in order
    exclude: list[str] = left_out
    if papers and intent != "comparison" and WHAT_ELSE.search(text):
        # "i only know him from decision transformer. what else does he work on?": all but the papers named
        intent, exclude, papers = "overview", [*left_out, *papers], []
    # "if his papers were sorted into tracks, what would they be?"; not "the full picture of his work on robots"
    layout = BREADTH.search(text) and re.search(r"\b(?:his|he|him)\b", text) and not ON_A_TOPIC.search(text)
    aside_count = intent == "metrics" and re.search(r"~\s*\d+|\blisted\b", text)  # "all ~50 of his listed papers"
    if not papers and set(metrics) <= set(TOTAL_COUNTS) and (intent in LAYOUT_READS or aside_count) and layout:
        intent, metrics = "overview", []  # ("sort all ~50 of his listed papers into buckets": the count is an aside)
    if not metrics and ERA_SPAN.search(text) and DRIFT.search(text):  # his whole work over the years between
        years = sorted(int(year) for year in YEAR_ONLY.findall(text))
        intent, papers, topic = "overview", [], ""
        filters = PaperFilter(year_from=years[0], year_to=years[-1])
    # "how has his research shifted?" lays out all his work; "how has his use of EBMs evolved?" (the classifier
    # reads a topic's overview) keeps its topic
    topical = bool(intent_scores) and _likeliest(intent_scores) == "overview"
    if intent == "overview" and ((TIMELINE.search(text) and not traced and not topical) or layout):
        topic = ""
    context_end = len(text) - len(without_context(text, context.owner))
    if intent in SET_INTENTS and has_filter(filters) and context_end and _the_askers(text[:context_end]):
        # "putting together a survey table of recent robot learning: his cs.RO papers since 2023": the filters say
        # which papers; the asker's context names no topic of theirs (unless "a reading group on X")
        named = LEAD_TOPIC.search(text[:context_end])
        context_words = set(_topic(text[: named.start("topic") if named else context_end], [], context).split())
        topic = " ".join(word for word in topic.split() if word not in context_words)
    examples, alternatives = "", []
    if intent in SET_INTENTS and topic:
        # "papers about robots (robot arms, mobile manipulators etc)": the topic is the words before the examples
        asides = [match.span() for match in EXAMPLES.finditer(text)]
        head = _topic(text, consumed + asides, context, filters.category) if asides else ""
        if head:
            outside = [(end, start) for (_, end), (start, _) in itertools.pairwise([(0, 0), *asides, (len(text), 0)])]
            topic, examples = head, _topic(text, consumed + outside, context, filters.category)
        alternatives = _alternatives(text, consumed + asides, context, filters.category)
    if intent in SET_INTENTS and has_filter(filters):  # "which entry sits on top by date?": the filter's papers
        if not filters.category and (named := _category_alone(topic, context)):
            filters, topic = filters.model_copy(update={"category": named}), ""  # "robotics from 2021, each paper"
        topic, examples = _without_list_chat(topic, filters), _without_list_chat(examples, filters)
        alternatives = [kept for alternative in alternatives if (kept := _without_list_chat(alternative, filters))]
    elif intent == "recency" and not _without_list_chat(topic, filters):
        topic = ""  # "which paper tops the list date-wise?": the newest of all
    return QueryPlan(
        question=question,
        intent=intent,
        filters=filters,
        papers=papers,
        compared=_without_aspects(compared, len(papers)) if intent == "comparison" or dated_operands else [],
        topic=topic,
        metrics=metrics,
        missing=missing,
        exclude=exclude,
        set_aside=", ".join(ruled_out) if intent in (*SET_INTENTS, "overview") else "",
        examples=examples,
        alternatives=alternatives,
    )


RESEARCHER_OVERVIEW = "overview:researcher"  # the classifier's label for an overview of the whole researcher
# the label of example questions on topics no paper covers: it keeps them from looking like requests for data the
# profile lacks; it decides nothing itself (whether a topic is covered depends on the profile: coverage.py)
UNCOVERED = "uncovered"
# a kind the classifier puts second, below this, after one whose slots are missing, is left to the rules
WEAK_SECOND_GUESS = 0.2
UNSURE = 0.5
NOT_IN_PROFILE_SURE = 0.5  # "the profile doesn't hold that" without a known kind of data needs the classifier sure
SURE_RESEARCHER_OVERVIEW = 0.9  # the classifier sure of "his work laid out" outweighs a lead's word ("our discord")


def _likeliest(scores: dict[str, float]) -> str:
    return max(scores, key=scores.__getitem__)


def _named_only_as_examples(text: str, context: PlanContext) -> bool:
    """Every paper the question names is named among the examples it gives of its topic."""
    masked = EXAMPLES.sub(lambda match: " " * len(match.group()), text)
    return not _named_papers(masked, context, [], [])


def _learned_intent(
    scores: dict[str, float], papers: list[str], compared: list[str], metrics: list[str]
) -> Intent | None:
    """The likeliest intent whose slots are there: metrics need a metric named, a comparison two things, and
    "the profile doesn't hold that" a sure classifier (when the rules name no kind of data it lacks). Both ends of
    the list asked ("oldest paper on the list and the newest one") are metrics, not the newest alone. None when the
    likeliest kind lacks its slots, the classifier is unsure of it too and the next kind is a weak guess: the rules
    decide then. (Sure of a comparison or a count whose slots the rules missed, its next kinds serve it: an
    overview shows each of the papers, a filtered listing says the count.)"""
    if not papers and {"first_paper", "last_paper"} <= set(metrics) and _likeliest(scores) == "recency":
        return "metrics"
    slots_missing = False
    for label in sorted(scores, key=scores.__getitem__, reverse=True):
        intent = "overview" if label == RESEARCHER_OVERVIEW else label
        if intent == UNCOVERED:
            continue
        if intent == "not_in_profile" and scores[label] < NOT_IN_PROFILE_SURE:
            continue
        if (intent == "metrics" and not metrics) or (intent == "comparison" and len(papers) + len(compared) < 2):
            slots_missing = slots_missing or scores[label] < UNSURE
            continue
        if slots_missing and scores[label] < WEAK_SECOND_GUESS:
            # "how do they get language models to fact-check each other through discussion?" reads as a comparison
            # (0.43) without two things compared; overview at 0.12 is a guess
            return None
        return intent  # type: ignore[return-value]
    return "lookup"


def _intent(text: str, plan_parts: tuple[list[str], list[str], PaperFilter, str, list[str], str | None]) -> Intent:
    """The first rule that fits. An aggregate needs an empty topic; a topic with filters is a filtered search."""
    papers, compared, filters, topic, metrics, missing = plan_parts
    if missing:
        return "not_in_profile"
    if metrics and not topic and not papers:
        return "metrics"
    if TIMELINE.search(text) and not papers and (OVERVIEW.search(text) or not topic):
        return "overview"
    if len(papers) >= 2 or ((COMPARISON.search(text) or TWO_PAPERS.search(text)) and len(papers) + len(compared) >= 2):
        return "comparison"
    if RECENCY.search(text):
        return "recency"
    if papers:
        return "definition" if DEFINITION.search(text) or not topic else "lookup"
    if not topic:
        return "listing" if has_filter(filters) else "overview"
    if ((has_filter(filters) and LISTING.search(text)) or WHICH_PAPERS.search(text)) and _is_broad(topic):
        return "listing"
    if OVERVIEW.search(text) and _is_broad(topic, most=9):
        return "overview"
    if DEFINITION.search(text) and len(topic.split()) <= 3:
        return "definition"
    return "lookup"


def _dated_operands(text: str, papers: list[str], name_spans: list[tuple[int, int]], context: PlanContext) -> list[str]:
    """The things whose dates are compared when they are not all named papers ("the adversarial arithmetic paper
    and the silicon-in-graphene one: which is newer?"): operands as a comparison's; none if no dates are compared
    or the papers named are all the question counts."""
    asked = DATES_OF_SEVERAL.search(text)
    count = asked and (asked.group("count") or asked.group("then"))
    if not asked or (len(papers) >= 2 and (not count or COUNTS[count.casefold()] <= len(papers))):
        return []
    if not (count or COMPARATIVE.search(asked.group())):  # "which came out most recently?" asks of a set
        return []
    for aside in re.finditer(r"\(([^()]*)\)", text):  # "the two EBM papers (the continual one and the CD one)"
        inside = aside.group(1)
        if not papers and len(OPERAND_SPLIT.split(inside)) >= 2:
            return _compared(inside, [], context, cued=True)
    return _compared(text, name_spans, context, cued=True)


def _compared(text: str, consumed: list[tuple[int, int]], context: PlanContext, cued: bool = False) -> list[str]:
    """Operands of a comparison that name no known paper: "the multi-game one", "multiagent debate"; `cued` when
    something other than a comparison's words says things are compared."""
    if between := BETWEEN.search(text):
        first, second = ("first", "second") if between.group("first") else ("first2", "second2")
        parts = [between.group(first), between.group(second)]
        spans = [between.span(first), between.span(second)]
        operands = [
            " ".join(_topic(part, [], context).split()[:OPERAND_WORDS])
            for part, (start, end) in zip(parts, spans, strict=True)
            if not any(s < end and start < e for s, e in consumed)
        ]
        return [operand for operand in operands if operand]
    if not (cued or COMPARISON.search(text)):
        return []
    # clauses end at punctuation before a space ("melting pot 2.0, neural mmo v1.3" is one clause)
    clauses = [c for c in CLAUSE_END.split(text) if OPERAND_SPLIT.search(c)]
    if not clauses:
        return []

    def names_in(clause: str) -> int:
        start = text.index(clause)
        return sum(start <= s and e <= start + len(clause) for s, e in consumed)

    # the clause naming the most papers ("ReST^EM vs the consensus paper: both push math, but one finetunes"),
    # then the one with the most operands
    # ("OSIL (2024) vs the 2025 robot fleet: which one cuts labels and which cuts demos?": the "vs" clause)
    clause = max(clauses, key=lambda c: (names_in(c), bool(VERSUS.search(c)), len(OPERAND_SPLIT.findall(c))))
    offset = text.index(clause)
    # an aside in brackets describes an operand, it is none ("ALPT (fills in missing actions)")
    masked = re.sub(r"\([^()]*\)", lambda aside: " " * len(aside.group()), text)
    operands = []
    position = offset
    for part in OPERAND_SPLIT.split(masked[offset : offset + len(clause)]):
        start = masked.index(part, position) if part else position
        position = start + len(part)
        end = position + len(masked[position:]) - len(masked[position:].lstrip(" "))  # with its (masked) aside
        if any(s < end and start < e for s, e in consumed):
            continue  # names a known paper
        words = _topic(part.replace("(", " ").replace(")", " "), [], context).split()
        # an aside naming no paper often describes the part's paper best: "a single demo (semi-supervised OSIL)"
        aside = " ".join(  # (not "(skimmed it on a long train ride home)": chat)
            found for found in re.findall(r"\(([^()]*)\)", text[start:end]) if len(found.split()) <= ASIDE_WORDS
        )
        aside = "" if re.search(r"\b(?:i|i'm|my|me|we|it)\b", aside, re.IGNORECASE) else aside
        words = list(dict.fromkeys([*_topic(aside, [], context).split(), *words]))
        if words:  # a long part ("the consensus paper both have an LM generate ...") names its thing first
            year = YEAR_ONLY.search(text[start:end])  # "the 2022 connect task paper": the year picks among its like
            operands.append(" ".join(words[:OPERAND_WORDS]) + (f" {year.group()}" if year else ""))
    return operands


OPERAND_WORDS = 6
# what is compared about the things, not a thing: "how do scope and findings differ?", "setups and results"
COMPARISON_ASPECTS = frozenset(
    "scope findings finding results result method methods setup setups goal goals assumptions benchmarks pros cons "
    "strengths weaknesses contribution contributions difference differences similarity similarities key main "
    "headline claim claims change changes changed approach approaches design focus evaluation performance model "
    "models trying tries mess recipe recipes".split()
)


def _without_aspects(compared: list[str], named: int) -> list[str]:
    """The operands that are things, when at least two things are compared without the aspects."""
    things = [operand for operand in compared if not all(w.casefold() in COMPARISON_ASPECTS for w in operand.split())]
    return things if named + len(things) >= 2 else compared


ASIDE_WORDS = 5  # an aside this short may name the part's paper: "(semi-supervised OSIL)"
CLAUSE_END = re.compile(r"[.:?;!](?=\s|$)")  # ("melting pot 2.0, neural mmo v1.3" is one clause)
# the items of a list: "multi-game DT on atari, the geometry-aware hand policy on new shapes, and Blocks Assemble!"
LIST_ITEM_SPLIT = re.compile(r",\s*(?:and\s+|or\s+|&\s+)?|\s+(?:and|&|as well as)\s+", re.IGNORECASE)


def _listed_unnamed(text: str, name_spans: list[tuple[int, int]]) -> list[str]:
    """The items of a comma list naming at least two papers that name none themselves."""
    start = 0
    for clause in CLAUSE_END.split(text):
        start = text.index(clause, start)
        end = start + len(clause)
        named = [span for span in name_spans if start <= span[0] and span[1] <= end]
        if len(named) >= 2 and "," in clause:
            items, position = [], start
            for item in LIST_ITEM_SPLIT.split(clause):
                item_start = text.index(item, position) if item else position
                position = item_start + len(item)
                if item.strip() and not any(s < position and item_start < e for s, e in named):
                    items.append(re.sub(r"\([^()]*\)", " ", item))
            return items
        start = end
    return []


# a paper described by what it is: "the 2025 embodied foundation model paper", "the LM-initialized virtualhome one"
VERSION_TAG = re.compile(r"\bv\d+(?:\.\d+)+\b", re.IGNORECASE)  # "v1.3"
DESCRIBED_PAPER = re.compile(
    r"\bthe (?P<what>(?:[\w*./-]+ ){1,5}?)(?:paper|one|work|report|study|preprint)\b(?!-)", re.IGNORECASE
)
# what a paper described by its year alone says or does: "the 2025 one says let a robot fleet practice ..."
WHAT_IT_SAYS = re.compile(
    r"\s+(?:says|claims|argues|proposes|does|uses|adds|shows|is about|trains|lets)\s+(?P<what>[^.;?!]+)", re.IGNORECASE
)
EACH_OF_SEVERAL = re.compile(r"\b(?:each|both)\b|\bthe two\b", re.IGNORECASE)


def _described_papers(text: str, name_spans: list[tuple[int, int]], context: PlanContext) -> list[str]:
    """What each paper described but not named is, as an operand ("embodied foundation model 2025")."""
    described = []
    for match in DESCRIBED_PAPER.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in name_spans):
            continue
        words = _topic(match.group("what"), [], context).split()
        year = YEAR_ONLY.search(match.group("what"))
        if not words and year and (says := WHAT_IT_SAYS.match(text, match.end())):
            words = _topic(says.group("what"), [], context).split()  # "the 2025 one says let a robot fleet practice"
        if words:
            described.append(" ".join(words[:OPERAND_WORDS]) + (f" {year.group()}" if year else ""))
    return list(dict.fromkeys(described))


VERSUS = re.compile(r"[\w)]\s+(?:vs\.?|versus)\s+\w", re.IGNORECASE)  # with a thing on either side
OPERAND_SPLIT = re.compile(
    r"\s*(?:(?<!-)\bvs\.?(?!-)|\bversus\b|\band\b|\bor\b|,|\bcompared (?:to|with)\b|\bdifferent from\b|\bdiffer from\b|"
    # "between" after a comparison's noun; "consensus between pretrained models" is one operand
    r"\b(?:differences?|relation(?:ship)?s?|similarit(?:y|ies)|contrast|comparison|choose|pick|overlap|links?|"
    r"trade-?offs?|distinguish)\s+between\b|\bcompare\b|\bwith\b)\s*",
    re.IGNORECASE,
)


# what starts another count: "2022's count? plus how many have code"; not "in 2021, how many had code?"
COUNT_CLAUSES = re.compile(
    r"[;?!]|\.(?=\s)|\b(?:plus|also|as well as)\b|(?:,\s*|\b)and (?:how many|the number|what)\b", re.IGNORECASE
)


def _in_one_clause(text: str, first: re.Pattern[str], second: re.Pattern[str]) -> bool:
    """Both patterns match within one clause: "how many papers with code in 2021?" asks one count, not two."""
    return any(first.search(clause) and second.search(clause) for clause in COUNT_CLAUSES.split(text))


def _take(
    pattern: re.Pattern[str], text: str, consumed: list[tuple[int, int]], ignore: list[tuple[int, int]] = ()
) -> bool:
    """Mark every match of `pattern` outside the spans already taken (by names and filters) as taken (only its
    `cue` group, when it has one and it matched); spans in `ignore` (years: "how many papers in 2021" is a count
    *and* a year) do not block."""
    found = False
    for match in pattern.finditer(text):
        span = match.span("cue") if "cue" in pattern.groupindex and match.group("cue") else match.span()
        if any(start <= span[0] < end for start, end in consumed if (start, end) not in ignore):
            continue
        consumed.append(span)
        found = True
    return found


# abbreviations a question uses for words titles spell out
SPELLED_OUT = {
    "rl": ("reinforcement", "learning"),
    "marl": ("multi", "agent", "reinforcement", "learning"),
    "lm": ("language", "model"),
    "lms": ("language", "models"),
    "llm": ("large", "language", "model"),
    "llms": ("large", "language", "models"),
    "bc": ("behavioral", "cloning"),
}


# a paper called by words of its title: "the adversarial arithmetic paper", "in 'implicit offline RL via
# supervised learning'": words in quotes or between "the" and "paper", two of them specific to one title
CALLED_BY_WORDS = re.compile(
    r"\b(?:the|that|this|his|their) ((?:[\w-]+ (?:[+&] )?){1,4})(?:paper|report|preprint|one)\b|"
    r"(?:^|(?<=[\s(]))['‘\"“]([^'‘’\"“”]{3,80})['’\"”](?=[\s,.;:?!)]|$)",
    re.IGNORECASE,
)


def _named_papers(
    text: str,
    context: PlanContext,
    consumed: list[tuple[int, int]],
    phrase_spans: list[tuple[tuple[int, int], str]],
    spans: dict[str, tuple[int, int]] | None = None,
) -> list[str]:
    """Papers named by a short name or acronym ("RT-2", "palm-e", "ReST^EM", "decision transformer"), longest first;
    where each is named goes into `spans`."""
    tokens = list(re.finditer(r"[^\s,;:?!()\"“”]+", text))
    found: list[tuple[int, str]] = []
    taken: set[int] = set()
    for size in (4, 3, 2, 1):
        for start in range(len(tokens) - size + 1):
            if taken & set(range(start, start + size)):
                continue
            span = tokens[start : start + size]
            phrase = text[span[0].start() : span[-1].end()]
            keys = {compact_key(variant.rstrip(".'’")) for variant in (phrase, _greek(phrase))}
            keys |= {compact_key(possessor) for possessor in re.findall(r"^(.+)['’]s$", phrase)}  # "melting pot's"
            paper_id = next(
                (
                    context.names[k]
                    for key in keys
                    for k in (key, key + "s", key.removesuffix("s"))
                    if k in context.names
                ),
                None,
            )
            shared = (
                None if paper_id else next((context.shared_names[k] for k in keys if k in context.shared_names), None)
            )
            if shared and _every_paper_of_the_name(text, span[0].start(), span[-1].end(), context, shared):
                fresh = [paper for paper in shared if paper not in {found_id for _, found_id in found}]
                found.extend((span[0].start(), paper) for paper in fresh)
                taken |= set(range(start, start + size))
                consumed.extend((span[0].start(), span[-1].end()) for _ in fresh)  # (one span per paper found)
                continue
            if paper_id is None:
                around = (span[0].start(), span[-1].end())
                paper_id = next(
                    (
                        _settle(context, text, context.shared_names[k], around)
                        for k in keys
                        if k in context.shared_names
                    ),
                    None,
                )
            key = min(keys, key=len)
            if paper_id and len(key) >= 3 and paper_id not in {found_id for _, found_id in found}:
                found.append((span[0].start(), paper_id))
                taken |= set(range(start, start + size))
                consumed.append((span[0].start(), span[-1].end()))
    # "a re-release of v1.3?": the one title of a shared name with that version
    for match in VERSION_TAG.finditer(text):
        version = compact_key(match.group())
        named = {
            paper_id
            for key, paper_id in context.names.items()
            if key.endswith(version) and key.removesuffix(version) in context.shared_names
        }
        taken_ids = {found_id for _, found_id in found}
        overlaps = any(start < match.end() and match.start() < end for start, end in consumed)
        if len(named) == 1 and not named & taken_ids and not overlaps:
            found.append((match.start(), named.pop()))
            consumed.append(match.span())
    # the question's words as titles spell them ("offline RL" is "offline reinforcement learning"), with their spans
    kept = [
        (word, match.span())
        for match in re.finditer(r"[^\W_]+", text)
        for word in SPELLED_OUT.get(match.group().lower(), phrase_words(match.group()))
    ]
    spelled = {match.span() for match in re.finditer(r"[^\W_]+", text) if match.group().lower() in SPELLED_OUT}
    for size, phrases in ((4, context.long_phrases), (3, context.phrases)):
        for i in range(len(kept) - size + 1):
            paper_id = phrases.get(tuple(word for word, _ in kept[i : i + size]))
            broken = any(  # "melting pot, not 2.0" is not "Melting Pot 2.0"
                re.search(r"[,.;:?!()]", text[kept[j][1][1] : kept[j + 1][1][0]]) for j in range(i, i + size - 1)
            )
            if paper_id and not broken and paper_id not in {found_id for _, found_id in found}:
                last = i + size - 1
                while last + 1 < len(kept) and _continues_title(text, kept[last], kept[last + 1], context, paper_id):
                    last += 1  # "... through energy minimization": the rest of the title is its name too
                span = (kept[i][1][0], kept[last][1][1])
                written = [word for word, word_span in kept[i : last + 1] if word_span not in spelled]
                if len(written) < 3 and not set(written) & context.single_title_words:
                    continue  # "multi-agent RL" names a field, not the paper titled "... multi-agent RL with ..."
                if not any(start < span[1] and span[0] < end for start, end in consumed):
                    found.append((span[0], paper_id))
                    consumed.append(span)
                    phrase_spans.append((span, paper_id))
    for match in CALLED_BY_WORDS.finditer(text):
        group = 1 if match.group(1) else 2
        words = list(re.finditer(r"[^\W_]+", match.group(group)))
        span = match.span(group)
        candidates = [
            context.pairs.get(tuple(phrase_words(f"{first.group()} {second.group()}")))
            for first, second in itertools.pairwise(words)
        ]
        if not any(candidates) and group == 1:
            # "the knowledge-graph hallucination paper", "the game-theoretic MBRL one": words of one title only
            called = phrase_words(match.group(group))
            specific = set(called) & context.single_title_words or CAPITALS.search(match.group(group))
            if len(called) >= 2 and specific:
                titled = [
                    paper_id
                    for paper_id, title_words in context.title_words.items()
                    if _words_of_title(match.group(group), title_words, False)
                ]
                candidates = titled if len(titled) == 1 else []
        for paper_id in candidates:
            fresh = paper_id and paper_id not in {found_id for _, found_id in found}
            if (
                fresh
                and _words_of_title(match.group(group), context.title_words[paper_id], quoted=group == 2)
                and not any(start < span[1] and span[0] < end for start, end in consumed)
            ):
                found.append((span[0], paper_id))
                consumed.append(span)
                phrase_spans.append((span, paper_id))  # a topic when the question asks for papers on it
    for (_, paper_id), span in zip(found, consumed[len(consumed) - len(found) :], strict=True):
        if spans is not None:
            spans.setdefault(paper_id, span)
    return list(dict.fromkeys(paper_id for _, paper_id in sorted(found)))


def _continues_title(
    text: str,
    word: tuple[str, tuple[int, int]],
    following: tuple[str, tuple[int, int]],
    context: PlanContext,
    paper_id: str,
) -> bool:
    """The next word is in the paper's title too, with only spaces or function words between them."""
    between = text[word[1][1] : following[1][0]]
    return following[0] in context.title_words.get(paper_id, ()) and not (
        re.search(r"[,.;:?!()]", between) or phrase_words(between)
    )


def _papers_as_dates(
    text: str,
    context: PlanContext,
    papers: list[str],
    name_at: dict[str, tuple[int, int]],
    consumed: list[tuple[int, int]],
) -> tuple[dict[str, dt.date], list[tuple[int, int]], bool]:
    """Named papers used as dates ("the newest before RT-2 came out"): taken out of `papers`, their words'
    spans in `consumed` widened to the whole phrase; the date bounds, those spans, and whether the paper right next
    to one is asked for."""
    dated: dict[str, dt.date] = {}
    spans = []
    adjacent = False
    for paper_id, span in name_at.items():
        if paper_id not in papers or span not in consumed or paper_id not in context.dates:
            continue
        if len(papers) >= 2 and re.search(r"\bthan\s+(?:the\s+|his\s+)?$", text[: span[0]], re.IGNORECASE):
            continue  # "is RT-2 newer than PaLM-E?" compares the two papers' dates
        if bound := paper_bound(text, span, context.dates[paper_id]):
            _take_mentions(text, name_at, [paper_id], consumed)  # ("... or is VeLO still his newest?")
            dated |= bound.bounds
            papers.remove(paper_id)
            consumed.remove(span)
            consumed.extend(bound.spans)
            spans.extend(bound.spans)
            adjacent = adjacent or bound.adjacent
    return dated, spans, adjacent


def _take_mentions(
    text: str, name_at: dict[str, tuple[int, int]], papers: list[str], consumed: list[tuple[int, int]]
) -> None:
    """Every mention of the named `papers` by the words that named them joins `consumed` (a name said twice)."""
    for paper_id in papers:
        if span := name_at.get(paper_id):
            _take(re.compile(rf"(?<!\w){re.escape(text[span[0] : span[1]])}(?!\w)", re.IGNORECASE), text, consumed)


# "excluding the 2025 self-improving EFM one", "other than RT-2": the words before a named paper left out
LEFT_OUT_BY = re.compile(
    rf"\b(?:{EXCLUDING}|other than|besides|apart from|aside from|but not)\s+(?:the\s+|his\s+|that\s+)?"
    rf"(?:{YEAR}\s+)?$",
    re.IGNORECASE,
)


def _papers_left_out(
    text: str, papers: list[str], name_at: dict[str, tuple[int, int]], consumed: list[tuple[int, int]]
) -> list[str]:
    """Named papers the question leaves out of what it asks about ("kamyar's papers excluding the self-improving
    EFM one"): taken out of `papers`, their spans in `consumed` widened to the whole phrase."""
    left_out = []
    for paper_id, span in name_at.items():
        if paper_id not in papers or span not in consumed:
            continue
        if by := LEFT_OUT_BY.search(text[: span[0]]):
            papers.remove(paper_id)
            consumed[consumed.index(span)] = (by.start(), RELEASED.match(text, span[1]).end())
            left_out.append(paper_id)
    return left_out


def _words_of_title(called: str, title_words: frozenset[str], quoted: bool) -> bool:
    """Every word the question calls the paper by is in its title ("the graph neural networks paper" is no paper
    titled "... neural networks"); a quoted run of three or more words may abbreviate one ("offline RL")."""
    words = phrase_words(called)
    capitals = {match.group(1).casefold() for match in CAPITALS.finditer(called)}
    outside = sum(not _in_title(word, title_words, capitals) for word in words)
    return outside == 0 or (quoted and len(words) >= 3 and outside == 1)


CAPITALS = re.compile(r"\b([A-Z]{2,})s?\b")  # a word in capitals, maybe an acronym ("KG", "MBRL", "LLMs")


def _in_title(word: str, title_words: frozenset[str], capitals: set[str]) -> bool:
    """The word, in the singular or plural ("hallucination"), or written in capitals as an acronym of its words
    ("KG", "MBRL")."""
    return bool({word, f"{word}s", word.removesuffix("s")} & title_words) or (
        word in capitals and f"initials:{word}" in title_words
    )


def _title_initials(words: list[str]) -> set[str]:
    """The acronyms of runs of a title's words, prefixed "initials:" so that none equals a word: "initials:kg" for
    "Knowledge Graph"."""
    runs = (words[start : start + size] for size in (2, 3, 4) for start in range(len(words) - size + 1))
    return {"initials:" + "".join(word[0] for word in run) for run in runs}


ORIGINAL = re.compile(r"\b(?:original|first|earliest|older|old)\b", re.IGNORECASE)
FOLLOW_UP = re.compile(r"\b(?:newer|newest|latest|follow[- ]?up|sequel|second|2\.0)\b", re.IGNORECASE)
ERA_OF = re.compile(r"\s+(?:days|era)\b", re.IGNORECASE)


BOTH_OF = re.compile(r"\b(?:both|the two|all(?: the)? (?:two|three)|the (?:two|three))(?: of)?(?: the| his)?\s+$", re.I)
THE_PLURAL_OF = re.compile(r"\b(?:the|his|those)\s+$", re.I)  # "the gemini tech reports", unless a year picks one
# ("the gemini tech reports")
PLURAL_NAMED = re.compile(r"\s+(?:(?:tech|technical|model)\s+)?(?:papers|reports|ones|writeups|write-ups|versions)\b")


def _every_paper_of_the_name(text: str, start: int, end: int, context: PlanContext, shared: list[str]) -> bool:
    """ "both melting pot papers", "the two neural mmo writeups", "the gemini reports" (not "the melting pot ones
    from 2022"): every paper sharing the name at start:end."""
    if not PLURAL_NAMED.match(text, end):
        return False
    years = {int(year) for year in YEAR_ONLY.findall(text)}
    one_by_year = sum(context.years.get(paper_id) in years for paper_id in shared) == 1
    return bool(BOTH_OF.search(text[:start]) or (THE_PLURAL_OF.search(text[:start]) and not one_by_year))


def _settle(context: PlanContext, text: str, paper_ids: list[str], span: tuple[int, int]) -> str | None:
    """Which of the papers sharing a name (at `span`) the question means: the one whose title has the word after
    the name ("the neural mmo platform paper"), the one of a year it gives, the original or the follow-up (said
    next to the name first: "neural mmo vs the original melting pot"), else the one whose title has no version;
    None when it does not say."""
    following = re.match(r"\W+([^\W_]+)", text[span[1] :])
    if following and context.title_words:
        word = phrase_words(following.group(1))
        titled = [paper_id for paper_id in paper_ids if word and set(word) <= context.title_words.get(paper_id, set())]
        if len(titled) == 1:
            return titled[0]
    years = {int(year) for year in YEAR_ONLY.findall(text)}
    by_year = [paper_id for paper_id in paper_ids if context.years[paper_id] in years]
    if len(by_year) == 1:
        return by_year[0]
    before = text[max(0, span[0] - 20) : span[0]]
    if ERA_OF.match(text, span[1]) and not (ORIGINAL.search(before) or FOLLOW_UP.search(before)):
        return paper_ids[0]  # "since the melting pot days": the first of the name (not "the newer melting pot days")
    for window in (text[max(0, span[0] - 20) : span[1] + 20], text):
        if ORIGINAL.search(window):
            return paper_ids[0]
        if FOLLOW_UP.search(window):
            return paper_ids[-1]
    unversioned = [paper_id for paper_id in paper_ids if paper_id not in context.versioned]
    if len(unversioned) == 1:  # "melting pot" is not "Melting Pot 2.0": a bare name is the one without a version
        return unversioned[0]
    return None


VERSION = re.compile(r"\b(?:v?\d+\.\d+|v\d+)\b")


GREEK = {"gamma": "γ", "alpha": "α", "beta": "β", "delta": "δ", "lambda": "λ", "mu": "μ", "pi": "π", "tau": "τ"}


def _greek(phrase: str) -> str:
    return re.sub(r"\b(" + "|".join(GREEK) + r")\b", lambda m: GREEK[m.group(1).lower()], phrase, flags=re.IGNORECASE)


def _filters(
    text: str, context: PlanContext, consumed: list[tuple[int, int]], soft: list[tuple[int, int]]
) -> PaperFilter:
    """Filters written in words. A category read from "<area> stuff/work/research" is `soft`: it yields to a topic."""
    values: dict[str, object] = dict(month_bounds(text, consumed))
    excluded = EXCLUDED_YEARS.search(text)
    if excluded and any(start <= excluded.start() < end for start, end in consumed):
        excluded = None  # "excluding the 2025 self-improving one" leaves out a paper, not a year
    if excluded and context.years:  # "ignoring 2024 and 2025": the years left at the profile's ends
        years = {int(year) for year in excluded.groups() if year}
        every = sorted(set(context.years.values()))
        left = [year for year in every if year not in years] or every
        if min(years) <= every[0]:
            values["year_from"] = left[0]
        if max(years) >= every[-1]:
            values["year_to"] = left[-1]
        consumed.append(excluded.span())  # a year in the middle cannot be left out: it filters nothing
    if onwards := EXCLUDED_ONWARDS.search(text):  # "if i ignore 2023 onwards": up to 2022
        year = int(onwards.group(1))
        if onwards.group("side").lower() in ("earlier", "before", "older"):
            values["year_from"] = year + 1
        else:
            values["year_to"] = year - 1
        consumed.append(onwards.span())
    if side := EXCLUDED_SIDE.search(text):
        year = int(side.group(2))
        if side.group("side").lower() in ("before", "prior to"):
            values["year_from"] = year
        else:  # "after 2022" keeps 2022; "since 2022" (or "from") does not
            values["year_to"] = year if side.group("side").lower() == "after" else year - 1
        consumed.append(side.span())
    for pattern, kind in YEAR_RANGES:
        matches = [m for m in pattern.finditer(text) if not any(a <= m.start() < b for a, b in consumed)]
        if kind == "year":  # of two years, the one the papers are dated ("going into 2022. of the papers dated 2021")
            matches = [  # ("back to the 2020 energy-model days"; not "his 2022 papers in two days")
                m for m in matches if not (ERA_AFTER.match(text, m.end()) and text[: m.start()].endswith("the "))
            ]
            matches.sort(key=lambda m: not PAPERS_OF_YEAR.search(text[: m.start()]))
        match = matches[0] if matches else None
        if not match:
            continue
        years = [int(year) for year in match.groups() if year]
        years = [year + years[0] // 100 * 100 if year < 100 else year for year in years]  # "2021-22"
        two_years = kind == "range" and re.fullmatch(rf"{YEAR} (?:and|or|&|\+) {YEAR}", match.group())
        if two_years and max(years) - min(years) != 1:
            continue  # "his 2017 and 2024 papers" is two years, not the eight between; "2023 and 2024" is a span
        consumed.append(match.span())
        if kind == "range":
            values.update(year_from=min(years), year_to=max(years))
        elif kind == "from":
            exclusive = re.match(r"after|post|\w+ than", match.group(), re.IGNORECASE)  # "after 2020": 2021 on
            values["year_from"] = years[0] + (1 if exclusive else 0)
        elif kind == "to":
            # "until 2020", "2020 and before" include 2020; "before 2020" does not
            inclusive = re.match(
                r"until|up to|through|thru|by|no later|in or|\d", match.group(), re.IGNORECASE
            ) or re.search(r"\bend of\b|\bincluding\b", match.group(), re.IGNORECASE)
            values["year_to"] = years[0] - (0 if inclusive else 1)
        else:
            values["year"] = years[0]
        break
    category = _category(text, context)
    if category:
        values["category"], spans = category
        consumed.extend(spans)
        if re.search(r"\b(?:stuff|work|research)$", text[spans[0][0] : spans[0][1]], re.IGNORECASE):
            soft.append(spans[0])
    person = _co_author(text, context)
    listed = OWNER_LISTED.search(text)
    # "where igor is the second author", "where his own name is in the author list"
    if not person and listed and not re.search(r"\bwho\b|\bwhich (?:co-?)?authors?\b", text, re.IGNORECASE):
        person = context.owner, listed.span()
    if person and (position := AUTHOR_POSITION.search(text)):
        values["author_position"] = POSITIONS[position.group(1).casefold()]
        consumed.append(position.span())
    if person:
        values["author"] = person[0]
        consumed.append(person[1])
        # the co-author named again by surname: "yilun du + energy functions: which of his papers with du are …"
        if tokens := name_tokens(person[0]):
            again = [match.span() for match in re.finditer(rf"\b{re.escape(tokens[-1])}\b", text, re.IGNORECASE)]
            consumed.extend(span for span in again if not any(start <= span[0] < end for start, end in consumed))
        if other := _second_co_author(text, context, person):
            values["also_author"], span = other
            consumed.append(span)
        if lead := FIRST_AUTHOR.search(text):  # "the latest paper where shuang li is the first author"
            values["first_author"] = person[0]
            consumed.append(lead.span())
        elif re.search(r"\bet\.? al\b", text[person[1][0] : person[1][1]], re.IGNORECASE) and not re.search(
            r"(?:,|\band)\s*$", text[: person[1][0]], re.IGNORECASE
        ):  # (not "Du, Li, Torralba et al.": the last of several names)
            values["first_author"] = person[0]  # "du et al's late-2020 paper": the paper Yilun Du leads
    if category and person and _where_the_co_author_shows_up(text, category[1], person[1], context):
        del values["category"]
        consumed[:] = [span for span in consumed if span not in category[1]]
        soft[:] = [span for span in soft if span not in category[1]]
    if HAS_CODE.search(text):
        values["has_code"] = True
    return PaperFilter(**values)


def _where_the_co_author_shows_up(
    text: str, category_spans: list[tuple[int, int]], person: tuple[int, int], context: PlanContext
) -> bool:
    """ "kamyar ghasemipour is on a lot of his robot papers; enumerate every one they share": category words in a
    lead clause with the co-author's name say where he shows up; the clause that asks filters nothing by them
    (unless it names a category again: "... which CV ones are they?")."""
    clauses = [match.span() for match in re.finditer(r"[^.;:?!]+(?:[.;:?!]+\s|[.;:?!]*$)", text)]
    lead = next(((start, end) for start, end in clauses[:-1] if start <= person[0] < end), None)
    if not lead or not SHOWS_UP.search(text[lead[0] : lead[1]]):
        return False
    asking = text[lead[1] :]
    if _categories_named(asking, context) or any(
        re.search(rf"\b(?:{words})\b", asking, re.IGNORECASE)
        for category, words in CATEGORY_WORDS.items()
        if category in context.categories
    ):
        return False
    # ("cs.RO", "RO", "tagged robotics": the category itself)
    marked = any(CATEGORY_MARKED.search(text[start:end]) for start, end in category_spans)
    return not marked and all(lead[0] <= start and end <= lead[1] for start, end in category_spans)


SHOWS_UP = re.compile(r"\b(?:is|are|was) on\b|\b(?:shows?|turns?|pops?) up\b|\bappears?\b|\bis all over\b", re.I)
CATEGORY_MARKED = re.compile(r"\b[A-Z]{2}\b|\b(?:tagged|filed|labell?ed|category|classified|categori[sz]ed)\b")


# "the paper with 'Beyond Human Data' in the title": a title quoted to name one paper, not a filter
ONE_PAPER_BEFORE = re.compile(r"\bthe (?:paper|one|report|preprint|work) (?:with|that has|having)\s*$", re.IGNORECASE)


def _words_of_the_paper(text: str) -> tuple[dict[str, list[str]], list[tuple[int, int]]]:
    """Words the title or abstract must use ("with 'Language Models' in the title", "that mentions MuJoCo") and
    their spans: a quoted title word there filters, it names no paper."""
    values, spans = {}, []
    for pattern, key in ((IN_THE_TITLE, "title_has"), (MENTIONS, "mentions")):
        match = pattern.search(text)
        if match and not ONE_PAPER_BEFORE.search(text[: match.start()]):
            quoted = [phrase for phrase in re.findall(QUOTED, match.group()) if phrase.strip()]
            values[key] = quoted or [match.group("name")]
            spans.append(match.span())
    return values, spans


FIELD_CODES = frozenset({"ML", "AI"})  # category codes that are also the fields' everyday names


def _category(text: str, context: PlanContext) -> tuple[str, list[tuple[int, int]]] | None:
    """A category as arXiv writes it ("cs.AI", "(MA)", "tagged CV", "the RO category") or in words qualifying the
    papers ("robotics papers", "in the language category"); the spans of both ("robotics (RO) papers")."""
    for category in sorted(context.categories):
        code = re.escape(category)
        # ("ML for the natural sciences", "intrusion detection with ML (e.g. ...)": the field, not stat.ML)
        loose = (
            ""
            if category in FIELD_CODES
            else rf"|\b{code} \([^()]*\)|\b(?:in|under) (?:the )?{code}\b(?! score)|(?i:\barxiv) {code}\b"
        )
        matches = list(
            re.finditer(
                rf"\b(?:cs|stat)\.{code}\b|(?i:\b(?:cond-mat|physics|q-bio|math|eess)\.{code}\b)|"
                rf"\({code}\)(?: category)?|\btagged (?:as )?{code}\b|"
                rf"\b{code}[- ](?:category(?: code)?|papers?|section|tag|label)\b|"
                rf"\b{code}-(?:tagged|filed|labell?ed)\b|"
                rf"\b(?:classified|categori[sz]ed|filed|labell?ed|marked) (?:(?:as|under|in|into) )?(?:the )?{code}\b|"
                rf"\b{code}[- ]only\b|"
                rf"\b(?:in|under) (?:the )?{code} category\b|\bcategory(?: is|:| =) (?:cs\.)?{code}\b{loose}",
                text,
            )
        )
        if matches:
            worded = _category_in_words(text, category)
            return category, [match.span() for match in matches] + ([worded.span()] if worded else [])
    for category in CATEGORY_WORDS:
        if category in context.categories and (worded := _category_in_words(text, category)):
            return category, [worded.span()]
    return None


def _category_alone(topic: str, context: PlanContext) -> str | None:
    """The profile's category a topic names by its field's name and nothing else ("robotics", "machine learning");
    not "language" or "vision", whose papers are filed under cs.LG as often as under cs.CL or cs.CV."""
    return next(
        (
            category
            for category, name in FIELD_NAMES.items()
            if category in context.categories and re.fullmatch(name, topic.strip(), re.IGNORECASE)
        ),
        None,
    )


FIELD_NAMES = {
    "RO": r"robotics",
    "LG": r"machine[- ]learning",
    "CV": r"computer[- ]vision",
    "CL": r"computation(?:al)?(?:[- ]and[- ]| ?& ?)language|computational linguistics",
}


def _category_in_words(text: str, category: str) -> re.Match[str] | None:
    words = CATEGORY_WORDS.get(category)
    if words is None:
        return None
    marks = "category|bucket|tag|label"  # ("under the computation & language tag")
    noun = marks if category in TOPIC_FIRST_CATEGORIES else f"{PAPER_NOUN}|{marks}"
    return re.search(
        rf"\b(?:{words})['\"’]?(?:[- ]related)?(?: \([\w. ]+\))?(?:\s+|-)(?:{noun})\b|"
        rf"\b(?:in|under) (?:the )?(?:{words})(?: \([\w. ]+\))? (?:category|section|area)\b|"
        rf"\bcategory (?:of )?(?:{words})\b|"
        rf"\b(?:tagged|filed|files|labell?ed|marked) (?:as |under )?(?:{words})\b|"
        rf"\b(?:classified|categori[sz]ed|sorted|filed) (?:as|under|in|into) (?:the )?(?:{words})\b|"
        rf"\b(?:{words})-(?:tagged|filed|labell?ed)\b|"
        rf"\barxiv (?:\w+ )?(?:put|puts|file|filed|files|placed|listed|sorted) (?:\w+ )?(?:in|under|into) "
        rf"(?:the )?(?:{words})\b|"
        rf"\b(?:{words}) \((?:(?:cs|stat)\.)?[A-Za-z-]+\)|"  # "machine learning (cs.LG)"
        rf"\b(?:to|on) (?:{words}) only\b",  # "filtering to computation & language only"
        text,
        re.IGNORECASE,
    )


def _categories_named(text: str, context: PlanContext) -> set[str]:
    """The profile's category codes the question names ("cs.LG or cs.RO": two)."""
    return {code for code in context.categories if re.search(rf"\b(?:(?:cs|stat)\.)?{re.escape(code)}\b", text)}


AUTHORED_SUFFIX = re.compile(r"(?<!\bco)-(?=(?:authored|led|written|penned)\b)", re.IGNORECASE)
GROUP_AUTHOR = re.compile(r"\b(?:team|group|consortium|collaboration|lab|project)$", re.IGNORECASE)


def _co_author(text: str, context: PlanContext) -> tuple[str, tuple[int, int]] | None:
    """A co-author named tolerantly ("sergey levine", "P. Abbeel", "josh tenenbaum"): a run of 2-4 words whose last
    is an author's surname and whose others fit the given names; or a capitalised surname alone after
    "with"/"by"/"and" ("papers with Levine"); or a given name only one co-author has ("with wenlong"). Group
    authors ("Gemini Team") are never matched by surname."""
    text = AUTHORED_SUFFIX.sub(" ", text)  # "kevin lu-authored ones" (same length: the spans still hold)
    words = list(re.finditer(r"[A-Za-z][\w'’-]*\.?", text))
    for size in (4, 3, 2):
        for start in range(len(words) - size + 1):
            window = words[start : start + size]
            candidate = re.sub(r"['’]s$", "", text[window[0].start() : window[-1].end()])  # "wenlong huang's"
            for author in context.by_surname.get(name_tokens(candidate)[-1], []):
                if author_matches(candidate, author):
                    return author, (window[0].start(), window[-1].end())
            tokens = name_tokens(candidate)
            if size == 2 and len(tokens) == 2 and len(tokens[1]) > 2:  # surname first: "huang wenlong"
                for author in context.by_surname.get(tokens[0], []):
                    if tokens[1] in name_tokens(author)[:-1]:  # (the whole given name: "zeng and" is no Andy Zeng)
                        return author, (window[0].start(), window[-1].end())
    for match in re.finditer(r"\b([A-Za-z]{2,})\s+et\.? al\b\.?(?:['’]s)?", text, re.IGNORECASE):
        authors = context.by_surname.get(match.group(1).casefold(), [])  # "piche et al's paper": its first author
        if len(authors) > 1:  # "du et al": Yilun Du, a first author, not Yuqing Du
            authors = [author for author in authors if author in context.first_authors.values()]
        if len(authors) == 1:
            return authors[0], match.span()
    for match in re.finditer(r"\b(?:with|by|and|alongside|plus)\s+([A-Z][a-z]{3,})\b", text):
        authors = context.by_surname.get(match.group(1).casefold(), [])
        if authors:
            return authors[0], match.span(1)
    for match in re.finditer(
        r"\b([A-Za-z]{5,})(?:['’]s)?(?:\s+|-)(?:collabs?|collaborations?|co-?authored|papers?|work)\b",
        text,
        re.IGNORECASE,
    ):  # "abbeel collabs", "levine papers": a surname only one co-author has
        authors = context.by_surname.get(match.group(1).casefold(), [])
        if len(authors) == 1:
            return authors[0], match.span(1)
    for match in re.finditer(r"[\w'’-]+", text):
        word = re.sub(r"['’]s$", "", match.group()).casefold()
        if (
            word in context.lone_surnames
            and SURNAME_BEFORE.search(text[: match.start()])
            and SURNAME_AFTER.match(text, match.end())
        ):  # "abbeel x mordatch", "with tenenbaum?"; not "tom brown", "the florence workshop", "stone tools"
            return context.lone_surnames[word], match.span()
    him = "|".join([*map(re.escape, name_tokens(context.owner)), "he", "him"])
    for match in re.finditer(rf"\b([A-Za-z'’-]{{4,}}) (?:and|&|x|\+) (?:{him})\b", text, re.IGNORECASE):
        if (word := match.group(1).casefold()) in context.lone_surnames:  # "last time abbeel and igor wrote ..."
            return context.lone_surnames[word], match.span(1)
    for match in re.finditer(r"\b([A-Za-z]{4,})['’]s (?:lab|group)\b", text):  # "writing to abbeel's lab"
        if (word := match.group(1).casefold()) in context.lone_surnames:
            return context.lone_surnames[word], match.span(1)
    for match in SURNAMES_LISTED.finditer(text):
        first, second = (context.by_surname.get(match.group(n).casefold(), []) for n in (1, 2))
        if len(first) == 1 and second:
            return first[0], match.span(1)
    for match in PAIRED_WITH_HIM.finditer(text):
        # "du x mordatch: …", "igor + du?": a surname paired with his names his most frequent co-author of that name
        # (Yilun Du, ten papers with him, not Yuqing Du, one)
        side = next(side for side in ("before", "subject", "after") if match.group(side))
        word = match.group(side)
        authors = context.by_surname.get(word.casefold(), [])
        ranked = sorted(authors, key=lambda author: -context.coauthor_papers.get(author, 0))
        papers = [context.coauthor_papers.get(author, 0) for author in ranked]
        if ranked and (len(ranked) == 1 or papers[0] >= PAIRED_MAJORITY * papers[1]):  # ("lee": Lisa or Kuang-Huei)
            return ranked[0], match.span(side)
    for match in re.finditer(r"\b(?:with|by|alongside|plus)\s+([A-Za-z]{3,})\b", text, re.IGNORECASE):
        author = context.by_given_name.get(match.group(1).casefold())
        last = not re.search(r"\w", text[match.end(1) :].split("'")[0].split("’")[0])
        if author and (match.group(1)[0].isupper() or last):
            # "with Wenlong", "newest paper w wenlong?": a given name only one co-author has; not "with max entropy"
            return author, match.span(1)
    return None


# where a surname alone stands for a co-author: after a joining word or at a sentence's start, and before an end,
# a joining word or talk of co-authoring ("abbeel is listed on ...", "ghasemipour coauthorships")
SURNAME_BEFORE = re.compile(
    r"(?:^|[.?!:;]\s+|\b(?:with|by|and|plus|alongside|x|where|whose|featuring|including)\s+|[+&×]\s*|"
    r"^\W*(?:does|did|is|has)\s+|\b(?:papers?|ones|entries|he) (?:has|have|had)\s+)$",
    re.IGNORECASE,
)  # ("does pathak show up as an author?", "papers where abbeel is a coauthor", "which papers have finn on them?")
# the paper's authors listed by surname: "the implicit RvS paper from piche, pardinas, vazquez"
SURNAMES_LISTED = re.compile(r"\b(?:from|by) ([A-Za-z'’-]{3,})(?:,\s*|\s+and\s+)([A-Za-z'’-]{3,})\b", re.IGNORECASE)
SURNAME_AFTER = re.compile(
    r"(?:['’]s)?\s*(?:$|[?.!,;:)]|(?:x|and|is|was|keeps|shows?|appears?|co-?authored|co-?authorships?|collabs?|"
    r"collaborations?|papers?|co-?wrote|co-?writes|on (?:them|it|there|the byline)|as (?:a |an )?(?:co-?)?author)\b|"
    r"[+&×])",
    re.IGNORECASE,
)


PAIRED_MAJORITY = 3  # a surname paired with his names the co-author of that name with this many times the papers


# a surname joined to him as a pair, alone in its clause: "du x mordatch: which paper closes their run?"
PAIRED_WITH_HIM = re.compile(
    r"(?:^|(?<=[.?!:;] ))(?P<before>[A-Za-z]{2,4})\s*(?:x|×|\+|and)\s*(?:he|him)(?=\s*(?:[:?,.!;]|-|—|$))|"
    # "du and mordatch have a long collaboration": the pair is the sentence's subject
    r"(?:^|(?<=[.?!:;] ))(?P<subject>[A-Za-z]{2,4}) (?:and|&) he (?=(?:have|had|share|shared|co-?wrote|worked|go)\b)|"
    r"(?:^|(?<=[.?!:;] ))(?:he|him)\s*(?:x|×|\+|and)\s*(?P<after>[A-Za-z]{2,4})"
    r"(?=\s*(?:[:?,.!;]|-|—|$|papers?\b|collabs?\b))",
    re.IGNORECASE,
)


# two co-authors on one paper: "both yilun du and shuang li", "with sherry yang and pieter abbeel" (not "or")
BOTH_JOINED = re.compile(r"^\W*(?:and|&|\+|plus|together with|as well as|alongside)\W*$", re.IGNORECASE)


def _second_co_author(
    text: str, context: PlanContext, first: tuple[str, tuple[int, int]]
) -> tuple[str, tuple[int, int]] | None:
    (start, end) = first[1]
    other = _co_author(text[:start] + " " * (end - start) + text[end:], context)
    if not other or other[0] == first[0]:
        return None
    between = text[min(end, other[1][1]) : max(start, other[1][0])]
    return other if BOTH_JOINED.match(between) else None


# a paper's citations asked for; not where it was cited ("saw 'COMET' cited next to EBMs in a talk")
CITED = re.compile(r"\bcitations?\b|\bcited\b(?! (?:next to|alongside|beside)\b)", re.IGNORECASE)
# numbers, "-wise" words, negations, and an arXiv code the filter did not take ("cs.RO" in "cs.LG or cs.RO")
PHRASE_HYPHENS = 4  # ("one-size-fits-all", "state-of-the-art" stay whole)
NOT_TOPIC = re.compile(r"\d+|(?:pre|post|early|mid|late)-\d{4}|[\w-]+-(?:wise|ish)|\w+n[’']t|cs\.\w\w")


# where a phrase of the topic ends: punctuation, or a word joining it to the rest ("robot policies with RL")
PHRASE_END = re.compile(
    r"[,;:?!.()]|(?<![\w-])(?:with|for|on|in|about|that|which|who|using|via|from|by|of|to|where|involving)(?![\w-])",
    re.IGNORECASE,
)
ALTERNATIVE = re.compile(r"\s+(?:or|/)\s+", re.IGNORECASE)
# "images/video" offers two; a pair naming one thing does not ("actor/critic", "encoder/decoder")
SLASHED = re.compile(
    r"\b(?!(?:actor/critic|encoder/decoder|input/output|train/test|read/write)\b)([a-z]{3,})/([a-z]{3,})\b", re.I
)
NO_ALTERNATIVE = re.compile(r"\b(?:one|two|three|\d+) or more\b|\bwhether or not\b|\bmore or less\b|\beither\b", re.I)


def _alternatives(text: str, consumed: list[tuple[int, int]], context: PlanContext, category: str | None) -> list[str]:
    """ "papers on math or arithmetic", "pretrained LMs / transformers", "agents or robot policies with RL": each
    alternative with the topic words outside the phrase that offers them ("robot policies RL", "agents RL")."""
    masked = list(text)
    for start, end in consumed:
        masked[start:end] = " " * (end - start)
    plain = "".join(masked)
    if NO_ALTERNATIVE.search(plain):
        return []
    bounds = [0, *(m.start() for m in PHRASE_END.finditer(plain)), len(plain)]
    for start, end in itertools.pairwise(bounds):
        phrase = plain[start:end]
        sides = ALTERNATIVE.split(phrase)
        slashed = SLASHED.search(phrase)
        if len(sides) < 2 and slashed:  # "RL environment/benchmark": the slash offers its two words only
            sides = [phrase[: slashed.start()] + word + phrase[slashed.end() :] for word in slashed.groups()]
        if len(sides) < 2:
            continue
        offered = [_topic(side, [], context, category) for side in sides]
        if not all(offered):
            return []
        rest = _topic(plain[:start] + " " * len(phrase) + plain[end:], [], context, category)
        return [" ".join(filter(None, [option, rest])) for option in offered]
    return []


HEDGED = re.compile(r"(?<=\w)-(?:adjacent|ish|flavou?red|esque)$", re.IGNORECASE)


def _topic(text: str, consumed: list[tuple[int, int]], context: PlanContext, category: str | None = None) -> str:
    """The words no name, filter or cue took; none when they only restate the category ("latest NLP papers")."""
    kept = []
    owner = set(name_tokens(context.owner))
    several = [match.span() for match in SEVERAL_AGENTS.finditer(text)]  # ("several LLMs" is multi-agent: lexical.py)
    for match in re.finditer(r"[\w^][\w'’^.-]*", text):
        if any(start <= match.start() < end for start, end in consumed):
            continue
        word = match.group().strip(".'’").casefold()
        word = word.removesuffix("'s").removesuffix("’s")
        filler = word in FILLER or all(part in FILLER for part in word.split("-"))  # ("reading-group")
        filler = filler and not any(start <= match.start() < end for start, end in several)
        if word and not filler and word not in owner and not NOT_TOPIC.fullmatch(word):
            written = HEDGED.sub("", match.group().strip(".'’"))  # ("physics-adjacent": physics)
            if written.count("-") >= PHRASE_HYPHENS:  # a phrase in one word: "ML-for-the-natural-sciences"
                kept.extend(part for part in written.split("-") if part and part.casefold() not in FILLER)
            else:
                kept.append(written)
    if category and {word.casefold() for word in kept} <= CATEGORY_TOPIC_WORDS.get(category, set()):
        return ""
    return " ".join(_without_restated_acronyms(kept))


# words about the list itself, not a topic, when a filter gives the papers: "if i sort his 2023 papers by date,
# which one sits at the very end?", "the cs.RO tag: which entry is on top?", "every match", "their joint papers"
CODE_TOPIC_WORDS = frozenset({"code", "codes", "github", "repo", "repos", "repository", "repositories", "source"})
LIST_CHAT = frozenset(
    """
    sit sits sitting end ends top tops bottom date dates dated entry entries tag tags tagged filter filtered batch
    landed limited limiting rather instead
    land lands drop drops dropped window range cutoff catalogue catalog match matches joint overlap counting label
    labels export export-style omissions omission missing next order ordered chronological chronologically huge started
    rolled stop clock share shared appendix table slide grant lit review sure pretty trying see still alone
    weirdly visiting visit carries carry final no nothing set collaborator collaborators restricting restricted yes incl
    old late early mid checking whether carrying item items primary strictly plain commentary runnable raw
    collaborating collaborate collaborated output outputs time stretch remains remaining share skip skipping
    breakout folks wonder wondering pure purely catch-all era eras period periods slice phase run wiki runner-up
    skimming skim compiling updating opens closes ended older newer annual sort sorted sorting jointly together
    until till bibliography bib tracker spreadsheet sheet recap deck slides badge badges mixed clone filtering
    narrowing narrowed narrow
    january february march april may june july august september october november december
    """.split()
)


def _without_list_chat(topic: str, filters: PaperFilter) -> str:
    """No topic when every word is LIST_CHAT, a filter's co-author's name ("kamyar is visiting") or restates the
    category ("only counting stuff tagged cs.CV ... if he still does vision"); else the topic whole ("batch RL",
    "table tennis", "filtered behavior cloning" are topics)."""
    people = {token for author in (filters.author, filters.also_author) if author for token in name_tokens(author)}
    codes = {code.casefold() for code in CATEGORY_TOPIC_WORDS} if filters.category else set()  # ("skip RO/CV ones")
    chat = LIST_CHAT | people | codes | CATEGORY_TOPIC_WORDS.get(filters.category or "", set())
    if filters.has_code:  # ("the papers where the code got open-sourced": the code filter, no topic)
        chat |= CODE_TOPIC_WORDS

    def is_chat(word: str) -> bool:  # ("ML-category" beside the LG filter)
        word = word.casefold().removesuffix("'s").removesuffix("’s")
        return word in chat or all(part in chat or part in FILLER for part in word.split("-"))

    said = ANNUAL_REPORT.sub("annual", topic)  # ("for an annual report"; not "the 2024 report")
    return "" if all(is_chat(word) for word in said.split()) else topic


ANNUAL_REPORT = re.compile(r"\bannual reports?\b", re.IGNORECASE)


def _without_restated_acronyms(words: list[str]) -> list[str]:
    """`words` without an acronym whose words are there too ("energy-based models (EBMs)" is one topic, and the
    acronym would weigh its papers' most repeated word twice)."""
    said = set(terms(" ".join(words)))
    return [
        word
        for word in words
        if not ((acronym := ACRONYM.fullmatch(word)) and set(terms(ACRONYMS[acronym.group(1).casefold()])) <= said)
    ]


def _topic_without(
    spans: list[tuple[int, int]], text: str, consumed: list[tuple[int, int]], context: PlanContext, category: str | None
) -> str:
    """The topic once the words of `spans` (metric cues) are given back; the code cue they hid takes its own
    ("how many papers with code since 2020" is no topic "code")."""
    kept = [span for span in consumed if span not in spans]
    _take(HAS_CODE, text, kept)
    return _topic(text, kept, context, category)


def has_filter(paper_filter: PaperFilter) -> bool:
    return paper_filter != PaperFilter()


def _is_broad(topic: str, most: int = 6) -> bool:
    """A topic of a few words names an area ("energy-based models"), not a specific question."""
    return len(topic.split()) <= most
