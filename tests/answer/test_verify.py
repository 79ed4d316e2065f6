import json
from importlib import resources

import numpy as np

from isoguide.answer.support import batch_features, fitted_model, new_figures
from isoguide.answer.verify import check_answer, cited_numbers, split_answer, strip_markers
from isoguide.embeddings import LocalEmbeddings
from isoguide.eval.fit import support_rows, support_split

PASSAGE = (
    "An ISO 9001 certificate is valid for three years. Surveillance audits take place at least "
    "once a year. A recertification audit is held before the certificate expires."
)


def test_sentences_keep_their_markers() -> None:
    text = "Certificates last three years. [1] Surveillance is yearly. [1, 2] Done"
    assert split_answer(text) == [
        "Certificates last three years. [1]",
        "Surveillance is yearly. [1, 2]",
        "Done",
    ]
    assert cited_numbers("a [1] b [2, 3]") == [1, 2, 3]
    assert strip_markers("Yearly audits . [2]") == "Yearly audits."


def test_support_checks(embeddings: LocalEmbeddings) -> None:
    answer = (
        "A certificate is valid for three years. [1] "
        "A certificate is valid for five years. [1] "
        "Management review must be held monthly. [1] "
        "Surveillance audits happen at least yearly. [4] "
        "Recertification happens before expiry."
    )
    checks = check_answer(answer, {1: PASSAGE}, embeddings)
    assert [c.supported for c in checks] == [True, False, False, False, False]
    assert "figure" in checks[1].reason
    assert "not one of the retrieved sources" in checks[3].reason
    assert checks[4].reason == "no citation"
    assert new_figures("valid for five years", [PASSAGE])
    assert new_figures("see clause 9.2.2", [PASSAGE])
    assert not new_figures("valid for 3 years, surveilled at least once a year", [PASSAGE])


def test_flips_and_overclaims_are_caught(embeddings: LocalEmbeddings) -> None:
    """A dropped "not", an added "every" and an honest paraphrase, against one source."""
    source = (
        "ISO 9001:2015 does not require a quality manual. Many small firms still keep a short "
        "overview because customers ask for it."
    )
    checks = check_answer(
        "ISO 9001:2015 requires a quality manual. [1] "
        "A quality manual is not required, though many small firms keep a short overview. [1]",
        {1: source},
        embeddings,
    )
    assert [c.supported for c in checks] == [False, True], [(c.text, c.score) for c in checks]


def test_the_shipped_verifier_measures_as_reported(embeddings: LocalEmbeddings) -> None:
    """Re-measure the fitted verifier on the held-out half of the labelled sentences: the
    figures match the ones written at fit time and stay within the gate."""
    fitted = resources.files("isoguide").joinpath("fitted/support.json")
    shipped = json.loads(fitted.read_text("utf-8"))["report"]
    _, test = support_split(support_rows())
    model = fitted_model()
    p = model.probabilities(
        batch_features([r["sentence"] for r in test], [r["passages"] for r in test], embeddings)
    )
    y = np.array([bool(r["supported"]) for r in test])
    said = p >= model.threshold
    false_reject = float((~said & y).sum() / y.sum())
    false_accept = float((said & ~y).sum() / (~y).sum())
    assert len(test) == shipped["test"] >= 180
    assert abs(false_reject - shipped["test_false_reject"]) < 1e-6
    assert abs(false_accept - shipped["test_false_accept"]) < 1e-6
    # measured 0.041 and 0.356 on 303 held-out sentences, 115 of them subtle one-word errors
    # (a flipped "not", an antonym, "some" made "all") that surface features barely read
    assert false_reject <= 0.05 and false_accept <= 0.40, (false_reject, false_accept)


def test_a_stray_marker_is_not_a_supported_sentence(embeddings: LocalEmbeddings) -> None:
    """A model that emits "[6]" on its own must not smuggle an unknown source number through."""
    checks = check_answer(
        "A certificate is valid for three years. [1] [6]", {1: PASSAGE}, embeddings
    )
    assert [c.cited for c in checks] == [[1, 6]]
    assert not checks[0].supported and "[6]" in checks[0].reason
    assert check_answer("[6]", {1: PASSAGE}, embeddings) == []
