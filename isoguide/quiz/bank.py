"""The material quiz items are made from, read out of the served chunks of the guidance:
requirement sentences naming a clause, "Common mistakes", yes/no answers under "Questions
people ask", bulleted lists that follow a lead sentence, and glossary definitions.

Each ``Material`` keeps the chunk and the verbatim sentence it came from, so every item cites
the guidance; clause titles come from ``isoguide.clauses``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..clauses import CLAUSE_TITLES, VALID_CLAUSES, find_clauses
from ..models import Chunk
from ..sentences import COUNTER_SECTION, REMEDY, TEMPTING, leans_back

_REQUIRES = re.compile(r"^Clause (\d+(?:\.\d+)+) (requires|asks) (.{40,220})\.$")
_MISTAKE = re.compile(
    r"^(?:-\s+)?(?:(?:A|Another|One|The most) (?:common |frequent |typical )?"
    r"(?:mistake|weakness|error|pitfall) is (?:to )?|(?:Many|Some) (?:small )?"
    r"(?:firms|companies|businesses|teams|owners) )(.{30,200})\.$"
)
#: Where a requirement sentence goes on to a second statement ("..., and where delivery
#: dates are agreed, on-time delivery is ..."): a stem stops there (a trainer's review found
#: such a stem ungrammatical as a question).
#: (", so date the review ...": advice after the requirement, not part of it)
_SECOND_STATEMENT = re.compile(
    r",\s+(?:(?:and|but|so)\s+(?:where|when|if|because|whereas)|but|so)\b|;\s"
)


#: ", and" before a new subject ("..., and a van exposes instruments to heat"): a second
#: statement too (a trainer found "which clause requires equipment to be safeguarded, and a
#: van exposes ...?" garbled), unless a comma before it makes it the end of a list
#: ("the nature, any actions taken, and the results of ...")
_NEW_SUBJECT = re.compile(r",\s+and\s+(?:a|an|the|its|their|this|these|that|it|they|ISO)\s")


def _first_clause(rest: str) -> str:
    """``rest`` up to a second statement, when enough is left to ask about."""
    cuts = [c.start() for c in [_SECOND_STATEMENT.search(rest)] if c]
    joined = _NEW_SUBJECT.search(rest)
    if joined and "," not in rest[: joined.start()]:
        cuts.append(joined.start())
    cut = min(cuts, default=len(rest))
    return _third_person(rest[:cut] if cut >= 30 else rest)


def _third_person(text: str) -> str:
    """A stem speaks of the company, as every other stem does ("asks you to decide" reads
    "asks the company to decide"; a trainer flagged "your processes" in one stem)."""
    text = re.sub(r"\byour\b", "the company's", text)
    return re.sub(r"\byou\b", "the company", text)


#: A list lead that introduces one company's case rather than guidance.
_ILLUSTRATIVE = re.compile(r"(?i)\b(?:might|could|for example|for instance)\b|\b\d+-person\b")
TERM_USES = 3  # uses of a term in one clause guide that tag its definition with that clause
#: The parts a scenario's tempting responses to its own mistake are kept under, in order (the
#: guidance gives five per mistake; an item offers three of them).
TEMPTING_PARTS = ("tempting", "tempting2", "tempting3", "tempting4", "tempting5")


#: Words that join a second verb to the first in a weakness ("... and never looking at ...").
_COORDINATED = re.compile(
    r"(?P<join>(?:,\s+then|\s+(?:and|but|or))(?P<adverb>\s+(?:then|never|not|later|still|only))?"
    r"\s+)(?P<verb>[a-z]+ing)\b(?=\s+(?P<next>\w+))"
)
#: Words that open a verb's object or complement ("taking no action", "ignoring the ..."):
#: after them an "-ing" word that can also be a noun ("building services") is a verb.
_OBJECT_OPENERS = frozenset(
    [
        "a",
        "an",
        "the",
        "no",
        "any",
        "all",
        "every",
        "each",
        "some",
        "their",
        "its",
        "his",
        "her",
        "them",
        "it",
        "this",
        "that",
        "these",
        "those",
        "what",
        "whether",
        "how",
        "who",
        "to",
        "at",
        "on",
        "in",
        "about",
        "for",
        "with",
        "up",
        "out",
    ]
)
#: Where a weakness turns to examples ("such as registering ... or disposing of ..."): the
#: "-ing" words after it belong to the examples, not to the mistake's own verbs.
_EXAMPLES = re.compile(r"(?i)\b(?:such as|for example|e\.g\.|including)\b")


def _base(word: str) -> str | None:
    """The base form of a gerund ("writing" -> "write"), or None when ``word`` is not one."""
    from lemminflect import getLemma

    if not word.endswith("ing"):
        return None
    lemma = getLemma(word, upos="VERB")
    return lemma[0] if lemma and lemma[0] != word else None


def weakness(finding: str, infinitive: bool) -> str:
    """A common mistake as something a consultant finds: "that its managers write a thick
    manual ..." for "writing a thick manual ..." (its coordinated gerunds made verbs too:
    "and never look at ..."), or for "is to launch ..."; a thing found stays a noun phrase
    ("a tick-box audit that ..."). A trainer found stems such as "notes this weakness: launch
    a full investigation ..." ungrammatical."""
    first, _, rest = finding.partition(" ")
    if infinitive:
        return f"that its managers {finding}"
    verb = _base(first)
    if verb is None:
        return finding
    cut = _EXAMPLES.search(rest)
    head, tail = (rest[: cut.start()], rest[cut.start() :]) if cut else (rest, "")
    return f"that its managers {verb} {_COORDINATED.sub(_second_verb, head)}{tail}"


def _second_verb(m: re.Match[str]) -> str:
    """A coordinated gerund as a verb ("and never looking" -> "and never look"), unless it may
    be a noun there ("and building services")."""
    from lemminflect import getAllLemmas

    word = m.group("verb")
    base = _base(word)
    noun = "NOUN" in getAllLemmas(word)
    if base is None or (noun and not m.group("adverb") and m.group("next") not in _OBJECT_OPENERS):
        return m.group(0)
    return m.group(0)[: m.start("verb") - m.start()] + base


_POINTS_BACK = re.compile(r"(?i)\b(?:all (?:two|three|four|five)|these|those)\b")
_CONSEQUENCE = re.compile(r"^[^,]{0,30},\s+so\b")
_CONDITIONAL = re.compile(r"(?i)(unless|provided|if|when|as long as|only if|except)\b")
_YES_NO_Q = re.compile(r"^(Do|Does|Can|Must|Should|Will) (.+)\?$")
#: "- **Term**: text" or "- **Term** (ISO 9000:2015, 3.11.6): text", the vocabulary's term number
_GLOSSARY = re.compile(r"(?m)^- \*\*([^*]{3,40})\*\*(?: \((ISO 9000:2015, 3(?:\.\d+)+)\))?: (.+)$")
#: A list of three entries or more; one of three (the management review outputs) is asked
#: about only as the source of wrong options (``KEYED_ENTRIES``).
_LIST = re.compile(r"(?m)^([^\n#-][^\n]{20,}):\n\n((?:- [^\n]+\n?){3,})")
#: entries a list needs before a "Which TWO" item asks about it
KEYED_ENTRIES = 4
_PRONOUNS = {
    "we": "a company",  # not "a small company": a learner reads "small" as the condition
    "us": "it",
    "our": "the company's",
    "you": "a company",
    "your": "the company's",
}
_ADVERBS = {"just", "still", "also", "really", "ever", "always", "simply", "only", "even", "now"}
_IRREGULAR = {"have": "has", "do": "does", "be": "is", "go": "goes"}


@dataclass
class Material:
    """One piece of guidance an item can be built from."""

    kind: str
    chunk: Chunk
    quote: str  # a verbatim slice of ``chunk.text``
    clause: str  # the clause the item tests ("" when none)
    parts: dict[str, str] = field(default_factory=dict)
    items: list[str] = field(default_factory=list)  # list entries (multi-select)
    after: Chunk | None = None  # the next chunk, when the material was read across a cut


def clause_depth(clause: str) -> int:
    return clause.count(".") + 1


def clause_to_ask(clause: str) -> str:
    """The clause an item should name: a sub-clause titled only "General" names its parent."""
    while clause_depth(clause) > 2 and (
        CLAUSE_TITLES.get(clause, "General") == "General" or clause_depth(clause) > 3
    ):
        clause = clause.rsplit(".", 1)[0]
    return clause if clause in VALID_CLAUSES else ""


def neighbours(clause: str, hard: bool) -> list[str]:
    """Clauses at the same depth, nearest first (``hard``) or from other main clauses."""
    depth = clause_depth(clause)
    same = [
        c
        for c in CLAUSE_TITLES
        if clause_depth(c) == depth
        and c != clause
        and CLAUSE_TITLES[c] != "General"
        and not c.startswith(clause + ".")
    ]
    key = [int(p) for p in clause.split(".")]

    def distance(c: str) -> tuple[int, ...]:
        parts = [int(p) for p in c.split(".")]
        return (abs(parts[0] - key[0]), abs(sum(parts) - sum(key)))

    ordered = sorted(same, key=distance)
    if hard:
        return ordered
    return [c for c in ordered if c.split(".")[0] != clause.split(".")[0]] or ordered


def conjugate(verb: str) -> str:
    """Third person singular of a base verb ("need" -> "needs")."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if re.search(r"(s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


#: Base verbs a yes/no question's subject is followed by (from the corpus's questions).
BASE_VERBS = frozenset(
    [
        "have",
        "need",
        "require",
        "keep",
        "use",
        "stop",
        "guarantee",
        "disappear",
        "mean",
        "apply",
        "replace",
        "cover",
        "include",
        "act",
        "get",
        "write",
        "hold",
        "make",
        "do",
        "be",
        "appoint",
        "pay",
        "expect",
        "combine",
        "outsource",
        "buy",
        "rely",
        "accept",
        "cut",
        "choose",
        "certify",
        "say",
        "ask",
        "add",
        "lose",
        "allow",
        "approve",
        "own",
        "lapse",
        "ban",
        "remove",
        "affect",
        "demand",
        "start",
        "treat",
        "take",
        "publish",
        "sign",
    ]
)


def to_statement(question: str) -> str | None:
    """A yes/no question as the statement it asks about, or None when its grammar is unsure.

    "Do we need a quality manual?" -> "A company needs a quality manual."
    """
    match = _YES_NO_Q.match(question.strip())
    if not match:
        return None
    aux, rest = match.group(1), match.group(2).split()
    # "we ... our" is "a company ... its", not "a company ... the company's" (a trainer found
    # "to monitor the company's delivery performance" in a true/false statement)
    own = "its" if rest[0].lower() in ("we", "you") else _PRONOUNS["our"]
    if rest[0].lower() in ("our", "your"):
        rest = ["a", "company's"] + rest[1:]
    rest = [_PRONOUNS.get(rest[0].lower(), rest[0])] + [
        own if w.lower() in ("our", "your") else _PRONOUNS.get(w.lower(), w) for w in rest[1:]
    ]
    verb_at = next((i for i, w in enumerate(rest) if w in BASE_VERBS and i > 0), None)
    if verb_at is None or verb_at > 6:
        return None
    if match.group(2).split()[0].lower() in ("we", "you"):
        # after "we" the verb comes next (adverbs aside): a later known verb means the real
        # one is unknown ("Can we calibrate our own equipment ...?" read "own" as the verb:
        # "a company calibrate its can own equipment", a slip)
        first = next((i for i, w in enumerate(rest) if i > 0 and w.lower() not in _ADVERBS), None)
        if verb_at != first:
            return None
    subject, verb, tail = rest[:verb_at], rest[verb_at], rest[verb_at + 1 :]
    if {"that", "which", "who", "if", "when"} & {w.lower() for w in subject}:
        return None  # the verb found belongs to a clause inside the question ("... that do")
    if any(w == _PRONOUNS["we"] for w in subject[1:]):
        # "Does the master gauge we use to check ... need ...?": the verb found ("use")
        # belongs to a clause with its own subject inside the question (a slip: "... a
        # company uses to check ... need ...")
        return None
    # "Can our register just be ...?": the adverb stays after the auxiliary ("... can just
    # be"), not before it ("... register just can be", which a trainer marked as a slip)
    adverbs: list[str] = []
    while len(subject) > 1 and subject[-1].lower() in _ADVERBS:
        adverbs.insert(0, subject.pop())
    later = "the company" if subject[:2] == ["a", "company's"] else _PRONOUNS["we"]
    tail = _later_we(tail, "it" if subject[0] == _PRONOUNS["we"] else later)
    if aux in ("Do", "Does"):
        singular = aux == "Does" or subject[0] == "a company"
        words = subject + adverbs + [conjugate(verb) if singular else verb] + tail
    else:
        words = subject + [aux.lower()] + adverbs + [verb] + tail
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


#: Verbs that take no "-s" after "it" ("it can", "it must").
_MODALS = {"can", "could", "may", "might", "must", "shall", "should", "will", "would", "did"}
_PLURAL_BE = {"are": "is", "were": "was", "have": "has", "do": "does"}


def _later_we(tail: list[str], pronoun: str) -> list[str]:
    """A "we" after the verb with its verb in the third person: "... every risk it
    identifies" when the company is the subject already (``pronoun`` "it"), else "... everything
    a company does"; a trainer-facing statement had read "a company identify"."""
    out = list(tail)
    for i, word in enumerate(tail):
        if word != _PRONOUNS["we"] or i + 1 >= len(out):
            continue
        out[i] = pronoun
        j = i + 1
        while j < len(out) and out[j].lower() in _ADVERBS:
            j += 1
        if j < len(out) and re.fullmatch(r"[a-z]+", out[j]) and out[j] not in _MODALS:
            out[j] = _PLURAL_BE.get(out[j]) or conjugate(out[j])
    return out


def _end_of(text: str, quote: str) -> int:
    at = text.find(quote)
    return at + len(quote) if at >= 0 else len(text)


def _next_sentence(text: str, end: int) -> str:
    """The sentence after ``text[:end]`` in its paragraph ("" at a paragraph's end or a list):
    what the guidance says next, for an explanation that teaches more than the key."""
    rest = text[end:]
    if rest.startswith("\n\n") or re.match(r"\s*([-*+|#]|\d+[.)])\s", rest):
        return ""
    following = _sentences(rest.split("\n\n", 1)[0])
    if not following or not following[0].endswith(".") or len(following[0]) > 260:
        return ""
    return following[0]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])|\n+", text) if s.strip()]


def _entry_rest(text: str) -> str:
    """The rest of a list entry cut into paragraphs: the text up to the next entry, heading,
    table or blank-line paragraph break that starts something else ("- ", "#", "|")."""
    match = re.match(r"(?:\n\n(?![-#|])[^\n]+)+", text)
    return match.group(0) if match else ""


def _opening_after(chunk: Chunk | None, ending: str) -> str:
    """The next chunk's text after the overlap it repeats (``ending``, the last sentence of
    the chunk before), as "\n\n" + text, so ``_entry_rest`` reads it as a continuation."""
    if chunk is None:
        return ""
    text = chunk.text
    tail = _sentences(ending)[-1] if ending else ""
    at = text.find(tail) if tail else -1
    return "\n\n" + (text[at + len(tail) :] if at >= 0 else text).lstrip()


def _next_chunks(chunks: list[Chunk]) -> dict[int, Chunk]:
    """Each passage chunk's successor in its document (by ``id`` of the chunk)."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    out: dict[int, Chunk] = {}
    for group in by_doc.values():
        group.sort(key=lambda c: c.position)
        for a, b in zip(group, group[1:], strict=False):
            if a.section == b.section:
                out[id(a)] = b
    return out


def _cited_below(text: str, quote: str, clause: str) -> str:
    """The first sub-clause of ``clause`` that the paragraph of ``quote`` cites from there on
    ("" when none): a mistake's paragraph often ends on the requirement it breaks."""
    start = text.find(quote)
    if start < 0 or not clause:
        return ""
    end = text.find("\n\n", start)
    paragraph = text[start : end if end >= 0 else len(text)]
    below = (clause_to_ask(c) for c in find_clauses(paragraph))
    return next((c for c in below if c.startswith(clause + ".")), "")


def materials(chunks: list[Chunk]) -> list[Material]:
    """Every piece of material in the chunks, in corpus order."""
    out: list[Material] = []
    following = _next_chunks(chunks)
    for chunk in chunks:
        clauses = [c for c in chunk.clauses if c in VALID_CLAUSES]
        main = clause_to_ask(clauses[0]) if clauses else ""
        clause_doc = main if chunk.title.lower().startswith("clause") else ""
        heading = chunk.section.split(" > ")[-1]
        sentences = _sentences(chunk.text)
        for k, sentence in enumerate(sentences):
            bare = re.sub(r"^-\s+", "", sentence)
            req = _REQUIRES.match(bare)
            if (
                req
                and not find_clauses(req.group(3))
                and "clause" not in req.group(3).lower()
                and not leans_back(bare)  # "retained for both": a stem must stand alone
                # "... to confirm all three": a stem pointing at what it does not show (a
                # trainer's review); ", so minutes saying only ... give weak evidence": a
                # consequence that is no requirement, leaving "requires outputs" to ask about
                and not _POINTS_BACK.search(req.group(3))
                and not _CONSEQUENCE.match(req.group(3))
            ):
                # the sub-clause the sentence names, not its document's clause: "Clause 9.3.3
                # requires ..." is keyed 9.3.3 against 9.3.2, where learners slip, and in a
                # management-review quiz a key of 9.3 is given away by the quiz's title
                answer = clause_to_ask(req.group(1))
                # (no true/false item states a requirement plainly, keyed True: two trainers
                # rejected one as testing no misconception, guessable as "standard-sounding")
                if answer:
                    out.append(
                        Material(
                            "which-clause",
                            chunk,
                            bare,
                            answer,
                            {
                                "verb": req.group(2),
                                "rest": _first_clause(req.group(3)),
                                "more": _next_sentence(chunk.text, _end_of(chunk.text, bare)),
                            },
                        )
                    )
            mistake = _MISTAKE.match(bare)
            if (
                mistake
                and COUNTER_SECTION.search(chunk.section)
                and main
                and not find_clauses(mistake.group(1))
            ):
                noun = bare.startswith(("A ", "Another", "One", "The"))
                finding = mistake.group(1)
                said = weakness(finding, infinitive=" is to " in bare) if noun else None
                # "that its managers ..." (a clause) or a thing found ("a tick-box audit that
                # ..."): the stem reads "a consultant finds ..." either way; with what fixes
                # the mistake and what does not, when the guidance says so next
                parts = {"finding": said or f"that its managers {finding}"}
                # the sub-clause the guidance cites on this mistake ("Clause 9.3.1 places the
                # review with top management"), for the item's clause tag (a trainer found 9.3
                # cited where the mistake is 9.3.1's)
                below = _cited_below(chunk.text, bare, main)
                if below:
                    parts["clause"] = below
                # (a long list is cut into chunks: what follows may open the next one, which
                # repeats the last sentence of this one)
                wanted = 1 + len(TEMPTING_PARTS)  # what works, then the tempting responses
                after_it = sentences[k + 1 : k + 1 + wanted]
                beyond_cut = None
                if len(after_it) < wanted and id(chunk) in following:
                    beyond_cut = following[id(chunk)]
                    more = _sentences(beyond_cut.text)
                    after_it += [t for t in more if t not in after_it][: wanted - len(after_it)]
                nexts = [re.sub(r"^-\s+", "", t) for t in after_it]
                remedy = REMEDY.match(nexts[0]) if nexts else None
                tempting = [TEMPTING.match(t) for t in nexts[1:wanted]]
                if remedy and tempting and tempting[0]:
                    parts["remedy"] = remedy.group("action")
                    # up to five responses that tempt on this very mistake
                    for key, found in zip(TEMPTING_PARTS, tempting, strict=False):
                        if found is None:
                            break
                        parts[key] = found.group("action")
                        if found.group("why"):  # "it falls short because ...", for the key
                            parts[key + "_why"] = found.group("why")
                out.append(Material("scenario", chunk, bare, main, parts, after=beyond_cut))
        body = chunk.text.lstrip()
        yes_no = re.match(r"^(Yes|No)[.,]?\s+(.+?[.!?])(?:\s|$)", body)
        statement = to_statement(heading) if heading.endswith("?") else None
        # "Yes, briefly." says too little; "No, unless ..." is true only on a condition the
        # statement leaves out: neither makes an unambiguous true/false item
        hedged = yes_no is not None and (
            len(yes_no.group(2).split()) < 4 or bool(_CONDITIONAL.match(yes_no.group(2)))
        )
        if (
            yes_no
            and statement
            and not hedged
            and not re.search(r"\b(it|this|that|they)\b", statement[:12])
        ):
            cited = [clause_to_ask(c) for c in find_clauses(yes_no.group(0))]
            out.append(
                Material(
                    "true-false",
                    chunk,
                    yes_no.group(0).strip(),
                    next((c for c in cited if c), clause_doc),
                    {
                        "statement": statement,
                        "truth": yes_no.group(1),
                        "reason": yes_no.group(2),
                        "more": _next_sentence(body, yes_no.end()),
                    },
                )
            )
        for found in _GLOSSARY.finditer(chunk.text):
            term, definition = found.group(1), found.group(3)
            # a list longer than a chunk's paragraph limit was cut into sentences: the rest of
            # an entry follows in this chunk (it joins the quote), or opens the next chunk
            # (it only names the entry's clause: a quote stays within its own chunk)
            after = chunk.text[found.end() :]
            if own := _entry_rest(after):
                definition = chunk.text[found.start(3) : found.end() + len(own)]
            beyond = (
                ""
                if after.strip()
                else _entry_rest(_opening_after(following.get(id(chunk)), definition))
            )
            first = _sentences(definition)[0]
            masked = re.sub(
                rf"^(?:An? |The )?{re.escape(term)}\s+(is|means|are)\s+", "", first, flags=re.I
            )
            term_words = set(re.findall(r"[a-z]{4,}", term.lower()))
            leaks = term_words and term_words <= set(re.findall(r"[a-z]{4,}", masked.lower()))
            if masked != first and term.lower() not in masked.lower() and not leaks:
                in_entry = find_clauses(f"{definition} {beyond}")
                tag = next((clause_to_ask(c) for c in in_entry), "")
                out.append(
                    Material(
                        "definition",
                        chunk,
                        # "**Term** (ISO 9000:2015, 3.11.6): text", verbatim from the chunk
                        (chunk.text[found.start() + 2 : found.start(3)] + definition).strip(),
                        tag,
                        {"term": term, "masked": masked.rstrip("."), "ref": found.group(2) or ""},
                    )
                )
        for lead, block in _LIST.findall(chunk.text):
            entries = [e.strip() for e in re.findall(r"(?m)^- (.+)$", block)]
            lead_clauses = find_clauses(lead)
            tag = clause_to_ask(lead_clauses[0]) if lead_clauses else main
            lead_sentences = _sentences(lead)
            if len(lead_sentences) > 1 and len(lead_sentences[-1]) < 30:
                lead = " ".join(lead_sentences[:-1])  # "... consider. The inputs are:"
            # a list that illustrates ("A 12-person machine shop might list these entries:")
            # holds one company's case, not guidance: a trainer found a worked example's
            # "The shop depends on one CNC programmer ..." among management review inputs
            if tag and not any("**" in e for e in entries) and not _ILLUSTRATIVE.search(lead):
                out.append(Material("multi-select", chunk, lead, tag, {"lead": lead}, entries))
    return _tag_definitions(out, chunks)


def _tag_definitions(out: list[Material], chunks: list[Chunk]) -> list[Material]:
    """A term whose entry cites no clause is tagged with the clause whose guide uses it most
    (at least ``TERM_USES`` times): a trainer found "Quality manual" tagged with no clause."""
    texts: dict[str, list[str]] = {}
    for chunk in chunks:
        if chunk.title.lower().startswith("clause") and chunk.clauses:
            clause = clause_to_ask(chunk.clauses[0]) if chunk.clauses[0] in VALID_CLAUSES else ""
            if clause:
                texts.setdefault(clause, []).append(chunk.text.lower())
    joined = {c: "\n".join(t) for c, t in texts.items()}
    tagged = []
    for m in out:
        if m.kind == "definition" and not m.clause and joined:
            term = re.compile(rf"\b{re.escape(m.parts['term'].lower())}\b")
            uses = {c: len(term.findall(text)) for c, text in joined.items()}
            best = max(uses, key=lambda c: uses[c])
            if uses[best] >= TERM_USES:
                m = replace(m, clause=best)
        tagged.append(m)
    return tagged
