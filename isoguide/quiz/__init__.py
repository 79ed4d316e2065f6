"""Quizzes for trainers: generate items from the guidance, check items, export them."""

from .check import QuizCheck, check_quiz_item

__all__ = ["QuizCheck", "check_quiz_item"]
