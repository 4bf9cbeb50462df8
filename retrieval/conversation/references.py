"""References to the papers an earlier reply showed: “it”, “this paper”, “the second one”, “[2]”, “paper 2”,
“the first two”, “both”, “them”. Found by phrase rules; resolved against the turn they point back to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from retrieval.answers.plan import FILLER, QueryPlan
from retrieval.conversation.models import Reference, Turn
from retrieval.errors import FollowUpError
from retrieval.index.paper_names import title_head
from retrieval.models import Citation, Paper
from retrieval.text.lexical import terms

# what the words ask for: numbers ("[2]", "paper 2"), positions in words ("the second one"), one paper, a pair, all
Form = Literal["numbered", "ordinal", "one", "two", "all"]

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "last": -1}  # fmt: skip
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
ORDINAL = r"(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d{1,2}(?:st|nd|rd|th))"
COUNT = r"(two|three|four|five|[2-5])"
NUMBER = r"(\d{1,2}|one|two|three|four|five)"
PAPER_WORD = r"(?:one|paper|result|article|preprint|publication|source|citation|item|entry|link|hit)"
# "this paper" names a paper only when nothing describes it next ("that paper on diffusion" is a new question;
# "what's that paper about?" ends on its preposition)
NOT_DESCRIBED = r"(?!\s+(?:on|about|with|where|which|that|who|from|by|in|of|he|called|named|titled|\w+ing)\b(?!\W*$))"
PAIR_SEPARATOR = r"\s*(?:,|and|&|vs\.?|versus|with|to)\s*"

PATTERNS: tuple[tuple[re.Pattern[str], Form], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), form)
    for pattern, form in (
        (rf"\b(?:compare|between|papers|numbers|items|sources)\s+{NUMBER}{PAIR_SEPARATOR}{NUMBER}\b", "numbered"),
        (r"\[(\d{1,2})\]", "numbered"),
        (rf"\b(?:paper|number|no\.|item|source|citation|result)\s*#?{NUMBER}\b(?!\s*(?:%|papers|years))", "numbered"),
        (r"(?<![\w#])#(\d{1,2})\b(?!\s+(?!and|or|vs|with|to|please|paper|one)[a-z])", "numbered"),  # not "#1 coauthor"
        (rf"\bthe\s+(first|last|top)\s+{COUNT}\b", "ordinal"),
        (rf"\bthe\s+{ORDINAL}(?:\s+one)?{PAIR_SEPARATOR}(?:the\s+)?{ORDINAL}(?:\s+ones?)?\b", "ordinal"),
        (rf"\b(?:the|that)\s+{ORDINAL}\s+ones?\b", "ordinal"),
        (
            rf"\b(?:the|that)\s+{ORDINAL}\s+{PAPER_WORD}\b"
            r"(?!\s+(?:he|she|they|ever|published|written|of (?:his|her|their)))",  # not "the first paper he wrote"
            "ordinal",
        ),
        (rf"\b(?:the|that)\s+{ORDINAL}(?=\W*$)", "ordinal"),
        (r"^\W*(\d{1,2})\W*$", "numbered"),
        # not "both global and local", "the two xarm6 robots"
        (
            r"\bboth(?: of (?:them|those|these))?\b(?!\s+[\w-]+\s+(?:and|&)\b)|"
            r"\b(?:the|these|those) two(?: papers| ones| of them)?(?=\W*$|\s+(?:are|were|do|did|have|has|differ)\b|"
            r" papers| ones| of them)",
            "two",
        ),
        (rf"\b(?:this|that|the same|said)\s+(?:one|paper|work|article|preprint|publication){NOT_DESCRIBED}", "one"),
        (rf"\bthe (?:paper|article|preprint)(?:['’]s)?\b(?!s){NOT_DESCRIBED}", "one"),
        (r"\b(?:it|its|it['’]s)\b", "one"),
        # "this"/"that" alone only where it is the subject or the whole object: "how does that compare to X?",
        # "summarize this"; not "papers that use diffusion"
        (r"(?:(?<=\bdoes )|(?<=\bdid )|(?<=\bwas )|(?<=\bis ))(?:this|that)\b|\b(?:this|that)(?=\W*$)", "one"),
        (r"\b(?:all|each|any|none|which|some) of (?:them|those|these)\b|\bwhich ones?\b|\bthe ones\b", "all"),
        (rf"\b(?:these|those)(?:\s+(?:papers|ones|works|results))?+\b{NOT_DESCRIBED}", "all"),
        (r"\b(?:them|they|their|theirs|they['’]re)\b", "all"),
    )
)
# phrases whose pronoun points at nothing earlier: "with Sergey Levine on it", "these days"
IDIOMS = re.compile(r"\b(?:with|by)\s[^,;?!]+?\son it\b|\b(?:these|those) days\b|\bmix (?:them|it) up\b", re.IGNORECASE)
# a plural reference whose antecedent is in the message itself: "of his cs.LG papers, which ones ..."
OWN_PLURAL = re.compile(r"\b(?:papers|publications|articles|preprints|works|collabs)\b", re.IGNORECASE)
SHORT_TOPIC = 2  # words a follow-up may add about the paper it means ("how was it evaluated?") without a check
TOPIC_FIT = 0.6  # a longer topic must have this share of its terms in one of the papers meant
CLAUSE_BREAK = re.compile(r"[,:;?!.]\s|\s[-–—]\s")
INTERJECTIONS = frozenset("interesting cool nice great wow hmm hm ah oh right sure alright awesome neat".split())


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    form: Form
    positions: tuple[int, ...] = ()  # 1-based among the earlier reply's papers; -1 is the last


def find_mentions(message: str) -> list[Mention]:
    """Every reference in `message`, in order; where phrases overlap, the earlier rule (the more specific) wins."""
    taken: list[Mention] = []
    blocked = [match.span() for match in IDIOMS.finditer(message)]
    for pattern, form in PATTERNS:
        for match in pattern.finditer(message):
            spans = [*blocked, *((mention.start, mention.end) for mention in taken)]
            if not any(match.start() < end and start < match.end() for start, end in spans):
                taken.append(Mention(match.start(), match.end(), match.group(), form, _positions(match)))
    return sorted(taken, key=lambda mention: mention.start)


def pointing_back(mentions: list[Mention], message: str, plan: QueryPlan, relates: bool) -> list[Mention]:
    """The mentions that mean earlier papers. Numbers ("[2]") always do. Others not in a question about papers of
    its own ("X vs Y: what does the second one add?", "what did they find in RT-2?"), unless it relates one to
    them ("compare it with RT-1", `relates`), nor a plural whose papers it names ("his cs.LG papers, which ones")."""
    own = len(plan.papers) + len(plan.compared)

    def points_back(mention: Mention) -> bool:
        if mention.form in ("numbered", "ordinal"):
            return mention.form == "numbered" or own < 2
        return not (own >= 2 or (own and not relates) or (mention.form == "all" and OWN_PLURAL.search(message)))

    return [mention for mention in mentions if points_back(mention)]


def about_earlier(message: str, mentions: list[Mention], topic: str, earlier: list[Paper]) -> bool:
    """Whether a message's pronouns can mean the `earlier` papers, going by its own topic. Not when it names its
    subject before them ("LatCo - what is it?", "how do tides work, is it the moon?"), nor when the topic is long
    and no earlier paper uses most of its terms ("when they ran MARL algorithms on the Melting Pot scenarios, what
    did it show?"); a short one may ask anything of them ("how was it evaluated?")."""
    before = message[: mentions[0].start]
    breaks = list(CLAUSE_BREAK.finditer(before))
    if breaks and set(re.findall(r"[\w'’-]+", before[: breaks[-1].start()].casefold())) - FILLER - INTERJECTIONS:
        return False
    wanted = set(terms(topic))
    if len(topic.split()) <= SHORT_TOPIC or not wanted:
        return True
    return any(
        len(wanted & set(terms(f"{paper.title} {paper.abstract}"))) >= TOPIC_FIT * len(wanted) for paper in earlier
    )


def short(message: str, plan: QueryPlan) -> bool:
    """One clause adding at most a couple of words to what it names ("compare with Brax", "how does Brax differ?")."""
    return len(plan.topic.split()) <= SHORT_TOPIC and not CLAUSE_BREAK.search(message)


def _positions(match: re.Match[str]) -> tuple[int, ...]:
    groups = [group.casefold() for group in match.groups() if group]
    if not groups:
        return ()
    counted = len(groups) == 2 and (groups[1] in NUMBER_WORDS or groups[1].isdigit())
    if groups[0] in ("first", "top", "last") and counted:  # "the first two", "the last three"
        count = NUMBER_WORDS.get(groups[1]) or int(groups[1])
        return tuple(range(1, count + 1)) if groups[0] != "last" else tuple(range(-count, 0))
    return tuple(_position(group) for group in groups)


def _position(word: str) -> int:
    if word in ORDINALS:
        return ORDINALS[word]
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    return int(re.match(r"\d+", word).group())  # type: ignore[union-attr]


def resolve(mentions: list[Mention], turn: Turn) -> list[Reference]:
    """Each mention's papers among what `turn` showed; FollowUpError (a message for the user) when a mention
    points at nothing, past the end, or at one paper among several without saying which."""
    return [Reference(text=mention.text, papers=_papers(mention, turn)) for mention in mentions]


def the_one(turn: Turn) -> list[Citation]:
    """The one paper a request without any reference means ("summary please"): as if it said "it"."""
    return _papers(Mention(0, 0, "it", "one"), turn)


def _papers(mention: Mention, turn: Turn) -> list[Citation]:
    shown = turn.papers
    if not shown:
        raise FollowUpError(f"The last answer showed no papers, so “{mention.text}” refers to nothing; name the paper.")
    if mention.form in ("numbered", "ordinal"):
        wanted = [len(shown) + 1 + p if p < 0 else p for p in mention.positions]
        outside = [p for p in wanted if not 1 <= p <= len(shown)]
        if outside:
            pick = f"; pick one of 1–{len(shown)}." if len(shown) > 1 else "."
            raise FollowUpError(
                f"The last answer showed only {_count(len(shown))}, so there is no “{mention.text}”{pick}",
                candidates=shown,
            )
        return list({shown[p - 1].id: shown[p - 1] for p in wanted}.values())
    # what the turn was about (a paper named, summarized, compared) comes first, then what it showed
    if mention.form == "all":
        return turn.subject if len(turn.subject) >= 2 else shown
    size = 1 if mention.form == "one" else 2
    meant = next((papers for papers in (turn.subject, shown) if len(papers) == size), None)
    if meant is not None:
        return meant
    choices = turn.subject or shown
    if mention.form == "one":
        raise FollowUpError(
            f"“{mention.text}” could be any of the {len(choices)} papers of the last answer; say which, "
            "e.g. “the second one” or “[2]”.",
            candidates=choices,
        )
    raise FollowUpError(
        f"“{mention.text}” needs two papers, and the last answer showed {_count(len(choices))}; say which, "
        "e.g. “compare 1 and 3”.",
        candidates=choices,
    )


def _count(n: int) -> str:
    return f"{n} paper" + ("" if n == 1 else "s")


def name_of(citation: Citation) -> str:
    """How a resolved question names a paper: its short name ("RT-2"), else its quoted title."""
    return title_head(citation.title) or f"“{citation.title}”"


def written_out(message: str, mentions: list[Mention], references: list[Reference]) -> tuple[str, str]:
    """The message with each reference replaced twice: by the papers' names (the resolved question, for people
    and for the answer's wording), and by a plain pronoun ("compare it with RT-1") for the planner, whose rules
    read the words around it while the papers themselves are passed as `referred`."""
    named, plain, end = [], [], 0
    for mention, reference in zip(mentions, references, strict=True):
        names = [name_of(paper) for paper in reference.papers]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        possessive = mention.text.casefold() in ("its", "their", "theirs")
        named += [message[end : mention.start], joined + ("'s" if possessive else "")]
        pronoun = ("its" if possessive else "it") if len(names) == 1 else ("their" if possessive else "them")
        plain += [message[end : mention.start], pronoun]
        end = mention.end
    named.append(message[end:])
    plain.append(message[end:])
    return "".join(named), "".join(plain)
