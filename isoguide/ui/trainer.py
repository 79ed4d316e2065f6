"""Quiz mode (trainers): the page lives in ``quiz_page``; Draft mode (consultants) lives in
``consultant`` and the audit checklist in ``checklist``."""

from __future__ import annotations

from .quiz_page import quiz_page

__all__ = ["quiz_page"]
