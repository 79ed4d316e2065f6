"""Retrieval: dense (Chroma) and BM25 candidates, fused by reciprocal rank, ranked towards the
clauses a question names, near-duplicates collapsed, the top reordered by the fitted reranker
(``rerank.py``), and an abstain decision."""

from __future__ import annotations

from dataclasses import dataclass

import bm25s
import numpy as np

from .abstain import abstain_features, decide
from .clauses import any_clause_matches, clause_matches, find_clauses
from .editions import edition_preference, named_edition
from .glossary import ClauseGlossary, load_glossary, names_other_standard
from .models import Chunk, SearchHit, SearchResult
from .rerank import edition_offset, fitted_reranker, rerank_features
from .sentences import mmr
from .settings import RetrievalMode, RetrievalSettings, Settings
from .store import Store
from .text import tokenize

RRF_K = 60


@dataclass
class _BM25Index:
    key: str
    chunks: list[Chunk]
    model: bm25s.BM25 | None
    vocabulary: set[str]
    by_clause: dict[str, list[Chunk]]  # first clause tag -> its chunks (for the clause boost)


class Retriever:
    """Finds the chunks that answer a question; one per store, reused across questions."""

    def __init__(
        self, store: Store, settings: RetrievalSettings, glossary: ClauseGlossary | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        self.glossary = glossary or ClauseGlossary()
        self._bm25: _BM25Index | None = None

    @classmethod
    def from_settings(cls, settings: Settings, store: Store | None = None) -> Retriever:
        store = store or Store(settings)
        terms = next(
            (
                d / "clause_terms.yaml"
                for d in settings.corpus_dirs
                if (d / "clause_terms.yaml").exists()
            ),
            None,
        )
        glossary = load_glossary(str(terms)) if terms else ClauseGlossary()
        return cls(store, settings.retrieval, glossary)

    # -- candidates ------------------------------------------------------------------------
    def _bm25_index(self) -> _BM25Index:
        chunks = self.store.all_chunks()
        if self._bm25 is not None and self._bm25.chunks is chunks:
            return self._bm25  # the store's cached list: nothing changed (O(1), not O(chunks))
        key = f"{len(chunks)}:{hash(tuple(c.chunk_id for c in chunks))}"
        if self._bm25 is None or self._bm25.key != key:
            model = None
            corpus = [tokenize(f"{c.title} {c.section} {c.text}") or ["_"] for c in chunks]
            if chunks:
                model = bm25s.BM25()
                model.index(corpus, show_progress=False)
            vocabulary = {t for tokens in corpus for t in tokens}
            by_clause: dict[str, list[Chunk]] = {}
            for chunk in chunks:
                if chunk.clauses:
                    by_clause.setdefault(chunk.clauses[0], []).append(chunk)
            self._bm25 = _BM25Index(key, chunks, model, vocabulary, by_clause)
        else:
            self._bm25.chunks = chunks
        return self._bm25

    def bm25_search(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        index = self._bm25_index()
        tokens = tokenize(query)
        if index.model is None or not tokens:
            return []
        scores = index.model.get_scores(tokens)
        if len(scores) > k:  # the top k in O(chunks), not a full O(chunks log chunks) sort
            top = np.argpartition(-scores, k)[:k]
            order = top[np.argsort(-scores[top])]
        else:
            order = np.argsort(-scores)
        return [(index.chunks[i], float(scores[i])) for i in order if scores[i] > 0]

    # -- the whole pipeline ----------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int | None = None,
        mode: RetrievalMode | None = None,
        clause_boost: bool | None = None,
        rerank: bool | None = None,
    ) -> SearchResult:
        k = k or self.settings.k
        mode = mode or self.settings.mode
        boost = self.settings.clause_boost if clause_boost is None else clause_boost
        fetch = max(self.settings.fetch_k, k)

        query_vector = self.store.embeddings.encode([query])[0]
        dense = self.store.dense_search_by_vector(query_vector, fetch)  # abstention reads it too
        dense_sim = {c.chunk_id: s for c, s in dense}
        best_similarity = max(dense_sim.values(), default=0.0)
        lexical = self.bm25_search(query, fetch)
        lexical_scores = {c.chunk_id: score for c, score in lexical}

        rankings: list[list[Chunk]] = []
        if mode in ("dense", "hybrid"):
            rankings.append([c for c, _ in dense])
        if mode in ("bm25", "hybrid"):
            rankings.append([c for c, _ in lexical])

        fused: dict[str, float] = {}
        by_id: dict[str, Chunk] = {}
        for ranking in rankings:
            for rank, chunk in enumerate(ranking):
                fused[chunk.chunk_id] = fused.get(chunk.chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
                by_id[chunk.chunk_id] = chunk

        wanted = self.glossary.clauses_for(query) if boost else []
        if wanted and not names_other_standard(query):
            self._apply_clause_boost(fused, by_id, wanted, len(rankings), 4 * fetch)

        edition = named_edition(query) or self.settings.edition
        self._apply_edition_preference(fused, by_id, edition, len(rankings))

        ordered = sorted(fused, key=lambda cid: fused[cid], reverse=True)
        hits = self._collapse_duplicates([by_id[cid] for cid in ordered], fused, dense_sim)
        use_reranker = self.settings.rerank if rerank is None else rerank
        reranker = fitted_reranker() if use_reranker else None
        if reranker is not None and len(hits) > 1:
            x = rerank_features(
                query,
                query_vector,
                hits[: reranker.depth],
                lexical_scores,
                self.named_clauses(query),
            )
            hits = reranker.rerank(hits, x, edition_offset(hits[: reranker.depth], edition))
        if self.settings.mmr and len(hits) > k:
            hits = self._mmr(query, hits[: 3 * k], k)
        hits = hits[:k]
        for i, hit in enumerate(hits, start=1):
            hit.rank = i

        features = self.abstain_features(query, query_vector, dense, lexical)
        decision = decide(
            query,
            features,
            bool(hits),
            self.vocabulary(),
            self.settings.abstain_threshold,
            use_fitted=self.settings.abstain_model == "fitted",
        )
        return SearchResult(
            query=query,
            hits=hits,
            abstain=decision.abstain,
            best_similarity=best_similarity,
            abstain_reason=decision.reason,
            query_vector=query_vector,
            edition=edition,
            abstain_features=features,
        )

    def abstain_features(
        self,
        query: str,
        query_vector: np.ndarray,
        dense: list[tuple[Chunk, float]],
        lexical: list[tuple[Chunk, float]],
    ) -> np.ndarray:
        best_bm25 = max((s for _, s in lexical), default=0.0)
        return abstain_features(query, query_vector, dense, best_bm25, self.vocabulary())

    @staticmethod
    def _apply_edition_preference(
        fused: dict[str, float], by_id: dict[str, Chunk], edition: str | None, n_rankings: int
    ) -> None:
        """Guidance on the edition the question names moves up; with none named, text that
        describes only the 2026 edition moves down (answers describe today's edition)."""
        unit = n_rankings / (RRF_K + 1)
        for cid, chunk in by_id.items():
            fused[cid] += edition_preference(chunk.editions, edition) * unit

    def named_clauses(self, query: str) -> set[str]:
        """The clauses a question names, and those its words point to (the glossary)."""
        return set(find_clauses(query)) | set(self.glossary.clauses_for(query))

    def vocabulary(self) -> set[str]:
        """Every token in the served corpus (for spotting names the guidance never mentions)."""
        index = self._bm25_index()
        return index.vocabulary

    def _apply_clause_boost(
        self,
        fused: dict[str, float],
        by_id: dict[str, Chunk],
        wanted: list[str],
        n_rankings: int,
        limit: int,
    ) -> None:
        """Chunks tagged with a wanted clause move up; exact tags more than parent/child ones.

        Chunks of the wanted clause that neither ranking found join the pool at the floor (up to
        ``limit`` per clause, from the clause index: the cost grows with the chunks of that
        clause, not with the corpus), so a question naming "8.5.3" can reach the 8.5.3 guidance
        even when its wording is unusual.
        """
        unit = n_rankings / (RRF_K + 1)  # the score of a chunk ranked first everywhere
        floor = min(fused.values(), default=0.0)
        by_clause = self._bm25_index().by_clause
        for clause in dict.fromkeys(wanted):
            for chunk in by_clause.get(clause, [])[:limit]:
                if chunk.chunk_id not in fused:
                    fused[chunk.chunk_id] = floor
                    by_id[chunk.chunk_id] = chunk
        primary = wanted[0]
        for cid, chunk in by_id.items():
            tags = chunk.clauses
            if not tags:
                continue
            if tags[0] == primary:
                fused[cid] += 0.5 * unit
            elif primary in tags:
                fused[cid] += 0.3 * unit
            elif any_clause_matches(tags[:1], wanted):
                fused[cid] += 0.2 * unit
            elif any(clause_matches(t, w) for t in tags for w in wanted):
                fused[cid] += 0.1 * unit

    def _mmr(self, query: str, hits: list[SearchHit], k: int) -> list[SearchHit]:
        """Maximal marginal relevance over the fused order: relevance is the fused rank."""
        ids = [h.chunk.chunk_id for h in hits]
        raw = self.store.vectorstore.get(ids=ids, include=["embeddings"])
        by_id = dict(zip(raw["ids"], raw["embeddings"], strict=True))
        vectors = np.array([by_id[i] for i in ids], dtype=np.float32)
        relevance = np.linspace(1.0, 0.0, num=len(hits))
        return [hits[i] for i in mmr(vectors, relevance, k, self.settings.mmr_lambda)]

    @staticmethod
    def _collapse_duplicates(
        chunks: list[Chunk], fused: dict[str, float], dense_sim: dict[str, float]
    ) -> list[SearchHit]:
        """Keep the better of two chunks whose text is the same or almost the same."""
        kept: list[SearchHit] = []
        seen_hashes: set[str] = set()
        kept_tokens: list[set[str]] = []
        for chunk in chunks:
            if chunk.content_hash in seen_hashes:
                continue
            tokens = set(tokenize(chunk.text))
            if any(_jaccard(tokens, other) > 0.85 for other in kept_tokens):
                continue
            seen_hashes.add(chunk.content_hash)
            kept_tokens.append(tokens)
            kept.append(
                SearchHit(
                    chunk=chunk,
                    score=fused[chunk.chunk_id],
                    dense_score=dense_sim.get(chunk.chunk_id),
                )
            )
        return kept


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
