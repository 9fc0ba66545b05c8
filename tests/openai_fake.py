"""A small local server that plays an OpenAI-compatible chat completions endpoint (and
its audio transcriptions, for voice clips)."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def tool_call_response(*calls: tuple[str, dict[str, Any] | str]) -> dict[str, Any]:
    """A chat completion whose message calls these tools with these arguments (a str is
    sent as the arguments exactly, for malformed ones)."""
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "test-model",
        "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
            "role": "assistant", "content": None,
            "tool_calls": [{"id": f"call_{i}", "type": "function",
                            "function": {"name": name, "arguments": args if isinstance(args, str)
                                         else json.dumps(args)}}
                           for i, (name, args) in enumerate(calls)],
        }}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def message_response(content: str | None, **message: Any) -> dict[str, Any]:
    """A chat completion whose message has this text and no tool call (extra message
    keys, e.g. refusal="...", go in as given)."""
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "test-model",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {
            "role": "assistant", "content": content, **message}}],
    }


def claims_json(*claims: tuple[str, list[str]] | dict[str, Any]) -> str:
    """The structured answer of bot.writing: {"claims": [{"text", "cites"}, ...]}."""
    return json.dumps({"claims": [c if isinstance(c, dict) else {"text": c[0], "cites": c[1]}
                                  for c in claims]})


def stream(content: str, *, piece: int = 9, delay: float = 0.0, first_delay: float = 0.0,
           usage: tuple[int, int] | None = (321, 54), cut: int | None = None,
           ) -> tuple[str, str, dict[str, Any]]:
    """A streamed chat completion (server-sent events) of `content` in `piece`-character
    deltas, `delay` seconds apart after `first_delay`; then, when the request asked for
    it, a usage chunk with these (prompt, completion) tokens. `cut` drops the connection
    after that many characters."""
    return ("stream", content, {"piece": piece, "delay": delay, "first_delay": first_delay,
                                "usage": usage, "cut": cut})


class FakeOpenAI:
    """Answers queued behaviours in order: a dict (200 JSON), an int (that HTTP status),
    ("status", code, {header: value}) (that status with those headers),
    ("sleep", seconds), or `stream(...)` (a streamed answer). Records every request body
    and, for streams, when each delta was sent (`sent_at`, time.monotonic())."""

    def __init__(self) -> None:
        self.script: deque[Any] = deque()
        self.requests: list[dict[str, Any]] = []
        # /audio/transcriptions: its own script (a str is the text heard, an int that
        # HTTP status, ("sleep", seconds) a slow answer) and what each request sent.
        self.hearing: deque[Any] = deque()
        self.transcriptions: list[dict[str, Any]] = []
        self.sent_at: list[float] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                if self.path.endswith("/audio/transcriptions"):
                    fake._transcribe(self)
                    return
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                fake.requests.append(body)
                step = fake.script.popleft() if fake.script else 500
                if isinstance(step, tuple) and step[0] == "sleep":
                    time.sleep(step[1])
                    step = tool_call_response(("help", {}))
                if isinstance(step, tuple) and step[0] == "stream":
                    fake._stream(self, body, step[1], **step[2])
                elif isinstance(step, tuple) and step[0] == "status":
                    self._send(step[1], {"error": {"message": "scripted failure"}}, step[2])
                elif isinstance(step, int):
                    self._send(step, {"error": {"message": "scripted failure"}})
                else:
                    self._send(200, step)

            def _send(self, status: int, payload: dict[str, Any],
                      headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _stream(self, handler: BaseHTTPRequestHandler, body: dict[str, Any], content: str, *,
                piece: int, delay: float, first_delay: float, usage: tuple[int, int] | None,
                cut: int | None) -> None:
        time.sleep(first_delay)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Connection", "close")
        handler.end_headers()
        base = {"id": "chatcmpl-stream", "object": "chat.completion.chunk", "created": 0,
                "model": "test-model"}

        def send(chunk: dict[str, Any] | str) -> None:
            data = chunk if isinstance(chunk, str) else json.dumps({**base, **chunk})
            handler.wfile.write(f"data: {data}\n\n".encode())
            handler.wfile.flush()

        try:
            send({"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                               "finish_reason": None}]})
            limit = len(content) if cut is None else cut
            for start in range(0, limit, piece):
                if start and delay:
                    time.sleep(delay)
                send({"choices": [{"index": 0, "delta": {
                    "content": content[start:min(start + piece, limit)]},
                    "finish_reason": None}]})
                self.sent_at.append(time.monotonic())
            if cut is not None:
                handler.close_connection = True
                handler.wfile.write(b"data: {\"choices\": [{\"ind")  # cut mid-event
                return
            send({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            if usage and (body.get("stream_options") or {}).get("include_usage"):
                send({"choices": [], "usage": {"prompt_tokens": usage[0],
                                               "completion_tokens": usage[1],
                                               "total_tokens": sum(usage)}})
            send("[DONE]")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (it timed out): nothing more to say

    def _transcribe(self, handler: BaseHTTPRequestHandler) -> None:
        """A multipart upload: its fields and file recorded, then the scripted answer."""
        body = handler.rfile.read(int(handler.headers["Content-Length"]))
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {handler.headers['Content-Type']}\r\n\r\n".encode() + body)
        sent: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True)
            if part.get_filename():
                sent.update(filename=part.get_filename(), file=data,
                            file_type=part.get_content_type())
            else:
                sent[name] = data.decode()
        self.transcriptions.append(sent)
        step = self.hearing.popleft() if self.hearing else 500
        if isinstance(step, tuple) and step[0] == "sleep":
            time.sleep(step[1])
            step = "too late"
        status, payload = (step, {"error": {"message": "scripted failure"}}) \
            if isinstance(step, int) else (200, {"text": step})
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
