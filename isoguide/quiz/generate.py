"""Generating quiz items from the guidance, each confirmed by the checker before it is shown.

Five kinds (``items.KINDS``): scenario ("reviewing the QMS of a 12-person machine shop, a
consultant finds that ... which clause does this weakness mainly concern?"), which-clause,
true/false with the reason, multi-select ("Which TWO"), and definition. Wrong options are
neighbouring clauses, nearby glossary terms, entries of other lists, never unrelated true
statements. The key names the ISO clause and quotes the guidance. An item the checker does not
confirm is dropped and the next piece of material is tried. Each key goes to the letter the
course has keyed least (the seed breaking ties).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import combinations, permutations
from typing import NamedTuple

import numpy as np

from ..assistant import Assistant
from ..clauses import (
    CLAUSE_TITLES,
    UNTITLED,
    clause_label,
    clause_matches,
    clause_outline,
    clause_sort_key,
    find_clauses,
    standard_label,
    titled,
)
from ..embeddings import LocalEmbeddings
from ..errors import IsoguideError
from ..models import Chunk, Citation
from ..sentences import leans_back, unpack_vectors
from ..text import content_words, match_words, split_sentences
from .bank import KEYED_ENTRIES, TEMPTING_PARTS, Material, clause_depth, materials, neighbours
from .check import TERM_WORDS, check_quiz_item
from .forms import tf_statement
from .glossary import best_match
from .items import DIFFICULTIES, FALSE, KINDS, TRUE, QuizItem

SETTINGS = (
    "12-person machine shop",
    "8-person software firm",
    "25-person food packing company",
    "15-person cleaning contractor",
    "30-person print works",
    "6-person design studio",
    "40-person plastics moulder",
    "10-person IT support company",
    "20-person precision engineering workshop",
    "14-person electrical contracting firm",
    "35-person furniture maker",
    "9-person dental laboratory",
    "18-person logistics and warehousing company",
    "22-person metal fabrication shop",
)
#: what a scenario key's requirement line opens with: the guidance's paraphrase of the
#: standard, not ISO text (a trainer read a bare "What the standard asks" as the standard's words)
REQUIREMENT_LABEL = "What the standard asks, as the guidance puts it: "
SETTING_CHOICES = 3  # a scenario is set in one of the three settings closest to its point
TOPIC_HITS = 20
TOPIC_DOCS = 4  # items other than glossary and lists come from the top hits' documents
CLOSE_SIMILARITY = 0.65  # a piece this similar to the topic is about it whatever its words
TOPIC_WORDS_WEIGHT = 0.3  # ranking bonus for naming the topic's words
#: A topic that names a clause's title ("customer satisfaction" -> 9.1.2) is that clause: items
#: keyed to other clauses are left out (trainers rejected a quality-objectives item in a
#: customer-satisfaction quiz, its sentence naming the topic in passing, and every other such
#: fill); a shorter quiz says why.
TOPIC_CLAUSE_WEIGHT = 0.3
#: Specific determiners, which item-writing guides (Haladyna, Downing and Rodriguez, 2002)
#: warn give a false statement away: no quiz uses a false statement with one.
SPECIFIC_DETERMINER = re.compile(
    r"(?i)\b(always|never|every|everything|everyone|all|only|whatever|whenever|entirely"
    r"|altogether|completely|indefinitely|forever)\b"
)
#: How a true/false statement is framed: as an obligation ("has to", "must") or a permission
#: ("can", "may"). Of the guidance's statements, most obligations are false and most
#: permissions true, so a course whose framing always matches its key lets learners answer
#: from the verb (a trainer found every "has to" statement False and every "can" True).
OBLIGES = re.compile(
    r"(?i)\b(?:has to|have to|must|needs? (?:to|an?|the|its|their)|is required|are required"
    r"|requires?|is needed|are needed|mandatory|compulsory)\b"
)
PERMITS = re.compile(r"(?i)\b(?:can|may|is allowed to|is enough)\b")
FIXED_DIFFICULTY = {"true-false": "easy", "multi-select": "medium"}
#: With no difficulty chosen, items are medium: close distractors make them hard only when the
#: trainer asks for hard (a trainer found "hard" scenarios to be easy clause look-ups).
DEFAULT_DIFFICULTY = {"scenario": "medium", "which-clause": "medium", "definition": "medium"}
#: Two items whose source sentences are this close test the same point (a trainer found pairs
#: at 0.75 and 0.81 testing one point twice; every other pair of 8 quizzes was <= 0.65).
SAME_POINT = 0.7
#: True/false items take at most this share of a quiz, and at least one item (a trainer found
#: 9 of 19 items true/false, 3 of 4 in one quiz, where guessing scores half; at half, a later
#: review still found 9 of 20 too many and asked for about a quarter); short of other
#: material the quiz is shorter and the note says why.
MAX_TRUE_FALSE_SHARE = 0.25
#: definitions at most a fifth of a quiz of several kinds (one in four or five items): a
#: trainer found 7 of 20 items recall of a definition, none asking to apply or analyse
MAX_DEFINITION_SHARE = 0.2
#: which-clause items (recall of a number) in a quiz of several types: a trainer found 6 of 20
MAX_WHICH_CLAUSE_SHARE = 0.25
#: A true/false statement whose words give its answer away: a model of the words of the
#: guidance's statements (which words go with "true", which with "false"; the two answers
#: weighted equally, so the bank's share of false statements is not itself taken for a cue,
#: and chance is 0.5), fitted on the other statements, gives its own key at least this
#: probability. Such statements wait for the others (a trainer found "has to ... a named
#: method" read False and "can" read True in 3 of 4 true/false items). Of the 242 statements
#: at 0f6dd06 (66 true), the words give the answer with AUC 0.81 (10-fold); 114 are flagged,
#: 22 of them true. The trainer's "has to use the 8D method" scores 0.72: at 0.8 it was missed.
WORDING_CUE = 0.7
#: Items whose answer is a clause: a quiz asks for each clause once (a topic quiz that asks
#: twice for its own clause is answered by its title); short of other material, it is shorter.
CLAUSE_ANSWERED = ("scenario", "which-clause")
BLOOM = {
    "scenario": "apply",
    "which-clause": "remember",
    "true-false": "understand",
    "multi-select": "remember",  # recalling a list's entries (a trainer's label)
    "definition": "remember",
}


#: A statement that names its source already ("ISO 9001:2015 has ...", "clause 7.1.5 ...",
#: "a certificate ...") is not prefixed with the standard.
_NAMES_SOURCE = re.compile(r"(?i)\bISO\b|\bclause\b|\bstandard\b|\bcertif|\baudit")
#: A true/false statement is one exact claim about the standard ("Under ISO 9001:2015, a
#: company needs ..."): unscoped ("has to", "needs") its key can be argued from sector schemes,
#: contracts or good practice (a trainer's review).
TF_SCOPE = "Under ISO 9001:2015, "
CUED_MARGIN = 0.05  # the key's title is this much closer to the stem than any other option's
#: Sentence-like entries ("The company determines ...") and noun phrases ("The quality
#: policy.") do not mix in one multi-select item: the form would give the key away.
_FINITE = re.compile(
    r"(?i)\b(is|are|was|were|must|should|shall|has|have|does|do|can|will|may|needs?|"
    r"requires?|determines|keeps|makes|improves|assigns|ensures|sets|takes|means|considers|"
    r"checks|records|reviews|plans|defines|identifies|decides|uses|gives|shows|meets|controls|"
    r"maintains|retains|evaluates|monitors|measures|addresses|applies|establishes|provides)\b"
)


_CLAUSE_FIRST = re.compile(r"(?i)^clauses?\s+\d")


def _sentence_like(entry: str) -> bool:
    """A subject and its verb open the entry ("The company determines ..."); a noun phrase
    may still hold a verb later ("Changes in issues that are relevant ...")."""
    return bool(_FINITE.search(" ".join(entry.split()[:4])))


def scoped(statement: str) -> str:
    """A true/false statement as a claim about ISO 9001:2015, unless it names its source."""
    if _NAMES_SOURCE.search(statement):
        return statement
    word = statement.split(" ", 1)[0]
    proper = len(word) > 1 and not word[1:].islower()  # "QMS", "ISO", "PDCA" keep their case
    return TF_SCOPE + (statement if proper else statement[0].lower() + statement[1:])


def _plain(text: str) -> str:
    """Guidance text without Markdown emphasis, for keys and feedback."""
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def _clause_options(
    m: Material,
    difficulty: str,
    rng: random.Random,
    confusion: Sequence[str] = (),
    keyed: Collection[str] = (),
    shown: Collection[str] = (),
) -> list[str]:
    """The key's clause and three wrong ones. ``confusion`` ranks the clauses at the key's
    depth by how close their titles are to the material (what a learner would mix it up with,
    e.g. 8.7 nonconforming outputs for a corrective-action point); without it, or for an easy
    item, the wrong clauses are numeric neighbours and clauses from other main clauses."""
    clause = m.clause
    # an untitled paragraph (10.2.2, records) is asked against its siblings (10.2.1) and other
    # paragraphs (8.7.2); a titled clause against titled ones. ``keyed``: the keys of the
    # quiz's other clause items are never wrong options (a trainer paired off two items, one
    # keyed 10.2.1 and one 10.2.2, each offering the other's key)
    skip = (frozenset() if clause in UNTITLED else UNTITLED) | frozenset(keyed)

    def fresh_first(cs: Sequence[str]) -> list[str]:
        # a clause another item of the course offers already comes last (a trainer found
        # 8.2.4 offered in three items: learners learn to rule it out)
        return [c for c in cs if c not in shown] + [c for c in cs if c in shown]

    near = fresh_first([c for c in neighbours(clause, hard=True) if c not in skip][:4])
    far = fresh_first([c for c in neighbours(clause, hard=False) if c not in skip][:8])
    alike = _apart(fresh_first([c for c in confusion if c != clause and c not in skip]))
    if difficulty == "hard":
        picked = alike[:3] if len(alike) >= 3 else near[:3]
    elif difficulty == "easy":
        picked = rng.sample(far, 3)
    elif len(alike) >= 2:
        # the numeric neighbour and the two clauses whose subjects are closest
        picked = _apart(near[:1] + [c for c in alike if c != near[0]])[:3]
    else:
        picked = near[:2] + [rng.choice([c for c in far if c not in near[:2]])]
    picked = balance_pairs(clause, picked, skip)
    return [clause_label(c) for c in [clause] + picked]


def _parent(clause: str) -> str:
    return clause.rsplit(".", 1)[0] if "." in clause else ""


def sibling_cue(options: Sequence[str], key: str) -> bool:
    """Whether the key is in the one largest group of options that share a parent clause
    (4.4.2 with 4.4.1, beside 7.5.3 and 9.2.1 alone): a test-wise learner then guesses
    within that pair (a trainer found the key's numeric sibling always among the options)."""
    groups = Counter(_parent(c) for c in options)
    mine = groups[_parent(key)]
    return mine >= 2 and all(n < mine for g, n in groups.items() if g != _parent(key))


def balance_pairs(clause: str, picked: Sequence[str], skip: Collection[str] = ()) -> list[str]:
    """The wrong clauses, with the least alike of them swapped for a sibling of another
    where the key's pair would otherwise stand out (4.4.2, 4.4.1, 7.5.3, 9.2.1 becomes 4.4.2,
    4.4.1, 7.5.3, 7.5.2): the key's sibling stays, as the confusion learners make, and the
    numbers no longer point at it. Unchanged when there is no cue or no sibling to add."""
    picked = list(picked)
    if not sibling_cue([clause, *picked], clause):
        return picked
    for i in reversed(range(len(picked))):
        others = picked[:i] + picked[i + 1 :]
        for o in others:
            for s in neighbours(o, hard=True):
                options = [clause, *others, s]
                if (
                    sibling(o, s)
                    and s not in skip
                    and not any(clause_matches(s, x) for x in [clause, *others])
                    and not sibling_cue(options, clause)
                ):
                    return others[:i] + [s] + others[i:]
    return picked


def _apart(clauses: Sequence[str]) -> list[str]:
    """``clauses`` without any that holds, or is held by, one before it (not 9.3 and 9.3.2
    among one item's options)."""
    out: list[str] = []
    for c in clauses:
        if not any(clause_matches(c, o) for o in out):
            out.append(c)
    return out


def sibling(a: str, b: str) -> bool:
    """Two different sub-clauses of one clause: 9.3.2 and 9.3.3, 7.5.2 and 7.5.3."""
    return a != b and "." in a and a.rsplit(".", 1)[0] == b.rsplit(".", 1)[0]


def subject(clause: str) -> str:
    """What a clause is about, by its title in the standard ("clause 9.3.2 is about management
    review inputs"); "" for a clause titled "General" or untitled."""
    title = CLAUSE_TITLES.get(clause, "")
    if not title or title == "General":
        return ""
    return f"clause {clause} is about {title[:1].lower() + title[1:]}"


#: Clauses named together in one sentence of the guidance: clause -> other clause -> times.
Together = dict[str, Counter[str]]
#: how much being named with the key counts against a title's closeness (per log of the
#: times): set by eye so that the pairs a trainer named as real confusions (10.2 and 8.7,
#: named together 14 times; 7.5.2 and 7.5.3, 6; 9.3.2 and 9.3.3, 5; 9.1.2 and 9.1.3, 4) rank
#: among a key's first wrong clauses; no trainer labelled the other pairs
TOGETHER_WEIGHT = 0.1
TOGETHER_MIN = 2  # named together once is chance (a list of clauses in a plan)


def named_together(texts: Iterable[str]) -> Together:
    """Per clause, the clauses the guidance names with it in one sentence ("do not confuse
    8.7 with 10.2"), neither within the other: what writers contrast, or what learners mix
    up, read from the corpus rather than listed by hand."""
    out: Together = {}
    for text in texts:
        for s in split_sentences(text):
            named = sorted(set(find_clauses(s.text)))
            for a, b in combinations(named, 2):
                if not clause_matches(a, b):
                    out.setdefault(a, Counter())[b] += 1
                    out.setdefault(b, Counter())[a] += 1
    return out


#: how much what the guidance says about a clause counts beside its title: fitted on the
#: wrong clauses trainers named in four course reviews, six keys (9.3.3 with 9.3.2; 9.1.2
#: with 8.2.1 and 9.1.3; 10.2.1 with 8.7.1; 4.4.2 with 4.4.1, 7.5.2, 7.5.3; 9.3.2 with 9.3.3;
#: 7.1.5 with 7.1.4, 8.5.3, 8.5.4), the point read as the key's title or what is said of it:
#: mean reciprocal rank of the named clauses 0.41 at 0, 0.52 at 2, plateau 0.53 at 3-4,
#: and those named implausible (5.2.1, 5.2.2 for 9.3.3) fall from ranks 5-8 to 9-13; on
#: the corpus with the fourth round of pairs 0.39 at 0, 0.52-0.53 at 2-4, ranks 5-8 to
#: 9-14 (``/work/exp/s29/fitw.py``; six keys are few: a direction, not a measurement)
CONTENT_WEIGHT = 3.0


def clause_content(chunks: Iterable[Chunk]) -> dict[str, np.ndarray]:
    """Per clause, the unit mean of the vectors of the guidance sentences that name it (kept
    with the index at ingest, so nothing is encoded): what the guidance says about the
    clause. Two clauses whose requirements overlap (9.1.2 customer satisfaction and 8.2.1
    customer communication) are written about alike even where their titles differ."""
    named: dict[str, list[np.ndarray]] = {}
    for chunk in chunks:
        vectors = unpack_vectors(chunk)  # by sentence start, as ingest split them
        for sentence in split_sentences(chunk.text) if vectors else ():
            for clause in set(find_clauses(sentence.text)) if sentence.start in vectors else ():
                named.setdefault(clause, []).append(vectors[sentence.start])
    out = {}
    for clause, vs in named.items():
        mean = np.mean(vs, axis=0)
        out[clause] = mean / max(float(np.linalg.norm(mean)), 1e-6)
    return out


def _confusion(
    clause: str,
    vector: np.ndarray,
    titles: dict[str, np.ndarray],
    together: Together | None = None,
    content: Mapping[str, np.ndarray] | None = None,
) -> list[str]:
    """The clauses at ``clause``'s depth (one shape of option), likeliest to be mixed up with
    it first: by how close their titles read to ``vector``, how close what the guidance says
    about them is to what it says about ``clause`` (``content``), and how often the guidance
    names them, or the clause above or below them, with ``clause`` or its parent (8.7 with
    10.2 counts for 8.7.1 against 10.2.1)."""
    content = content or {}
    own = content.get(clause, vector)
    same = [c for c in neighbours(clause, hard=True) if c in titles]
    depth = clause_depth(clause)
    named: Counter[str] = Counter()
    up = clause
    while clause_depth(up) >= 2:  # 10.2.1, then 10.2
        for other, times in (together or {}).get(up, Counter()).items():
            if clause_depth(other) >= depth:  # 9.3.2 counts for 9.3
                named[".".join(other.split(".")[:depth])] += times
            else:  # 8.7 counts for 8.7.1 and 8.7.2
                for c in same:
                    if c.startswith(other + "."):
                        named[c] += times
        up = up.rsplit(".", 1)[0]

    def likeness(c: str) -> float:
        times = named[c] if named[c] >= TOGETHER_MIN else 0
        said = CONTENT_WEIGHT * float(content[c] @ own) if c in content else 0.0
        return float(titles[c] @ vector) + said + TOGETHER_WEIGHT * float(np.log1p(times))

    return sorted(same, key=lambda c: -likeness(c))


_CLAUSE_NOTE = re.compile(
    r"\s*\((?:see\s+)?clauses?\s+\d+(?:\.\d+)*(?:(?:,|\s+and)\s+\d+(?:\.\d+)*)*\)"
)


def _without_clause_note(entry: str) -> str:
    """A list entry without its bracketed clause reference ("The quality policy (clause
    5.2)."): the key names the clause; in an option it would mark the entries of one list."""
    return _CLAUSE_NOTE.sub("", entry)


def _pairs(text: str) -> set[tuple[str, str]]:
    words = text.lower().split()
    return set(zip(words, words[1:], strict=False))


def _shares_root(word: str, others: set[str]) -> bool:
    """``word`` is one of ``others``, or holds one or is held by one: at five letters or more
    anywhere ("measur" in "measurement"), at four as its ending ("grad" in "regrad")."""

    def held(short: str, long: str) -> bool:  # (stems: "grad" for "grade", "regrad")
        return (len(short) >= 5 and short in long) or (len(short) >= 4 and long.endswith(short))

    return word in others or any(held(o, word) or held(word, o) for o in others)


def word_guessable(stem: str, options: Sequence[str], key: str) -> bool:
    """True when matching words alone finds the key: it shares more of the stem's words, or
    their roots, than any other option does ("... holding the review ..." -> "9.3 Management
    review"; "... carry out a measurement ..." -> "Measuring equipment", which a trainer
    found given away)."""
    stem_words = match_words(stem)
    overlap = {o: sum(_shares_root(w, stem_words) for w in match_words(o)) for o in options}
    best = max(overlap.values())
    return best > 0 and overlap[key] == best and list(overlap.values()).count(best) == 1


def _clause_feedback(
    options: list[str], correct: str, quote: str, contrasts: Mapping[str, Material] | None = None
) -> dict[str, str]:
    """Why each option is right or wrong: a wrong clause with guidance on what it requires
    says so ("Not this one. The guidance: "Clause 8.5.2 requires ...""), teaching the difference."""
    out = {}
    for o in options:
        other = (contrasts or {}).get(o)
        if o == correct:
            out[o] = f'Right. The guidance: "{quote}"'
        elif other is not None:
            out[o] = f'Not this one. The guidance: "{other.quote}"'
        elif subject(o):
            out[o] = f"Not this one: {subject(o)}."
        else:
            out[o] = f"Not this one: clause {o} deals with another topic."
    return out


class Contrasts(Mapping[str, Material]):
    """Per clause, one sentence of guidance saying what it requires ("Clause 8.5.2 requires
    ..."): what a key quotes to say why a confusable wrong clause is wrong. A sentence naming
    the clause itself comes first, then one naming a subclause of it. Among those, with
    ``embeddings``, the one reading closest to the clause's titles, so the line says what the
    clause covers (a trainer found "Clause 8.5.2 asks the company to make identification
    visible and independent of memory" and 7.5.3 "does not ban paper" quoted, which say
    nothing of either clause's scope); without it, guidance from the clause's own document
    first. Chosen when a key first asks, so only the clauses on offer are encoded."""

    def __init__(self, pool: Sequence[Material], embeddings: LocalEmbeddings | None = None) -> None:
        self._embeddings = embeddings
        self._found: dict[str, list[tuple[tuple[int, int], Material]]] = {}
        self._chosen: dict[str, Material] = {}
        for p in pool:
            named = find_clauses(p.quote)
            if p.kind != "which-clause" or not named:
                continue
            parts = named[0].split(".")
            for depth in range(len(parts), 0, -1):
                clause = ".".join(parts[:depth])
                own = p.chunk.title.lower().startswith(f"clause {clause} ")
                rank = (len(parts) - depth, 0 if own else 1)
                self._found.setdefault(clause, []).append((rank, p))

    def __getitem__(self, clause: str) -> Material:
        if clause not in self._chosen:
            found = self._found[clause]
            nearest = min(rank[0] for rank, _ in found)
            best = [m for rank, m in found if rank[0] == nearest]
            if self._embeddings is not None and len(best) > 1:
                scope = f"Clause {clause} " + clause_outline(clause)
                sims, _ = best_match(self._embeddings, [scope], [m.quote for m in best])
                self._chosen[clause] = best[int(np.argmax(sims))]
            else:  # the first of the best rank, in the pool's order
                self._chosen[clause] = min(found, key=lambda f: f[0])[1]
        return self._chosen[clause]

    def __iter__(self) -> Iterator[str]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)


#: Of the wrong options' guidance, the index of the one closest in meaning to the material
#: the key quotes: the option a learner is likeliest to mistake for the key; -1 when none is
#: close enough to teach a difference (CONTRAST_FLOOR).
Closest = Callable[[Sequence[Material]], int]
#: How close each of some texts reads to the material an item is built from.
Likeness = Callable[[Sequence[str]], np.ndarray]
SAME_CLAUSE_BONUS = 0.2  # a mistake of the same clause is a likelier confusion
#: a response reading less like the mistake than this (with the bonus) is about something
#: else (an ISO certificate from a subcontractor for an instrument out of tolerance)
ALIKE_FLOOR = 0.3
SPARE_RESPONSES = 5  # the nearest other mistakes' responses that may stand in for a wrong option


def _no_likeness(texts: Sequence[str]) -> np.ndarray:
    return np.zeros(len(texts))


#: The least cosine between the key's material and a wrong option's guidance for the key to
#: quote that guidance: below it the contrast is with a clause nobody would mistake for the
#: key (a trainer found "Not 5.2.2: ... the quality policy ..." under a calibration scenario).
#: Set by eye on ten topics (seed 7): contrasts with unrelated clauses (5.2.2 under
#: calibration, 4.3 under risk, 4.4 under internal audit) sat at 0.13-0.28, those with
#: neighbouring clauses or terms mostly at 0.40 and above; no trainer labelled these.
CONTRAST_FLOOR = 0.35


def _first(candidates: Sequence[Material]) -> int:
    return 0


GROUP_DISTRACTORS = 3  # a concept group this large gives all the wrong options of a definition


def concept_group(ref: str) -> str:
    """The ISO 9000 concept group of a glossary reference: "ISO 9000:2015, 3.12.2" -> "3.12"."""
    found = re.search(r"\b3\.(\d+)", ref)
    return f"3.{found.group(1)}" if found else ""


def nested_apart(terms: Sequence[str]) -> list[str]:
    """``terms`` in order, with any whose words hold, or are held by, those of a term before
    it moved to the end: two wrong options "Objective" and "Quality objective" are ruled out
    together, leaving a guess between two (a trainer's review). The key may still sit in
    such a pair with a wrong option (it is the confusion learners make)."""
    kept: list[str] = []
    later: list[str] = []
    for t in terms:
        words = match_words(t)
        nested = bool(words) and any(
            words <= match_words(k) or match_words(k) <= words for k in kept
        )
        (later if nested else kept).append(t)
    return kept + later


def _confusable(assistant: Assistant, pool: list[Material]) -> dict[str, list[str]]:
    """Per glossary term, the other terms by how close their definitions read (closest
    first): the misconceptions a learner is likely to hold, not random vocabulary."""
    terms = [p for p in pool if p.kind == "definition"]
    if len(terms) < 2:
        return {}
    embeddings = assistant.store.embeddings
    meanings = embeddings.encode_memo([p.parts["masked"] for p in terms])
    names = embeddings.encode_memo([p.parts["term"] for p in terms])
    # close in meaning and in name ("Calibration" ~ "Measuring equipment", "Verification"),
    # not only in how the definitions are worded ("... to find its error" ~ "Audit")
    sims = meanings @ meanings.T + names @ names.T
    # only the terms of the key's own ISO 9000 concept group (3.12 for rework: repair,
    # regrade, concession), when it has enough of them: a trainer found filler such as
    # "Product" and "Design and development" offered while the real near-misses were not
    groups = [concept_group(p.parts.get("ref", "")) for p in terms]
    out = {}
    for i, p in enumerate(terms):
        ranked = [j for j in np.argsort(-sims[i]) if j != i]
        # a term ISO 9000 does not define ("work instruction") takes its closest term's group
        group = groups[i] or next((groups[j] for j in ranked if groups[j]), "")
        kin = [j for j in ranked if group and groups[j] == group]
        if len(kin) >= GROUP_DISTRACTORS:
            ranked = kin
        out[p.parts["term"]] = [terms[j].parts["term"] for j in ranked]
    return out


def _same_form_distractors(
    right: list[str], others: list[str], rng: random.Random, strict: bool = False
) -> list[str] | None:
    """Two wrong entries shaped like the two right ones: the same opening word, naming a
    clause first only if they do, sentences or noun phrases alike, sharing their word pairs,
    close in length; None when fewer than two fit."""
    # each wrong option opens as a right one does ("Clause 8.5.6 calls for ...", "The ..."):
    # an entry from an unrelated list ("Act covers clause 10 ...") is spotted by its form
    opening = {e.split()[0].lower() for e in right}
    others = [e for e in others if e.split()[0].lower() in opening]
    # an entry that opens by naming its clause stands out among entries that do not, and
    # one naming a clause anywhere among entries that name none (a trainer would spot
    # "Changes under clause 8.3.6 correspond to pull requests ..." among review inputs)
    cites = {bool(_CLAUSE_FIRST.match(e)) for e in right}
    others = [e for e in others if bool(_CLAUSE_FIRST.match(e)) in cites]
    if not any(find_clauses(e) for e in right):
        others = [e for e in others if not find_clauses(e)]
    finite = [_sentence_like(e) for e in right]
    if finite[0] == finite[1]:  # both sentences or both noun phrases: distractors alike
        others = [e for e in others if _sentence_like(e) == finite[0]]
    size = np.mean([len(e) for e in right])
    # no more than twice as long or half as short: length alone must not give them away
    others = [e for e in others if size / 2 <= len(e) <= 2 * size]
    if len(others) < 2:
        return None
    # parallel in form: entries sharing the word pairs both right ones share ("... is
    # required by clause ..."), then close in length, so grammar does not give them away
    shared = _pairs(right[0]) & _pairs(right[1])
    others = sorted(others, key=lambda e: (-len(_pairs(e) & shared), abs(len(e) - size)))
    first = rng.sample(others[:8], 2) if not shared else others[:2]
    # nor, where another pair is at hand, length: the two keys should not be the two shortest
    # options, or the two longest (a trainer found both keys short and both wrong entries
    # long sentences; the management review inputs have no other pair, and keep that one)
    pairs = [first, *map(list, combinations(others, 2))]
    fair = next((p for p in pairs if not _split_by_length(right, p)), first)
    # nor a word: both keys sharing one that neither wrong option has (a trainer found both
    # management review inputs keyed with "actions", and neither wrong entry saying it);
    # with ``strict``, None then, so that another pair of right entries is tried first
    if strict and converges(right, " ".join(fair)):
        fitting = (p for p in pairs if not converges(right, " ".join(p)))
        return next((p for p in fitting if not _split_by_length(right, p)), None)
    return fair


def _split_by_length(right: Sequence[str], wrong: Sequence[str]) -> bool:
    """Whether every right option is shorter than every wrong one, or longer, by the margin
    that gives a single key away (``LENGTH_CUE``)."""
    short, long = min(map(len, right)), max(map(len, right))
    return LENGTH_CUE * long < min(map(len, wrong)) or short > LENGTH_CUE * max(map(len, wrong))


def _build(
    m: Material,
    difficulty: str,
    rng: random.Random,
    pool: list[Material],
    confusable: dict[str, list[str]] | None = None,
    requirement: Material | None = None,
    confusion: Sequence[str] = (),
    settings: Sequence[str] = SETTINGS,
    contrasts: Mapping[str, Material] | None = None,
    closest: Closest = _first,
    keyed: Collection[str] = (),
    shown: Collection[str] = (),
    likeness: Likeness | None = None,
    encode: Encode | None = None,
) -> QuizItem | None:
    """One item from one piece of material (options unshuffled: the correct one first).
    ``requirement`` is the requirement a scenario's weakness concerns, cited in its key;
    ``contrasts`` (``Contrasts``) let the key say why the wrong clause or term that
    ``closest`` picks is wrong."""
    cite = [Citation.from_chunk(1, m.chunk, m.quote)]
    label = standard_label(m.clause) if m.clause else ""
    where = f"ISO 9001:2015 clause {label}. " if label else ""
    if m.kind == "scenario" and "remedy" in m.parts:
        # tagged with the sub-clause the guidance cites on the mistake, where it cites one
        if m.parts.get("clause"):
            m = replace(m, clause=m.parts["clause"])
            where = f"ISO 9001:2015 clause {standard_label(m.clause)}. "
        return _action_item(
            m, difficulty, rng, pool, settings, where, shown, likeness, requirement, encode
        )
    if m.kind in ("which-clause", "scenario"):
        options = _clause_options(m, difficulty, rng, confusion, keyed, shown)
        if m.kind == "which-clause":
            stem = f"Which clause of ISO 9001:2015 {m.parts['verb']} {m.parts['rest']}?"
        else:
            setting = rng.choice(list(settings))
            # a weakness, not a nonconformity: "common mistakes" are often waste or risk that
            # breaks no requirement, so the stem asks which clause it concerns, not where an
            # auditor would raise a finding; clause numbers only, since a title names the topic
            stem = (
                f"Reviewing the quality management system of {_article(setting)}"
                f" {setting}, a consultant finds {m.parts['finding']}. Which clause of ISO "
                "9001:2015 does this weakness mainly concern?"
            )
        # clause numbers only: a title names the topic the stem describes (a trainer found
        # "9.1.2 Customer satisfaction" the obvious pick in a customer-satisfaction quiz)
        options = [o.split(" ", 1)[0] for o in options]
        if m.kind == "scenario" and requirement is not None:
            # the key teaches the requirement that makes it right, not the stem again
            cite.append(Citation.from_chunk(2, requirement.chunk, requirement.quote))
            explanation = (
                f'{where}{REQUIREMENT_LABEL}"{requirement.quote}" [2] The weakness, as the '
                f'guidance describes it: "{m.quote}" [1]'
            )
        elif m.parts.get("more"):
            explanation = f'{where}The guidance says: "{m.quote} {m.parts["more"]}" [1]'
        else:
            explanation = f'{where}The guidance says: "{m.quote}" [1]'
        # why the wrong clause a learner is likeliest to pick is wrong (a trainer found keys
        # that only restate the stem where learners slip: 8.5.2 against 7.1.5, 8.7 against 10.2)
        known = {o: contrasts[o] for o in options[1:] if contrasts and o in contrasts}
        # a sibling of the key (9.3.2 for 9.3.3, 7.5.2 for 7.5.3) is the likeliest slip, so
        # its guidance is quoted even when another clause's reads closer (trainers found
        # 5.2.1 and 5.2.2 rebutted while the sibling on offer went unexplained)
        # the wrong clauses a learner is likeliest to pick, each rebutted: a sibling of the key
        # (trainers found 5.2.1 rebutted while 9.3.2 was on offer for 9.3.3), and the one whose
        # titles read closest to the material, as the wrong options were chosen (trainers
        # found the neighbour 7.1.4 rebutted while 8.5.2, "identification", went unexplained
        # for measuring equipment "identified", and 9.2 while 8.2 did for customer satisfaction)
        kin = [o for o in known if sibling(o, options[0])]
        titled_kin = [o for o in options[1:] if sibling(o, options[0]) and subject(o)]
        slip = kin[max(closest([known[o] for o in kin]), 0)] if kin else next(iter(titled_kin), "")
        tempting = next((c for c in confusion if c in options[1:]), "")
        # then the other wrong options (a trainer asked for a line on every one)
        ordered = dict.fromkeys((slip, tempting, *options[1:]))
        rebut = [c for c in ordered if c in known or subject(c)]
        # a clause no guidance sentence names: the standard's title says what it is, before
        # the evidence (the explanation ends with its last citation)
        titled_only = "".join(f"Not {c}: {subject(c)}. " for c in rebut if c not in known)
        explanation = f"{where}{titled_only}{explanation[len(where) :]}"
        for c in (c for c in rebut if c in known):
            n = len(cite) + 1
            cite.append(Citation.from_chunk(n, known[c].chunk, known[c].quote))
            explanation += f' Not {c}: "{known[c].quote}" [{n}]'
        feedback = _clause_feedback(options, options[0], m.quote, known)
        return _first_keyed(m, stem, options, explanation, cite, difficulty, feedback)
    if m.kind == "true-false":
        truth = TRUE if m.parts["truth"] == "Yes" else FALSE
        reason = f"{m.parts['reason']} {m.parts.get('more', '')}".strip()
        # the clause first, as in the other kinds' keys (a trainer found it dropped in after
        # the reason), and inside the verdict's sentence ("False (ISO 9001:2015 clause
        # 7.5.2 ...). ..."), not as a sentence of its own (a trainer found that boilerplate)
        # "clause 10.2.1, in 10.2 ...": no brackets inside the brackets
        inside = label.replace(" (in ", ", in ")[:-1] if m.clause in UNTITLED else label
        clause = f" (ISO 9001:2015 clause {inside})" if label else ""
        explanation = f"{truth}{clause}. {reason} [1]".replace("  ", " ")
        feedback = {TRUE: "", FALSE: ""}
        feedback[truth] = f"Right. {reason}"
        feedback[FALSE if truth == TRUE else TRUE] = f"No. {reason}"
        return QuizItem(
            f"True or false? {scoped(m.parts['statement'])}",
            [TRUE, FALSE],
            [truth],
            explanation,
            cite,
            # the clause the reason rests on when the pair names none (a trainer found
            # "clause: none" on a key that explains 7.1.5.1)
            [m.clause] if m.clause else find_clauses(reason)[:1],
            m.kind,
            "easy",
            BLOOM[m.kind],
            feedback,
        )
    if m.kind == "definition":
        section = [p for p in pool if p.kind == "definition" and p.parts["term"] != m.parts["term"]]
        same = [p.parts["term"] for p in section if p.chunk.chunk_id == m.chunk.chunk_id]
        other = [p.parts["term"] for p in section if p.chunk.chunk_id != m.chunk.chunk_id]
        close = nested_apart(
            [t for t in (confusable or {}).get(m.parts["term"], []) if t in set(same + other)]
        )
        if difficulty != "easy" and len(close) >= 3:
            # the terms whose definitions read most like this one's (hard: the closest three;
            # medium: the closest and two of the next three, so the real confusion, repair for
            # rework, efficiency for effectiveness, is always offered: a trainer's review; of
            # the next five, trainers found "Risk" and "Product" offered for effectiveness)
            wrong = close[:3] if difficulty == "hard" else close[:1] + rng.sample(close[1:4], 2)
        else:
            near = rng.sample(same, min(3, len(same))) if difficulty != "easy" else []
            wrong = near + rng.sample(other, 3 - len(near))
        options = [m.parts["term"]] + wrong
        stem = f"In quality management, which term means: {m.parts['masked']}?"
        if word_guessable(m.parts["masked"], options, options[0]):
            return None  # the definition repeats a word of its term: try other material
        entry_of = {p.parts["term"]: p for p in section}
        feedback = {
            o: f"Not this one: {o.lower()} means {entry_of[o].parts['masked']}." for o in wrong
        }
        feedback[options[0]] = f'Right. The guidance: "{_plain(m.quote)}"'
        explanation = f'{where}The guidance: "{_plain(m.quote)}" [1]'
        # the key teaches the difference from the term a learner is likeliest to pick, in
        # its full entry, then says what each other wrong term means, in its entry's first
        # sentence (a trainer asked for a line on every wrong option)
        glossed = [entry_of[o] for o in wrong]
        nearest = closest(glossed)
        order = ([glossed[nearest]] if nearest >= 0 else []) + [
            e for i, e in enumerate(glossed) if i != nearest
        ]
        for k, entry in enumerate(order):
            quote = entry.quote if k == 0 and nearest >= 0 else split_sentences(entry.quote)[0].text
            n = len(cite) + 1
            cite.append(Citation.from_chunk(n, entry.chunk, quote))
            explanation += f' Not {entry.parts["term"].lower()}: "{_plain(quote)}" [{n}]'
        return _first_keyed(m, stem, options, explanation, cite, difficulty, feedback)
    if m.kind == "multi-select":
        if len(m.items) < KEYED_ENTRIES:
            return None  # a short list lends wrong options to its neighbour's items only
        verbatim = {_without_clause_note(e): e for e in m.items if len(e) <= 170}
        entries = list(verbatim)
        source: dict[str, Material] = {}
        noted: dict[str, str] = {}  # the clause a wrong entry names in its own list
        for p in pool:
            # another document's list, or this document's list for another clause (the
            # management review outputs, 9.3.3, beside its inputs, 9.3.2)
            if p.kind == "multi-select" and (
                p.chunk.doc_id != m.chunk.doc_id or not clause_matches(p.clause, m.clause)
            ):
                for e in p.items:
                    stripped = _without_clause_note(e)
                    if len(e) <= 170 and stripped not in source:
                        source[stripped] = p
                        if stripped != e and (named := find_clauses(e)):  # its note's clause
                            noted[stripped] = named[0]
        # never an entry this list also holds in other words: a trainer found "The quality
        # objectives." (from the documents to maintain) offered as wrong among the management
        # review inputs, whose performance entry names "the extent to which quality objectives
        # have been met"; an entry whose content words all sit in one of this list's entries
        # (long ones included) is left out
        own = [match_words(e) for e in m.items]
        source = {
            e: p
            for e, p in source.items()
            if not (words := match_words(e)) or not any(words <= o for o in own)
        }
        # wrong options from another clause's list first: a learner mixes up the lists of
        # neighbouring requirements, and the key can say where the entry belongs (a trainer
        # found a worked example's "The shop depends on one CNC programmer ..." among the
        # management review inputs, and feedback that only said "from another part")
        listed_elsewhere = [e for e, p in source.items() if p.clause and p.clause != m.clause]
        # and first the list of the key's sibling clause, the confusion two trainers asked
        # for: management review outputs (9.3.3) offered as its inputs (9.3.2), not entries
        # of a list of documents to maintain
        kin = [e for e in listed_elsewhere if sibling(source[e].clause, m.clause)]
        if len(entries) < 2 or len(source) < 2:
            return None
        # the seed orders the pairs of right entries; the first pair that has two wrong
        # options of the same form is used (one unlucky pair no longer loses the list)
        pairs = [(a, b) for i, a in enumerate(entries) for b in entries[i + 1 :]]

        def pick(others: list[str], strict: bool) -> tuple[list[str], list[str]] | None:
            for first, second in rng.sample(pairs, len(pairs)):
                right = [first, second] if rng.random() < 0.5 else [second, first]
                distractors = _same_form_distractors(right, others, rng, strict)
                if distractors:
                    return right, distractors
            return None

        # a pair whose keys share no word the wrong options lack comes first
        picked = next(
            (
                found
                for strict in (True, False)
                for others in (kin, listed_elsewhere, list(source))
                if len(others) >= 2 and (found := pick(others, strict))
            ),
            None,
        )
        if picked is None:
            return None
        right, distractors = picked
        options = right + distractors
        # a lead that points to the list below it ("... to maintain these documents:") reads,
        # without the list, as pointing at nothing (a trainer's review): "certain documents"
        lead = re.sub(r"(?i)\b(?:these|the following)\b", "certain", m.parts["lead"])
        lead = lead.rstrip(".: ")
        ask = "belong on that list" if re.search(r"(?i)\blists?\b", lead) else "are among them"
        stem = f"{lead}. Which TWO of the following {ask}?"

        # where a wrong entry does belong: the list the guidance gives it in, by that list's
        # own lead, not by the clause of the document holding it (a trainer found the scope
        # statement "listed under clause 7.5", from the documents to maintain; it is 4.3's)
        # and the clause the entry names there, when it names one (a trainer asked for 4.3 to
        # be said for the scope statement)
        def under(entry: str) -> str:
            return f", with clause {noted[entry]}" if entry in noted else ""

        def elsewhere(entry: str) -> str:
            return (
                "Not on this list: the guidance gives it in another list"
                f'{under(entry)} ("{source[entry].quote}").'
            )

        feedback = {o: "Right: it is on the list." if o in right else elsewhere(o) for o in options}
        listed = (
            f'The guidance: "{m.quote}" and lists, among others: "{verbatim[right[0]]}" and '
            f'"{verbatim[right[1]]}" [1]'
        )
        # why each wrong entry belongs elsewhere, the one closest to the list's point first
        # (a list's lead reads far from another list's lead, so no floor here: the list the
        # guidance does give it in is always worth naming; a trainer found one of two wrong
        # entries left unexplained)
        first = max(closest([source[x] for x in distractors]), 0)
        numbered: dict[str, int] = {}
        for d in (distractors[first], *(x for i, x in enumerate(distractors) if i != first)):
            quote = source[d].quote
            if quote in numbered:  # both from one list: it is said once
                listed += f' Not "{d}" either: the guidance gives it in that list too{under(d)}'
                listed += f" [{numbered[quote]}]"
                continue
            numbered[quote] = len(cite) + 1
            cite.append(Citation.from_chunk(numbered[quote], source[d].chunk, quote))
            listed += (
                f' Not "{d}": the guidance gives it in another list{under(d)}: "{quote}"'
                f" [{numbered[quote]}]"
            )

        return QuizItem(
            stem,
            options,
            right,
            f"{where}{listed}",
            cite,
            [m.clause],
            m.kind,
            "medium",
            BLOOM[m.kind],
            feedback,
        )
    return None


def keyed_to_clause(m: Material) -> bool:
    """Whether an item from ``m`` answers with a clause number (a scenario with what works
    and what does not answers with an action)."""
    return m.kind in CLAUSE_ANSWERED and "remedy" not in m.parts


def asks_clause(item: QuizItem) -> bool:
    """Whether ``item`` is keyed to a clause number ("10.2", "9.3.2")."""
    return item.kind in CLAUSE_ANSWERED and bool(re.fullmatch(r"\d+(?:\.\d+)*", item.answer[0]))


#: What points back to things counted before it ("the two terms", "all three", "those").
_COUNTED = re.compile(r"(?i)\b(?:(?:the|all|both) (?:two|three|four)|these|those|both)\b")
LENGTH_CUE = 1.15  # a key this much longer than every other option is picked by its length


def length_guessable(options: Sequence[str], key: str) -> bool:
    """Whether ``key`` is the longest option by a margin that gives it away."""
    others = [len(o) for o in options if o != key]
    return bool(others) and len(key) > LENGTH_CUE * max(others)


def framing(statement: str) -> str:
    """How a statement is framed: "obliges", "permits" or "" (see ``OBLIGES``)."""
    if OBLIGES.search(statement):
        return "obliges"
    return "permits" if PERMITS.search(statement) else ""


def framing_cues(item: QuizItem, placed: Sequence[QuizItem]) -> bool:
    """Whether a true/false item would make its framing predict its key: the course already
    has a statement framed alike with the same key and none framed alike with the other."""
    frame = framing(item.question) if item.kind == "true-false" else ""
    alike = [i.answer[0] for i in placed if i.kind == "true-false" and framing(i.question) == frame]
    return bool(frame) and item.answer[0] in alike and len(set(alike)) == 1


def worded_keys(pool: Sequence[Material], cue: float = WORDING_CUE) -> set[str]:
    """The quotes of the true/false statements whose wording gives their answer away: a
    learner who had read the other statements and their answers would guess this one from its
    words. A logistic model over the words of the statements (true and false weighted
    equally), each statement scored by the model fitted on the others (10-fold
    cross-validation), flags those given their own key at ``cue`` or more."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    statements = [m for m in pool if m.kind == "true-false"]
    truth = np.array([m.parts["truth"] == "Yes" for m in statements], dtype=bool)
    folds = min(10, int(truth.sum()), int((~truth).sum()))
    if folds < 2:
        return set()
    words = CountVectorizer(min_df=5, binary=True, token_pattern=r"(?u)\b\w+\b")
    x = words.fit_transform([m.parts["statement"] for m in statements])
    p = cross_val_predict(
        LogisticRegression(C=0.3, max_iter=1000, class_weight="balanced"),
        x,
        truth,
        cv=StratifiedKFold(folds),
        method="predict_proba",
    )[:, 1]
    own = np.where(truth, p, 1.0 - p)
    return {m.quote for m, q in zip(statements, own, strict=True) if q >= cue}


def converges(wrong: Sequence[str], key: str) -> bool:
    """Whether every wrong option shares a word the key lacks ("... every instrument on site"
    in all three): the key is then the odd one out, which test-wise learners pick without
    knowing the point (a convergence cue; two trainers' reviews found it in scenario items)."""
    if len(wrong) < 2:
        return False
    shared = set.intersection(*(content_words(w) for w in wrong))
    return bool(shared - content_words(key))


def absolute_cue(options: Sequence[str], keys: Sequence[str]) -> bool:
    """Whether the specific determiners ("every", "all", "altogether") mark the wrong options:
    every wrong option says one and no key does, so the one moderate option is the key, which
    test-wise learners pick without knowing the point (Haladyna, Downing and Rodriguez, 2002;
    a trainer found the key the only option without "altogether", "all" or "every"). Two of
    three is no such pattern: "every" is often incidental ("on every invoice"), and dropping
    those items cost a course two of its four customer-satisfaction items."""
    if any(SPECIFIC_DETERMINER.search(k) for k in keys):
        return False
    wrong = [o for o in options if o not in keys]
    return len(wrong) >= 2 and all(SPECIFIC_DETERMINER.search(o) for o in wrong)


#: How far the key may stand apart from the wrong options before it is the odd one out: the
#: median of ``outlier_gaps`` over the bank (its 110 mistakes with three tempting responses
#: of their own at 8ef4e8f), whichever option stands apart.
ODD_MARGIN = 0.035
#: How far a response swapped in may stand apart: the 90th percentile of the same gaps.
#: A nearer mistake's response stands apart a little (0.04-0.07 in a calibration item); one
#: about suppliers, 0.2.
SWAPPED_MARGIN = 0.103
Encode = Callable[[list[str]], np.ndarray]


#: How much closer the key and its nearest option may be than any two other options: the
#: median of ``twin_gaps`` over the bank (the closest pair's standout among what works and the
#: first three responses of its 111 mistakes that have them, 0.102 at cd5f0d6). A trainer
#: found a wrong option that was the key with "as optional" added (cosine 0.85 to it, 0.65 at
#: most to the others): when the two closest options stand out as a pair, test-wise learners
#: guess within it.
TWIN_MARGIN = 0.102


def twin_cue(vectors: np.ndarray, key: int = 0) -> float:
    """How far option ``key`` and its nearest option stand out as a pair: their cosine minus
    the highest cosine between two of the other options (negative when another pair is
    closer)."""
    sim = vectors @ vectors.T
    n = len(vectors)
    nearest = max(float(sim[key, j]) for j in range(n) if j != key)
    others = [float(sim[i, j]) for i, j in combinations(range(n), 2) if key not in (i, j)]
    return nearest - max(others, default=-1.0)


def twin_gaps(pool: Sequence[Material], encode: Encode) -> np.ndarray:
    """For each mistake with three tempting responses of its own, how far its closest pair of
    options (what works and its first three responses) stands out: the scale of TWIN_MARGIN."""
    gaps = []
    for m in pool:
        if m.kind == "scenario" and all(k in m.parts for k in ("remedy", *TEMPTING_PARTS[:3])):
            vectors = encode([_action(m.parts[k]) for k in ("remedy", *TEMPTING_PARTS[:3])])
            gaps.append(max(twin_cue(vectors, i) for i in range(len(vectors))))
    return np.array(gaps)


def odd_one_out(vectors: np.ndarray, key: int = 0) -> float:
    """How far option ``key`` stands apart from the others: the mean cosine of the next
    least-alike option to the rest, minus the key's (negative when another option is less
    alike). A trainer found three cost-cutting responses beside one about use, and three
    that blamed the operator beside one about the system: the key was the option about
    something else, which a test-wise learner picks without knowing the point."""
    sim = vectors @ vectors.T
    mean = (sim.sum(axis=1) - np.diag(sim)) / (len(vectors) - 1)
    return float(np.delete(mean, key).min() - mean[key])


def outlier_gaps(pool: Sequence[Material], encode: Encode) -> np.ndarray:
    """For each mistake with three tempting responses of its own, how far its least-alike
    option (what works, or one of its first three) stands apart from the next: the scale of
    ODD_MARGIN and SWAPPED_MARGIN (tests/quiz check that they still match the bank). The
    first three, as written before each mistake had five, keep the scale the margins were
    set on."""
    gaps = []
    for m in pool:
        if (
            m.kind == "scenario"
            and "remedy" in m.parts
            and all(k in m.parts for k in TEMPTING_PARTS[:3])
        ):
            vectors = encode([m.parts["remedy"], *(m.parts[k] for k in TEMPTING_PARTS[:3])])
            gaps.append(max(odd_one_out(vectors, i) for i in range(len(vectors))))
    return np.array(gaps)


def _less_odd(
    remedy: str,
    own: list[str],
    chosen: list[Material],
    spare: Sequence[Material],
    encode: Encode,
    shown: Collection[str] = (),
) -> tuple[list[str], list[Material]] | None:
    """The wrong options, with one or two of them swapped for the nearest mistakes' other
    tempting responses (``spare``) where the key would otherwise stand apart from them by
    more than ODD_MARGIN; the scenario's own responses are kept where a swap allows (they
    come with the guidance's reason). A response another item shows already is swapped out
    too (a response borrowed by one item may be another's own). None when no swap will do."""
    repeated = {o.rstrip(".").lower() for o in shown}

    def gap(wrong: Sequence[str], new: Sequence[int] = ()) -> float:
        """The key's gap; infinite where the length or a shared word gives the key away, or
        where a response swapped in (slots ``new``) is itself the odd one out, a distractor
        nobody would pick (a first version put a supplier response in a calibration item)."""
        options = [_action(a) for a in (remedy, *wrong)]
        if length_guessable(options, options[0]) or converges(options[1:], options[0]):
            return float("inf")
        if any(a.lower() in repeated for a in wrong):
            return float("inf")
        vectors = encode(options)
        if any(odd_one_out(vectors, 1 + slot) > SWAPPED_MARGIN for slot in new):
            return float("inf")
        return odd_one_out(vectors)

    current = [*own, *(p.parts["tempting"] for p in chosen)]
    if gap(current) <= ODD_MARGIN:
        return own, chosen
    slots = list(range(len(current)))
    for swaps in (1, 2):
        tried: list[tuple[float, int, tuple[int, ...], tuple[Material, ...]]] = []
        for out in combinations(slots, swaps):
            for into in permutations(spare, swaps):
                wrong = list(current)
                for slot, p in zip(out, into, strict=True):
                    wrong[slot] = p.parts["tempting"]
                # own responses swapped out last, then the set whose key stands apart least
                # (preferring the mistakes' likeness order put a health-and-safety statement
                # in a documentation item)
                dropped_own = sum(slot < len(own) for slot in out)
                tried.append((gap(wrong, out), dropped_own, out, into))
        fits = [t for t in tried if t[0] <= ODD_MARGIN]
        if fits:
            _, _, out, into = min(fits, key=lambda t: (t[1], t[0]))
            kept = [a for i, a in enumerate(own) if i not in out]
            borrowed = [p for i, p in enumerate(chosen, start=len(own)) if i not in out]
            return kept, borrowed + list(into)
    return None


def _own_three(
    m: Material,
    own_parts: Sequence[str],
    difficulty: str,
    rng: random.Random,
    encode: Encode | None,
    shown: Collection[str] = (),
) -> list[str]:
    """Which three of a mistake's own tempting responses (the guidance gives up to five) an
    item offers: never a set whose length or shared word gives the key away or that repeats
    an option shown already; of the sets whose key stands apart by no more than ODD_MARGIN
    (and, where some allow, whose key and nearest option do not stand out as a pair by more
    than TWIN_MARGIN), a seeded draw (the closest to the key when the item is hard); with
    none, the set whose key stands apart least, which ``_less_odd`` may still mend with
    another mistake's response.
    Two trainers objected to wrong options borrowed from other mistakes: five of its own
    leave a mistake enough to choose from."""
    remedy = _action(m.parts["remedy"])
    repeated = {o.rstrip(".").lower() for o in shown}
    usable: list[list[str]] = []
    for parts in combinations(own_parts, 3):
        options = [remedy, *(_action(m.parts[k]) for k in parts)]
        if length_guessable(options, remedy) or converges(options[1:], remedy):
            continue
        if any(m.parts[k].lower() in repeated for k in parts):
            continue
        usable.append(list(parts))
    if not usable:
        return list(own_parts[:3])
    if encode is None:
        return usable[0] if difficulty == "hard" else rng.choice(usable)
    index = {k: i for i, k in enumerate(own_parts, start=1)}
    vectors = encode([remedy, *(_action(m.parts[k]) for k in own_parts)])
    gaps = [odd_one_out(vectors[[0, *(index[k] for k in parts)]]) for parts in usable]
    fits = [parts for parts, gap in zip(usable, gaps, strict=True) if gap <= ODD_MARGIN]
    if not fits:
        return usable[int(np.argmin(gaps))]
    # and, where a set allows, no option so close to the key that the two stand out as a pair
    apart = [
        parts for parts in fits if twin_cue(vectors[[0, *(index[k] for k in parts)]]) <= TWIN_MARGIN
    ] or fits
    if difficulty == "hard":  # the wrong options most like the key
        return max(
            apart, key=lambda parts: float(sum(vectors[index[k]] @ vectors[0] for k in parts))
        )
    return rng.choice(apart)


def _first_keyed(
    m: Material,
    stem: str,
    options: list[str],
    explanation: str,
    cite: list[Citation],
    difficulty: str,
    feedback: dict[str, str],
) -> QuizItem:
    """An item from ``m`` keyed to its first option (the options are placed later)."""
    clauses = [m.clause] if m.clause else []
    return QuizItem(
        stem,
        options,
        [options[0]],
        explanation,
        cite,
        clauses,
        m.kind,
        difficulty,
        BLOOM[m.kind],
        feedback,
    )


def _article(setting: str) -> str:
    """The article before a setting: "an" for 8, 11, 18 and 80 to 89 ("an 18-person ..."), else "a"."""
    return "an" if re.match(r"(?:8|11|18|8\d)\b", setting) else "a"


def _short(option: str, words: int = 8) -> str:
    """An option named in a key: its first words when it is long ("Extend the calibration
    interval of every instrument ...")."""
    parts = option.rstrip(".").split()
    return option.rstrip(".") if len(parts) <= words + 2 else " ".join(parts[:words]) + " ..."


def _action(text: str) -> str:
    """An action as an option: "record a decision ..." -> "Record a decision ..."."""
    return text[:1].upper() + text[1:] + "."


def _action_item(
    m: Material,
    difficulty: str,
    rng: random.Random,
    pool: list[Material],
    settings: Sequence[str],
    where: str,
    shown: Collection[str] = (),
    likeness: Likeness | None = None,
    requirement: Material | None = None,
    encode: Encode | None = None,
) -> QuizItem | None:
    """A what-should-the-company-do scenario: the weakness found, what the guidance says works,
    the responses it calls tempting on this very mistake (up to three), and, to make three
    wrong options when it has fewer, other mistakes' tempting responses that read closest to
    it (``likeness``:
    their cosine to this mistake). Every wrong option is a response the guidance calls
    tempting, never a true statement of another point; the key is not a clause number, so
    the quiz's title does not give it away (a trainer found every which-clause scenario keyed
    to the quiz's own clause), and a trainer found keys picked by relevance when two wrong
    options answered other mistakes."""
    own_parts = [k for k in TEMPTING_PARTS if k in m.parts]
    if len(own_parts) > 3:  # three of its own: those that keep the key from standing apart
        own_parts = _own_three(m, own_parts, difficulty, rng, encode, shown)
    own = [m.parts[k] for k in own_parts]
    wanted = 3 - len(own)
    # (other mistakes' responses are read even when this one has three: one may take the
    # place of a response that makes the key the odd one out)
    others = [
        p
        for p in pool
        if (wanted or encode)
        and p.kind == "scenario"
        and "tempting" in p.parts
        and p.quote != m.quote
    ]
    # the responses that read most like this mistake, its own clause's first (a first version
    # took its clause family in corpus order and offered an audit consultant for a
    # customer-satisfaction survey; the likeness of the mistakes themselves, all framed as
    # "a common mistake is ...", offered a fridge logger for an instrument out of tolerance)
    alike = (likeness or _no_likeness)([p.parts["tempting"] for p in others])
    fit = alike + SAME_CLAUSE_BONUS * np.array(
        [titled(p.clause) == titled(m.clause) for p in others], dtype=float
    )
    # never a response to a mistake about something else (a fridge logger for calibration)
    ranked = [others[j] for j in np.argsort(-fit) if likeness is None or fit[j] >= ALIKE_FLOOR]

    plain_key = not SPECIFIC_DETERMINER.search(m.parts["remedy"])

    def marked(p: Material) -> bool:
        """Whether a borrowed response says "every", "all" ... while the key says none."""
        return plain_key and bool(SPECIFIC_DETERMINER.search(p.parts["tempting"]))

    # no option another item of the quiz or course shows already
    seen = {a.lower() for a in own} | {m.parts["remedy"].lower()}
    seen |= {o.rstrip(".").lower() for o in shown}
    wrong_from: list[Material] = []
    for p in ranked:
        action = p.parts["tempting"]
        # shown without its mistake, it must stand alone ("... the two terms" does not)
        if action.lower() not in seen and not leans_back(action) and not _COUNTED.search(action):
            seen.add(action.lower())
            wrong_from.append(p)
    if len(wrong_from) < wanted:
        return None
    # where the key says no "every" or "all", a borrowed response that says one helps mark the
    # key as the one moderate option (a trainer found it the only option without "altogether",
    # "all" or "every", and read two marked options of three as the same cue): those that do
    # not come first, each group in its order of likeness
    wrong_from = sorted(wrong_from, key=marked)
    # of the nearest mistakes' responses, those closest in length to the key: the longest
    # option must not be the key by its length alone
    size = len(m.parts["remedy"])
    near = (
        []
        if not wanted  # (three of its own: the seed draws nothing here)
        else wrong_from[:wanted]
        if difficulty == "hard"
        else rng.sample(wrong_from[:5], min(5, len(wrong_from)))
    )
    # and, where the key says no "every" or "all", responses that do not say one either
    chosen = sorted(near, key=lambda p: (marked(p), abs(len(p.parts["tempting"]) - size)))
    chosen = chosen[:wanted]
    if encode is not None:
        spare = [p for p in wrong_from[:SPARE_RESPONSES] if p not in chosen and not marked(p)]
        less_odd = _less_odd(m.parts["remedy"], own, chosen, spare, encode, shown)
        if less_odd is None:
            return None
        kept, chosen = less_odd
        own_parts = [k for k, a in zip(own_parts, own, strict=True) if a in kept]
        own = kept
    options = [_action(a) for a in [m.parts["remedy"], *own]]
    options += [_action(p.parts["tempting"]) for p in chosen]
    if length_guessable(options, options[0]) or converges(options[1:], options[0]):
        return None
    setting = rng.choice(list(settings))
    stem = (
        f"Reviewing the quality management system of {_article(setting)}"
        f" {setting}, a consultant finds {m.parts['finding']}. What should the company do?"
    )
    # the mistake, what works and what does not, as one verbatim span of the guidance (as far
    # as its chunk goes: a long list may be cut after what works)
    text, start = m.chunk.text, m.chunk.text.find(m.quote)
    found = [(text.find(a, start), a) for a in (*own, m.parts["remedy"])]
    # each to the end of its sentence (a tempting response goes on with why it falls short)
    ends = [text.find(".", at + len(a)) + 1 for at, a in found if at >= 0]
    span = text[start : max(ends)] if start >= 0 and ends else m.quote
    cite = [Citation.from_chunk(1, m.chunk, span)]
    whys = [m.parts.get(k + "_why") for k in own_parts]
    after = m.after
    at_remedy = text.find(m.parts["remedy"], max(start, 0))
    # a response the chunk cut off, in its sentence of the next chunk (the bank read it there)
    beyond = {
        a: said
        for a in own
        if text.find(a, max(start, 0)) < 0
        and after
        and (said := re.search(rf"[^.]*\b{re.escape(a)}[^.]*\.", after.text))
    }
    if (
        start >= 0
        and whys
        and all(whys)
        and at_remedy >= 0
        and len(beyond) == len([a for a in own if text.find(a, max(start, 0)) < 0])
    ):
        # the weakness and what works, then why each tempting option falls short, in the
        # guidance's words (trainers asked for a reason per wrong option, not the whole
        # passage quoted)
        lead = text[start : text.find(".", at_remedy + len(m.parts["remedy"])) + 1]
        explanation = f'{where}The guidance on this weakness: "{_plain(lead)}" [1]'
        if beyond and after:
            rest = after.text[
                min(f.start() for f in beyond.values()) : max(f.end() for f in beyond.values())
            ]
            cite.append(Citation.from_chunk(2, after, rest.strip()))
        for action, why in zip(own, whys, strict=True):
            n = 2 if action in beyond else 1
            explanation += f' Not "{_short(_action(action))}": {why} [{n}].'
    else:
        explanation = f'{where}The guidance on this weakness: "{_plain(span)}" [1]'
        # what works or a response that the chunk cut off is quoted from the next chunk of
        # the document, which the bank read it from, as one span (trainers found an option
        # the key never explained, and a key that left out what works)
        cut_off = [a for a in (m.parts["remedy"], *own) if text.find(a, max(start, 0)) < 0]
        found_after = [
            said
            for a in cut_off
            if after and (said := re.search(rf"[^.]*\b{re.escape(a)}[^.]*\.", after.text))
        ]
        if after and found_after:
            rest = after.text[
                min(f.start() for f in found_after) : max(f.end() for f in found_after)
            ]
            cite.append(Citation.from_chunk(2, after, rest.strip()))
            explanation += f' "{_plain(rest.strip())}" [2]'
    # and where any wrong option from another mistake comes from (a trainer found only one
    # wrong option explained), and why it fails here: it leaves undone what works on this
    # one (a trainer found the other mistake quoted, and no reason given for this item)
    fix = m.parts["remedy"].rstrip(".")
    fails: dict[str, str] = {}
    for p in chosen:
        n = len(cite) + 1
        # the mistake and the sentence that calls this response tempting, with why it falls
        # short there, as one verbatim span (a trainer read the other mistake quoted alone as
        # a misattribution: the sentence that lists the response was not shown)
        text, at = p.chunk.text, p.chunk.text.find(p.quote)
        listed_at = text.find(p.parts["tempting"], max(at, 0))
        why = p.parts.get("tempting_why")
        why_at = text.find(why, listed_at) if why and at >= 0 and listed_at >= 0 else -1
        # (a long list of responses is cut into chunks: the sentence may open the next one)
        listed = (
            re.search(rf"[^.]*\b{re.escape(p.parts['tempting'])}[^.]*\.", p.after.text)
            if why and why_at < 0 and p.after is not None
            else None
        )
        if why and why_at >= 0:
            # to the end of that sentence (or of the chunk, where no full stop follows)
            end = text.find(".", why_at + len(why)) + 1 or len(text)
            cite.append(Citation.from_chunk(n, p.chunk, text[at:end]))
            fails[p.quote] = f", where {_plain(why)}"
            told = f'("{_plain(p.quote)}" [{n}]){fails[p.quote]} [{n}];'
        elif why and p.after is not None and listed and why in listed.group(0):
            cite.append(Citation.from_chunk(n, p.chunk, p.quote))
            cite.append(Citation.from_chunk(n + 1, p.after, listed.group(0).strip()))
            fails[p.quote] = f", where {_plain(why)}"
            told = f'("{_plain(p.quote)}" [{n}]){fails[p.quote]} [{n + 1}];'
        else:
            cite.append(Citation.from_chunk(n, p.chunk, p.quote))
            told = f'("{_plain(p.quote)}" [{n}]),'
        explanation += (
            f' Not "{_short(_action(p.parts["tempting"]))}": the guidance lists it among the'
            f" tempting responses to another mistake {told} and it does not {fix}, which is"
            " what works on this one."
        )
    feedback = {options[0]: "Right: this removes the cause of the weakness."}
    for option, why in zip(options[1 : 1 + len(own)], whys, strict=True):
        feedback[option] = (
            f"Not this: {why}."
            if why
            else "Not this: it is tempting, but it does not remove the cause of the weakness."
        )
    for p, option in zip(chosen, options[1 + len(own) :], strict=True):
        feedback[option] = (
            "Not this: the guidance lists it among the tempting responses to another mistake "
            f'("{_plain(p.quote)}"){fails.get(p.quote, "")}; and it does not {fix}, which is'
            " what works here."
        )
    if requirement is not None:
        # the requirement the weakness falls short of (two trainers asked for the ISO reason,
        # not only the guidance's words on the mistake); cited last, so the item's first
        # citation stays the point it tests
        named = [c for c in find_clauses(requirement.quote) if c.startswith(m.clause + ".")]
        if named:  # tagged with the sub-clause it cites (9.3.1 for a review left to others)
            m = replace(m, clause=named[0])
            where = f"ISO 9001:2015 clause {standard_label(m.clause)}. "
        n = len(cite) + 1
        cite.append(Citation.from_chunk(n, requirement.chunk, requirement.quote))
        body = explanation[explanation.index("The guidance on this weakness") :]
        explanation = f'{where}{body} {REQUIREMENT_LABEL}"{_plain(requirement.quote)}" [{n}]'
    return _first_keyed(m, stem, options, explanation, cite, difficulty, feedback)


def _requirement_for(
    assistant: Assistant, m: Material, pool: list[Material], vector: np.ndarray
) -> tuple[Material, np.ndarray] | None:
    """The requirement sentence of the scenario's clause closest to the weakness it describes,
    with its vector (the quiz then counts its point as tested). A sentence naming the clause
    itself ("Clause 10.2 requires ...") comes before one naming a sub-clause: the closest
    sub-clause by wording was often the wrong one (a trainer found "safeguarded from
    adjustments" quoted for calibrating items that verify nothing, and management review
    outputs for a review held without its input data). Of those, one from the scenario's own
    clause guide comes first (a trainer found a machine-shop sector note quoted for a dental
    lab, and an audit FAQ page on effectiveness reviews for a corrective action that stopped
    at correction)."""
    reqs = [
        p
        for p in pool
        if p.kind == "which-clause"
        and (titled(p.clause) == titled(m.clause) or p.clause.startswith(m.clause + "."))
    ]
    own = [p for p in reqs if p.quote.startswith(f"Clause {m.clause} ")]
    reqs = own or reqs
    reqs = [p for p in reqs if p.chunk.doc_id == m.chunk.doc_id] or reqs
    if not reqs:
        return None
    vectors = assistant.store.embeddings.encode_memo([p.quote for p in reqs])  # (``vector``: m's)
    best = int(np.argmax(vectors @ vector))
    return reqs[best], vectors[best]


def cued(assistant: Assistant, item: QuizItem) -> bool:
    """Whether the stem alone points to the key: of the options' clause titles (or, for a
    definition, the terms themselves), the key's reads clearly closest to the stem ("... pay to
    calibrate ..." -> Monitoring and measuring resources; "... to carry out a measurement ..."
    -> Measuring equipment). Such an item is recall, whatever its form."""
    if item.kind == "definition":
        titles = list(item.options)
    else:
        titles = [CLAUSE_TITLES.get(o.split(" ", 1)[0], "") for o in item.options]
    if not all(titles):
        return False
    vectors = assistant.store.embeddings.encode_memo([item.question] + titles)
    sims = vectors[1:] @ vectors[0]
    key = item.options.index(item.answer[0])
    others = np.delete(sims, key)
    return bool(sims[key] - others.max() >= CUED_MARGIN)


def key_position(placed: Sequence[QuizItem], kind: str, rng: random.Random) -> int:
    """Where the next single key goes: the letter the course's four-option items have keyed
    least, counting the items of the same kind twice, the seed breaking ties (a trainer found
    three of four definition items keyed A, each quiz having spread its own keys)."""
    used: Counter[int] = Counter()
    for item in placed:
        if item.multi or item.kind == "true-false" or len(item.options) != 4:
            continue
        at = item.options.index(item.answer[0])
        used[at] += 2 if item.kind == kind else 1
    fewest = min(used[p] for p in range(4))
    return rng.choice([p for p in range(4) if used[p] == fewest])


_CLAUSE_NUMBER = re.compile(r"\d+(?:\.\d+)*")


def _place(item: QuizItem, position: int, rng: random.Random) -> QuizItem:
    """Options shuffled with the (single) key at ``position``; true/false stays True, False;
    clause numbers in numerical order, the key's place following its number."""
    if item.kind == "true-false":
        return item
    rest = [o for o in item.options if o not in item.answer]
    rng.shuffle(rest)
    if item.multi:
        options = rest + item.answer
        rng.shuffle(options)
    else:
        position = min(position, len(item.options) - 1)
        options = rest[:position] + item.answer + rest[position:]
    if all(_CLAUSE_NUMBER.fullmatch(o) for o in options):
        # as exam writers set numbers (a trainer found all five clause items' options out of
        # numerical order)
        options.sort(key=clause_sort_key)
    item.options = options
    return item


def topic_clauses(topic: str) -> list[str]:
    """The clauses whose title the topic names in full ("management review" -> 9.3, 9.3.1 ...;
    "customer satisfaction" -> 9.1.2); none for a topic no title names ("calibration")."""
    wanted = match_words(topic)
    if not wanted:
        return []
    return [c for c, title in CLAUSE_TITLES.items() if wanted <= match_words(title)]


#: A glossary term belongs to a topic when the passages found for the topic name it this many
#: times more often than the corpus does, in at least SALIENT_HITS of them (set by eye on the
#: five reviewed topics: it keeps "Verification" and "Traceability" for calibration, "Top
#: management" for management review, "Effectiveness" and "Rework" for corrective action,
#: "Feedback" for customer satisfaction; it leaves out "Quality policy" for documented
#: information, at 5.8, and terms every passage names, such as "Record" and "Review").
SALIENT_LIFT = 6.0
SALIENT_HITS = 3


def _salient_terms(
    assistant: Assistant, pool: list[Material], texts: list[str], topic: str
) -> set[str]:
    """The glossary terms the topic's passages name far more often than the corpus does."""
    if not topic or not texts:
        return set()
    terms = {m.parts["term"] for m in pool if m.kind == "definition"}
    frequency = _term_frequency(assistant, frozenset(terms))
    out = set()
    for term in terms:
        hits = sum(names_term(t, term) for t in texts)
        share = frequency.get(term, 0.0)
        if hits >= SALIENT_HITS and share and (hits / len(texts)) / share >= SALIENT_LIFT:
            out.add(term)
    return {t for t in out if not is_topic_term(topic, t)}


_FREQUENCY: dict[tuple[int, frozenset[str]], dict[str, float]] = {}


def _term_frequency(assistant: Assistant, terms: frozenset[str]) -> dict[str, float]:
    """Per term, the share of the corpus's chunks that name it (kept per store and terms)."""
    chunks = assistant.store.all_chunks()
    key = (id(assistant.store), terms)
    if key not in _FREQUENCY or not chunks:
        n = max(len(chunks), 1)
        _FREQUENCY[key] = {t: sum(names_term(c.text, t) for c in chunks) / n for t in terms}
    return _FREQUENCY[key]


def relevant_material(
    assistant: Assistant, pool: list[Material], topic: str, clauses: Sequence[str]
) -> list[Material]:
    """Material about the topic or the clauses, most relevant first; when the topic names a
    clause's title, none keyed to another clause."""
    if clauses:
        chosen = [m for m in pool if any(clause_matches(m.clause, c) for c in clauses if m.clause)]
        if not topic:
            return chosen
        pool = chosen
    result = assistant.search(topic, k=TOPIC_HITS)
    if result.abstain or not result.hits:
        raise IsoguideError(
            f"The guidance does not cover {topic!r}, so no quiz can be built on it. "
            'Pick a topic the guidance covers, such as a clause ("7.2 competence") or '
            '"internal audit".'
        )
    docs = {h.chunk.doc_id for h in result.hits[:TOPIC_DOCS]}
    salient = _salient_terms(assistant, pool, [h.chunk.text for h in result.hits], topic)
    named = topic_clauses(topic)
    vecs = assistant.store.embeddings.encode_memo([topic] + [m.quote for m in pool])
    sims = vecs[1:] @ vecs[0]
    wanted = match_words(topic)
    ranked: list[tuple[float, Material]] = []
    for m, sim in zip(pool, sims, strict=True):
        close = m.chunk.doc_id in docs
        words = match_words(f"{m.quote} {m.chunk.title} {m.chunk.section}")
        cover = len(wanted & words) / len(wanted) if wanted else 0.0
        if m.kind == "definition" and m.parts["term"] in salient:
            # a term the guidance on the topic keeps using ("Verification" and "Traceability"
            # for calibration, "Effectiveness" for corrective action), whatever its clause
            ranked.append((float(sim) + TOPIC_WORDS_WEIGHT, m))
            continue
        # about the topic: names all of it, or comes from a top document and names part of it
        if cover >= 1.0 or (close and cover >= 0.5) or sim >= CLOSE_SIMILARITY:
            score = float(sim) + TOPIC_WORDS_WEIGHT * cover
            if named and (m.clause or m.kind != "definition"):  # (a term may name no clause)
                if not any(clause_matches(m.clause, c) for c in named if m.clause):
                    continue  # keyed to another clause: off the topic whatever its words
                score += TOPIC_CLAUSE_WEIGHT
            ranked.append((score, m))
    ranked.sort(key=lambda t: -t[0])
    return [m for _, m in ranked]


def generate_quiz(
    assistant: Assistant,
    topic: str = "",
    n: int = 5,
    seed: int | None = 0,
    kinds: Sequence[str] = KINDS,
    difficulty: str | None = None,
    clauses: Sequence[str] = (),
    unconfirmed: list[str] | None = None,
    held_back: list[str] | None = None,
    avoid: Sequence[QuizItem] = (),
) -> list[QuizItem]:
    """Up to ``n`` checked items on ``topic`` (and/or ``clauses``); the same seed gives the
    same quiz, ``seed=None`` a fresh one. Raises when the guidance cannot support any item.
    ``avoid`` holds the items of other quizzes of the same course: no item repeats their
    points, shares their options or cues them (a trainer found one definition item in two
    quizzes of a set, and one quiz's key among another's wrong options).
    ``unconfirmed``, when given, receives the points that were tried as items and dropped
    because the checker could not confirm them, each in full with what the checker did;
    ``held_back`` receives the rules that kept on-topic material out (for the shortfall note)."""
    if n < 1:
        raise IsoguideError(f"A quiz needs at least one question; n={n} was asked for.")
    if not topic.strip() and not clauses:
        raise IsoguideError("Give a topic or one or more clauses for the quiz.")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise IsoguideError(f"Unknown item type(s) {unknown}; pick from {', '.join(KINDS)}.")
    if difficulty is not None and difficulty not in DIFFICULTIES:
        raise IsoguideError(f"Difficulty must be one of {', '.join(DIFFICULTIES)}.")
    bad = [c for c in clauses if c not in CLAUSE_TITLES]
    if bad:
        raise IsoguideError(f"Unknown ISO 9001 clause(s) {bad}; use numbers such as 7.2 or 9.3.")
    # the seed with the request: one seed over several topics does not put their keys at
    # the same letters (a trainer found four of five definition items of a set keyed C)
    fresh = random.SystemRandom().randrange(10**9)
    rng = random.Random(f"{fresh if seed is None else seed}|{topic.strip().lower()}|{clauses}")
    chunks = assistant.store.all_chunks()
    pool = materials(chunks)
    confusable = _confusable(assistant, pool) if "definition" in kinds else {}
    contrasts = Contrasts(pool, assistant.store.embeddings)
    worded = worded_keys(pool) if "true-false" in kinds else set()
    titles: dict[str, np.ndarray] = {}
    together: Together = {}
    content: dict[str, np.ndarray] = {}
    places = assistant.store.embeddings.encode_memo(list(SETTINGS)) if "scenario" in kinds else None
    if set(kinds) & set(CLAUSE_ANSWERED):
        listed = [c for c in CLAUSE_TITLES if CLAUSE_TITLES[c] != "General"]
        vectors = assistant.store.embeddings.encode_memo([clause_outline(c) for c in listed])
        titles = dict(zip(listed, vectors, strict=True))
        together = named_together(c.text for c in chunks)
        content = clause_content(chunks)
    by_kind: dict[str, list[Material]] = {k: [] for k in kinds}
    for m in relevant_material(assistant, pool, topic.strip(), clauses):
        if m.kind in by_kind and (
            difficulty is None or FIXED_DIFFICULTY.get(m.kind, difficulty) == difficulty
        ):
            by_kind[m.kind].append(m)
    named = topic_clauses(topic.strip())
    top = min((clause_depth(c) for c in named), default=0)
    for k, ms in by_kind.items():  # the seed picks among the most relevant pieces of each kind
        if k == "which-clause" and top:
            # keys below the clause the topic names first: the quiz's title gives its own
            # clause away (a trainer's review), not which of its sub-clauses asks what
            ms = [m for m in ms if clause_depth(m.clause) > top] + [
                m for m in ms if clause_depth(m.clause) <= top
            ]
        head = ms[: max(2 * n, 6)]
        by_kind[k] = rng.sample(head, len(head)) + ms[len(head) :]
    items: list[QuizItem] = []
    used: set[str] = {c.quote for i in avoid for c in i.citations}
    tested: list[np.ndarray] = (
        list(assistant.store.embeddings.encode_memo([i.citations[0].quote for i in avoid]))
        if any(i.citations for i in avoid)
        else []
    )
    clauses_asked: set[str] = set()
    deferred: set[str] = set()
    order = [k for k in rng.sample(list(kinds), len(kinds))]
    if "scenario" in order and "which-clause" in order:
        # a scenario asks to apply the clause, a which-clause item to recall it; with one
        # clause-keyed item per clause the scenario gets the first go (trainers found quizzes
        # of recall only: no scenario delivered on single-clause topics)
        i, j = order.index("scenario"), order.index("which-clause")
        if i > j:
            order[i], order[j] = order[j], order[i]
    turn = 0
    idle = 0  # turns since a piece of material was last taken up
    cap = -(-n // len(kinds))  # a mixed quiz: no kind more than its share while others remain
    taken: Counter[str] = Counter()
    missed: list[str] = []
    rules: Counter[str] = Counter()

    #: scenarios regenerated once after the checker refused them, with the options it chose
    redrawn: dict[str, set[str]] = {}

    def waits(k: str) -> bool:  # a second item on a clause the quiz already asks for
        # (a clause that holds one already asked counts as asked: 9.1.2 answers most of 9.1;
        # a sub-clause of one asked does not: knowing 9.3 does not tell 9.3.2 from 9.3.3)
        if not by_kind[k] or not keyed_to_clause(by_kind[k][0]):
            return False
        clause = by_kind[k][0].clause
        return any(clause == c or c.startswith(clause + ".") for c in clauses_asked)

    while len(items) < n and any(by_kind.values()):
        kind = order[turn % len(order)]
        turn += 1
        others_left = any(
            by_kind[k] and taken[k] < cap and not waits(k) for k in kinds if k != kind
        )
        idle += 1
        if not by_kind[kind] or (taken[kind] >= cap and others_left):
            continue
        other_kinds = any(by_kind[k] for k in kinds if k not in CLAUSE_ANSWERED)
        if waits(kind):
            if other_kinds and idle <= 3 * len(order):  # (never wait for ever)
                continue  # other kinds first, even beyond their share
            # then never: two items keyed to one clause give each other away (a trainer
            # rejected a second corrective-action scenario keyed 10.2); the quiz is shorter
            rules[ONE_ITEM_PER_CLAUSE] += 1
            by_kind[kind].pop(0)
            continue
        capped = SHARE_CAPS.get(kind)
        if (
            capped
            and (len(kinds) > 1 or not capped.mixed_only)
            and taken[kind] >= max(1, int(n * capped.share))
        ):
            rules[capped.rule] += len(by_kind[kind])
            by_kind[kind].clear()
            continue
        idle = 0
        m = by_kind[kind].pop(0)
        if m.quote in used:
            continue
        if m.kind == "definition" and topic.strip() and is_topic_term(topic, m.parts["term"]):
            # the quiz's title would give the key away (a trainer found "Calibration" keyed
            # in a calibration quiz, "Customer satisfaction" in a customer-satisfaction one).
            # No stand-in: the terms whose names read closest to the topic were tried, and a
            # trainer found them off topic ("Quality management" in management review,
            # "Audit evidence" in documented information); the quiz is shorter instead
            rules[TOPIC_TERM_RULE] += 1
            continue
        vector = assistant.store.embeddings.encode_memo([m.quote])[0]
        if tested and float(np.max(np.stack(tested) @ vector)) >= SAME_POINT:
            rules[SAME_POINT_RULE] += 1
            continue  # a point the quiz already tests, in other words
        tf_keys = Counter(i.answer[0] for i in (*avoid, *items) if i.kind == "true-false")
        level = difficulty or FIXED_DIFFICULTY.get(m.kind) or DEFAULT_DIFFICULTY[m.kind]
        found = (
            _requirement_for(assistant, m, pool, vector)
            if m.kind == "scenario" and keyed_to_clause(m)
            else None
        )
        requirement = found[0] if found else None
        if m.kind == "scenario" and "remedy" in m.parts:
            # the requirement a what-should-the-company-do key cites: not a point the item
            # tests (its key is what works), so other items may still ask it
            cited = replace(m, clause=m.parts.get("clause") or m.clause)
            grounds = _requirement_for(assistant, cited, pool, vector)
            requirement = grounds[0] if grounds else None
        alike = (
            _confusion(m.clause, vector, titles, together, content)
            if m.kind in CLAUSE_ANSWERED
            else []
        )
        # a company the weakness fits (a trainer found "retrain the operator" set in a
        # software firm): the settings closest to the point, the seed picking among them
        # and not one the course has used already (a trainer found one print works twice)
        seen = [s for s in SETTINGS if any(s in i.question for i in (*avoid, *items))]
        # (with what works and the responses it may offer, which the setting must fit too: a
        # trainer found "repeat orders, returns, delivery feedback" keyed for an IT support
        # company, and "a new jig", "the workstation" and "the operator" offered to a software
        # firm)
        responses = " ".join(m.parts[k] for k in TEMPTING_PARTS if k in m.parts)
        story = (
            assistant.store.embeddings.encode_memo([f"{m.quote} {m.parts['remedy']}. {responses}"])[
                0
            ]
            if places is not None and "remedy" in m.parts
            else vector
        )
        fitting = (
            [
                SETTINGS[j]
                for j in np.argsort(-(places @ story))
                if SETTINGS[j] not in seen or len(seen) >= len(SETTINGS) - SETTING_CHOICES
            ][:SETTING_CHOICES]
            if places is not None and m.kind == "scenario"
            else list(SETTINGS)
        )

        def likeness(texts: Sequence[str], vector: np.ndarray = vector) -> np.ndarray:
            return assistant.store.embeddings.encode_memo(list(texts)) @ vector

        def closest(cands: Sequence[Material], vector: np.ndarray = vector) -> int:
            near = assistant.store.embeddings.encode_memo([c.quote for c in cands]) @ vector
            return int(np.argmax(near)) if float(np.max(near)) >= CONTRAST_FLOOR else -1

        keyed = {i.answer[0] for i in items if asks_clause(i)}
        offered = {o for i in items if asks_clause(i) for o in i.options}
        if keyed_to_clause(m) and m.clause in offered:
            rules[OFFERED_RULE] += 1  # its key is another item's wrong option: they pair off
            continue
        shown = {o for i in (*avoid, *items) for o in i.options} | redrawn.get(m.quote, set())
        item = _build(
            m,
            level,
            rng,
            pool,
            confusable,
            requirement,
            alike,
            fitting,
            contrasts,
            closest,
            keyed,
            shown,
            likeness,
            assistant.store.embeddings.encode_memo,
        )
        if item is None:
            continue
        if item.kind != "true-false" and absolute_cue(item.options, item.answer):
            rules[ABSOLUTE_RULE] += 1
            continue
        if avoid and (
            crossed(item, avoid) or gives_away(assistant, item, avoid) or _shares(item, avoid)
        ):
            rules[OTHER_QUIZ_RULE] += 1
            continue
        displaced: list[QuizItem] = []
        if gives_away(assistant, item, items):
            if item.kind == "true-false":
                rules[GIVEN_AWAY_RULE] += 1
                continue
            # the item asks more than the true/false statements its stem answers: they give
            # way to it once it is confirmed (a trainer found a customer-satisfaction quiz of
            # true/false items only, its which-clause items left out for stating them)
            displaced = [
                i for i in items if i.kind == "true-false" and gives_away(assistant, item, [i])
            ]
        if crossed(item, items):
            rules[CROSSED_RULE] += 1
            continue
        if item.kind in (*CLAUSE_ANSWERED, "definition") and cued(assistant, item):
            if difficulty in ("medium", "hard"):
                continue  # a look-up, not the difficulty asked for
            item.difficulty, item.bloom = "easy", "remember"
        # (``tf_keys`` counts across the course: its quizzes' keys together)
        ahead = tf_keys[item.answer[0]] > sum(tf_keys.values()) - tf_keys[item.answer[0]]
        ahead = ahead or framing_cues(item, (*avoid, *items)) or m.quote in worded
        if item.kind == "true-false" and m.quote not in deferred and by_kind[kind] and ahead:
            # "True" and "False" take turns while both are at hand: a quiz of "False"
            # keys teaches learners to answer "False" to anything that says "has to"; and
            # a framing ("has to", "can") that already went with one key waits for the other,
            # and so does a statement whose words give its answer away (``worded_keys``)
            deferred.add(m.quote)
            by_kind[kind].append(m)
            continue
        if (
            item.kind == "true-false"
            and item.answer == [FALSE]
            and SPECIFIC_DETERMINER.search(item.question)
        ):
            # test-wise learners answer a false statement saying "every" or "always" without
            # knowing the point (two reviews found it; of the guidance's statements with such
            # a word, 44 of 49 are false)
            rules[DETERMINER_RULE] += 1
            continue
        item = _place(item, key_position((*avoid, *items), item.kind, rng), rng)
        check = check_quiz_item(assistant, item.question, item.options, item.answer)
        if (
            not check.agrees
            and m.kind == "scenario"
            and m.quote not in redrawn
            and sum(k in m.parts for k in TEMPTING_PARTS) > 3
        ):
            # regenerated once before it is given up (the issue: an item the checker cannot
            # confirm is regenerated, not shown), without the response the checker preferred
            # to the key: read against the guidance, it may pass for what works
            redrawn[m.quote] = set(check.chosen) - set(item.answer)
            by_kind[kind].insert(0, m)
            continue
        if not check.agrees:
            missed.append(_point(m, item))
            continue  # the checker cannot confirm it: not shown; the next material is tried
        item.checked = check.verdict
        for gone in displaced:
            items.remove(gone)
            taken["true-false"] -= 1
            rules[GIVEN_AWAY_RULE] += 1
        used.add(m.quote)
        tested.append(vector)
        if found is not None:  # the requirement its key teaches is tested too
            used.add(found[0].quote)
            tested.append(found[1])
        if keyed_to_clause(m):
            clauses_asked.add(m.clause)
        taken[kind] += 1
        items.append(item)
    items = _unnamed(assistant, items, rules)
    if not items:
        raise IsoguideError(
            f"Could not build a quiz item on {topic or ', '.join(clauses)!r} that the checker "
            "confirms against the guidance. Try a broader topic or other item types."
        )
    if unconfirmed is not None:
        unconfirmed.extend(dict.fromkeys(missed))
    if held_back is not None:
        held_back.extend(
            f"{rule} ({count} passage{'s' if count > 1 else ''} of the guidance)"
            for rule, count in rules.items()
        )
    return items


def _unname_clause(stem: str, clause: str) -> str:
    """``stem`` with its mentions of ``clause`` ("Clause 7.1.5 applies ...") put as the clause's
    subject ("The clause on monitoring and measuring resources applies ...")."""
    title = CLAUSE_TITLES[titled(clause)]
    words = f"the clause on {title[0].lower() + title[1:]}"
    pattern = re.compile(rf"(?i)(?<![\d.])(?:(?:sub)?clause\s+)?{re.escape(clause)}(?![\d]|\.\d)")

    def sub(m: re.Match[str]) -> str:
        before = stem[: m.start()].rstrip()
        return words[0].upper() + words[1:] if not before or before[-1] in ".?!:" else words

    return pattern.sub(sub, stem)


def _unnamed(assistant: Assistant, items: list[QuizItem], rules: Counter[str]) -> list[QuizItem]:
    """Items whose stem names a clause a which-clause or scenario item of the same quiz is
    keyed to or offers, reworded to name the clause's subject instead (a trainer found "Clause 9.3.2
    lists ..." in one stem giving away "Which clause ...? 9.3" in another). A reworded stem is
    kept only when the checker still confirms the item; otherwise the item is left out (counted
    in ``rules``)."""
    # (the clauses such an item offers too: "Clause 9.3.2 lists what the review must
    # consider" beside "which clause requires outputs ...? 9.3.2 / 9.3.3" leaves one option,
    # a trainer found)
    keyed = {titled(c) for i in items if asks_clause(i) for c in (*i.clauses, *i.options)}
    out = []
    for item in items:
        named = [
            c
            for c in find_clauses(item.question)
            if not asks_clause(item) and any(clause_matches(c, k) for k in keyed)
        ]
        if named:
            stem = item.question
            for c in named:
                stem = _unname_clause(stem, c)
            check = check_quiz_item(assistant, stem, item.options, item.answer)
            if not check.agrees:
                # kept as it was it would give the other item's answer away (a trainer found
                # "Clause 7.1.5 ..." in a true/false stem beside a scenario keyed 7.1.5)
                rules[NAMED_CLAUSE_RULE] += 1
                continue
            item = replace(item, question=stem, checked=check.verdict)
        out.append(item)
    return out


def regenerate_item(
    assistant: Assistant,
    items: list[QuizItem],
    index: int,
    topic: str,
    seed: int,
    kinds: Sequence[str] = KINDS,
    difficulty: str | None = None,
    clauses: Sequence[str] = (),
) -> QuizItem:
    """A replacement for item ``index``: a checked item of the same kind not already in the quiz."""
    old = items[index]
    taken = {i.question for i in items}
    wanted = [old.kind] if old.kind in KINDS else list(kinds)
    for attempt in range(1, 6):
        fresh = generate_quiz(
            assistant,
            topic,
            n=len(items) + 2,
            seed=seed * 31 + attempt,
            kinds=wanted,
            difficulty=difficulty,
            clauses=clauses,
        )
        new = [i for i in fresh if i.question not in taken]
        if new:
            return new[0]
    raise IsoguideError("No other checked item of this type was found; try another type.")


def _point(m: Material, item: QuizItem) -> str:
    """A point the checker could not confirm, whole, as a trainer would write it by hand: its
    clause, the item tried, the guidance it rests on and what the checker did instead."""
    where = f"clause {m.clause}: " if m.clause else ""
    did = "the answer checker could not confirm its key from the guidance"
    if item.kind == "true-false":  # the statement tried is not in the guidance's words
        tried = f'"{item.question}" (key {item.answer[0]})'
        return f'{where}{tried}, from the guidance: "{_plain(m.quote)}" ({did})'
    return f'{where}"{_plain(m.quote)}" (tried as a {item.kind} item; {did})'


#: Rules that keep on-topic material out of a quiz, as the shortfall note names them.
ONE_ITEM_PER_CLAUSE = "a second clause-keyed item on a clause already asked"
SAME_POINT_RULE = "a point the quiz already tests in other words"
GIVEN_AWAY_RULE = "a true/false statement another item's question states"
GIVE_AWAY_SHARE = 0.85
DETERMINER_RULE = 'a false statement saying "every", "always" or "only", which gives it away'
CROSSED_RULE = "a term another item names in its question or options"
TRUE_FALSE_RULE = "true/false items beyond a quarter of the quiz"
DEFINITION_RULE = "definitions beyond a fifth of the quiz"
WHICH_CLAUSE_RULE = "which-clause items beyond a quarter of the quiz"


class ShareCap(NamedTuple):
    """The most of a quiz one item type may take, and the rule the trainer note names."""

    share: float
    rule: str
    mixed_only: bool  # only in a quiz of several types


SHARE_CAPS = {
    "true-false": ShareCap(MAX_TRUE_FALSE_SHARE, TRUE_FALSE_RULE, False),
    "definition": ShareCap(MAX_DEFINITION_SHARE, DEFINITION_RULE, True),
    "which-clause": ShareCap(MAX_WHICH_CLAUSE_SHARE, WHICH_CLAUSE_RULE, True),
}
ABSOLUTE_RULE = 'options where the key alone says no "every", "all" or "altogether"'
OTHER_QUIZ_RULE = "an item another quiz of the course already asks, or whose options it uses"
TOPIC_TERM_RULE = "a definition of the quiz's own topic, which its title gives away"
OFFERED_RULE = "a clause another item offers as a wrong option"
NAMED_CLAUSE_RULE = "a question naming the clause another item asks for"
_STEM_FRAME = re.compile(
    r"(?i)in quality management, which term means:|quality management system|iso 9001:2015"
)


def names_term(text: str, term: str) -> bool:
    """Whether ``text`` names ``term`` in any form of its words ("calibrate" and "calibration
    register" name "Calibration"; "customers' satisfaction" names "Customer satisfaction"): each
    word of the term in turn, a long word by its first letters (all but its last three, at
    least six), a short one whole with up to two more letters."""
    parts = []
    for word in re.findall(r"[a-z0-9]+", term.lower()):
        if word.endswith("ness") and len(word) >= 8:
            # a quality by its adjective ("effective" names "Effectiveness": a trainer found
            # "... was effective?" one item before the definition of effectiveness)
            parts.append(re.escape(word[:-4]) + r"\w*")
            continue
        head = word[: max(6, len(word) - 3)] if len(word) >= 6 else word
        parts.append(re.escape(head) + (r"\w*" if len(word) >= 6 else r"\w{0,2}"))
    if not parts:
        return False
    return re.search(r"(?i)\b" + r"\W+".join(parts) + r"\b", text) is not None


def is_topic_term(topic: str, term: str) -> bool:
    """Whether ``term`` is what the quiz's ``topic`` names: the topic names it, and it makes up
    at least half of the topic's words ("Calibration" for "calibration", "Customer
    satisfaction" for "customer satisfaction"; not "Quality" for "quality management
    system", whose title cues no definition of quality)."""
    return names_term(topic, term) and 2 * len(match_words(term)) >= len(match_words(topic))


def crossed(item: QuizItem, items: Sequence[QuizItem]) -> bool:
    """Whether a definition item and another item cue each other: the defined term is an
    option of another definition item (a trainer found "Calibration" and "Measuring equipment"
    each the other's key and distractor), or another item's question uses the term ("top
    management to review the QMS" before "which term means: a deliberate look at ...")."""

    def names(text: str, term: str) -> bool:
        # the words every stem is framed in name no term ("In quality management, which term
        # means:", "... its quality management system")
        return names_term(_STEM_FRAME.sub(" ", text), term)

    pairs = [(item, o) for o in items] + [(o, item) for o in items]
    for defined, other in pairs:
        if defined.kind != "definition":
            continue
        term = defined.answer[0]
        if other.kind == "definition" and (
            term in other.options or other.answer[0] in defined.options
        ):
            return True
        if other.kind != "true-false" and names(other.question, term):
            return True  # (a true/false statement may be false: it does not teach the term)
    return False


def _shown_statements(item: QuizItem) -> list[str]:
    """What an item shows learners that may state a point: its stem, and a key that is a
    statement rather than a clause or a term (a trainer found "... using short checklists,
    flowcharts or photos" keyed in a scenario answer the next true/false item on formats)."""
    # (a multi-select key states a point however short: a trainer found "The adequacy of
    # resources" keyed in one item and asked as a true/false statement in the next)
    return [item.question] + [
        a for a in item.answer if item.kind == "multi-select" or len(a.split()) > TERM_WORDS
    ]


def gives_away(assistant: Assistant, item: QuizItem, items: Sequence[QuizItem]) -> bool:
    """Whether ``item`` and one of ``items`` answer each other: a which-clause, scenario,
    definition or multi-select stem states the requirement it asks about, so a true/false
    statement on the same point is answered by reading that stem (a trainer found "a company
    has to monitor customer satisfaction" answered by the next item's "which clause requires
    the company to monitor how customers perceive ..."). Decided by the key-point matcher
    fitted on judged (point, sentence) pairs: does the stem state the statement? A hint is
    enough to give an answer away, so the cut is a little looser than the matcher's "states
    it" (GIVE_AWAY_SHARE of it; set by eye on eight topics, where it flags only the pair
    above, the next-highest pair sitting at 0.74 of the cut-off)."""
    from ..eval.keypoints import fitted_matcher

    matcher = fitted_matcher()
    if matcher is None:
        return False
    if item.kind == "true-false":
        points = [tf_statement(item.question)]
        stems = [t for i in items if i.kind != "true-false" for t in _shown_statements(i)]
    else:
        points = [tf_statement(i.question) for i in items if i.kind == "true-false"]
        stems = _shown_statements(item)
    if not points or not stems:
        return False
    looser = replace(matcher, threshold=GIVE_AWAY_SHARE * matcher.threshold)
    points = [p.removeprefix(TF_SCOPE) for p in points]
    return bool(looser.table(points, stems, assistant.store.embeddings).any())


def shortfall(
    items: Sequence[QuizItem],
    asked: int,
    unconfirmed: Sequence[str] = (),
    held_back: Sequence[str] = (),
) -> str:
    """What to tell a trainer who got fewer items than asked ("" when none are missing): the
    rules that kept material out (only those that did), and every on-topic point that was
    tried but not confirmed by the checker, in full, so the trainer knows what to write by
    hand."""
    if len(items) >= asked:
        return ""
    note = f"{len(items)} of the {asked} items asked for passed the checks."
    if held_back:
        note += (
            " Guidance left unused so that items neither repeat nor give each other away: "
            + "; ".join(held_back)
            + "."
        )
    if unconfirmed:
        asked_for = {c for i in items if asks_clause(i) for c in i.clauses}

        def hint(point: str) -> str:
            # a point on a clause the quiz already asks for, written as another "which clause"
            # item, would repeat that item's answer (a trainer's review of this note)
            m = re.match(r"clause ([\d.]+):", point)
            if m and any(clause_matches(m.group(1), c) for c in asked_for):
                return (
                    f" Item {_asking(items, m.group(1))} already asks for this clause: write "
                    "it as a true/false or a what-should-the-company-do item."
                )
            return ""

        note += (
            f" Points the guidance makes that did not become a confirmed item "
            f"({len(unconfirmed)}), worth writing by hand:\n"
            + "\n".join(f"- {p}{hint(p)}" for p in unconfirmed)
        )
    elif not held_back:
        note += " The guidance on this topic holds no further material for these item types."
    return note


def _shares(item: QuizItem, others: Sequence[QuizItem]) -> bool:
    """Whether ``item`` offers an option (other than a clause number or True/False) that one
    of ``others`` offers too: a key in one item and a wrong option in another teach opposite
    things (a trainer found that between two quizzes of one course)."""
    mine = {o.strip().lower() for o in item.options if len(o.split()) > 1 or not o[0].isdigit()}
    mine -= {TRUE.lower(), FALSE.lower()}
    return any(o.strip().lower() in mine for other in others for o in other.options)


def _asking(items: Sequence[QuizItem], clause: str) -> int:
    """The number of the first item whose answer is ``clause`` (or a clause within it)."""
    return next(
        n
        for n, i in enumerate(items, start=1)
        if asks_clause(i) and any(clause_matches(clause, c) for c in i.clauses)
    )


def spread(items: Sequence[QuizItem]) -> dict[str, int]:
    """How often the key sits at each letter (single-answer, non true/false items)."""
    counts: dict[str, int] = {}
    for item in items:
        if not item.multi and item.kind != "true-false":
            letter = item.key_letters
            counts[letter] = counts.get(letter, 0) + 1
    return counts
