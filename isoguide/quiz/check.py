"""Checking a quiz item against the guidance: which option(s) the retrieved evidence supports.

Extractive, no language model. The stem is read first (``forms.read_stem``): a negated stem
picks the least supported option(s), "Which TWO" picks two, "all / none of the above" is
decided from how many of the other options the guidance supports, and a true/false item
compares the polarity of the statement with the guidance sentence that matches it best.
Each option is scored against sentences of the chunks retrieved for the question : embedding similarity, the share of the option's
distinguishing words found in the sentence, and how much better the sentence fits this
option than the others. A clause named in an option meets the clauses the sentence cites.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..assistant import Assistant
from ..clauses import clause_matches, clause_outline, find_clauses
from ..errors import IsoguideError
from ..models import Chunk, Citation
from ..sentences import COUNTER_SECTION, clean_sentences
from ..text import Sentence, match_words
from .forms import StemForm, read_stem, tf_statement
from .glossary import Definition, best_match, glossary
from .items import FALSE, LETTERS, TRUE

EVIDENCE_CHUNKS = 10
OPTION_CHUNKS = 0  # chunks retrieved per option (0: the question's chunks only; fitted on tune)
SIM_WEIGHT = 1.0  # similarity of a sentence to "question + option"
LEXICAL_WEIGHT = 0.35  # IDF-weighted share of the option's distinguishing words in the sentence
RELEVANCE_SIM = 0.3  # the sentence must be about the question (similar to it) ...
RELEVANCE_WORDS = 0.2  # ... and share its rarer words, not only echo the option
CLAUSE_BONUS = 0.25  # every option is a clause and the sentence cites this one
DEFINES_WEIGHT = 0.5  # the sentence defines the option's term ("Corrective action is ...")
STEM_TERM_WEIGHT = 0.3  # the unit defines a term the stem names ("Check means ..."; tune)
CONTRAST_WEIGHT = 1.0  # a sentence is evidence for an option as far as it fits it better
POLARITY_PENALTY = 0.08  # a sentence whose negation differs from the option's supports it less
COUNTER_PENALTY = 0.15  # "common mistakes" describe what not to do
REFUTATION_WEIGHT = 0.7  # an option loses as far as a sentence denies its words
OPTION_SIM = 0.5  # share of the similarity taken to the option alone (rest: question + option)
NEGATION_SCOPE = 8  # tokens after "not", "no", "never" ... that a negation covers
NEGATED_OPTIONS = True  # an option with "not" is refuted by a unit stating its words plainly
DISTINCT_WORDS = True  # match only the words that set an option apart from the others
UNIT_HEADINGS = True  # prefix a Q&A answer's sentences with its question
SUPPORTED = 0.9  # absolute support above which an option counts as stated by the guidance
CONFIDENT_MARGIN = 0.03
TF_HEADING_SIMILARITY = 0.8  # a "Questions people ask" heading this close asks the same thing
#: a term's glossary entry this close to a definition stem names it (tune plateau 0.3-0.45)
DEFINITION_MATCH = 0.4
TERM_WORDS = 5  # options this short are terms, not statements
TITLE_WEIGHT = 1.0  # a named clause's titles fit the stem (or the option); tune plateau 1.0-3.0
#: a list entry whose list is introduced as another clause's than the one the stem names
#: ("Clause 9.3.3 lists what the review must produce" for a stem on clause 9.3.2's inputs)
#: supports less, one introduced as the stem's own clause's more. No tune item changes
#: between 0 and 0.3 (accuracy 0.732 throughout; 0.707 at 0 and 0.2 on the corpus with
#: the fourth round of pairs); eight generated "Which TWO are management
#: review inputs?" items offering outputs as wrong options are confirmed 1, 4, 8 and 8 of 8
#: at 0, 0.1, 0.2 and 0.3 (``/work/exp/s29/sweep.py``)
LIST_CLAUSE_WEIGHT = 0.2
#: The standard's clauses before clause 4, which ``CLAUSE_TITLES`` (for checklists) leaves out.
_FRONT_CLAUSES = {"1": "Scope", "2": "Normative references", "3": "Terms and definitions"}
_TOP_CLAUSE = re.compile(r"(?i)\b(?:clause|section)\s+(10|[1-9])\b(?!\.\d)")
_NEGATION = re.compile(
    r"(?i)\b(not|no|never|none|neither|nor|without|cannot|isn't|aren't|doesn't|don't|"
    r"forbids?|prohibits?|optional|no longer)\b"
)
#: Words that frame a definition stem ("How does ISO 9000 define ...?") around its term.
_FRAMING = match_words(
    "what is are does do how define defined definition defines mean means meant meaning "
    "term called known describe describes best iso 9000 9001 2015 standard according"
)
_DEFINES = re.compile(
    r"^\W*(?:an?\s+|the\s+)?(?P<term>[A-Za-z][\w-]*(?:\s+[\w-]+){0,3}?)\W*"
    r"(?::|\s+(?:means|is defined as|stands for|refers to)\b)"
)
_YES_NO = re.compile(r"^(Yes|No)\b")
#: Negation for scoring options (polarity and denial); the wider ``_NEGATION`` reads
#: true/false statements, where "does not forbid" must count as two negations.
_OPTION_NEGATION = re.compile(
    r"(?i)\b(not|no|never|none|neither|nor|without|isn't|aren't|doesn't|don't)\b"
)

#: Cues that deny what follows them in a guidance sentence ("removed the requirement to ...").
_TF_CUE = re.compile(
    r"(?i)(not|no|never|none|neither|nor|without|cannot|isn't|aren't|doesn't|don't|"
    r"removed|dropped|abolished|eliminated|withdrawn|forbids?|prohibits?)"
)
_RESTRICTED = re.compile(r"(?i)\b(only|solely|exclusively)\b")
_UNRESTRICTED = re.compile(r"(?i)\bnot\s+(?:only|solely|exclusively|just)\b")
_TF_FRAME = re.compile(
    r"(?i)^\s*(?:under|according to|in|per|as per)\s+(?:the\s+)?ISO\s*900[01](?::\d{4})?"
    r"(?:\s+standard)?\s*,\s*"
)
_TF_POST_CUE = re.compile(r"(?i)(gone|removed|dropped|abolished|eliminated|withdrawn)")
_BE = {"is", "are", "was", "were", "been", "be"}
_CLAUSE_BREAK = {",", ";", ":", "(", ")", "and", "but", "or", "while", "whereas", "because", "so"}

#: A sentence of a chunk; ``sentence.text`` is a verbatim slice of ``chunk.text``.
Evidence = tuple[Chunk, Sentence]


@dataclass
class QuizCheck:
    """Which option(s) the guidance supports, how sure that is, and the evidence."""

    chosen: list[str]
    scores: dict[str, float]
    agrees: bool | None
    verdict: str
    evidence: list[Citation] = field(default_factory=list)
    confident: bool = False

    def to_json(self) -> dict[str, Any]:
        scores = {k: round(v, 4) for k, v in self.scores.items()}
        return {**asdict(self), "scores": scores, "evidence": [c.to_json() for c in self.evidence]}


_IDF_CACHE: dict[tuple[int, int], dict[str, float]] = {}


def _idf(chunks: list[Chunk]) -> dict[str, float]:
    """Inverse document frequency of each word over the served chunks (cached per chunk list)."""
    key = (id(chunks), len(chunks))
    if key not in _IDF_CACHE:
        df: dict[str, int] = {}
        for c in chunks:
            for w in match_words(c.text):
                df[w] = df.get(w, 0) + 1
        _IDF_CACHE.clear()
        _IDF_CACHE[key] = {w: math.log((len(chunks) + 1) / (d + 0.5)) for w, d in df.items()}
    return _IDF_CACHE[key]


def _coverage(wanted: set[str], found: list[set[str]], idf: dict[str, float]) -> np.ndarray:
    """IDF-weighted share of ``wanted`` words present in each evidence unit."""
    default = max(idf.values(), default=1.0)
    weights = {w: idf.get(w, default) for w in wanted}
    total = sum(weights.values()) or 1.0
    return np.array([sum(v for w, v in weights.items() if w in f) / total for f in found])


def _evidence(assistant: Assistant, asked: str, options: list[str]) -> list[Evidence]:
    """Sentences of the chunks retrieved for the question and for the question with each
    option; nothing when the guidance covers none of these."""
    results = [assistant.search(asked, k=EVIDENCE_CHUNKS)]
    if OPTION_CHUNKS:
        results += [assistant.search(f"{asked} {o}", k=OPTION_CHUNKS) for o in options]
    if all(r.abstain for r in results):
        return []
    chunks = list({h.chunk.chunk_id: h.chunk for r in results for h in r.hits}.values())
    return [(c, s) for c in chunks for s in clean_sentences(c)]


def _unit_text(chunk: Chunk, sentence: Sentence) -> str:
    """A sentence with the question it answers, when it sits under a "Questions people ask"
    heading (the heading says what "No." or "it" refers to)."""
    heading = chunk.section.split(" > ")[-1]
    if UNIT_HEADINGS and heading.endswith("?"):
        return f"{heading} {sentence.text}"
    return sentence.text


def _support(
    assistant: Assistant, asked: str, options: list[str], evidence: list[Evidence]
) -> tuple[np.ndarray, np.ndarray]:
    """Options x units: how well each unit states each option as the answer to the question;
    and per option how clearly some unit denies it ("no longer requires a manual")."""
    texts = [_unit_text(c, s) for c, s in evidence]
    n = len(options)
    vecs = assistant.store.embeddings.encode_memo(
        [asked] + [f"{asked} {o}" for o in options] + options + texts
    )
    q_v, qo_v, o_v, ev_v = vecs[0], vecs[1 : n + 1], vecs[n + 1 : 2 * n + 1], vecs[2 * n + 1 :]
    ev_negated = np.array([bool(_OPTION_NEGATION.search(s.text)) for _, s in evidence])
    q_negated = bool(_OPTION_NEGATION.search(asked))
    counter = np.array([bool(COUNTER_SECTION.search(c.section)) for c, _ in evidence])
    ev_denied = [_negated_words(s.text) for _, s in evidence]
    refuted = np.zeros(n)
    idf = _idf(assistant.store.all_chunks())
    ev_words = [match_words(t) for t in texts]
    q_words = match_words(asked)
    option_words = [match_words(o) - q_words or match_words(o) for o in options]
    shared = set.intersection(*option_words) if n > 1 else set()
    q_cover = _coverage(q_words, ev_words, idf)
    relevance = RELEVANCE_SIM * (ev_v @ q_v) + RELEVANCE_WORDS * q_cover
    ev_clauses = [find_clauses(s.text) or list(c.clauses[:1]) for c, s in evidence]
    relevance = relevance + LIST_CLAUSE_WEIGHT * _list_fit(asked, evidence)
    named_clauses = [find_clauses(o) or re.findall(r"(?i)\bclause\s+(\d+)\b", o) for o in options]
    # a unit that defines a term the stem names ("Check means ..." for "the 'Check' phase")
    stem_text = f" {asked.lower()} "
    defines_stem_term = np.array(
        [
            bool((m := _DEFINES.match(s.text)) and f" {m.group('term').lower()} " in stem_text)
            for _, s in evidence
        ],
        dtype=float,
    )
    rows = []
    for i, option in enumerate(options):
        own = (option_words[i] - shared if DISTINCT_WORDS else option_words[i]) or option_words[i]
        dense = OPTION_SIM * (ev_v @ o_v[i]) + (1 - OPTION_SIM) * (ev_v @ qo_v[i])
        mismatch = ev_negated != (bool(_OPTION_NEGATION.search(option)) != q_negated)
        row = (
            SIM_WEIGHT * dense
            + LEXICAL_WEIGHT * _coverage(own, ev_words, idf)
            - POLARITY_PENALTY * mismatch
            - COUNTER_PENALTY * counter
        )
        if not _OPTION_NEGATION.search(option):
            refuted[i] = float((_coverage(own, ev_denied, idf) * (ev_v @ qo_v[i])).max())
        elif NEGATED_OPTIONS:
            # "did not have to retain records": refuted by a unit stating those words plainly
            denied = _negated_words(option) - q_words
            if denied:
                # ... unless another unit states them negated, as the option does
                said = _coverage(denied, ev_words, idf) * (ev_v @ qo_v[i])
                plain = float((said * ~ev_negated).max())
                negated = float((said * ev_negated).max())
                refuted[i] = max(0.0, plain - negated)
        named = named_clauses[i]
        if all(named_clauses):  # every option is a clause: which one the sentence cites decides
            row = row + CLAUSE_BONUS * np.array(
                [
                    any(clause_matches(a, b) or b.startswith(a + ".") for a in named for b in ec)
                    for ec in ev_clauses
                ]
            )
        term = re.sub(r"(?i)^(an?|the)\s+", "", option).strip(" .")
        if 0 < len(term.split()) <= 4:
            defines = re.compile(
                rf"(?i)^\W*(?:an?\s+|the\s+)?{re.escape(term)}\W*(?::|\s+(?:means|is|are|covers|stands for)\b)"
            )
            mask = np.array([bool(defines.match(s.text)) for _, s in evidence])
            row = row + DEFINES_WEIGHT * mask * q_cover
        rows.append(row + relevance + STEM_TERM_WEIGHT * defines_stem_term)
    return np.stack(rows), refuted


def _list_lead(chunk: Chunk, sentence: Sentence) -> str:
    """The line introducing the list a sentence is an entry of ("Clause 9.3.2 lists what the
    review must consider. The inputs are:"); "" for a sentence that is no list entry, or
    whose list starts before its chunk does."""
    line_start = chunk.text.rfind("\n", 0, sentence.start) + 1
    if not chunk.text[line_start:].lstrip().startswith(("- ", "* ")):
        return ""
    for line in reversed(chunk.text[:line_start].splitlines()):
        if line.strip() and not line.lstrip().startswith(("- ", "* ")):
            return line
    return ""


def _list_fit(asked: str, evidence: list[Evidence]) -> np.ndarray:
    """Per unit: +1 for an entry of a list introduced as the clause the stem names, -1 for
    one introduced as another clause's, 0 otherwise (or when the stem names no clause)."""
    named = find_clauses(asked)
    out = np.zeros(len(evidence))
    if not named:
        return out
    for j, (chunk, sentence) in enumerate(evidence):
        lead = find_clauses(_list_lead(chunk, sentence))
        if lead:
            same = any(clause_matches(a, b) for a in lead for b in named)
            out[j] = 1.0 if same else -1.0
    return out


def _clause_names(text: str, bare: bool) -> list[str]:
    """Clauses ``text`` names: "7.1.5", "Clause 7", "section 9"; with ``bare``, also an option
    that is only a number ("7", for "Which section ...?")."""
    found = find_clauses(text) or _TOP_CLAUSE.findall(text)
    if not found and bare and re.fullmatch(r"\s*(10|[1-9])\s*", text):
        found = [text.strip()]
    return found


def _clause_text(clause: str) -> str:
    """A clause with its title and the titles of its subclauses ("Clause 7 Support: Resources;
    People; ..."), for matching what a stem or an option says about it."""
    return f"Clause {clause} " + clause_outline(clause, _FRONT_CLAUSES.get(clause, ""))


def _title_fit(assistant: Assistant, asked: str, options: list[str]) -> np.ndarray:
    """Per option, how much better the named clause's titles fit than the other options' do.
    When every option names a clause ("Clause 7", or a bare "7" after "Which section ..."), the
    stem is matched with each option's clause; when only the stem names one clause, each option
    is matched with that clause. Zero otherwise."""
    n = len(options)
    bare = bool(re.search(r"(?i)\b(clause|section)s?\b", asked))
    named = [_clause_names(o, bare) for o in options]
    in_stem = _clause_names(asked, False)
    encode = assistant.store.embeddings.encode
    if n > 1 and all(named):
        texts = [_clause_text(c) for cs in named for c in cs]
        vecs = encode([asked] + texts)
        sims, k = [], 1
        for cs in named:
            sims.append(float((vecs[k : k + len(cs)] @ vecs[0]).max()))
            k += len(cs)
        fit = np.array(sims)
    elif n > 1 and len(set(in_stem)) == 1 and not any(named):
        vecs = encode([_clause_text(in_stem[0])] + options)
        fit = vecs[1:] @ vecs[0]
    else:
        return np.zeros(n)
    return np.array([fit[i] - np.delete(fit, i).mean() for i in range(n)])


def _contrast(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per option: its best unit's score, raised by how much better the unit fits it than the
    other options; and the index of that unit."""
    n = table.shape[0]
    scores, best = np.zeros(n), np.zeros(n, dtype=int)
    for i in range(n):
        others = np.delete(table, i, axis=0).mean(axis=0) if n > 1 else 0.0
        combined = table[i] + CONTRAST_WEIGHT * (table[i] - others)
        best[i] = int(np.argmax(combined))
        scores[i] = float(combined[best[i]])
    return scores, best


def _negated_words(text: str) -> set[str]:
    """Words within a few tokens after a negation ("does not require a quality manual")."""
    tokens = re.findall(r"[\w.'-]+", text.lower())
    out: set[str] = set()
    for i, token in enumerate(tokens):
        if _OPTION_NEGATION.fullmatch(token):
            out |= match_words(" ".join(tokens[i + 1 : i + 1 + NEGATION_SCOPE]))
    return out


def _negations(text: str) -> int:
    return len(_NEGATION.findall(text))


def _scoped(text: str) -> set[str]:
    """Words a negation cue covers (a NegEx-style scope): up to ``NEGATION_SCOPE`` tokens after
    a cue such as "not" or "removed", or back from a trailing cue ("... are gone"), never past
    a comma, semicolon or a conjunction that starts another clause."""
    tokens = re.findall(r"[\w'-]+|[,;:()]", text.lower())
    out: set[str] = set()
    for i, token in enumerate(tokens):
        if _TF_CUE.fullmatch(token):
            span = tokens[i + 1 : i + 1 + NEGATION_SCOPE]
        elif _TF_POST_CUE.fullmatch(token) and i and tokens[i - 1] in _BE:
            span = tokens[max(0, i - 1 - NEGATION_SCOPE) : i - 1][::-1]
        else:
            continue
        words = []
        for t in span:
            if t in _CLAUSE_BREAK:
                break
            words.append(t)
        out |= match_words(" ".join(words))
    return out


def _denies(statement: str, text: str, idf: dict[str, float]) -> bool:
    """Whether ``text`` negates what ``statement`` is about: most of the words they share (IDF
    weighted) sit in the scope of a negation cue of ``text``. "ISO 9001 does not require a
    manual, and no longer requires ..." denies "ISO 9001 requires a manual", though its two
    cues would cancel out if they were only counted; "... not just once" does not deny a
    statement about improvement. With no shared words, the count of cues decides."""
    restricted = _RESTRICTED.search(statement) and not _UNRESTRICTED.search(statement)
    if restricted and _UNRESTRICTED.search(text):  # "only to gauges" against "not only gauges"
        return True
    shared = match_words(statement) & match_words(text)
    if not shared:
        return _negations(text) % 2 == 1
    return bool(_coverage(shared, [_scoped(text)], idf)[0] >= 0.5)


def _check_true_false(
    assistant: Assistant, question: str, options: list[str], evidence: list[Evidence]
) -> tuple[str, int]:
    """True or False, and the unit that decided it: a "Questions people ask" answer opening
    with Yes/No to the same question decides; otherwise the polarity of the closest unit."""
    statement = tf_statement(question)
    texts = [s.text for _, s in evidence]
    headings = [c.section.split(" > ")[-1] for c, _ in evidence]
    # a heading asks the claim itself: framing ("Under ISO 9001:2015, ...") is left out of
    # the comparison, since the guidance's questions seldom repeat it
    claim = _TF_FRAME.sub("", statement) or statement
    vecs = assistant.store.embeddings.encode_memo([statement] + texts + headings + [claim])
    st_v, ev_v = vecs[0], vecs[1 : len(texts) + 1]
    hd_v, claim_v = vecs[len(texts) + 1 : -1], vecs[-1]
    idf = _idf(assistant.store.all_chunks())
    fit = ev_v @ st_v + 0.5 * _coverage(
        match_words(statement), [match_words(t) for t in texts], idf
    )
    for j in np.argsort(-(hd_v @ claim_v)):
        chunk, _ = evidence[j]
        body = chunk.text.lstrip()
        if float(hd_v[j] @ claim_v) < TF_HEADING_SIMILARITY:
            break
        yes_no = _YES_NO.match(body)
        if yes_no and headings[j].endswith("?"):
            same = [k for k in range(len(evidence)) if evidence[k][0].chunk_id == chunk.chunk_id]
            unit = max(same, key=lambda k: fit[k])
            truth = (yes_no.group(1) == "Yes") == (_negations(statement) % 2 == 0)
            return (TRUE if truth else FALSE), unit
    j = int(np.argmax(fit))
    truth = (_negations(statement) % 2 == 1) == _denies(statement, texts[j], idf)
    return (TRUE if truth else FALSE), j


def _check_definition(
    assistant: Assistant, form: StemForm, question: str, options: list[str]
) -> tuple[int, np.ndarray, Definition] | None:
    """For a definition item, the option the glossary decides, its scores and the entry that
    decided; None when the item is not of that shape or the glossary does not decide it."""
    if form.true_false or form.negated or (form.count or 1) != 1:
        return None
    terms = glossary(assistant.store.all_chunks())
    content = form.content
    embeddings = assistant.store.embeddings
    scores = np.full(len(options), -1.0)
    if all(len(options[i].split()) <= TERM_WORDS for i in content):
        # the stem defines, the options are terms: whose entry reads like the stem?
        found = [(i, d) for i in content for d in terms.lookup(options[i])]
        if not found:
            return None
        sims, _ = best_match(embeddings, [form.asked], [d.text for _, d in found])
        for (i, _), sim in zip(found, sims, strict=True):
            scores[i] = max(scores[i], float(sim))
        k = int(np.argmax(sims))
        if sims[k] < DEFINITION_MATCH:
            return None
        return found[k][0], scores, found[k][1]
    if form.definition or re.search(r"(?i)(?:^\W*|[,;:]\s*)what\s+(is|are)\b", question):
        # the stem names a term, the options are definitions: which reads like its entry?
        entries = terms.named_in(form.asked)
        if not entries or match_words(form.asked) - match_words(entries[0].term) - _FRAMING:
            return None  # no entry, or the stem asks about more than the term itself
        sims, which = best_match(
            embeddings, [d.text for d in entries], [options[i] for i in content]
        )
        for i, sim in zip(content, sims, strict=True):
            scores[i] = float(sim)
        k = int(np.argmax(sims))
        return content[k], scores, entries[int(which[k])]
    return None


def _pick(form: StemForm, scores: np.ndarray, support: np.ndarray) -> list[int]:
    """Indices of the chosen options, reading the stem's form."""
    content = form.content
    supported = [i for i in content if support[i] >= SUPPORTED]
    all_option, none_option = form.all_option, form.none_option
    # a definition stem names one term, so "all of the above" cannot be its answer
    if all_option is not None and not form.definition and len(supported) == len(content) >= 2:
        return [all_option]
    if none_option is not None and not supported and not form.negated:
        return [none_option]
    order = sorted(content, key=lambda i: scores[i], reverse=not form.negated)
    if form.count is None:
        return sorted(supported or order[:1])
    return sorted(order[: form.count])


def check_quiz_item(
    assistant: Assistant,
    question: str,
    options: list[str],
    answer: str | list[str] | None = None,
) -> QuizCheck:
    """Score each option against the retrieved guidance and pick the supported one(s)."""
    options = [o.strip() for o in options]
    if len(options) < 2 or len(set(options)) != len(options) or not all(options):
        raise IsoguideError(
            f"A quiz item needs at least two distinct, non-empty options; got {options!r}."
        )
    given = None if answer is None else ([answer] if isinstance(answer, str) else list(answer))
    form = read_stem(question, options, len(given) if given and len(given) > 1 else None)
    defined = _check_definition(assistant, form, question, options)
    if defined is not None:
        i, scores, entry = defined
        ranked = sorted(scores, reverse=True)
        confident = bool(ranked[0] - ranked[1] >= CONFIDENT_MARGIN)
        verdict = (
            f"The guidance's definition of {entry.term!r} fits option {LETTERS[i]} "
            f"({options[i]!r}) best."
        )
        if not confident:
            verdict += " The margin over the next option is small, so check it against the sources."
        return QuizCheck(
            [options[i]],
            {o: float(s) for o, s in zip(options, scores, strict=True)},
            None if given is None else sorted(given) == [options[i]],
            verdict,
            [Citation.from_chunk(1, entry.chunk, entry.text)],
            confident,
        )
    content = [options[i] for i in form.content]
    evidence = _evidence(assistant, tf_statement(form.asked), [] if form.true_false else content)
    if not evidence:
        return QuizCheck(
            [],
            {o: 0.0 for o in options},
            None if given is None else False,
            "The guidance does not clearly support any option: it does not cover this question.",
        )
    if form.true_false:
        verdict_option, unit = _check_true_false(assistant, question, options, evidence)
        chosen_i = [next(i for i, o in enumerate(options) if o.lower() == verdict_option.lower())]
        scores = np.array([1.0 if i in chosen_i else 0.0 for i in range(len(options))])
        best = np.array([unit] * len(options))
        margin = 1.0
    else:
        table, refuted = _support(assistant, form.asked, content, evidence)
        part, part_best = _contrast(table)
        part = part - REFUTATION_WEIGHT * refuted
        if TITLE_WEIGHT:
            part = part + TITLE_WEIGHT * _title_fit(assistant, form.asked, content)
        scores = np.full(len(options), -1.0)
        support = np.zeros(len(options))
        best = np.zeros(len(options), dtype=int)
        for k, i in enumerate(form.content):
            scores[i], best[i], support[i] = part[k], part_best[k], table[k].max()
        chosen_i = _pick(form, scores, support)
        ranked = sorted((scores[i] for i in form.content), reverse=not form.negated)
        cut = len([i for i in chosen_i if i in form.content])
        margin = abs(ranked[cut - 1] - ranked[cut]) if 0 < cut < len(ranked) else 1.0
    chosen = [options[i] for i in chosen_i]
    confident = bool(margin >= CONFIDENT_MARGIN)
    agrees = None if given is None else sorted(given) == sorted(chosen)
    labels = " and ".join(f"{LETTERS[i]} ({options[i]!r})" for i in chosen_i)
    if form.negated and not form.true_false:
        verdict = f"The guidance supports option {labels} least, so it is the exception asked for."
    else:
        verdict = f"The guidance supports option {labels} best."
    if not confident:
        verdict += " The margin over the next option is small, so check it against the sources."
    cited = [i for i in chosen_i if i in form.content] or form.content
    cites = [
        Citation.from_chunk(n, evidence[best[i]][0], evidence[best[i]][1].text)
        for n, i in enumerate(dict.fromkeys(cited), start=1)
    ]
    return QuizCheck(
        chosen,
        {o: float(s) for o, s in zip(options, scores, strict=True)},
        agrees,
        verdict,
        cites,
        confident,
    )
