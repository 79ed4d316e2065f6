from pathlib import Path

from isoguide.answer.verify import (
    calibrate,
    check_answer,
    cited_numbers,
    figures,
    split_answer,
    strip_markers,
)
from isoguide.embeddings import LocalEmbeddings
from isoguide.eval import SUPPORT_EXAMPLES
from isoguide.settings import LLMSettings

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
    checks = check_answer(answer, {1: PASSAGE}, embeddings, LLMSettings().support_threshold)
    assert [c.supported for c in checks] == [True, False, False, False, False]
    assert "figure" in checks[1].reason
    assert "not one of the retrieved sources" in checks[3].reason
    assert checks[4].reason == "no citation"
    assert figures("three years, 5 days and once") == {"three", "5", "once"}


def test_threshold_in_settings_matches_the_calibration(embeddings: LocalEmbeddings) -> None:
    threshold, accuracy, n = calibrate(SUPPORT_EXAMPLES, embeddings)
    assert n >= 80
    assert accuracy >= 0.75, accuracy
    assert abs(threshold - LLMSettings().support_threshold) <= 0.05, threshold
    assert Path(SUPPORT_EXAMPLES).is_file()


def test_a_stray_marker_is_not_a_supported_sentence(embeddings: LocalEmbeddings) -> None:
    """A model that emits "[6]" on its own must not smuggle an unknown source number through."""
    checks = check_answer(
        "A certificate is valid for three years. [1] [6]", {1: PASSAGE}, embeddings, 0.48
    )
    assert [c.cited for c in checks] == [[1, 6]]
    assert not checks[0].supported and "[6]" in checks[0].reason
    assert check_answer("[6]", {1: PASSAGE}, embeddings, 0.48) == []
