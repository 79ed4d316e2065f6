"""Fitting on the ``tune`` questions only: the abstention model, the sentence-selection model
and the verifier. ``isoguide eval --fit`` runs it and writes ``isoguide/fitted/*.json``.

Every choice is made with cross-validation inside ``tune`` (grouped by question for
sentences), so the ``test`` figures stay an honest estimate of unseen questions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from isoguide.abstain import AbstainEnsemble, AbstainModel
from isoguide.answer.select import FEATURES, SelectionModel, pick, score_candidates
from isoguide.assistant import Assistant
from isoguide.text import content_words

from .metrics import key_point_found

FITTED = Path(str(resources.files("isoguide") / "fitted"))
SENTENCE_TOP_CHUNKS = 10
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
MAX_FALSE_ABSTENTION = 0.03  # fitted cut-off keeps false abstentions under this on tune (CV)
# Answers stay readable: the longest median length allowed. A lead paragraph and a short list
# of points is read at a glance up to about 180 words (one screen in the chat).
MAX_MEDIAN_WORDS = 180


def _write(name: str, data: dict[str, Any]) -> Path:
    FITTED.mkdir(parents=True, exist_ok=True)
    path = FITTED / name
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


# -- abstention ------------------------------------------------------------------------------
PCA_GRID = (0, 8, 32)  # question-embedding dimensions the abstention model may use
NEIGHBOUR_GRID = (0, 3, 5)  # nearest tune questions of each kind it may compare with (0: none)
#: how many of the best CV configurations ship, averaged (why: ``abstain.AbstainEnsemble``)
ABSTAIN_ENSEMBLE = 5


def fit_abstention(assistant: Assistant, items: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Score every embedding size, regularisation and neighbour count by cross-validated F1 on
    tune, averaged over five 5-fold splits (each split's cut-off keeps false abstentions under
    the cap), and ship the mean of the best ``ABSTAIN_ENSEMBLE``, each fitted on all of tune;
    the cut-off is the median of the splits' cut-offs for that mean."""
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from isoguide.abstain import FEATURES as NAMED

    rows = [i for i in items if i["kind"] in ("answerable", "out_of_scope")]
    x = np.stack([assistant.retriever.search(i["question"]).abstain_features for i in rows])
    y = np.array([i["kind"] == "out_of_scope" for i in rows], dtype=int)
    # repeated CV: one split's cut-off and choice move with the seed (0.35-0.59 seen on tune)
    repeats = [list(StratifiedKFold(5, shuffle=True, random_state=s).split(x, y)) for s in range(5)]

    embedded = x[:, len(NAMED) :]
    unit = embedded / np.maximum(np.linalg.norm(embedded, axis=1, keepdims=True), 1e-6)

    def build(train: np.ndarray, n: int, c: float, k: int) -> AbstainModel:
        emb = x[train, len(NAMED) :]
        if n:
            pca = PCA(n, random_state=0).fit(emb)
            comps, pmean = pca.components_.astype(np.float32), pca.mean_.astype(np.float32)
        else:
            comps, pmean = (
                np.zeros((0, emb.shape[1]), np.float32),
                np.zeros(emb.shape[1], np.float32),
            )
        near, labels = unit[train].astype(np.float32), y[train].astype(np.int8)
        proto = AbstainModel(
            np.zeros(1), np.ones(1), np.zeros(1), 0.0, 0.5, comps, pmean, near, labels, k
        )
        # each tune question's neighbours leave the question itself out
        z = np.stack([proto.inputs(row, skip=j) for j, row in enumerate(x[train])])
        mean, scale = z.mean(axis=0), z.std(axis=0) + 1e-6
        lr = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
        lr.fit((z - mean) / scale, y[train])
        return AbstainModel(
            mean, scale, lr.coef_[0], float(lr.intercept_[0]), 0.5, comps, pmean, near, labels, k
        )

    scored: list[tuple[float, tuple[int, float, int], list[np.ndarray]]] = []
    for n in PCA_GRID:
        for c in C_GRID:
            for k in NEIGHBOUR_GRID:
                oofs = []
                for folds in repeats:
                    oof = np.zeros(len(y))
                    for train, held in folds:
                        model = build(train, n, c, k)
                        oof[held] = [model.probability(row) for row in x[held]]
                    oofs.append(oof)
                f1 = float(np.mean([_cut(oof, y)[1] for oof in oofs]))
                scored.append((f1, (n, c, k), oofs))
    # the mean of the best few (nested CV on tune: it generalises better than the best one)
    scored.sort(key=lambda t: -t[0])
    top = scored[:ABSTAIN_ENSEMBLE]
    cuts = [_cut(np.mean([oofs[r] for _, _, oofs in top], axis=0), y) for r in range(len(repeats))]
    threshold = float(np.median([t for t, _, _ in cuts]))
    f1 = float(np.mean([f for _, f, _ in cuts]))
    false_rate = float(np.mean([r for _, _, r in cuts]))
    everything = np.arange(len(y))
    ensemble = AbstainEnsemble(tuple(build(everything, *cfg) for _, cfg, _ in top), threshold)
    configs = [
        {"pca": n, "C": c, "neighbours_k": k, "cv_f1": round(f, 4)} for f, (n, c, k), _ in top
    ]
    _write(
        "abstain.json",
        {
            **ensemble.to_json(),
            "configs": configs,
            "cv_f1": f1,
            "cv_false_abstention": false_rate,
            "n": len(rows),
        },
    )
    return {
        "members": len(top),
        "best_single_cv_f1": top[0][0],
        "threshold": threshold,
        "cv_f1": f1,
        "cv_false_abstention": false_rate,
    }


def _cut(p: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """The cut-off with the best F1 among those keeping false abstentions under the cap."""
    best = (0.5, 0.0, 1.0)
    for cut in np.unique(np.round(p, 4)):
        said = p >= cut
        tp = int((said & (y == 1)).sum())
        fp = int((said & (y == 0)).sum())
        fn = int((~said & (y == 1)).sum())
        false_rate = fp / max(int((y == 0).sum()), 1)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if false_rate <= MAX_FALSE_ABSTENTION and f1 > best[1]:
            best = (float(cut), f1, false_rate)
    return best


# -- reranker --------------------------------------------------------------------------------
def _grouped_cv(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, max_iter: int
) -> tuple[float, np.ndarray]:
    """The C of ``C_GRID`` whose logistic model has the lowest out-of-fold log-loss over 5
    folds grouped by question, and those out-of-fold probabilities."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    best: tuple[float, float, np.ndarray] | None = None
    for c in C_GRID:
        oof = np.zeros(len(y))
        for train, held in GroupKFold(5).split(x, y, groups):
            model = LogisticRegression(C=c, max_iter=max_iter).fit(x[train], y[train])
            oof[held] = model.predict_proba(x[held])[:, 1]
        ll = -float(np.mean(y * np.log(oof + 1e-9) + (1 - y) * np.log(1 - oof + 1e-9)))
        if best is None or ll < best[1]:
            best = (c, ll, oof)
    assert best is not None
    return best[0], best[2]


RERANK_DEPTH = 30  # the fused candidates reordered (retrieval gathers 30 per ranking)


def _covered_at(tables: Sequence[np.ndarray], orders: Sequence[np.ndarray], k: int) -> float:
    """Share of key points stated by a quotable sentence of the first ``k`` chunks."""
    found = sum(int(t[:, o[:k]].any(axis=1).sum()) for t, o in zip(tables, orders, strict=True))
    return found / max(sum(len(t) for t in tables), 1)


def fit_reranker(assistant: Assistant, items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The chunk reranker: a logistic model on ``rerank_features``, labels from the key-point
    matcher (the chunk has a quotable sentence stating a key point), C chosen by grouped CV."""
    from sklearn.linear_model import LogisticRegression

    from isoguide import rerank

    from .keypoints import fitted_matcher

    matcher = fitted_matcher()
    if matcher is None:
        return {"skipped": "no key-point matcher"}
    retriever, embeddings = assistant.retriever, assistant.store.embeddings
    xs, tables = [], []
    for item in items:
        if item["kind"] != "answerable" or not item.get("key_points"):
            continue
        question = item["question"]
        result = retriever.search(question, k=RERANK_DEPTH, rerank=False)
        if len(result.hits) < 2 or result.query_vector is None:
            continue
        fetch = max(retriever.settings.fetch_k, RERANK_DEPTH)
        lexical = {c.chunk_id: s for c, s in retriever.bm25_search(question, fetch)}
        xs.append(
            rerank.rerank_features(
                question,
                result.query_vector,
                result.hits,
                lexical,
                retriever.named_clauses(question),
            )
        )
        per_hit = [rerank.hit_sentences(hit) for hit in result.hits]
        texts = [c.sentence.text for cands, _ in per_hit for c in cands]
        owner = np.array([i for i, (cands, _) in enumerate(per_hit) for _ in cands], dtype=int)
        stored = all(len(v) == len(c) for c, v in per_hit)
        vectors = np.concatenate([v for _, v in per_hit]) if stored and texts else None
        table = matcher.table(item["key_points"], texts, embeddings, vectors)
        columns = [table[:, owner == i].any(axis=1) for i in range(len(per_hit))]
        tables.append(np.array(columns).T)
    x = np.concatenate(xs)
    y = np.concatenate([t.any(axis=0) for t in tables]).astype(int)
    groups = np.concatenate([np.full(len(t[0]), i) for i, t in enumerate(tables)])
    c, oof = _grouped_cv(x, y, groups, max_iter=3000)
    fused_orders = [np.arange(len(t[0])) for t in tables]
    cv_orders, start = [], 0
    for t in tables:
        cv_orders.append(np.argsort(-oof[start : start + len(t[0])], kind="stable"))
        start += len(t[0])
    figures: dict[str, object] = {
        "C": c,
        "questions": len(tables),
        "chunks": int(len(y)),
        "positives": int(y.sum()),
        **{f"fused_at_{k}": _covered_at(tables, fused_orders, k) for k in (5, 10)},
        **{f"cv_reranked_at_{k}": _covered_at(tables, cv_orders, k) for k in (5, 10)},
    }
    final = LogisticRegression(C=c, max_iter=3000).fit(x, y)
    model = rerank.Reranker(
        final.coef_[0].astype(np.float32), float(final.intercept_[0]), RERANK_DEPTH, figures
    )
    _write("rerank.json", model.to_json())
    rerank.fitted_reranker.cache_clear()
    weights = dict(zip(rerank.FEATURES, np.round(final.coef_[0], 3).tolist(), strict=True))
    return {**figures, **{f"w_{k}": v for k, v in weights.items()}}


# -- sentence selection ----------------------------------------------------------------------
def _sentence_rows(assistant: Assistant, items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per answerable question: its scored candidates and which carry a key point."""
    out = []
    for item in items:
        if item["kind"] != "answerable" or not item.get("key_points"):
            continue
        result = assistant.retriever.search(item["question"])
        scored = score_candidates(
            item["question"],
            result.query_vector,
            result.hits,
            assistant.store.embeddings,
            SENTENCE_TOP_CHUNKS,
            edition=result.edition,
        )
        if not scored.candidates:
            continue
        table = _carries_key_point(item["key_points"], scored, assistant)
        labels = table.any(axis=0).astype(int)
        out.append({"item": item, "scored": scored, "labels": labels, "table": table})
    return out


def _carries_key_point(points: list[str], scored: Any, assistant: Assistant) -> np.ndarray:
    """Label per candidate sentence: it states a key point, read by the calibrated matcher
    once fitted (words alone miss paraphrase), else by the word matcher."""
    from .keypoints import fitted_matcher

    texts = [c.sentence.text for c in scored.candidates]
    matcher = fitted_matcher()
    if matcher is not None:
        return matcher.table(points, texts, assistant.store.embeddings, scored.vectors)
    words = [content_words(t) for t in texts]
    return np.array([[key_point_found(p, w) for w in words] for p in points], dtype=bool)


def _answer_recall(
    rows: list[dict[str, Any]], probs: list[np.ndarray], n: int, p_min: float
) -> tuple[float, float]:
    found = total = 0
    lengths = []
    for row, p in zip(rows, probs, strict=True):
        chosen = pick(row["scored"], p, n, p_min)
        text = " ".join(c.sentence.text for c in chosen)
        lengths.append(len(text.split()))
        index = [row["scored"].candidates.index(c) for c in chosen]
        total += len(row["table"])
        found += int(row["table"][:, index].any(axis=1).sum()) if index else 0
    return found / max(total, 1), float(np.median(lengths)) if lengths else 0.0


def fit_sentences(assistant: Assistant, items: Sequence[dict[str, Any]]) -> dict[str, float]:
    from sklearn.linear_model import LogisticRegression

    rows = _sentence_rows(assistant, items)
    x = np.concatenate([r["scored"].features for r in rows])
    y = np.concatenate([r["labels"] for r in rows])
    groups = np.concatenate([np.full(len(r["labels"]), i) for i, r in enumerate(rows)])
    c, oof = _grouped_cv(x, y, groups, max_iter=2000)
    per_row, start = [], 0
    for r in rows:
        per_row.append(oof[start : start + len(r["labels"])])
        start += len(r["labels"])
    grid = []
    for n in (3, 4, 5, 6, 7, 8):
        for p_min in (0.05, 0.1, 0.15, 0.2, 0.3, 0.4):
            recall, words = _answer_recall(rows, per_row, n, p_min)
            grid.append((recall, -words, n, p_min, words))
    allowed = [g for g in grid if g[4] <= MAX_MEDIAN_WORDS] or grid
    recall, _, n, p_min, words = max(allowed)
    final = LogisticRegression(C=c, max_iter=2000).fit(x, y)
    model = SelectionModel(
        final.coef_[0].astype(np.float32),
        float(final.intercept_[0]),
        n,
        p_min,
        SENTENCE_TOP_CHUNKS,
        {
            "C": c,
            "cv_answer_recall": recall,
            "cv_median_words": words,
            "questions": len(rows),
            "sentences": int(len(y)),
            "positives": int(y.sum()),
        },
    )
    _write("sentences.json", model.to_json())
    weights = dict(zip(FEATURES, np.round(final.coef_[0], 3).tolist(), strict=True))
    return {
        "C": c,
        "max_sentences": n,
        "min_probability": p_min,
        "cv_answer_recall": recall,
        "cv_median_words": words,
        **{f"w_{k}": v for k, v in weights.items()},
    }


#: The fewest answerable tune questions the corpus was not written from that sentence selection
#: is refitted on (its labels are the sentences stating their key points).
MIN_SELECTION_QUESTIONS = 150


def fit_all(assistant: Assistant, items: Sequence[dict[str, Any]]) -> None:
    """Fit every model on ``items`` (the tune split) and print what was chosen."""
    from isoguide import abstain
    from isoguide.answer import select

    # sentence selection leaves out the questions the corpus was then written for
    # ("corpus_written_from": their topics got answer-first pairs, so their key points sit in
    # pairs tailored to them, and the model would learn to trust a close pair more than unseen
    # questions warrant). Abstention keeps them: they are the in-scope questions farthest from
    # the guidance, and a fit without them abstained on 4 of these 71 tune questions, 0 with.
    unseen = [i for i in items if not i.get("corpus_written_from")]
    answerable = sum(i["kind"] == "answerable" for i in unseen)
    print(f"fitting on {len(items)} tune items; sentence selection on {len(unseen)}")
    print("key-point matcher:", json.dumps(fit_keypoints(assistant)))
    print("reranker:", json.dumps(fit_reranker(assistant, items)))
    print("abstention:", json.dumps(fit_abstention(assistant, items)))
    abstain.fitted_model.cache_clear()
    if answerable >= MIN_SELECTION_QUESTIONS:
        print("sentences:", json.dumps(fit_sentences(assistant, unseen)))
        select.fitted_model.cache_clear()
    else:
        # once the corpus has been written for most tune questions' topics, too few unseen
        # ones are left to fit (62 of 258 after the pairs of 2026-11-27, against 187 before):
        # the shipped selection model, fitted on 187, is kept rather than refitted on 62
        print(
            f"sentences: kept the shipped model ({answerable} unseen answerable tune questions, "
            f"fewer than {MIN_SELECTION_QUESTIONS})"
        )
    print("verifier:", json.dumps(fit_support(assistant)))


# -- key-point matcher -----------------------------------------------------------------------
def fit_keypoints(assistant: Assistant) -> dict[str, Any]:
    """The calibrated key-point matcher, fitted on the judged pairs of tune questions."""
    from . import keypoints

    matcher, report = keypoints.fit_matcher(assistant.store.embeddings)
    _write("keypoints.json", {**matcher.to_json(), "report": report})
    keypoints.fitted_matcher.cache_clear()
    return report


# -- verifier --------------------------------------------------------------------------------
MAX_FALSE_REJECT = 0.03  # honest sentences stripped: at most this share (tune, CV)
SUPPORT_C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)


def support_split(
    rows: Sequence[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(tune, test)`` of the labelled support set, by the same id-hash rule as the questions."""
    from .split import split_of

    tune = [r for r in rows if split_of(r["id"]) == "tune"]
    test = [r for r in rows if split_of(r["id"]) == "test"]
    return tune, test


def support_rows() -> list[dict[str, Any]]:
    """The verifier's labelled sentences: the LLM-style set (``support_set.jsonl``, each with
    its cited passages) and the team's first 86 examples (``support_examples.jsonl``, one
    passage each), as one list of ``{id, sentence, passages, supported, kind}``."""
    from . import SUPPORT_EXAMPLES, SUPPORT_SET

    rows = [json.loads(line) for line in SUPPORT_SET.read_text("utf-8").splitlines() if line]
    for line in SUPPORT_EXAMPLES.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows.append({**row, "passages": [row.pop("passage")]})
    return rows


def _reject_cut(p: np.ndarray, y: np.ndarray) -> float:
    """The highest cut-off (fewest false accepts) that rejects at most MAX_FALSE_REJECT of the
    honest sentences."""
    for cut in sorted(np.unique(np.round(p, 4)), reverse=True):
        if float(((p < cut) & (y == 1)).sum()) / max(int(y.sum()), 1) <= MAX_FALSE_REJECT:
            return float(cut)
    return 0.0


def _error_rates(p: np.ndarray, y: np.ndarray, cut: float) -> tuple[float, float]:
    """``(false_reject, false_accept)`` at ``cut``."""
    false_reject = float(((p < cut) & (y == 1)).sum()) / max(int(y.sum()), 1)
    false_accept = float(((p >= cut) & (y == 0)).sum()) / max(int((y == 0).sum()), 1)
    return false_reject, false_accept


def fit_support(assistant: Assistant) -> dict[str, float]:
    """Fit the verifier on the tune half; C and the cut-off by 5 x 5-fold CV (fewest false
    accepts with false rejects capped); report both error rates on the test half."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from isoguide.answer.support import SupportModel, batch_features

    tune, test = support_split(support_rows())
    emb = assistant.store.embeddings
    x = batch_features([r["sentence"] for r in tune], [r["passages"] for r in tune], emb)
    y = np.array([bool(r["supported"]) for r in tune], dtype=int)

    def pipeline(c: float) -> Any:
        return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=3000))

    best: tuple[float, float, float, float] | None = None  # (cv false accept, C, cut, cv FR)
    for c in SUPPORT_C_GRID:
        cuts, rates = [], []
        for seed in range(5):
            folds = StratifiedKFold(5, shuffle=True, random_state=seed)
            oof = cross_val_predict(pipeline(c), x, y, cv=folds, method="predict_proba")[:, 1]
            cuts.append(_reject_cut(oof, y))
            rates.append(_error_rates(oof, y, cuts[-1]))
        fr, fa = np.mean(rates, axis=0)
        if best is None or fa < best[0] - 1e-9:
            best = (float(fa), c, float(np.mean(cuts)), float(fr))
    assert best is not None
    cv_fa, c, threshold, cv_fr = best
    final = pipeline(c).fit(x, y)
    scaler, logistic = final[0], final[1]
    model = SupportModel(
        logistic.coef_[0].astype(np.float32),
        float(logistic.intercept_[0]),
        threshold,
        scaler.mean_.astype(np.float32),
        scaler.scale_.astype(np.float32),
    )
    xt = batch_features([r["sentence"] for r in test], [r["passages"] for r in test], emb)
    yt = np.array([bool(r["supported"]) for r in test], dtype=int)
    test_fr, test_fa = _error_rates(model.probabilities(xt), yt, threshold)
    report = {
        "C": c,
        "threshold": threshold,
        "tune": len(tune),
        "test": len(test),
        "tune_cv_false_reject": cv_fr,
        "tune_cv_false_accept": cv_fa,
        "test_false_reject": test_fr,
        "test_false_accept": test_fa,
    }
    _write("support.json", {**model.to_json(), "report": report})
    from isoguide.answer import support

    support.fitted_model.cache_clear()
    return report
