import pytest

from isoguide.clauses import VALID_CLAUSES, clause_label, clause_matches, find_clauses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See clause 7.5.3 for control.", ["7.5.3"]),
        ("Calibration (7.1.5) matters.", ["7.1.5"]),
        ("As §8.4 says", ["8.4"]),
        ("clauses 4.1 and 4.2 changed in 2024", ["4.1", "4.2"]),
        ("what does 7.2 mean for me", ["7.2"]),
        ("section 10.2 on corrective action", ["10.2"]),
        ("a 6.2 hours shift", []),
        ("costs rose 8.5% last year", []),
        ("ISO 9001:2015 and version 3.11", []),
        ("ISO 27001 control A.8.2 on assets", []),
        ("clause 7.9 does not exist", []),
        ("clause 11.1 does not exist either", []),
    ],
)
def test_find_clauses(text: str, expected: list[str]) -> None:
    assert find_clauses(text) == expected


def test_prefix_aware_matching() -> None:
    assert clause_matches("7.1", "7.1.5")
    assert clause_matches("7.1.5", "7.1")
    assert clause_matches("9.3", "9.3")
    assert not clause_matches("7.1", "7.10")
    assert not clause_matches("8.5", "8.6")


def test_valid_clauses_span_4_1_to_10_3() -> None:
    assert {"4.1", "7.1.5.2", "8.5.6", "10.3"} <= VALID_CLAUSES
    assert "3.1" not in VALID_CLAUSES and "10.4" not in VALID_CLAUSES
    assert clause_label("9.3") == "9.3 Management review"
