"""The corpus in the app: first-run index build, statistics, and the user's own documents."""

from __future__ import annotations

import math

import streamlit as st

from ..assistant import Assistant
from ..errors import IsoguideError
from ..settings import Settings
from ..store import Store
from ..uploads import UPLOAD_SUFFIXES, add_upload, list_uploads, remove_upload
from .render import escape_markdown
from .session import LineWriter

_NOTICE = "corpus_notice"


def ensure_index(assistant: Assistant) -> None:
    """Build the index on first run, showing progress; then make sure the model is loaded."""
    if assistant.store.is_empty():
        with st.status(
            "Building the index from the guidance (first run only) …", expanded=True
        ) as status:
            line = st.empty()
            assistant.ensure_index(stream=LineWriter(lambda text: line.text(text)))  # type: ignore[arg-type]
            manifest = assistant.store.manifest()
            status.update(
                label=f"Index built: {len(manifest.documents)} documents, "
                f"{sum(r.n_chunks for r in manifest.documents.values())} passages",
                state="complete",
                expanded=False,
            )
    _warm_up(str(assistant.store.embeddings.model_path), assistant.store)


@st.cache_resource(show_spinner="Loading the embedding model (first start only) …")
def _warm_up(model_path: str, _store: Store) -> bool:
    _store.embeddings.embed_query("warm up")
    return True


def show_statistics(store: Store) -> None:
    manifest = store.manifest()
    left, right = st.columns(2)
    left.metric("Documents", len(manifest.documents))
    right.metric("Passages", sum(r.n_chunks for r in manifest.documents.values()))
    st.caption(f"Last indexed: {manifest.last_indexed or 'never'}")


def panel(settings: Settings, store: Store, *, manage: bool = True) -> None:
    """Sidebar section: corpus statistics; with ``manage`` (a maintainer) also upload, list and
    remove uploaded documents."""
    with st.sidebar:
        st.subheader("Guidance corpus")
        stats = st.container()  # filled last, so it counts what this run added or removed
        if notice := st.session_state.pop(_NOTICE, None):
            kind, message = notice
            (st.error if kind == "error" else st.success)(escape_markdown(message))
        if manage:
            _upload(settings, store)
            _uploaded_list(settings, store)
        with stats:
            show_statistics(store)


def _upload(settings: Settings, store: Store) -> None:
    round_ = st.session_state.setdefault("upload_round", 0)
    uploaded = st.file_uploader(
        "Add a document (" + ", ".join(UPLOAD_SUFFIXES) + ")",
        # The MIME type keeps the browser's file filter but lets a wrong type through to
        # add_upload, which explains the rejection (Streamlit's own check would raise).
        type=[*UPLOAD_SUFFIXES, "text/markdown"],
        key=f"upload-{round_}",
        max_upload_size=max(1, math.ceil(settings.max_upload_mb)),
        help=f"Up to {settings.max_upload_mb:g} MiB. It is indexed with the guidance and "
        "cited like it.",
    )
    if uploaded is None:
        return
    st.session_state.upload_round = round_ + 1  # the rerun below shows an empty uploader
    with st.status(f"Adding {uploaded.name} …", expanded=True) as status:
        try:
            result = add_upload(
                settings, store, uploaded.name, uploaded.getvalue(), progress=st.text
            )
        except IsoguideError as exc:
            status.update(label=f"{uploaded.name} was not added", state="error")
            st.session_state[_NOTICE] = ("error", str(exc))
        else:
            status.update(label=f"Added {result.name}", state="complete")
            if result.unchanged:
                message = f"{result.name} was already in the guidance; nothing changed."
            else:
                message = f"Added {result.title!r} as {result.name}"
                if result.renamed:
                    message += f" (another file already had the name {uploaded.name!r})"
                message += "; it is indexed and will be cited like the guidance."
            st.session_state[_NOTICE] = ("success", message)
    st.rerun()


def _uploaded_list(settings: Settings, store: Store) -> None:
    documents = list_uploads(settings, store)
    if not documents:
        st.caption("No uploaded documents yet.")
        return
    st.markdown("**Your documents**")
    for doc in documents:
        text, button = st.columns([4, 1], vertical_alignment="center")
        indexed = f"{doc.n_chunks} passages" if doc.doc_id else "not indexed"
        text.markdown(escape_markdown(doc.title or doc.name))
        text.caption(f"{escape_markdown(doc.name)} · {indexed}")
        if button.button(
            "",
            icon=":material/delete:",
            key=f"remove-{doc.name}",
            help=f"Remove {doc.name} from the guidance",
        ):
            with st.status(f"Removing {doc.name} …", expanded=True):
                remove_upload(settings, store, doc.name, progress=st.text)
            st.session_state[_NOTICE] = ("success", f"Removed {doc.name} and its passages.")
            st.rerun()
