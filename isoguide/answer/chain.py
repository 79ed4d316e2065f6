"""The LLM path: condense a follow-up, retrieve, prompt, stream, filter, verify, fall back.

Built from LCEL pieces (prompt | model | parser). Retrieved text is data: sentences that
address the assistant are removed before the model sees them, and an answer sentence that
repeats something only such a sentence said is withheld before it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser

from ..embeddings import LocalEmbeddings
from ..errors import LLMUnavailableError
from ..models import NOT_COVERED, Answer, Citation, SearchHit
from ..prompts import load_prompt
from ..retrieval import Retriever
from ..settings import Settings
from ..text import split_sentences, tokenize
from .base import AnswerStream, Turn
from .condense import condense_without_llm
from .extractive import ExtractiveAnswerer, not_covered
from .guard import looks_like_injection
from .verify import SENTENCE_END, check_answer, strip_markers

CHARS_PER_TOKEN = 3.5  # conservative for English guidance text
PROMPT_OVERHEAD_TOKENS = 350


def sanitize(text: str) -> tuple[str, list[str]]:
    """``(text without instruction-like sentences, the removed sentences)``."""
    removed = [s.text for s in split_sentences(text) if looks_like_injection(s.text)]
    for sentence in removed:
        text = text.replace(sentence, "[text addressed to the assistant removed]")
    return text, removed


def format_sources(
    hits: Sequence[SearchHit], budget_chars: int
) -> tuple[str, dict[int, SearchHit], dict[int, str], list[str]]:
    """Numbered source blocks that fit the model's window, best first."""
    blocks: list[str] = []
    shown: dict[int, SearchHit] = {}
    texts: dict[int, str] = {}
    removed: list[str] = []
    used = 0
    for n, hit in enumerate(hits, start=1):
        clean, dropped = sanitize(hit.chunk.text)
        clauses = f" (clauses {', '.join(hit.chunk.clauses)})" if hit.chunk.clauses else ""
        block = f"[{n}] {hit.chunk.title} > {hit.chunk.section}{clauses}\n<<<\n{clean}\n>>>"
        if blocks and used + len(block) > budget_chars:
            break
        blocks.append(block[: max(budget_chars - used, 200)])
        used += len(block)
        shown[n], texts[n] = hit, f"{clean}\n(clauses {', '.join(hit.chunk.clauses)})"
        removed.extend(dropped)
    return "\n\n".join(blocks), shown, texts, removed


def echoes_injection(sentence: str, removed: Sequence[str], allowed: set[str]) -> bool:
    """True when the sentence repeats words that only a removed instruction contained."""
    if looks_like_injection(sentence):
        return True
    if not removed:
        return False
    suspicious = {
        t for s in removed for t in tokenize(s) if len(t) >= 4 or any(ch.isdigit() for ch in t)
    }
    return bool((set(tokenize(sentence)) & suspicious) - allowed)


def _history_text(history: Sequence[Turn]) -> str:
    return "\n".join(f"{role}: {text}" for role, text in history[-6:])


def condense(
    model: BaseChatModel, prompts_dir: str | None, question: str, history: Sequence[Turn]
) -> str:
    if not history:
        return question
    prompt = load_prompt(prompts_dir, "condense")
    chain = prompt.template() | model | StrOutputParser()
    try:
        rewritten = chain.invoke({"history": _history_text(history), "question": question}).strip()
    except Exception:  # a failed rewrite must not cost the answer: fall back to the heuristic
        return condense_without_llm(question, history)
    first_line = rewritten.splitlines()[0].strip() if rewritten else ""
    return first_line if 3 <= len(first_line) <= 1000 else condense_without_llm(question, history)


class _SentenceFilter:
    """Releases the model's output a sentence at a time, withholding injection echoes."""

    def __init__(self, removed: Sequence[str], allowed: set[str]) -> None:
        self.removed, self.allowed = removed, allowed
        self.kept: list[str] = []
        self.withheld = 0

    def __call__(self, sentence: str) -> str | None:
        sentence = sentence.strip()
        if not sentence:
            return None
        if echoes_injection(sentence, self.removed, self.allowed):
            self.withheld += 1
            return None
        self.kept.append(sentence)
        return sentence + " "


class LLMAnswerer:
    """Answers with a chat model: condense, retrieve, prompt, stream, filter, verify. When the
    model cannot be had or supports nothing it said, the extractive answerer handed in answers."""

    def __init__(
        self,
        name: str,
        retriever: Retriever,
        embeddings: LocalEmbeddings,
        chat_model: BaseChatModel | Callable[[], BaseChatModel],
        settings: Settings,
        fallback: ExtractiveAnswerer,
    ) -> None:
        self.name = name
        self.retriever = retriever
        self.embeddings = embeddings
        self.settings = settings
        self.fallback = fallback
        self._model = chat_model if isinstance(chat_model, BaseChatModel) else None
        self._factory = None if isinstance(chat_model, BaseChatModel) else chat_model

    def chat_model(self) -> BaseChatModel:
        """The chat model, created on first use (a local GGUF loads once)."""
        if self._model is None:
            assert self._factory is not None
            self._model = self._factory()
        return self._model

    def stream(self, question: str, history: Sequence[Turn] = ()) -> AnswerStream:
        return AnswerStream(self._events(question, history))

    def _fallback(self, standalone: str, question: str, notice: str) -> Answer:
        answer = self.fallback.answer(standalone, question)
        answer.notice = notice
        return answer

    def _events(self, question: str, history: Sequence[Turn]) -> Iterator[str | Answer]:
        llm = self.settings.llm
        name = self.name
        try:
            model = self.chat_model()
        except LLMUnavailableError as exc:
            yield self._fallback(
                condense_without_llm(question, history),
                question,
                f"The {name} model is not available ({exc}). This is the extractive answer.",
            )
            return
        prompts_dir = str(self.settings.prompts_dir) if self.settings.prompts_dir else None
        standalone = condense(model, prompts_dir, question, history)
        result = self.retriever.search(standalone)
        if result.abstain:
            answer = not_covered(question, result, provider=name)
            answer.standalone_question = standalone if standalone != question else None
            yield answer
            return

        budget = int(
            (llm.context_window - llm.max_tokens - PROMPT_OVERHEAD_TOKENS) * CHARS_PER_TOKEN
        )
        sources_text, shown, texts, removed = format_sources(result.hits, max(budget, 800))
        allowed = set(tokenize(sources_text + " " + standalone + " " + question))
        messages = load_prompt(prompts_dir, "answer").format_messages(
            question=standalone, sources=sources_text, not_covered=NOT_COVERED
        )
        release = _SentenceFilter(removed, allowed)
        buffer = ""
        try:
            for chunk in model.stream(messages):  # type: ignore[arg-type]
                buffer += str(chunk.content)
                while (match := SENTENCE_END.search(buffer)) is not None:
                    sentence, buffer = buffer[: match.end()], buffer[match.end() :]
                    if piece := release(sentence):
                        yield piece
            if piece := release(buffer):
                yield piece
        except Exception as exc:  # connection refused, time-out, server error: say so, answer
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            yield self._fallback(
                standalone,
                question,
                f"The {name} model could not answer ({reason}). This is the extractive answer.",
            )
            return

        text = " ".join(release.kept)
        notice = (
            f"{release.withheld} sentence(s) were withheld because they repeated instructions "
            "found inside a source document."
            if release.withheld
            else None
        )
        if NOT_COVERED in text or not text:
            answer = not_covered(question, result, provider=name)
            answer.notice = notice
            yield answer
            return
        checks = check_answer(text, texts, self.embeddings, llm.support_threshold)
        supported = [c for c in checks if c.supported]
        unsupported = [f"{strip_markers(c.text)} ({c.reason})" for c in checks if not c.supported]
        if not supported:
            answer = self._fallback(
                standalone,
                question,
                "None of the model's sentences was supported by the guidance it cited, "
                "so this is the extractive answer.",
            )
            answer.unsupported = unsupported
            yield answer
            return
        yield Answer(
            question=question,
            answer=" ".join(c.text for c in supported),
            abstained=False,
            provider=name,
            citations=citations_for(supported, shown, self.embeddings),
            unsupported=unsupported,
            notice=notice,
            standalone_question=standalone if standalone != question else None,
            hits=result.hits,
        )


def citations_for(
    supported: list, shown: dict[int, SearchHit], embeddings: LocalEmbeddings
) -> list[Citation]:  # type: ignore[type-arg]
    """One citation per source used; its quote is the source sentence closest to the claims."""
    out: list[Citation] = []
    numbers = sorted({n for c in supported for n in c.cited if n in shown})
    for n in numbers:
        chunk = shown[n].chunk
        claims = " ".join(strip_markers(c.text) for c in supported if n in c.cited)
        candidates = [
            s.text for s in split_sentences(chunk.text) if not looks_like_injection(s.text)
        ]
        if not candidates:
            continue
        vectors = embeddings.encode([claims] + candidates)
        best = int((vectors[1:] @ vectors[0]).argmax())
        out.append(Citation.from_chunk(n, chunk, candidates[best]))
    return out
