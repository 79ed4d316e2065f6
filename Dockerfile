# isoguide for a company server: the app, and (same image) the `chroma run` vector store server,
# so client and server are always the same chromadb version. See docs/deploying.md.
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    ANONYMIZED_TELEMETRY=False

WORKDIR /app
# torch first, as the Makefile does, so pip never pulls a CUDA build.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
COPY pyproject.toml README.md ./
COPY isoguide ./isoguide
RUN pip install '.[ollama]'
COPY corpus ./corpus
COPY .streamlit/config.toml ./.streamlit/config.toml

# The data directory (history, feedback, uploads; the index too when Chroma is embedded).
ENV ISOGUIDE_DATA_DIR=/data \
    ISOGUIDE_CORPUS_DIRS='["/app/corpus"]'
VOLUME ["/data"]
EXPOSE 8501
CMD ["isoguide", "serve", "--address", "0.0.0.0", "--port", "8501"]
