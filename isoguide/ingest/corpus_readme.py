"""Write ``corpus/README.md``: every document with its clauses, and which documents carry
each seed article's facts. Run ``python -m isoguide.ingest.corpus_readme`` after changing the corpus;
a test fails while the README is out of date."""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

from isoguide.settings import REPO_ROOT

from .loaders import load_markdown

SEED_RE = re.compile(r"(\d{3}_[0-9a-f]{16})")
SEED_TOPICS = {
    "000": "misunderstandings about who owns certification work in SMEs; employee participation",
    "001": "ISO 9000 as ISO/TC 176's family; significance of ISO 9000 training; customer focus",
    "002": "origin in 1987; third-party certification replacing repeated second-party audits",
    "003": "certification-assisted quality improvement in small and micro enterprises (2023 article)",
    "004": "what ISO certification is; the four core standards; benefits",
}


def render(corpus: Path) -> str:
    docs = [
        load_markdown(p)
        for p in sorted(corpus.glob("*.md"))
        if p.name not in ("README.md", "CHANGELOG.md")
    ]
    words = sum(len(d.body.split()) for d in docs)
    lines = [
        "# The isoguide corpus",
        "",
        "Original guidance on ISO 9000 / ISO 9001:2015 for small and medium enterprises, written "
        "for isoguide in our own words. Requirements are paraphrased and cited by clause number; "
        "no text of the standard is reproduced. Each file has YAML front-matter (`id`, `title`, "
        "`kind`, `clauses`, `principles`, `audience`, `edition`, `editions`, `sources` (public "
        "URLs backing its facts), `reviewed`, `summary`) and ends with answer-first "
        '"Questions people ask"; `tests/corpus/test_corpus.py` checks it. What changed in '
        "each review, and which facts stay uncertain, is in `CHANGELOG.md`; the clause map "
        "between the 2015 and 2026 editions is `clause_map.yaml`.",
        "",
        f"{len(docs)} documents, {words:,} words. `clause_terms.yaml` maps everyday terms to "
        "clauses for clause-aware ranking.",
        "",
        "This file is generated: `python -m isoguide.ingest.corpus_readme`.",
        "",
        "## Documents",
        "",
        "| id | kind | clauses | title |",
        "|---|---|---|---|",
    ]
    seeds: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        clauses = ", ".join(d.clauses) or "-"
        lines.append(f"| `{d.doc_id}` | {d.meta.get('kind', '')} | {clauses} | {d.title} |")
        for source in d.meta.get("sources") or []:  # type: ignore[attr-defined]
            match = SEED_RE.search(str(source))
            if match:
                seeds[match.group(1)].append(d.doc_id)
    lines += ["", "## Seed articles and the documents that carry their facts", ""]
    lines.append(
        "The seeds in `shared/seeds/` are sources of facts only; none of their sentences is reused."
    )
    lines.append("")
    for seed in sorted(seeds):
        topic = SEED_TOPICS.get(seed[:3], "")
        lines.append(
            f"- `{seed}.txt` ({topic}): " + ", ".join(f"`{d}`" for d in sorted(seeds[seed]))
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    corpus = REPO_ROOT / "corpus"
    (corpus / "README.md").write_text(render(corpus), encoding="utf-8")
    print(f"wrote {corpus / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
