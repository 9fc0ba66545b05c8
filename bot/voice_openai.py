"""Speech to text by OpenAI's audio transcription (or any compatible endpoint), chosen by
the admin with SALESBOT_STT=openai; the local model answers whenever it fails."""

from __future__ import annotations

import io
import wave
from typing import Any

from bot.model import model_client
from bot.settings import Settings

SAMPLE_RATE = 16_000
# A clip takes longer to upload and hear than a chat turn takes to answer.
MIN_TIMEOUT_S = 60.0


def openai_chosen(settings: Settings) -> bool:
    """True when the admin chose OpenAI transcription and gave it a key or an endpoint."""
    return settings.salesbot_stt == "openai" and settings.llm_configured


def wav_bytes(samples: Any) -> bytes:
    """16 kHz mono float samples as a 16-bit WAV file (10 minutes stay under 20 MB, inside
    the endpoint's 25 MB limit, whatever format the clip came in)."""
    import numpy as np

    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


def transcribe_openai(samples: Any, *, settings: Settings, prompt: str = "",
                      client: Any = None) -> str:
    """What the clip says, by the endpoint's transcription model; the workspace's names
    go in `prompt`, which the model reads as words said before the clip. Raises on any
    failure of the endpoint."""
    client = client or model_client(settings)
    extra: dict[str, Any] = {"prompt": prompt} if prompt else {}
    result = client.audio.transcriptions.create(
        model=settings.salesbot_stt_model, file=("clip.wav", wav_bytes(samples), "audio/wav"),
        language="en", response_format="json",
        timeout=max(settings.openai_timeout_s, MIN_TIMEOUT_S), **extra)
    text = getattr(result, "text", result)
    if not isinstance(text, str):
        raise ValueError(f"transcription without text: {type(result).__name__}")
    return " ".join(text.split())
