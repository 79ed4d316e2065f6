"""Who a draft is for (its audience) and the company it is for (size, sector, requirements
declared not applicable under clause 4.3), read from plain words such as
"risk-based thinking for a 10-person bakery" or "12 people, machine shop, 8.3 not applicable"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..clauses import VALID_CLAUSES, find_clauses
from ..errors import IsoguideError

#: The three kinds of reader a draft is written for, with the words that pick each one.
AUDIENCES: dict[str, tuple[str, ...]] = {
    "owner/management": ("owner", "management", "manager", "director", "client", "board", "md"),
    "shop-floor staff": (
        "staff",
        "shop",
        "floor",
        "operator",
        "team",
        "worker",
        "employee",
        "new starter",
    ),
    "auditors": ("audit", "auditor", "assessor", "certification"),
}
DEFAULT_AUDIENCE = "owner/management"

#: Sector families: words that name the sector, and schemes the sector usually works under.
SECTORS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "food": (
        (
            "bakery",
            "bakeries",
            "baker",
            "food",
            "caterer",
            "catering",
            "butcher",
            "dairy",
            "brewery",
            "restaurant",
            "kitchen",
            "confectioner",
        ),
        ("HACCP",),
    ),
    "manufacturing": (
        (
            "machine shop",
            "manufactur",
            "factory",
            "workshop",
            "fabricat",
            "engineering",
            "metal",
            "plastics",
            "assembly",
        ),
        ("calibration", "first-article", "traceability"),
    ),
    "software": (("software", "saas", "it company", "app developer", "web agency"), ()),
    "services": (
        (
            "service",
            "cleaning",
            "consultancy",
            "consultant",
            "care",
            "training provider",
            "logistics",
            "agency",
        ),
        (),
    ),
}


def resolve_audience(text: str | None) -> str:
    """One of ``AUDIENCES`` for a typed audience ("client management", "warehouse team")."""
    if not text or not text.strip():
        return DEFAULT_AUDIENCE
    low = text.strip().lower()
    if low in AUDIENCES:
        return low
    for name, words in AUDIENCES.items():
        if any(re.search(rf"\b{re.escape(w)}", low) for w in words):
            return name
    raise IsoguideError(
        f"Unknown audience {text!r}: choose {', '.join(AUDIENCES)} "
        "(or words such as 'directors', 'operators', 'internal auditors')."
    )


@dataclass(frozen=True)
class CompanyContext:
    size: int | None = None
    sector: str = ""
    not_applicable: tuple[str, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return self.size is None and not self.sector and not self.not_applicable

    def sector_family(self) -> str | None:
        low = self.sector.lower()
        for family, (words, _) in SECTORS.items():
            if any(w in low for w in words):
                return family
        return None

    def sector_words(self) -> list[str]:
        """Words that show a passage is about this sector: the sector itself first."""
        own = [w for w in re.findall(r"[a-z][a-z-]{2,}", self.sector.lower())]
        family = self.sector_family()
        related = list(SECTORS[family][0]) if family else []
        return list(dict.fromkeys(own + related))

    def schemes(self) -> list[str]:
        """Schemes a company in this sector usually also works under (HACCP for food)."""
        family = self.sector_family()
        return list(SECTORS[family][1]) if family else []

    def describe(self) -> str:
        """``a 10-person bakery; 8.3 not applicable``."""
        who = (
            f"a {self.size}-person {self.sector or 'company'}"
            if self.size
            else (f"a {self.sector}" if self.sector else "")
        )
        na = f"{', '.join(self.not_applicable)} not applicable" if self.not_applicable else ""
        return "; ".join(p for p in (who, na) if p)

    def merged(self, other: CompanyContext) -> CompanyContext:
        return CompanyContext(
            self.size if self.size is not None else other.size,
            self.sector or other.sector,
            tuple(dict.fromkeys(self.not_applicable + other.not_applicable)),
        )


_SIZE = re.compile(r"\b(\d{1,5})[\s-]*(?:person|people|staff|employees?|strong)\b", re.I)
_NA = re.compile(
    r"((?:(?:clauses?\s*)?(?:10|[4-9])(?:\.\d{1,2}){1,3}(?:\s*(?:,|and|&)\s*)?)+)\s*"
    r"(?:is|are)?\s*(?:not applicable|n/a|excluded)",
    re.I,
)
_KEYED = re.compile(r"(size|sector|not[ _-]?applicable|excluded)\s*[=:]\s*([^;]+)", re.I)


def parse_context(text: str | None) -> CompanyContext:
    """A company context from plain words or ``size=10; sector=bakery; not-applicable=8.3``."""
    text = (text or "").strip()
    if not text:
        return CompanyContext()
    keyed = dict((k.lower(), v.strip()) for k, v in _KEYED.findall(text))
    if keyed:
        size_text = keyed.get("size", "")
        if size_text and not size_text.isdigit():
            raise IsoguideError(f"size must be a number of people, not {size_text!r}.")
        na_text = (
            keyed.get("not applicable")
            or keyed.get("not-applicable")
            or keyed.get("not_applicable")
            or keyed.get("notapplicable")
            or keyed.get("excluded")
            or ""
        )
        return CompanyContext(
            int(size_text) if size_text else None,
            keyed.get("sector", ""),
            _clauses(na_text),
        )
    size_m = _SIZE.search(text)
    na = tuple(c for m in _NA.finditer(text) for c in _clauses(m.group(1)))
    rest = _NA.sub(" ", _SIZE.sub(" ", text))
    rest = re.sub(r"\b(a|an|the|for|company|firm|business|with|of)\b", " ", rest, flags=re.I)
    sector = " ".join(w for w in re.split(r"[\s,;]+", rest) if w and not w.isdigit())
    return CompanyContext(int(size_m.group(1)) if size_m else None, sector.strip(" -"), na)


def _clauses(text: str) -> tuple[str, ...]:
    found = find_clauses(re.sub(r"[,&]", " ", text))
    bad = [p for p in re.findall(r"\d+(?:\.\d+)+", text) if p not in VALID_CLAUSES]
    if bad:
        raise IsoguideError(
            f"{', '.join(bad)}: not ISO 9001 clause numbers (use numbers such as 8.3 or 7.1.5)."
        )
    return tuple(found)


_FOR = re.compile(
    r"\s+(?:for|in)\s+(?:an?\s+|our\s+|my\s+)?(.*(?:\d[\s-]*(?:person|people|staff|employee)|"
    r"compan|firm|business|shop|bakery|bakeries|factory|house|agency|provider).*)$",
    re.I,
)


def split_topic(topic: str) -> tuple[str, CompanyContext]:
    """``"risk-based thinking for a 10-person bakery"`` -> ("risk-based thinking", a
    10-person bakery). A topic without such a tail comes back unchanged."""
    m = _FOR.search(topic)
    if not m:
        return topic.strip(), CompanyContext()
    context = parse_context(m.group(1))
    if context.empty:
        return topic.strip(), CompanyContext()
    return topic[: m.start()].strip(), context
