"""Drafts for consultants, quality leads and internal auditors: an explanation of a clause or
topic made only of quoted, cited guidance sentences and our own lead-in sentences (which state
no requirement).

A clause draft covers every part of the clause (from the clause map) and says which parts the
guidance does not cover. The reader (owner/management, shop-floor staff, auditors) picks the
sections; the company context (size, sector, requirements declared not applicable under 4.3)
shapes what is quoted: a sector gets its own section and a statement of where the guidance is
silent on it, and a clause declared not applicable gets the guidance on justifying that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .assistant import Assistant
from .clauses import any_clause_matches
from .deliverables.clause_map import clause_map_for
from .deliverables.context import CompanyContext, parse_context, resolve_audience, split_topic
from .deliverables.document import Block, Deliverable, Header, Paragraph, Quoted, to_markdown
from .deliverables.plans import EXCLUSION, PARTS, PARTS_HEADING, PARTS_MODE, PLANS, SectionPlan
from .deliverables.provenance import corpus_version, editions
from .deliverables.quoting import Pick, QuotePicker, intro_list, list_after
from .deliverables.sector import SectorNotes, sector_section
from .deliverables.topic import TopicScope, scope_topic
from .models import NOT_COVERED, Citation

NOTICE = (
    "Draft built from quoted isoguide guidance: edit it before sending. ISO 9001 requirements "
    "are paraphrased by the guidance, not quoted from the standard's text."
)
NOTHING_HERE = "The guidance says nothing specific here about {topic}; add your own text or remove this section."


@dataclass
class Draft:
    """An explanation of ``topic`` for ``audience``, as a document and as Markdown."""

    topic: str
    audience: str
    markdown: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    document: Deliverable | None = None
    context: CompanyContext = field(default_factory=CompanyContext)
    clause: str | None = None
    uncovered_parts: list[str] = field(default_factory=list)  # "9.3.2 Management review inputs"
    silent: list[str] = field(default_factory=list)  # where the guidance says nothing

    def to_json(self) -> dict[str, object]:
        return {
            "topic": self.topic,
            "audience": self.audience,
            "context": self.context.describe(),
            "clause": self.clause,
            "abstained": self.abstained,
            "uncovered_parts": self.uncovered_parts,
            "silent": self.silent,
            "markdown": self.markdown,
            "document": self.document.to_json() if self.document else None,
        }


def _title(topic: str) -> str:
    return topic[:1].upper() + topic[1:]


class _Writer:
    """Adds quotes and our own sentences to one deliverable, numbering the sources."""

    def __init__(self, document: Deliverable) -> None:
        self.doc = document

    def quote(self, pick: Pick, style: str = "bullet") -> int:
        n = self.doc.cite(Citation.from_chunk(0, pick.chunk, pick.quote))
        self.doc.blocks.append(Paragraph([Quoted(pick.quote, n)], style))  # type: ignore[arg-type]
        return n

    def quotes(self, picks: list[Pick]) -> None:
        for p in picks:
            self.quote(p)


def _section(
    w: _Writer, picker: QuotePicker, plan: SectionPlan, scope: TopicScope, size: str, **kw: object
) -> bool:
    w.doc.heading(plan.heading)
    query = plan.query.format(topic=scope.topic, size=size, clause=scope.clause or "")
    kw.setdefault("must", plan.must)
    picks = picker.pick(query, scope.chunks, plan.n, plan.fits, plan.prefer, plan.counter, **kw)  # type: ignore[arg-type]
    if not picks:
        w.doc.words(NOTHING_HERE.format(topic=scope.topic), "note")
    w.quotes(picks)
    return bool(picks)


def _parts(w: _Writer, picker: QuotePicker, scope: TopicScope, mode: str) -> list[str]:
    """One sub-section per part of the clause; returns the parts the guidance does not cover."""
    assert scope.clause is not None
    w.doc.heading(PARTS_HEADING[mode])
    uncovered: list[str] = []
    for part in scope.parts:
        w.doc.heading(part.label, level=3)
        must = r"(?<![\d.])" + re.escape(part.number) + r"(?!\d|\.\d)"
        n = 2 if mode == "full" else 1
        query = f"What clause {part.number} ({part.title}) requires"
        first = picker.lead(scope.chunks, must, r"asks|requir", follow=2 if mode == "full" else 0)
        more = n - 1 if first else n
        picks = ([first] if first else []) + picker.pick(
            query, scope.chunks, more, r"asks|requir", must=must
        )
        if not picks:
            picks = picker.pick(query, scope.corpus, 1, r"asks|requir", must=must)
        if not picks and part.number == scope.clause:  # a clause without sub-clauses
            picks = picker.pick(query, scope.chunks, n, r"asks|requir", r"\brequir\w*")
        if not picks:
            uncovered.append(part.label)
            w.doc.words(
                f"The guidance has no passage on clause {part.number}; "
                "check the standard and add your own text.",
                "note",
            )
            continue
        listed_any = False
        for pick in picks:
            w.quote(pick)
            listed = list_after(pick.chunk, pick.end) if mode == "full" else None
            if listed:
                listed_any = True
                whole, items = listed
                n_list = w.doc.cite(Citation.from_chunk(0, whole.chunk, whole.quote))
                for item in items:
                    w.doc.blocks.append(Paragraph([Quoted(item, n_list)], "bullet"))
        introduced = intro_list(scope.chunks, must, picker.used) if mode == "full" else None
        if introduced and not listed_any:
            span, lead, items = introduced
            n_list = w.doc.cite(Citation.from_chunk(0, span.chunk, span.quote))
            w.doc.blocks.append(Paragraph([Quoted(lead, n_list)], "body"))
            for item in items:
                w.doc.blocks.append(Paragraph([Quoted(item, n_list)], "bullet"))
    return uncovered


def _not_covered(
    topic: str, audience: str, context: CompanyContext, see_also: list[str], version: str = ""
) -> Draft:
    text = f"# {_title(topic)}\n\n{NOT_COVERED}\n"
    doc = Deliverable(_title(topic), Header(topic, audience, corpus_version=version, notice=NOTICE))
    doc.words(NOT_COVERED)
    if see_also:
        text += "\nYou may want to read: " + "; ".join(see_also) + ".\n"
        doc.words("You may want to read: " + "; ".join(see_also) + ".")
    return Draft(topic, audience, text, [], abstained=True, document=doc, context=context)


def draft_explanation(
    assistant: Assistant,
    topic: str,
    audience: str | None = None,
    context: CompanyContext | str | None = None,
) -> Draft:
    """A sectioned, fully cited draft on ``topic`` for ``audience`` and the company ``context``."""
    audience = resolve_audience(audience)
    given = context if isinstance(context, CompanyContext) else parse_context(context)
    topic = topic.strip()
    base = assistant.search(topic, k=10)  # validates the topic (empty, too long)
    core, from_topic = split_topic(topic)
    if not core[:2].isupper():  # "Risk-based thinking" reads "risk-based thinking" mid-sentence
        core = core[:1].lower() + core[1:]
    ctx = given.merged(from_topic)
    if base.abstain or not base.hits:
        return _not_covered(
            topic, audience, ctx, [f"{h.chunk.title} ({h.chunk.section})" for h in base.hits[:3]]
        )
    cmap = clause_map_for(assistant.settings)
    scope = scope_topic(assistant, core, base, cmap)
    picker = QuotePicker(assistant.store.embeddings, excluded=ctx.not_applicable)
    who = audience + (f", {ctx.describe()}" if not ctx.empty else "")
    doc = Deliverable(
        f"{_title(core)}: a briefing for {audience}",
        Header(core, who, corpus_version=corpus_version(assistant.store), notice=NOTICE),
    )
    w = _Writer(doc)
    doc.words(
        f"This note explains {core} for {who}. Each point is quoted from the guidance; "
        "the numbers in brackets lead to the sources at the end."
    )
    size = f"{ctx.size}-person" if ctx.size else "small"
    uncovered: list[str] = []
    silent: list[str] = []
    excluded = scope.clause is not None and any_clause_matches([scope.clause], ctx.not_applicable)
    if excluded:
        assert scope.clause is not None
        doc.words(
            f"Your company declares clause {scope.clause} not applicable under clause 4.3, so this "
            "note covers justifying that decision instead of how to meet the clause."
        )
        scope = scope.with_documents(assistant, cmap, "4.3")
        for plan in EXCLUSION:
            _section(w, picker, plan, scope, size, allow_excluded=True)
    else:
        plans = PLANS[audience]
        written: dict[int, list[Block]] = {}
        # The clause's parts pick their sentences first, so no other section takes them.
        for i in sorted(range(len(plans)), key=lambda i: plans[i] != PARTS):
            start = len(doc.blocks)
            step = plans[i]
            if isinstance(step, SectionPlan):
                _section(w, picker, step, scope, size)
            elif scope.clause:
                uncovered = _parts(w, picker, scope, PARTS_MODE[audience])
            written[i] = doc.blocks[start:]
            del doc.blocks[start:]
        for i in range(len(plans)):
            doc.blocks += written[i]
        if ctx.not_applicable:
            doc.words(
                f"Passages about clause {', '.join(ctx.not_applicable)} are left out: your company "
                "declares it not applicable under clause 4.3.",
                "note",
            )
    if ctx.sector:
        silent += sector_section(w.doc, w.quote, picker, scope, SectorNotes.of(ctx))
    if uncovered:
        silent.insert(
            0, "Parts of the clause the guidance does not cover: " + "; ".join(uncovered) + "."
        )
    if (scope.clause and not excluded) or silent:
        doc.heading("Where the guidance is silent")
        for line in silent:
            doc.words(line, "bullet")
        if not silent:
            doc.words(f"The guidance has passages on every part of clause {scope.clause}.", "note")
    if not doc.citations:
        return _not_covered(topic, audience, ctx, [])
    doc.renumber()
    doc.editions = editions(assistant.store, [c.doc_id for c in doc.citations])
    return Draft(
        core,
        audience,
        to_markdown(doc),
        doc.citations,
        False,
        doc,
        ctx,
        scope.clause,
        uncovered,
        silent,
    )
