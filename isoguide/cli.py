"""The ``isoguide`` command: ingest, search, ask, eval, serve.

Exit codes: 0 success, 1 an isoguide error (message on stderr), 2 bad usage or a bad question,
3 the store is locked or unreachable.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import IsoguideError
from .settings import Settings

if TYPE_CHECKING:
    from .assistant import Assistant
    from .quiz import QuizItem

QUIZ_KINDS = ("scenario", "which-clause", "true-false", "multi-select", "definition")


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _settings(args: argparse.Namespace) -> Settings:
    return Settings().derive(
        provider=getattr(args, "provider", None), edition=getattr(args, "edition", None)
    )


def cmd_ingest(args: argparse.Namespace) -> int:
    from isoguide.ingest import ingest

    settings = _settings(args)
    paths = [Path(p) for p in args.paths] if args.paths else None
    report = ingest(settings, paths=paths, progress=not args.quiet)
    if args.json:
        _print_json(vars(report))
    return 0


def _assistant(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .assistant import Assistant

    settings = _settings(args)
    assistant = Assistant(settings)
    assistant.ensure_index()
    return assistant


def cmd_search(args: argparse.Namespace) -> int:
    from .errors import validate_question

    validate_question(args.question, Settings().max_question_chars)
    result = _assistant(args).search(args.question, k=args.k)
    if args.json:
        _print_json(result.to_json())
        return 0
    if result.abstain:
        print("(below the abstain threshold: the guidance probably does not cover this)\n")
    for hit in result.hits:
        clauses = ", ".join(hit.chunk.clauses) or "-"
        print(
            f"{hit.rank}. {hit.chunk.title} > {hit.chunk.section}  [clauses {clauses}]  score {hit.score:.4f}"
        )
        snippet = " ".join(hit.chunk.text.split())[:240]
        print(f"   {snippet}\n")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from .errors import validate_question

    validate_question(args.question, Settings().max_question_chars)
    assistant = _assistant(args)
    if args.json:
        _print_json(assistant.ask(args.question).to_json())
        return 0
    stream = assistant.stream(args.question)
    for piece in stream:
        print(piece, end="", flush=True)
    print()
    answer = stream.answer
    if answer.notice:
        print(f"\nNote: {answer.notice}")
    if answer.edition and not answer.abstained:
        from .editions import edition_note

        print(f"\n({edition_note(answer.edition)})")
    if answer.unsupported:
        print("\nNot supported by the cited guidance (check before use):")
        for sentence in answer.unsupported:
            print(f"  - {sentence}")
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            clauses = f" [clauses {', '.join(c.clauses)}]" if c.clauses else ""
            edition = f" (ISO 9001:{'/'.join(c.editions)})" if c.editions else ""
            print(f"[{c.n}] {c.title} > {c.section}{clauses}{edition}")
            print(f'    "{c.quote}"')
    return 0


def _quiz_items(path: str) -> list[QuizItem]:
    """The items of a quiz exported as JSON (``isoguide quiz --format json``)."""
    from .quiz import QuizItem

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return [QuizItem.from_json(i) for i in data["items"]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise IsoguideError(f"--avoid {path}: not a quiz exported with --format json ({e}).") from e


def cmd_quiz(args: argparse.Namespace) -> int:
    from .clauses import parse_clause_list
    from .quiz import generate_quiz
    from .quiz.generate import shortfall

    fmt = "json" if args.json else args.format
    clauses = parse_clause_list(args.clauses or "")
    kinds = [k.strip() for k in args.types.split(",") if k.strip()] if args.types else None
    avoid = [item for path in args.avoid or [] for item in _quiz_items(path)]
    assistant = _assistant(args)
    if args.course:
        return _course(args, assistant, fmt, kinds)
    unconfirmed: list[str] = []
    held_back: list[str] = []
    items = generate_quiz(
        assistant,
        args.topic or "",
        n=args.n,
        seed=args.seed,
        clauses=clauses,
        difficulty=args.difficulty,
        unconfirmed=unconfirmed,
        held_back=held_back,
        avoid=avoid,
        **({"kinds": kinds} if kinds else {}),
    )
    title = f"Quiz: {args.topic or 'clauses ' + ', '.join(clauses)}"
    if note := shortfall(items, args.n, unconfirmed, held_back):
        print(f"note on {title!r}: {note}", file=sys.stderr)  # which quiz, when several run
    return _quiz_out(args, assistant, items, title, fmt)


def _course(
    args: argparse.Namespace, assistant: Assistant, fmt: str, kinds: list[str] | None
) -> int:
    """``isoguide quiz --course "a; b; c" -n 20``: one quiz per topic, exported together
    (Markdown and Word: a section per topic; the LMS formats: one file, categories by clause)."""
    from .quiz import export_quiz
    from .quiz.course import course_note, generate_course

    if args.topic or args.clauses or args.avoid:
        raise IsoguideError("--course takes the topics itself: drop the topic, --clauses, --avoid.")
    topics = [t.strip() for t in args.course.split(";") if t.strip()]
    course = generate_course(
        assistant,
        topics,
        args.n,
        seed=args.seed,
        difficulty=args.difficulty,
        **({"kinds": kinds} if kinds else {}),
    )
    for quiz in course:
        if quiz.note:
            print(f"note on 'Quiz: {quiz.topic}': {quiz.note}", file=sys.stderr)
    if note := course_note(course, args.n):
        print(f"note on the course: {note}", file=sys.stderr)
    title = "Course: " + ", ".join(topics)
    items = [item for quiz in course for item in quiz.items]
    if fmt == "md":
        text = "\n".join(
            export_quiz(q.items, f"Quiz: {q.topic}", "md").data.decode("utf-8") for q in course
        )
        return _quiz_out(args, assistant, items, title, fmt, text.encode("utf-8"))
    return _quiz_out(args, assistant, items, title, fmt)


def _quiz_out(
    args: argparse.Namespace,
    assistant: Assistant,
    items: list[QuizItem],
    title: str,
    fmt: str,
    markdown: bytes | None = None,
) -> int:
    from .quiz import export_quiz

    if fmt == "docx":
        from .cli_output import quiz_docx_bytes

        return _write(args, quiz_docx_bytes(assistant, items, title))
    exported = export_quiz(items, title, fmt)
    if markdown is not None:
        exported = replace(exported, data=markdown)
    for number, reason in exported.left_out:
        print(f"note: item {number} left out of the {fmt} export: {reason}", file=sys.stderr)
    if args.output:
        Path(args.output).write_bytes(exported.data)
        print(
            f"wrote {len(items) - len(exported.left_out)} items to {args.output}", file=sys.stderr
        )
    elif fmt == "qti":
        raise IsoguideError("A QTI export is a zip package: give --output FILE.zip.")
    else:
        sys.stdout.write(exported.data.decode("utf-8"))
    return 0


def _write(args: argparse.Namespace, data: bytes | str) -> int:
    from .cli_output import write_output

    return write_output(args.output, data, args.format)


def cmd_draft(args: argparse.Namespace) -> int:
    from .cli_output import draft_output
    from .draft import draft_explanation

    draft = draft_explanation(
        _assistant(args), args.topic, audience=args.audience, context=args.context
    )
    code = _write(args, draft_output(draft, args.format))
    return code if not draft.abstained else 1


def cmd_checklist(args: argparse.Namespace) -> int:
    from .checklist import build_checklist
    from .cli_output import checklist_output

    checklist = build_checklist(_assistant(args), args.clauses)
    return _write(args, checklist_output(checklist, args.format))


def cmd_eval(args: argparse.Namespace) -> int:
    from isoguide.eval.runner import main as eval_main

    return eval_main(args)


def cmd_serve(args: argparse.Namespace) -> int:
    from importlib import resources

    app = resources.files("isoguide.ui") / "app.py"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(args.port),
        "--server.address",
        args.address,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # .streamlit/config.toml is only read from the start folder: pass what matters.
        "--server.maxUploadSize",
        str(max(1, round(Settings().max_upload_mb))),
        "--server.fileWatcherType",
        "none",
    ]
    # the server takes this process's place, so a stop signal (docker stop, systemd, a test's
    # terminate) reaches it: as a child it outlived its parent and kept the port
    os.execv(sys.executable, cmd)
    return 0  # (not reached: execv returns only by raising)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="isoguide",
        description="ISO 9000 / ISO 9001 guidance for small companies, answered with cited sources.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index corpus folders or files (incremental)")
    p.add_argument("paths", nargs="*", help="files or folders (default: the configured corpus)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="print the ingest report as JSON")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="show the guidance passages that match a question")
    p.add_argument("question")
    p.add_argument("-k", type=int, default=None, help="number of passages (default from settings)")
    p.add_argument("--json", action="store_true", help="machine-readable output (see README)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="answer a question with cited sources")
    p.add_argument("question")
    p.add_argument("--provider", help="extractive, llamacpp, ollama or openai (overrides settings)")
    p.add_argument(
        "--edition",
        choices=["2015", "2026"],
        help="ISO 9001 edition to describe (default: the one the question names, else 2015)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output (see README)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("quiz", help="checked quiz items with a key, for print or an LMS")
    p.add_argument("topic", nargs="?", default="", help="what the quiz is about")
    p.add_argument("-n", type=int, default=5, help="number of questions")
    p.add_argument("--clauses", help="comma-separated ISO 9001 clauses, e.g. 9.3,10.2")
    p.add_argument("--types", help="comma-separated item types: " + ", ".join(QUIZ_KINDS))
    p.add_argument("--difficulty", choices=["easy", "medium", "hard"], help="default: mixed")
    p.add_argument("--seed", type=int, default=None, help="same seed, same quiz (default: new)")
    p.add_argument(
        "--avoid",
        action="append",
        metavar="QUIZ.json",
        help="a quiz of the same course (exported with --format json) whose points and "
        "options this one must not repeat; repeatable",
    )
    p.add_argument(
        "--format",
        choices=["gift", "moodle-xml", "aiken", "qti", "md", "json", "docx"],
        default="md",
        help="output format (qti and docx need --output)",
    )
    p.add_argument(
        "--course",
        metavar='"TOPIC; TOPIC; ..."',
        help="one quiz per topic, -n items spread over them, none repeating another's points "
        "or options; a topic short of material leaves its places to the others",
    )
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.add_argument("--json", action="store_true", help="same as --format json")
    p.set_defaults(func=cmd_quiz)

    p = sub.add_parser("draft", help="a cited explanation of a clause or topic (md, docx, json)")
    p.add_argument(
        "topic", help='e.g. "clause 9.3" or "risk-based thinking for a 10-person bakery"'
    )
    p.add_argument(
        "--audience",
        default="owner/management",
        help="owner/management, shop-floor staff or auditors (similar words are understood)",
    )
    p.add_argument(
        "--context",
        help='the company: "12 people, machine shop, 8.3 not applicable" or '
        '"size=12; sector=machine shop; not-applicable=8.3"',
    )
    p.add_argument("--format", choices=["md", "docx", "json"], default="md")
    p.add_argument("--output", "-o", help="write to this file (needed for docx)")
    p.set_defaults(func=cmd_draft)

    p = sub.add_parser("checklist", help="an internal-audit checklist (ISO 19011 style)")
    p.add_argument("clauses", nargs="+", help="clause numbers such as 9.2 9.3, or 'all'")
    p.add_argument("--format", choices=["md", "docx", "xlsx", "json"], default="md")
    p.add_argument("--output", "-o", help="write to this file (needed for docx and xlsx)")
    p.set_defaults(func=cmd_checklist)

    p = sub.add_parser("eval", help="measure retrieval and answers on a question set")
    p.add_argument(
        "--questions",
        default=None,
        help="a JSONL question set (default: the test split; --fit: tune)",
    )
    p.add_argument("--json", dest="json_out", help="write metrics and records to this file")
    p.add_argument("--provider", help="answerer to evaluate (default from settings)")
    p.add_argument("--mode", choices=["dense", "bm25", "hybrid"], help="retrieval mode")
    p.add_argument("--no-clause-boost", action="store_true", help="turn clause-aware ranking off")
    p.add_argument("--compare", action="store_true", help="compare retrieval configurations")
    p.add_argument(
        "--fit",
        action="store_true",
        help="fit abstention, sentence selection and the verifier on the tune split",
    )
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("serve", help="start the chat app (Streamlit)")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="localhost")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except IsoguideError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
