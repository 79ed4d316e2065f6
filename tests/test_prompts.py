import pytest

from isoguide.errors import PromptError
from isoguide.prompts import load_prompt, parse_prompt


@pytest.mark.parametrize("name", ["answer", "condense"])
def test_shipped_prompts_load_and_declare_their_variables(name: str) -> None:
    prompt = load_prompt(None, name)
    assert prompt.variables
    messages = prompt.format_messages(**{v: f"<{v}>" for v in prompt.variables})
    text = " ".join(str(m.content) for m in messages)
    assert all(f"<{v}>" in text for v in prompt.variables)


def test_undeclared_variable_is_an_error() -> None:
    text = (
        "---\nname: x\nvariables: [question]\n---\n# system\nUse {context}.\n# user\n{question}\n"
    )
    with pytest.raises(PromptError, match="declares"):
        parse_prompt(text, "x.md")


def test_missing_value_is_an_error_not_a_blank() -> None:
    prompt = load_prompt(None, "answer")
    with pytest.raises(PromptError, match="missing"):
        prompt.format_messages(question="q", sources="s")


def test_not_covered_sentence_is_shared_with_the_parser() -> None:
    from isoguide.models import NOT_COVERED

    prompt = load_prompt(None, "answer")
    assert "not_covered" in prompt.variables  # filled from the same constant the chain checks
    assert NOT_COVERED.endswith(".")
