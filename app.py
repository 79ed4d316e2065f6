"""isoguide chat: a thin Streamlit front door. All behaviour lives in the isoguide package."""

from __future__ import annotations

import streamlit as st

from isoguide.assistant import Assistant
from isoguide.errors import IsoguideError
from isoguide.models import Answer
from isoguide.settings import Settings

st.set_page_config(page_title="isoguide: ISO 9001 guidance", page_icon="📘")


@st.cache_resource(show_spinner=False)
def get_assistant() -> Assistant:
    return Assistant(Settings())


def show_sources(answer: Answer) -> None:
    for c in answer.citations:
        clauses = " ".join(f"`{x}`" for x in c.clauses)
        with st.expander(f"[{c.n}] {c.title} › {c.section}"):
            if clauses:
                st.markdown(f"Clauses: {clauses}")
            st.text(c.quote)


st.title("isoguide")
st.caption("ISO 9000 / ISO 9001 guidance for small companies. Every answer cites its sources.")

assistant = get_assistant()
if assistant.store.is_empty():
    with st.status("Building the index from the corpus (first run only)…") as status:
        assistant.ensure_index()
        status.update(label="Index built", state="complete")

if "messages" not in st.session_state:
    st.session_state.messages = []

for message in st.session_state.messages:
    with st.chat_message(message["role"]):
        st.markdown(message["content"])
        if message.get("answer") is not None:
            show_sources(message["answer"])

if question := st.chat_input("Ask about ISO 9001, e.g. What is the PDCA cycle?"):
    st.session_state.messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        try:
            answer = assistant.ask(question)
        except IsoguideError as exc:
            st.error(str(exc))
        else:
            st.markdown(answer.answer)
            show_sources(answer)
            st.session_state.messages.append(
                {"role": "assistant", "content": answer.answer, "answer": answer}
            )
