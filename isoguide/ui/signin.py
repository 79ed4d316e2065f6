"""Sign-in through Streamlit's own OIDC support (``st.login``, ``st.user``, ``st.logout``).

Off unless ``.streamlit/secrets.toml`` has an ``[auth]`` section; when it has one, every page
needs a signed-in user with a role (``isoguide.auth``), checked on every run before anything
else is drawn.
"""

from __future__ import annotations

from typing import Any, NoReturn

import streamlit as st

from ..auth import Access, access_for, local_access
from ..settings import Settings
from .render import escape_markdown


def sign_in_configured() -> bool:
    """Whether secrets.toml (or AppTest's secrets) has an ``[auth]`` section."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def _claims() -> dict[str, Any]:
    return {k: v for k, v in st.user.to_dict().items() if k != "tokens"}


def require_access(settings: Settings) -> Access:
    """The user's access, or stop the run with a sign-in page (or a clear refusal)."""
    if not sign_in_configured():
        if settings.auth.required:
            st.error(
                "Sign-in is required (ISOGUIDE_AUTH__REQUIRED) but `.streamlit/secrets.toml` "
                "has no `[auth]` section. Configure your identity provider there; see "
                "docs/deploying.md."
            )
            st.stop()
        return local_access()

    if not st.user.get("is_logged_in"):
        st.title("isoguide")
        st.markdown("Sign in with your company account to use the ISO 9001 guidance.")
        st.button(
            "Sign in",
            key="sign-in",
            type="primary",
            icon=":material/login:",
            on_click=_login,
            args=(settings.auth.provider,),
        )
        st.stop()

    try:
        access = access_for(_claims(), settings.auth)
    except ValueError as exc:
        _refuse(f"Your sign-in could not be used: {exc}.")
    if not access.roles:
        _refuse(
            f"{access.email or access.user_id} has no isoguide role. Ask your quality lead to "
            "add you."
        )
    return access


def _login(provider: str | None) -> None:
    if provider:
        st.login(provider)
    else:
        st.login()


def _refuse(message: str) -> NoReturn:
    st.title("isoguide")
    st.error(escape_markdown(message))
    st.button("Sign out", key="sign-out", on_click=st.logout)
    st.stop()


def account_panel(access: Access) -> None:
    """Sidebar: who is signed in, their roles, and a sign-out button (nothing when sign-in is
    off)."""
    if not access.signed_in:
        return
    with st.sidebar:
        st.caption(
            f":material/person: {escape_markdown(access.name)} · " + ", ".join(sorted(access.roles))
        )
        st.button("Sign out", key="sign-out", icon=":material/logout:", on_click=st.logout)
