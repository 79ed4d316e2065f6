"""Internal-audit checklists in the style of ISO 19011: one row per clause part, with an audit
question in plain words, the evidence to look for (records, interviews, observations), typical
nonconformities and the guidance passages each rests on, plus columns for the auditor's
findings. Every quote is verbatim and cited; the question is the cited requirement sentence
turned into a question (or a question of ours naming only the clause). A clause the guidance
does not cover says so instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .assistant import Assistant
from .deliverables.clause_map import ClauseInfo, ClauseMap, clause_map_for
from .deliverables.document import DRAFT_NOTICE, Deliverable, Header, Quoted, one_line
from .deliverables.provenance import corpus_version, editions
from .deliverables.quoting import Pick, QuotePicker
from .deliverables.topic import chunks_of, documents_about
from .errors import IsoguideError
from .models import Chunk, Citation

FINDINGS = ("conforming", "minor", "major", "observation")
NOT_COVERED_ROW = (
    "The guidance has no passage on this clause: audit it from the standard's text and your own "
    "procedures."
)
NO_EVIDENCE = "The guidance names no specific evidence for this part."
NO_NONCONFORMITY = "The guidance names no typical nonconformity for this part."
EVIDENCE_KINDS = (
    (
        "records",
        r"\b(records?|minutes|register|logs?|certificates?|reports?|forms?|plans?|documented|list)\b",
    ),
    ("interviews", r"\b(ask\w*|interview\w*|talk\w*|explain\w*)\b"),
    ("observations", r"\b(observ\w*|walk\w*|see\w*|visible|labels?|site|workstations?)\b"),
)
_REQUIRES = re.compile(
    r"^(?:ISO 9001(?::2015)?\s+)?clause\s+[\d.]+(?:\s+of\s+ISO 9001(?::2015)?)?\s+"
    r"(?:requires|asks)\s+(?P<who>.+?)\s+to\s+(?P<what>.+?)\.?$",
    re.I,
)


@dataclass
class Evidence:
    kind: str  # records, interviews, observations or evidence
    quote: Quoted


@dataclass
class ChecklistRow:
    clause: ClauseInfo
    question: str
    rests_on: Quoted | None  # the requirement passage the question is built on
    evidence: list[Evidence] = field(default_factory=list)
    nonconformities: list[Quoted] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return self.rests_on is not None

    def sources(self) -> list[int]:
        ns = [self.rests_on.n] if self.rests_on else []
        ns += [e.quote.n for e in self.evidence] + [q.n for q in self.nonconformities]
        return list(dict.fromkeys(ns))


@dataclass
class Checklist:
    requested: list[str]
    rows: list[ChecklistRow]
    document: Deliverable  # header, citations and editions (no blocks)

    @property
    def citations(self) -> list[Citation]:
        return self.document.citations

    def to_json(self) -> dict[str, Any]:
        def q(x: Quoted | None) -> dict[str, Any] | None:
            return {"quote": x.text, "n": x.n} if x else None

        return {
            "clauses": self.requested,
            "header": vars(self.document.header),
            "findings": list(FINDINGS),
            "rows": [
                {
                    "clause": r.clause.number,
                    "title": r.clause.label.split(" ", 1)[1],
                    "clause_2026": list(r.clause.number_2026),
                    "covered": r.covered,
                    "question": r.question,
                    "rests_on": q(r.rests_on),
                    "evidence": [{"kind": e.kind, **(q(e.quote) or {})} for e in r.evidence],
                    "nonconformities": [q(x) for x in r.nonconformities],
                    "finding": "",
                    "notes": "",
                }
                for r in self.rows
            ],
            "citations": [
                {**c.to_json(), "edition": self.document.editions.get(c.doc_id, "")}
                for c in self.citations
            ],
        }


def question_from(sentence: str) -> str | None:
    """ "Clause 9.3.1 requires top management to review ..." -> "Does top management review
    ...?" (the passage's own words), or None when the sentence is not shaped like that."""
    m = _REQUIRES.match(one_line(sentence))
    if not m:
        return None
    who, what = m.group("who"), m.group("what").rstrip(".")
    words = who.split(" of ")[0].split()
    head = words[-1].lower() if words else ""
    plural = head.endswith("s") and not head.endswith(("ss", "ness", "us"))
    return f"{'Do' if plural else 'Does'} {who} {what}?"


def evidence_kind(text: str) -> str:
    return next((k for k, rx in EVIDENCE_KINDS if re.search(rx, text, re.I)), "evidence")


def parse_clauses(args: list[str], cmap: ClauseMap) -> list[str]:
    """Clause arguments: numbers (``9.2``, ``8``) or ``all`` for the whole standard."""
    if not args:
        raise IsoguideError(
            "Name at least one clause, such as 9.2, or 'all' for the whole standard."
        )
    if any(a.lower() in ("all", "*") for a in args):
        return sorted({c.number.split(".")[0] for c in cmap.ordered()}, key=int)
    out: list[str] = []
    for a in args:
        for part in re.split(r"[,\s]+", a.strip()):
            if part:
                cmap.get(part)  # raises a clear error for a wrong number
                out.append(part)
    return list(dict.fromkeys(out))


class _Builder:
    def __init__(self, assistant: Assistant, cmap: ClauseMap, document: Deliverable) -> None:
        self.assistant, self.cmap, self.doc = assistant, cmap, document
        self.corpus = assistant.store.all_chunks()

    def cite(self, pick: Pick) -> Quoted:
        return Quoted(pick.quote, self.doc.cite(Citation.from_chunk(0, pick.chunk, pick.quote)))

    def group_chunks(self, clause: ClauseInfo) -> list[Chunk]:
        """The guidance documents about a clause (its 2-level parent, e.g. 9.2 for 9.2.1)."""
        top = ".".join(clause.number.split(".")[:2])
        hits = self.assistant.search(f"clause {top} {self.cmap.get(top).title}", k=10).hits
        docs = documents_about(self.assistant, top, [h.chunk.doc_id for h in hits])[:2]
        return chunks_of(self.corpus, docs)

    def row(
        self,
        clause: ClauseInfo,
        chunks: list[Chunk],
        picker: QuotePicker,
        alone: bool,
        siblings: list[str] = (),  # type: ignore[assignment]
    ) -> ChecklistRow:
        must = r"(?<![\d.])" + re.escape(clause.number) + r"(?!\d|\.\d)"
        lead = picker.lead(chunks, must, r"asks|requir", follow=0) or next(
            iter(picker.pick(f"clause {clause.number} {clause.title}", chunks, 1, must=must)), None
        )
        if lead is None and alone:  # a clause without parts: its "what the clause asks" text
            lead = picker.lead(chunks, r"\brequir\w*", r"asks|requir", follow=0)
        if lead is None:
            return ChecklistRow(clause, NOT_COVERED_ROW, None)
        rests_on = self.cite(lead)
        question = question_from(lead.quote) or (
            f"How does the company meet clause {clause.number} ({clause.label.split(' ', 1)[1]}), "
            "and what can you show me?"
        )
        topic = f"clause {clause.number} {clause.title}"
        others = [re.escape(s) for s in siblings if s != clause.number]
        avoid = r"(?<![\d.])(" + "|".join(others) + r")(?!\d|\.\d)" if others else ""
        evidence_chunks = [c for c in chunks if re.search(r"evidence|auditor", c.section, re.I)]
        evidence = picker.pick(
            f"What evidence will an auditor check for {topic}?",
            evidence_chunks,
            2,
            prefer=must,
            avoid=avoid,
        )
        mistakes = picker.pick(
            f"Common mistakes and nonconformities with {topic}",
            chunks,
            2,
            prefer=must,
            counter=True,
            avoid=avoid,
        )
        return ChecklistRow(
            clause,
            question,
            rests_on,
            [Evidence(evidence_kind(p.quote), self.cite(p)) for p in evidence],
            [self.cite(p) for p in mistakes],
        )


def build_checklist(assistant: Assistant, clauses: list[str]) -> Checklist:
    """An internal-audit checklist for the given clauses (``["all"]`` for the whole standard)."""
    cmap = clause_map_for(assistant.settings)
    requested = parse_clauses(clauses, cmap)
    header = Header(
        f"Internal audit checklist: clause{'s' if len(requested) > 1 else ''} {', '.join(requested)}",
        "internal auditors",
        corpus_version=corpus_version(assistant.store),
        notice=DRAFT_NOTICE,
    )
    doc = Deliverable(header.topic, header)
    builder = _Builder(assistant, cmap, doc)
    rows: list[ChecklistRow] = []
    groups: dict[str, list[ClauseInfo]] = {}
    for number in requested:
        for leaf in cmap.leaves(number) or [cmap.get(number)]:
            groups.setdefault(".".join(leaf.number.split(".")[:2]), []).append(leaf)
    for top, leaves in groups.items():
        chunks = builder.group_chunks(leaves[0])
        picker = QuotePicker(assistant.store.embeddings)  # no sentence twice within a clause
        for leaf in dict.fromkeys(leaves):
            siblings = [x.number for x in leaves]
            rows.append(builder.row(leaf, chunks, picker, leaf.number == top, siblings))
    doc.editions = editions(assistant.store, [c.doc_id for c in doc.citations])
    return Checklist(requested, rows, doc)


def checklist_markdown(checklist: Checklist) -> str:
    d = checklist.document
    lines = [f"# {d.title}", "", f"_{d.header.line()}_", "", f"_{d.header.notice}_", ""]
    lines += [f"Findings: {' / '.join(FINDINGS)}. Each quote is cited; sources at the end.", ""]
    for r in checklist.rows:
        lines += [f"## {r.clause.label}", ""]
        if not r.covered:
            lines += [f"_{r.question}_", ""]
            continue
        assert r.rests_on is not None
        lines += [f"**Audit question:** {r.question} (rests on [{r.rests_on.n}])", ""]
        lines += ["**Evidence to look for:**", ""]
        lines += [f"- ({e.kind}) {one_line(e.quote.text)} [{e.quote.n}]" for e in r.evidence] or [
            f"- _{NO_EVIDENCE}_"
        ]
        lines += ["", "**Typical nonconformities:**", ""]
        lines += [f"- {one_line(q.text)} [{q.n}]" for q in r.nonconformities] or [
            f"- _{NO_NONCONFORMITY}_"
        ]
        lines += ["", "**Finding:** " + " ".join(f"☐ {f}" for f in FINDINGS), "", "**Notes:**", ""]
    lines += ["## Sources", ""]
    for c in checklist.citations:
        clauses = f"clauses {', '.join(c.clauses)}; " if c.clauses else ""
        edition = d.editions.get(c.doc_id) or "edition not stated"
        lines += [
            f"[{c.n}] {c.title} — {c.section} ({clauses}{edition})",
            "",
            f"> {one_line(c.quote)}",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"
