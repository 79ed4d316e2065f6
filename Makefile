# isoguide task runner. `make run` and `make test` work on a fresh machine: they create .venv,
# install torch==2.13.0 (CPU build) first, then the project with its dev tools.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP   = $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))
PORT   ?= 8501
# Set WITH_LLAMACPP=1 to also build llama-cpp-python (~5 minutes) for the local GGUF provider.
WITH_LLAMACPP ?= 0
comma  := ,
EXTRAS := dev$(if $(filter 1,$(WITH_LLAMACPP)),$(comma)llamacpp,)

export HF_HUB_OFFLINE = 1
export TRANSFORMERS_OFFLINE = 1
export ANONYMIZED_TELEMETRY = False

.PHONY: help venv install run index serve test lint format eval fit eval-compare bench bench-scale clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --progress-bar off -q torch==2.13.0
	$(BIN)/pip install --progress-bar off -q -e '.[$(EXTRAS)]'
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install isoguide (torch first)
install: venv

index: venv ## build or update the index from corpus/ (incremental, with a progress bar)
	$(BIN)/isoguide ingest

serve: venv ## serve the chat on http://localhost:$(PORT)
	$(BIN)/isoguide serve --port $(PORT)

run: index serve ## install, index, and serve the chat on http://localhost:8501

test: venv ## run every test (real Chroma, real embedding model; the LLM is faked)
	$(BIN)/python -m pytest

lint: venv ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: venv ## apply ruff formatting and safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

eval: venv ## answer-level metrics, retrieval, abstention, citations, quiz on the test split
	$(BIN)/isoguide eval --json .isoguide/eval-test.json

fit: venv ## refit abstention, sentence selection and the verifier on the tune split
	$(BIN)/isoguide eval --fit

eval-compare: venv ## compare dense / BM25 / hybrid / hybrid + clause-aware on the dev set
	$(BIN)/isoguide eval --compare

bench: venv ## print measured timings: ingest, search, ask, first token
	$(BIN)/python -m isoguide.eval.bench

bench-scale: venv ## retrieval p50/p95 at 100,000 synthetic chunks: embedded and chroma run server
	$(BIN)/python -m isoguide.eval.bench_scale

clean: ## remove the index and caches (keeps .venv)
	rm -rf .isoguide .pytest_cache .mypy_cache .ruff_cache
