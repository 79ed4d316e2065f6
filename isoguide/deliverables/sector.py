"""The sector part of a draft ("risk-based thinking for a 10-person bakery"): what the topic's
guidance says about the sector, the closest passages when it says nothing, where else the
guidance mentions the sector, and how the topic sits beside the sector's own schemes (HACCP for
food), each time saying plainly where the guidance is silent."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .context import CompanyContext
from .document import Deliverable
from .quoting import Pick, QuotePicker
from .topic import TopicScope


def _any(words: list[str]) -> str:
    return r"\b(" + "|".join(re.escape(w) for w in words) + r")" if words else ""


@dataclass(frozen=True)
class SectorNotes:
    sector: str
    own: str  # regex: the sector's own words (bakery, bakeries)
    family: str  # regex: the sector family (food, catering ...)
    family_name: str
    schemes: tuple[str, ...]

    @classmethod
    def of(cls, ctx: CompanyContext) -> SectorNotes:
        words = ctx.sector_words()
        own_words = [w for w in re.findall(r"[a-z][a-z-]{2,}", ctx.sector.lower()) if w != "small"]
        own = _any([w[:-1] if w.endswith("y") else w for w in own_words])  # bakery -> baker(y|ies)
        family = _any([w for w in words if w not in own_words])
        return cls(ctx.sector, own, family, ctx.sector_family() or "", tuple(ctx.schemes()))


def sector_section(
    doc: Deliverable,
    quote: Callable[[Pick], int],
    picker: QuotePicker,
    scope: TopicScope,
    notes: SectorNotes,
) -> list[str]:
    """Write the sector section; return the statements of where the guidance is silent."""
    silent: list[str] = []
    topic, sector = scope.topic, notes.sector
    doc.heading(f"In a {sector}")
    query = f"{topic} in a {sector}"
    own = picker.pick(query, scope.chunks, 3, must=notes.own) if notes.own else []
    for p in own:
        quote(p)
    if not own:
        silent.append(f"The guidance has no passage on {topic} in a {sector}.")
        doc.words(f"The guidance on {topic} does not mention a {sector}.", "note")
        close = picker.pick(query, scope.chunks, 2, must=notes.family) if notes.family else []
        if close:
            doc.words(f"The closest passages on {topic} are about {notes.family_name} businesses:")
            for p in close:
                quote(p)
    others = [c for c in scope.corpus if c.doc_id not in scope.documents]
    elsewhere = picker.pick(query, others, 2, must=notes.own) if notes.own else []
    if elsewhere:
        doc.words(f"Elsewhere, the guidance mentions a {sector} under other topics:")
        for p in elsewhere:
            quote(p)
    for scheme in notes.schemes:
        must = _any([scheme])
        inside = picker.pick(f"{topic} and {scheme}", scope.chunks, 2, must=must)
        if inside:
            doc.words(f"On {topic} beside {scheme}, the guidance says:")
            for p in inside:
                quote(p)
            continue
        silent.append(f"The guidance does not say how {topic} sits beside {scheme}.")
        nearest = picker.pick(f"{topic} and {scheme}", others, 2, must=must)
        if nearest:
            where = nearest[0].chunk.title
            doc.words(
                f"The guidance does not say how {topic} sits beside {scheme}; it mentions "
                f"{scheme} in {where}:"
            )
            for p in nearest:
                quote(p)
        else:
            doc.words(f"The guidance does not mention {scheme}.", "note")
    return silent
