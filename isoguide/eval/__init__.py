"""Measuring isoguide: question sets (package data under ``data/``), metrics, the runner and
the benchmark."""

from pathlib import Path

DATA = Path(__file__).parent / "data"
DEV_SET = DATA / "dev.jsonl"
SUPPORT_EXAMPLES = DATA / "support_examples.jsonl"
TUNE = DATA / "tune.jsonl"  # real questions for fitting (see split.py)
TEST = DATA / "test.jsonl"  # real questions for reporting and the CI gate
SUPPORT_SET = DATA / "support_set.jsonl"  # labelled LLM-style sentences for the verifier
