"""Who the user is and what they may do: roles from settings lists or an ID-token claim.

Sign-in itself is Streamlit's OIDC support (``isoguide.ui.signin``); this module only turns the
identity it hands over (the ID-token claims in ``st.user``) into an :class:`Access`.

Roles add up: everyone with a role asks questions and exports; a trainer also uses the Quiz
page, a consultant the Draft page; a maintainer uses every page, uploads or removes guidance
and sees analytics. The Audit checklist page is a consultant's deliverable, like Draft.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from .settings import AuthSettings, Role

ROLES: tuple[Role, ...] = get_args(Role)
Page = Literal["Ask", "Quiz", "Draft", "Analytics"]
Action = Literal["ask", "export", "manage_guidance", "see_analytics"]

#: What each role adds. A user's rights are the union over their roles.
PAGES_BY_ROLE: dict[Role, frozenset[str]] = {
    "staff": frozenset({"Ask"}),
    "trainer": frozenset({"Ask", "Quiz"}),
    "consultant": frozenset({"Ask", "Draft", "Audit checklist"}),
    "maintainer": frozenset({"Ask", "Quiz", "Draft", "Audit checklist", "Analytics"}),
}
ACTIONS_BY_ROLE: dict[Role, frozenset[str]] = {
    "staff": frozenset({"ask", "export"}),
    "trainer": frozenset({"ask", "export"}),
    "consultant": frozenset({"ask", "export"}),
    "maintainer": frozenset({"ask", "export", "manage_guidance", "see_analytics"}),
}

#: The user id when sign-in is off: one person at their own machine.
LOCAL_USER = "local"


@dataclass(frozen=True)
class Access:
    """The signed-in user (or the local user when sign-in is off) and their roles."""

    user_id: str  # stable key for history and feedback: the email, else the ID token's sub
    name: str
    email: str
    roles: frozenset[str]
    signed_in: bool

    def may_open(self, page: str) -> bool:
        """Whether this user may open ``page``; a page no role names is open to every role."""
        if page not in _ALL_PAGES:
            return bool(self._roles())
        return any(page in PAGES_BY_ROLE[r] for r in self._roles())  # type: ignore[index]

    def may(self, action: str) -> bool:
        return any(action in ACTIONS_BY_ROLE[r] for r in self._roles())  # type: ignore[index]

    def _roles(self) -> list[str]:
        return [r for r in self.roles if r in PAGES_BY_ROLE]


_ALL_PAGES = frozenset().union(*PAGES_BY_ROLE.values())


def local_access() -> Access:
    """Sign-in off: the person at the machine may do everything, as before sign-in existed."""
    return Access(LOCAL_USER, "", "", frozenset(ROLES), signed_in=False)


def _matches(email: str, entries: Iterable[str]) -> bool:
    email = email.strip().lower()
    if not email:
        return False
    domain = "@" + email.rpartition("@")[2]
    for entry in entries:
        entry = entry.strip().lower()
        if entry and (entry == email or (entry.startswith("@") and entry == domain)):
            return True
    return False


def _claim_values(claims: Mapping[str, Any], name: str) -> list[str]:
    value = claims.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.replace(",", " ").split() if v]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return [str(value)]


def roles_for(claims: Mapping[str, Any], settings: AuthSettings) -> frozenset[str]:
    """The roles of a signed-in user with these ID-token claims.

    From the settings lists (by email) and, when ``roles_claim`` is set, from that claim's
    values mapped through ``claim_roles``. Staff is every signed-in user unless ``staff``
    lists who; someone with any other role is staff too. Empty means no access.
    """
    email = str(claims.get("email") or "")
    roles: set[str] = set()
    lists: dict[Role, list[str]] = {
        "trainer": settings.trainers,
        "consultant": settings.consultants,
        "maintainer": settings.maintainers,
    }
    for role, entries in lists.items():
        if _matches(email, entries):
            roles.add(role)
    if settings.roles_claim:
        for value in _claim_values(claims, settings.roles_claim):
            mapped = settings.claim_roles.get(value)
            if mapped:
                roles.add(mapped)
    if roles or not settings.staff or _matches(email, settings.staff):
        roles.add("staff")
    return frozenset(roles)


def access_for(claims: Mapping[str, Any], settings: AuthSettings) -> Access:
    """An :class:`Access` for a signed-in user with these ID-token claims."""
    email = str(claims.get("email") or "").strip()
    sub = str(claims.get("sub") or "").strip()
    user_id = email.lower() or sub
    if not user_id:
        raise ValueError("the identity provider sent neither an email nor a subject (sub)")
    name = str(claims.get("name") or claims.get("preferred_username") or email or sub)
    return Access(user_id, name, email, roles_for(claims, settings), signed_in=True)
