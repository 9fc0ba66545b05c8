"""Voice clips: the real Whisper tiny.en model on a real speech clip, and a clip sent as a
Slack DM through the real app, a fake Slack serving the file.

tests/data/voice_call.wav was made once with
`espeak-ng -v en-us -s 140 -w raw.wav "Called Priya at Northwind, budget approved, follow up
Tuesday"` and `sox raw.wav -r 16000 -c 1 -b 16 voice_call.wav`; tests need neither tool.
"""

from __future__ import annotations

import io
import time
import wave
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot import voice
from bot.assistant.types import Attachment, Incoming, Person
from bot.listeners.events import attachments
from crm_store.models import Activity, ProcessedEvent
from tests.slack_harness import posted

CLIP = Path(__file__).parent / "data" / "voice_call.wav"


def silent_wav(seconds: float, *, rate: int = 8000) -> bytes:
    """A WAV of silence (8-bit, so eleven minutes stay a few MB)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(rate)
        w.writeframes(b"\x80" * int(seconds * rate))
    return out.getvalue()


# ----------------------------------------------------------------- speech to text
def test_the_model_hears_the_clip_from_a_path_and_from_bytes():
    started = time.perf_counter()
    heard = voice.transcribe(CLIP)
    print(f"transcribed {CLIP.name} in {time.perf_counter() - started:.2f}s: {heard!r}")
    words = heard.lower()
    # tiny.en hears this clip as "called Priya to Northwind, …": assert on the sturdy words.
    for word in ("called", "northwind", "budget", "approved", "follow up", "tuesday"):
        assert word in words
    assert voice.transcribe(CLIP.read_bytes()) == heard


@pytest.mark.parametrize(("audio", "max_seconds", "problem"), [
    (b"this is not audio at all", 600, voice.UNPLAYABLE),
    (b"", 600, voice.UNPLAYABLE),
    (CLIP.read_bytes(), 2, voice.TOO_LONG),
    (silent_wav(3), 2, voice.TOO_LONG),
])
def test_a_clip_that_cannot_be_heard_is_a_clip_problem(audio, max_seconds, problem):
    with pytest.raises(voice.ClipProblem) as raised:
        voice.transcribe(audio, max_seconds=max_seconds)
    assert str(raised.value) == problem


def test_silence_is_heard_as_no_words():
    assert voice.transcribe(silent_wav(2)) == ""


# ---------------------------------------------------------------- the message
SAM = Person(team_id="T1", user_id="USAM", name="Sam Rivera")


def incoming(text: str, *files: Attachment) -> Incoming:
    return Incoming(person=SAM, text=text, source_id="test:1", files=files)


def clip(**extra: Any) -> Attachment:
    return Attachment(**{"name": "audio_message.webm", "mimetype": "audio/webm",
                         "url": "https://files.example/clip", "size": 1000, **extra})


@pytest.mark.parametrize(("file", "expected"), [
    (Attachment("a.webm", "audio/webm"), True),
    (Attachment("clip.m4a", None), True),
    (Attachment("clip.m4a", "application/octet-stream"), True),
    (Attachment("deck.pdf", "application/pdf"), False),
    (Attachment("clip.mp3", "image/png"), False),
])
def test_is_audio(file, expected):
    assert voice.is_audio(file) is expected


def test_hear_adds_the_words_and_keeps_the_transcript():
    def fetch(url: str) -> bytes:
        assert url == "https://files.example/clip"
        return b"audio"

    heard = voice.hear(incoming("", clip()), fetch=fetch, to_text=lambda _: " called  Priya ")
    assert (heard.text, heard.transcript) == ("called Priya", "called Priya")
    typed = voice.hear(incoming("fyi", clip()), fetch=fetch, to_text=lambda _: "called Priya")
    assert (typed.text, typed.transcript) == ("fyi called Priya", "called Priya")


def test_hear_uses_a_whole_slack_transcript_without_fetching():
    def fetch(url: str) -> bytes:
        raise AssertionError("fetched a clip that came with its transcript")

    heard = voice.hear(incoming("", clip(transcript="note for Priya")), fetch=fetch)
    assert heard.text == "note for Priya"


@pytest.mark.parametrize(("message", "problem"), [
    (incoming("", Attachment("deck.pdf", "application/pdf", "https://x/y", 10)),
     voice.ONLY_VOICE),
    (incoming("", clip(size=voice.MAX_BYTES + 1)), voice.TOO_BIG),
    (incoming("", clip(url=None)), voice.NO_ACCESS),
    (incoming("called Priya", clip()), voice.NO_WORDS),
])
def test_hear_refuses_what_it_cannot_hear(message, problem):
    with pytest.raises(voice.ClipProblem) as raised:
        voice.hear(message, fetch=lambda _: b"audio", to_text=lambda _: "")
    assert str(raised.value) == problem


def test_other_files_with_text_are_ignored_as_before():
    message = incoming("called Priya", Attachment("deck.pdf", "application/pdf"))
    assert voice.hear(message, fetch=lambda _: b"", to_text=lambda _: "x") is message


def test_slack_transcript_is_carried_only_when_complete_and_whole():
    def event(transcription: dict[str, Any]) -> dict[str, Any]:
        return {"files": [{"name": "a.webm", "mimetype": "audio/webm",
                           "url_private_download": "https://f/x", "size": 5,
                           "transcription": transcription}]}

    done = {"status": "complete", "preview": {"content": "called  Priya", "has_more": False}}
    assert attachments(event(done))[0].transcript == "called Priya"
    cut = {"status": "complete", "preview": {"content": "called", "has_more": True}}
    assert attachments(event(cut))[0].transcript is None
    assert attachments(event({"status": "processing"}))[0].transcript is None


# -------------------------------------------------------------------- download
def test_download_sends_the_bot_token_and_refuses_politely(fake):
    url = fake.add_file("F1/clip.wav", b"RIFF....")
    assert voice.download(url, token="xoxb-T1") == b"RIFF...."
    assert [(c.method, c.token) for c in fake.calls] == [("file", "xoxb-T1")]
    for bad in (lambda: voice.download(url, token="xoxb-stolen"),  # 403
                lambda: voice.download(fake.url + "/files/missing", token="xoxb-T1"),
                lambda: voice.download(url, token="xoxb-T1", max_bytes=4),
                lambda: voice.download("file:///etc/passwd", token="xoxb-T1")):
        with pytest.raises(voice.ClipProblem):
            bad()


def test_a_redirect_keeps_the_token_on_slacks_host_only(fake):
    url = fake.add_file("F1/clip.wav", b"RIFF....")
    same_host = fake.add_redirect("R1", url)
    assert voice.download(same_host, token="xoxb-T1") == b"RIFF...."
    # The same file by another name of this host: another host to the client.
    elsewhere = fake.add_redirect("R2", url.replace("127.0.0.1", "localhost"))
    with pytest.raises(voice.ClipProblem):
        voice.download(elsewhere, token="xoxb-T1")  # refused there: it came without a token
    assert [(c.path, c.token) for c in fake.calls_to("file")] == [
        ("/files/R1", "xoxb-T1"), ("/files/F1/clip.wav", "xoxb-T1"),
        ("/files/R2", "xoxb-T1"), ("/files/F1/clip.wav", None)]


# ---------------------------------------------------------- through the Slack app
def clip_dm(server, fake, data: bytes | None, *, text: str = "", status: int = 200,
            ts: str = "1700000100.000100", **file: Any) -> tuple[str, str]:
    """A DM carrying one file; the text and blocks of the reply in its thread."""
    url = fake.add_file("F1/audio_message.wav", data, status=status) if data is not None \
        else fake.url + "/files/none"
    sent = {"id": "F1", "name": "audio_message.wav", "mimetype": "audio/wav",
            "filetype": "wav", "url_private_download": url,
            "size": len(data) if data is not None else 10, **file}
    assert server.dm(text, subtype="file_share", files=[sent], ts=ts)[0] == 200
    reply = fake.wait_for("chat.postMessage", timeout=30)[0]
    assert reply.params["thread_ts"] == ts
    return posted(reply)


def test_a_voice_clip_dm_is_logged_like_the_same_words_typed(server, fake):
    text, blocks = clip_dm(server, fake, CLIP.read_bytes())
    assert "Logged a call with *Priya* (Northwind)" in text
    assert "budget approved" in text
    assert "🎙 Heard: “called Priya to Northwind, budget approved" in blocks
    assert [(c.method, c.token) for c in fake.calls if c.method == "file"] == \
        [("file", "xoxb-T1")]
    with server.database.session(readonly=True) as s:
        activity = s.scalars(select(Activity)).one()
        assert activity.kind == "call"
        assert activity.body == "budget approved"
        assert "budget approved" in activity.transcript.lower()
        assert "tuesday" in activity.transcript.lower()


def test_slacks_own_transcript_is_used_and_a_plain_note_becomes_a_voice_note(server, fake):
    said = "note for Priya at Northwind: wants a pricing sheet"
    text, blocks = clip_dm(server, fake, None, transcription={
        "status": "complete", "preview": {"content": said, "has_more": False}})
    assert "Logged a voice note with *Priya* (Northwind)" in text
    assert f"Heard: “{said}”" in blocks
    assert fake.calls_to("file") == []  # nothing downloaded
    with server.database.session(readonly=True) as s:
        activity = s.scalars(select(Activity)).one()
        assert (activity.kind, activity.transcript) == ("voice_note", said)


@pytest.mark.parametrize(("data", "extra", "problem"), [
    (b"%PDF-1.4 not a clip", {"mimetype": "application/pdf", "name": "deck.pdf"},
     voice.ONLY_VOICE),
    (b"RIFF", {"size": voice.MAX_BYTES + 1}, voice.TOO_BIG),
    (b"\x00garbage\xff" * 50, {}, voice.UNPLAYABLE),
    (silent_wav(2), {}, voice.NO_WORDS),
    (silent_wav(voice.MAX_SECONDS + 60), {}, voice.TOO_LONG),
    (CLIP.read_bytes(), {"status": 403}, voice.NO_ACCESS),
    (None, {}, voice.NO_ACCESS),  # 404
])
def test_a_clip_that_cannot_be_heard_gets_a_polite_reply_and_writes_nothing(
        server, fake, data, extra, problem):
    file = {k: v for k, v in extra.items() if k != "status"}  # shared across backends
    text, _ = clip_dm(server, fake, data, status=extra.get("status", 200), **file)
    assert text == problem
    assert "Traceback" not in text and "error id" not in text
    assert server.count(Activity) == 0 and server.count(ProcessedEvent) == 0


def test_chat_hears_a_local_audio_file(monkeypatch, capsys, db_url):
    from bot.cli import main

    lines = [f"/voice {CLIP}", "/voice nowhere/clip.wav"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["chat", "--url", db_url, "--no-demo"]) == 0
    out = capsys.readouterr().out
    assert "Logged a call with Priya (Northwind)" in out
    assert "Heard: “called Priya to Northwind" in out
    assert "Give me an audio file to listen to" in out
