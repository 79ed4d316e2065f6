"""ISO 9001:2015 clause numbers: the valid set, their short titles, and finding them in text."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Clause titles are short names, not standard text; they let the UI label a clause chip.
CLAUSE_TITLES: dict[str, str] = {
    "4": "Context of the organization",
    "4.1": "Understanding the organization and its context",
    "4.2": "Needs and expectations of interested parties",
    "4.3": "Scope of the quality management system",
    "4.4": "Quality management system and its processes",
    "4.4.1": "QMS processes",
    "4.4.2": "Documented information for processes",
    "5": "Leadership",
    "5.1": "Leadership and commitment",
    "5.1.1": "General",
    "5.1.2": "Customer focus",
    "5.2": "Policy",
    "5.2.1": "Establishing the quality policy",
    "5.2.2": "Communicating the quality policy",
    "5.3": "Organizational roles, responsibilities and authorities",
    "6": "Planning",
    "6.1": "Actions to address risks and opportunities",
    "6.1.1": "Risks and opportunities",
    "6.1.2": "Planning actions",
    "6.2": "Quality objectives and planning to achieve them",
    "6.2.1": "Quality objectives",
    "6.2.2": "Planning to achieve objectives",
    "6.3": "Planning of changes",
    "7": "Support",
    "7.1": "Resources",
    "7.1.1": "General",
    "7.1.2": "People",
    "7.1.3": "Infrastructure",
    "7.1.4": "Environment for the operation of processes",
    "7.1.5": "Monitoring and measuring resources",
    "7.1.5.1": "General",
    "7.1.5.2": "Measurement traceability",
    "7.1.6": "Organizational knowledge",
    "7.2": "Competence",
    "7.3": "Awareness",
    "7.4": "Communication",
    "7.5": "Documented information",
    "7.5.1": "General",
    "7.5.2": "Creating and updating",
    "7.5.3": "Control of documented information",
    "7.5.3.1": "Availability and protection",
    "7.5.3.2": "Distribution, access, storage, retention",
    "8": "Operation",
    "8.1": "Operational planning and control",
    "8.2": "Requirements for products and services",
    "8.2.1": "Customer communication",
    "8.2.2": "Determining requirements",
    "8.2.3": "Review of requirements",
    "8.2.3.1": "Review before commitment",
    "8.2.3.2": "Retaining the review",
    "8.2.4": "Changes to requirements",
    "8.3": "Design and development",
    "8.3.1": "General",
    "8.3.2": "Design and development planning",
    "8.3.3": "Design and development inputs",
    "8.3.4": "Design and development controls",
    "8.3.5": "Design and development outputs",
    "8.3.6": "Design and development changes",
    "8.4": "Control of externally provided processes, products and services",
    "8.4.1": "General",
    "8.4.2": "Type and extent of control",
    "8.4.3": "Information for external providers",
    "8.5": "Production and service provision",
    "8.5.1": "Control of production and service provision",
    "8.5.2": "Identification and traceability",
    "8.5.3": "Property belonging to customers or external providers",
    "8.5.4": "Preservation",
    "8.5.5": "Post-delivery activities",
    "8.5.6": "Control of changes",
    "8.6": "Release of products and services",
    "8.7": "Control of nonconforming outputs",
    "8.7.1": "Identifying and controlling nonconforming outputs",
    "8.7.2": "Records of nonconforming outputs",
    "9": "Performance evaluation",
    "9.1": "Monitoring, measurement, analysis and evaluation",
    "9.1.1": "General",
    "9.1.2": "Customer satisfaction",
    "9.1.3": "Analysis and evaluation",
    "9.2": "Internal audit",
    "9.2.1": "Audit purpose",
    "9.2.2": "Audit programme",
    "9.3": "Management review",
    "9.3.1": "General",
    "9.3.2": "Management review inputs",
    "9.3.3": "Management review outputs",
    "10": "Improvement",
    "10.1": "General",
    "10.2": "Nonconformity and corrective action",
    "10.2.1": "Reacting to nonconformity",
    "10.2.2": "Records of nonconformity",
    "10.3": "Continual improvement",
}

#: Paragraphs ISO 9001:2015 numbers without a title of their own; ``CLAUSE_TITLES`` gives them
#: a descriptive label, which suits a checklist row but not a quiz option that reads as the
#: standard's title.
UNTITLED: frozenset[str] = frozenset(
    [
        "4.4.1",
        "4.4.2",
        "6.1.1",
        "6.1.2",
        "6.2.1",
        "6.2.2",
        "7.5.3.1",
        "7.5.3.2",
        "8.2.3.1",
        "8.2.3.2",
        "8.7.1",
        "8.7.2",
        "9.2.1",
        "9.2.2",
        "10.2.1",
        "10.2.2",
    ]
)


def clause_outline(clause: str, title: str = "") -> str:
    """A clause's title with its subclauses' titles ("Support: Resources; People; ..."), for
    matching what a text says with the clause it is about."""
    subtitles = [t for c, t in CLAUSE_TITLES.items() if c.startswith(clause + ".")]
    return f"{title or CLAUSE_TITLES.get(clause, '')}: " + "; ".join(subtitles)


def standard_label(clause: str) -> str:
    """The label as the standard has it: ``"9.2 Internal audit"``, and for an untitled
    paragraph ``"9.2.1 (in 9.2 Internal audit)"``."""
    if clause in UNTITLED:
        return f"{clause} (in {clause_label(titled(clause))})"
    return clause_label(clause)


def titled(clause: str) -> str:
    """The clause itself, or for an untitled paragraph the titled clause it sits in."""
    while clause in UNTITLED:
        clause = clause.rsplit(".", 1)[0]
    return clause


#: Clauses 4.1 to 10.3 with subclauses: what a document may be tagged with.
VALID_CLAUSES: frozenset[str] = frozenset(c for c in CLAUSE_TITLES if "." in c)

# "clause 7.5.3", "clauses 4.1 and 4.2", "§8.4", "section 9.3", or a bare "7.1.5".
_CLAUSE_RE = re.compile(
    r"(?<![\d.,/:$€£])(?:(?:sub)?clauses?\s+|§\s*|section\s+)?(?P<num>(?:10|[4-9])(?:\.\d{1,2}){1,3})"
    r"(?![\d%]|\.\d|\s*(?:%|percent|per cent|million|billion|hours?|days?|weeks?|months?|years?|kg|mm|cm|°))",
    re.IGNORECASE,
)


def find_clauses(text: str) -> list[str]:
    """Valid ISO 9001 clause numbers mentioned in ``text``, in order of first mention."""
    seen: dict[str, None] = {}
    for match in _CLAUSE_RE.finditer(text):
        num = match.group("num")
        if num in VALID_CLAUSES:
            seen.setdefault(num, None)
    return list(seen)


def clause_matches(a: str, b: str) -> bool:
    """Prefix-aware match: ``7.1`` matches ``7.1.5`` and the reverse, ``7.1`` does not match ``7.10``."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def any_clause_matches(found: Iterable[str], expected: Iterable[str]) -> bool:
    expected = list(expected)
    return any(clause_matches(f, e) for f in found for e in expected)


def clause_sort_key(clause: str) -> tuple[int, ...]:
    """Numerical order of clause numbers: 7.1.5 before 7.5, 9.3 before 10.2."""
    return tuple(int(p) for p in clause.split("."))


def clause_label(clause: str) -> str:
    """``"7.2 Competence"``; the bare number where the title is unknown."""
    title = CLAUSE_TITLES.get(clause)
    return f"{clause} {title}" if title else clause


def parse_clause_list(value: str) -> list[str]:
    """Clause lists are stored in Chroma metadata as a comma-separated string."""
    return [c for c in (p.strip() for p in value.split(",")) if c] if value else []
