"""Quizzes for trainers: generate items from the guidance (each confirmed by the checker),
check items written by others, and export quizzes for learning platforms.

``generate.py`` builds items from ``bank.py`` material, ``check.py`` scores options against
the guidance after ``forms.py`` reads the stem, ``export.py`` writes GIFT, Moodle XML, Aiken,
QTI, Markdown and JSON, and ``readers.py`` reads pasted, GIFT and Aiken items.
"""

from .check import QuizCheck, check_quiz_item
from .export import FORMATS, SUFFIXES, Exported, export_quiz, to_markdown
from .generate import generate_quiz, regenerate_item, spread
from .items import BLOOM_LEVELS, DIFFICULTIES, KINDS, LETTERS, QuizItem
from .readers import GivenItem, parse_answer, parse_options, read_aiken, read_gift

quiz_to_markdown = to_markdown

__all__ = [
    "BLOOM_LEVELS",
    "DIFFICULTIES",
    "FORMATS",
    "KINDS",
    "LETTERS",
    "Exported",
    "GivenItem",
    "SUFFIXES",
    "QuizCheck",
    "QuizItem",
    "check_quiz_item",
    "export_quiz",
    "generate_quiz",
    "parse_answer",
    "parse_options",
    "quiz_to_markdown",
    "read_aiken",
    "read_gift",
    "regenerate_item",
    "spread",
]
