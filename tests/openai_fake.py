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


class FakeOpenAI:
    """Answers queued behaviours in order: a dict (200 JSON), an int (that HTTP status),
    ("status", code, {header: value}) (that status with those headers), or
    ("sleep", seconds). Records every request body."""

    def __init__(self) -> None:
        self.script: deque[Any] = deque()
        self.requests: list[dict[str, Any]] = []
        # /audio/transcriptions: its own script (a str is the text heard, an int that
        # HTTP status, ("sleep", seconds) a slow answer) and what each request sent.
        self.hearing: deque[Any] = deque()
        self.transcriptions: list[dict[str, Any]] = []
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
                if isinstance(step, tuple) and step[0] == "status":
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
