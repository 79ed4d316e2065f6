"""What a draft says for each kind of reader: its sections, the question each section puts to
the guidance, and which guidance sections and sentences fit it best.

Owners and managers get the purpose, every part of the clause, what it means at their size,
documented information, what auditors usually expect and common mistakes. Shop-floor staff get
what it means for their work, a short version of each part, what they record and mistakes to
avoid. Auditors get every part in full, the evidence to look for, documented information,
typical nonconformities and what certification bodies usually expect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PartsMode = Literal["full", "brief"]


@dataclass(frozen=True)
class SectionPlan:
    heading: str
    query: str  # put to the guidance; ``{topic}`` and ``{size}`` are filled in
    fits: str  # regex: guidance sections (chunk.section) that suit this draft section
    n: int  # sentences at most
    prefer: str = ""  # regex: sentences that say what this section is about score higher
    counter: bool = False  # True: quote only from "common mistakes"-type sections
    must: str = ""  # regex: only sentences that match it


PARTS = "parts"  # marks where the clause's parts go in a plan

PURPOSE = SectionPlan(
    "Why it matters",
    "What is the purpose of {topic} and why does it matter to a business?",
    r"^Introduction|purpose|why|what .* means|what .* says",
    2,
    r"\b(purpose|so that|aims?|why|matters|helps?|works best)\b",
)
SMALL_COMPANY = SectionPlan(
    "What it means for a company of your size",
    "What does {topic} mean in practice for a {size} company?",
    r"means|small compan|in practice|proportionate|actions",
    3,
    r"\b(small|owner|few|simple|proportionate)\b",
)
DOCUMENTED = SectionPlan(
    "Documented information",
    "Does {topic} require documented information or records, and which ones?",
    r"asks|requir|evidence|Questions|documented",
    2,
    r"documented information|\brecords?\b|does not (explicitly )?require|must (keep|retain)",
    must=r"\bdocument\w*|\brecords?\b|\bretain",
)
AUDITORS_EXPECT = SectionPlan(
    "What auditors usually expect",
    "What do auditors and certification bodies usually expect for {topic}, and how often?",
    r"evidence|auditor|Questions|means",
    3,
    r"\b(expect\w*|certification bod\w+|at least|once a year|auditors?)\b",
)
MISTAKES = SectionPlan(
    "Common mistakes",
    "What are common mistakes with {topic}?",
    r"mistake|pitfall|weakness|misconception",
    3,
    r"\b(mistake|common|weak\w*)\b",
    counter=True,
)

PLANS: dict[str, tuple[SectionPlan | str, ...]] = {
    "owner/management": (PURPOSE, PARTS, SMALL_COMPANY, DOCUMENTED, AUDITORS_EXPECT, MISTAKES),
    "shop-floor staff": (
        SectionPlan(
            "What it means for your work",
            "What does {topic} mean for the people doing the work every day?",
            r"means|in practice|example|actions",
            3,
            r"\b(staff|operators?|people|team|every|daily|shop floor|workers?|who)\b",
        ),
        PARTS,
        SectionPlan(
            "What you record",
            "What do staff write down, sign or keep for {topic}?",
            r"evidence|records|means|example",
            2,
            r"\b(records?|logs?|forms?|signs?|labels?|sheets?|register)\b",
        ),
        SectionPlan(
            "An example",
            "An example of {topic} in a small company",
            r"example",
            2,
            r"\b(\d+-person|example)\b",
        ),
        SectionPlan(
            "Mistakes to avoid",
            "What goes wrong with {topic} in daily work?",
            MISTAKES.fits,
            2,
            MISTAKES.prefer,
            counter=True,
        ),
    ),
    "auditors": (
        PARTS,
        SectionPlan(
            "Evidence to look for",
            "What records, interviews and observations will an auditor check for {topic}?",
            r"evidence|auditor",
            4,
            r"\b(records?|interview\w*|ask\w*|observ\w*|sampl\w*|check\w*|minutes)\b",
        ),
        DOCUMENTED,
        SectionPlan(
            "Typical nonconformities",
            "What nonconformities and weaknesses are typically found at audit for {topic}?",
            r"mistake|weakness|Questions|findings",
            4,
            r"\b(common|weakness\w*|findings?|mistakes?|nonconformit\w+)\b",
            counter=True,
        ),
        SectionPlan(
            "What certification bodies usually expect",
            AUDITORS_EXPECT.query,
            AUDITORS_EXPECT.fits,
            2,
            AUDITORS_EXPECT.prefer,
        ),
    ),
}
PARTS_MODE: dict[str, PartsMode] = {
    "owner/management": "full",
    "shop-floor staff": "brief",
    "auditors": "full",
}
PARTS_HEADING = {
    "full": "What the clause asks, part by part",
    "brief": "What the clause asks, in short",
}

#: The exclusion draft: a company that declares a clause not applicable under 4.3.
NOT_APPLICABLE = r"not applicable|exclu\w*|justif\w*|cannot (be )?appl\w*"
EXCLUSION: tuple[SectionPlan, ...] = (
    SectionPlan(
        "Justifying the decision",
        "How do we justify declaring clause {clause} not applicable in our scope under clause 4.3?",
        r"asks|means|Questions|not applicable",
        4,
        r"not applicable|justif\w+|exclu\w+|cannot (be )?appl\w+",
        must=NOT_APPLICABLE,
    ),
    SectionPlan(
        "What an auditor will test",
        "How will an auditor test a claim that clause {clause} does not apply?",
        r"evidence|auditor|Questions",
        2,
        r"\b(auditor\w*|test\w*|justif\w+|reality)\b",
        must=NOT_APPLICABLE,
    ),
    SectionPlan(
        "When the decision does not hold",
        "Common mistakes when declaring clause {clause} not applicable",
        r"mistake|Questions",
        2,
        r"not applicable|in fact|exclu\w+",
        counter=True,
        must=NOT_APPLICABLE,
    ),
)
