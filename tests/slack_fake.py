"""A small local stand-in for Slack's Web API (and for response_url), for tests and the bench.

It answers the methods salesbot calls, records every call, can be told to answer
429 with Retry-After, 5xx, or a refusal such as channel_not_found, for the next N calls
or for a while, and never touches the network beyond loopback.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Call:
    method: str  # "chat.postMessage", or "response_url" for posts to a response URL
    params: dict[str, Any]
    token: str | None
    path: str = ""
    received: float = field(default_factory=time.perf_counter)  # when it arrived (bench)


@dataclass
class Upload:
    """A file uploaded the v2 way: URL asked for, bytes posted, upload completed."""

    file_id: str
    filename: str
    alt_txt: str | None
    length: int
    content: bytes = b""
    title: str | None = None
    channel: str | None = None
    thread_ts: str | None = None
    completed: bool = False


@dataclass
class FakeSlack:
    """Start with `start()`; `base_url` is the WebClient base URL; `stop()` when done."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # user id → users.info "user"
    teams: dict[str, str] = field(default_factory=dict)  # bot token → team id (auth.test)
    bot_user_id: str = "UBOT"
    latency_s: float = 0.0  # per call, to play a slower Slack
    calls: list[Call] = field(default_factory=list)
    _failures: dict[str, list[Any]] = field(default_factory=dict)
    _spells: dict[str, tuple[int, int | None, float, str | None]] = field(default_factory=dict)
    _drops: dict[str, int] = field(default_factory=dict)
    _files: dict[str, tuple[bytes, str, int]] = field(default_factory=dict)
    _redirects: dict[str, str] = field(default_factory=dict)
    _uploads: dict[str, Upload] = field(default_factory=dict)  # by file id
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _changed: threading.Condition = field(init=False)
    _server: ThreadingHTTPServer | None = None
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    # Streamed messages by ts (chat.startStream…stopStream) and assistant thread statuses.
    streams: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: list[tuple[str, str, str]] = field(default_factory=list)  # (channel, thread, status)

    def __post_init__(self) -> None:
        self._changed = threading.Condition(self._lock)

    # ----------------------------------------------------------------- control
    def start(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                fake._serve(self)

            def do_POST(self) -> None:  # noqa: N802
                fake._serve(self)

            def log_message(self, *args: Any) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True,
                         name="fake-slack").start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/response/{name}"

    def add_user(self, user_id: str, name: str, *, tz: str = "America/New_York",
                 email: str | None = None, is_admin: bool = False, team_id: str = "T1") -> None:
        self.users[user_id] = {
            "id": user_id, "team_id": team_id, "name": name.split()[0].lower(),
            "real_name": name, "tz": tz, "is_admin": is_admin, "is_owner": False,
            "is_bot": False,
            "profile": {"real_name": name, "display_name": name.split()[0],
                        "email": email or f"{name.split()[0].lower()}@example.com"},
        }

    def add_file(self, path: str, data: bytes, *, content_type: str = "audio/wav",
                 status: int = 200) -> str:
        """Serve `data` at `path` (under /files/) to a known bot token, as Slack serves
        `url_private_download`; `status` other than 200 refuses it. Returns its URL."""
        path = "/files/" + path.lstrip("/")
        with self._lock:
            self._files[path] = (data, content_type, status)
        return self.url + path

    def add_redirect(self, path: str, location: str) -> str:
        """Answer `path` (under /files/) with a 302 to `location`, as a CDN hop would.
        Returns its URL."""
        path = "/files/" + path.lstrip("/")
        with self._lock:
            self._redirects[path] = location
        return self.url + path

    def fail_next(self, method: str, *, status: int = 429, retry_after: int | None = 1,
                  times: int = 1, error: str | None = None) -> None:
        """Answer the next `times` calls of `method` with HTTP `status` and Retry-After;
        status 200 with `error` is Slack's refusal (`{"ok": false, "error": ...}`)."""
        with self._lock:
            self._failures[method] = [status, retry_after, times, error]

    def fail_for(self, method: str, seconds: float = float("inf"), *, status: int = 503,
                 retry_after: int | None = None, error: str | None = None) -> None:
        """Answer every call of `method` for the next `seconds` (until `recover` when not
        given) with HTTP `status`, as a Slack outage or a long rate limit does."""
        with self._lock:
            self._spells[method] = (status, retry_after, time.monotonic() + seconds, error)

    def drop_next(self, method: str, *, times: int = 1) -> None:
        """Close the connection of the next `times` calls of `method` without an answer,
        as a reset or a proxy giving up does."""
        with self._lock:
            self._drops[method] = times

    def recover(self, method: str) -> None:
        """End a `fail_for` spell (and pending `fail_next` failures) of `method` now."""
        with self._lock:
            self._spells.pop(method, None)
            self._failures.pop(method, None)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The calls to `method` once there are `count` of them; AssertionError after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({c.method for c in self.calls})
                    raise AssertionError(f"{method} called {len(found)}x, wanted {count} "
                                         f"within {timeout}s; seen: {seen}")
                self._changed.wait(left)

    def quiet_for(self, seconds: float = 0.3) -> None:
        """Wait until no call arrived for `seconds` (bounded by 10 × seconds)."""
        deadline = time.monotonic() + 10 * seconds
        last = len(self.calls)
        while time.monotonic() < deadline:
            time.sleep(seconds)
            if len(self.calls) == last:
                return
            last = len(self.calls)

    def uploads(self) -> list[Upload]:
        """Files shared in a channel (files.completeUploadExternal), in order."""
        with self._lock:
            return [u for u in self._uploads.values() if u.completed]

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()

    # ---------------------------------------------------------------- serving
    def _serve(self, req: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(req.path)
        length = int(req.headers.get("Content-Length") or 0)
        raw = req.rfile.read(length) if length else b""
        if parts.path.startswith("/upload/"):  # the bytes of a file: not a form
            self._serve_upload(req, parts.path.removeprefix("/upload/"), raw)
            return
        params: dict[str, Any] = dict(parse_qsl(parts.query))
        ctype = req.headers.get("Content-Type") or ""
        if raw and "json" in ctype:
            params.update(json.loads(raw))
        elif raw:
            params.update(parse_qsl(raw.decode()))
        auth = req.headers.get("Authorization") or ""
        token = auth.removeprefix("Bearer ") or params.get("token")
        if parts.path.startswith("/files/"):
            self._serve_file(req, parts.path, token)
            return
        if parts.path.startswith("/response/"):
            method = "response_url"
        else:
            method = parts.path.removeprefix("/api/")
        if self.latency_s:
            time.sleep(self.latency_s)
        if self._take_drop(method):
            self._record(Call(f"{method}!dropped", params, token, parts.path))
            req.close_connection = True
            return
        failure = self._take_failure(method)
        if failure is not None:
            status, retry_after, error = failure
            error = error or {429: "ratelimited"}.get(status, "service_unavailable")
            self._record(Call(f"{method}!{error if status == 200 else status}", params, token,
                              parts.path))
            self._send(req, status, {"ok": False, "error": error},
                       {"Retry-After": str(retry_after)} if retry_after is not None else None)
            return
        body = self._answer(method, params, token)
        self._record(Call(method, params, token, parts.path))
        self._send(req, 200, body)

    def _serve_file(self, req: BaseHTTPRequestHandler, path: str, token: str | None) -> None:
        with self._lock:
            location = self._redirects.get(path)
            data, content_type, status = self._files.get(path, (b"", "", 404))
        if location is not None:
            self._record(Call("file", {}, token, path))
            req.send_response(302)
            req.send_header("Location", location)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return
        if status == 200 and token not in self.teams:
            status = 403
        self._record(Call("file", {}, token, path))
        body = data if status == 200 else b"not allowed"
        req.send_response(status)
        req.send_header("Content-Type", content_type if status == 200 else "text/plain")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    def _serve_upload(self, req: BaseHTTPRequestHandler, file_id: str, raw: bytes) -> None:
        """The upload URL files.getUploadURLExternal handed out: takes the file's bytes
        (failures are set up under the method name "upload")."""
        failure = self._take_failure("upload")
        with self._lock:
            upload = self._uploads.get(file_id)
        status = failure[0] if failure else (200 if upload else 404)
        if status == 200 and upload is not None:
            upload.content = raw
        self._record(Call("upload" if status == 200 else f"upload!{status}",
                          {"file_id": file_id, "size": len(raw)}, None, req.path))
        body = f"OK - {len(raw)}".encode() if status == 200 else b"upload failed"
        req.send_response(status)
        req.send_header("Content-Type", "text/plain")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    def _take_drop(self, method: str) -> bool:
        with self._lock:
            left = self._drops.get(method, 0)
            if left <= 0:
                return False
            self._drops[method] = left - 1
            return True

    def _take_failure(self, method: str) -> tuple[int, int | None, str | None] | None:
        with self._lock:
            spell = self._spells.get(method)
            if spell is not None:
                status, retry_after, until, error = spell
                if time.monotonic() < until:
                    return status, retry_after, error
                del self._spells[method]
            failure = self._failures.get(method)
            if not failure:
                return None
            status, retry_after, times, error = failure
            if times <= 1:
                del self._failures[method]
            else:
                failure[2] = times - 1
            return status, retry_after, error

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    @staticmethod
    def _send(req: BaseHTTPRequestHandler, status: int, body: dict,
              headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        req.send_response(status)
        req.send_header("Content-Type", "application/json; charset=utf-8")
        req.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            req.send_header(key, value)
        req.end_headers()
        req.wfile.write(data)

    # ------------------------------------------------- streaming and assistant status
    def streamed_text(self, ts: str) -> str:
        """What a streamed message shows so far (its markdown, in order)."""
        with self._lock:
            return "".join(self.streams[ts]["parts"])

    def _answer_stream(self, method: str, params: dict[str, Any], ts: str,
                       ) -> dict[str, Any] | None:
        """chat.startStream / appendStream / stopStream and assistant.threads.setStatus as
        Slack checks them: a stream is a reply in a thread, to a named recipient outside a
        DM, appended to only while it streams; None for any other method."""
        channel = params.get("channel") or ""
        if method == "assistant.threads.setStatus":
            if not (params.get("channel_id") and params.get("thread_ts")) or \
                    "status" not in params:
                return {"ok": False, "error": "invalid_arguments"}
            with self._lock:
                self.statuses.append((params["channel_id"], params["thread_ts"],
                                      params["status"]))
            return {"ok": True}
        if method not in ("chat.startStream", "chat.appendStream", "chat.stopStream"):
            return None
        text = (params.get("markdown_text") or "") + "".join(
            c.get("text", "") for c in params.get("chunks") or []
            if isinstance(c, dict) and c.get("type") == "markdown_text")
        if method == "chat.startStream":
            if not channel or not params.get("thread_ts"):
                return {"ok": False, "error": "invalid_arguments"}
            if not channel.startswith("D") and not (params.get("recipient_team_id")
                                                    and params.get("recipient_user_id")):
                return {"ok": False, "error": "invalid_arguments"}
            with self._lock:
                self.streams[ts] = {"channel": channel, "thread_ts": params["thread_ts"],
                                    "parts": [text] if text else [], "state": "streaming",
                                    "blocks": None}
            return {"ok": True, "channel": channel, "ts": ts}
        with self._lock:
            stream = self.streams.get(params.get("ts") or "")
            if stream is None or stream["channel"] != channel:
                return {"ok": False, "error": "message_not_found"}
            if stream["state"] != "streaming":
                return {"ok": False, "error": "message_not_in_streaming_state"}
            if text:
                stream["parts"].append(text)
            if method == "chat.stopStream":
                blocks = params.get("blocks")
                stream["blocks"] = json.loads(blocks) if isinstance(blocks, str) else blocks
                stream["state"] = "stopped"
            shown = "".join(stream["parts"])
        return {"ok": True, "channel": channel, "ts": params["ts"],
                **({"message": {"text": shown, "ts": params["ts"]}}
                   if method == "chat.stopStream" else {})}

    def _answer(self, method: str, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        ts = f"1700000000.{next(self._ts):06d}"
        channel = params.get("channel") or "D1"
        streamed = self._answer_stream(method, params, ts)
        if streamed is not None:
            return streamed
        if method == "response_url":
            return {"ok": True}
        if method == "auth.test":
            team = self.teams.get(token or "", "T1")
            return {"ok": True, "url": "https://example.slack.com/", "team": team, "user": "bot",
                    "team_id": team, "user_id": self.bot_user_id, "bot_id": "BBOT",
                    "is_enterprise_install": False}
        if method == "users.info":
            user = self.users.get(params.get("user", ""))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method in ("chat.postMessage", "chat.update"):
            return {"ok": True, "channel": channel, "ts": params.get("ts") or ts,
                    "message": {"text": params.get("text"), "ts": ts}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "chat.getPermalink":
            return {"ok": True, "channel": channel,
                    "permalink": f"https://example.slack.com/archives/{channel}/p"
                                 f"{str(params.get('message_ts', '')).replace('.', '')}"}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            view = params.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {**(view or {}), "id": f"V{next(self._ts)}"}}
        if method == "conversations.info":
            return {"ok": True, "channel": {"id": channel, "name": "general",
                                            "is_im": channel.startswith("D")}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):06d}"
            with self._lock:
                self._uploads[file_id] = Upload(file_id, str(params.get("filename")),
                                                params.get("alt_txt"),
                                                int(params.get("length") or 0))
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            return self._complete_upload(params)
        if method == "files.info":
            return {"ok": False, "error": "file_not_found"}
        if method == "oauth.v2.access":
            team = params.get("code", "T9").upper()
            return {"ok": True, "app_id": "A1", "access_token": f"xoxb-{team}",
                    "token_type": "bot", "scope": "chat:write,commands", "bot_user_id": "UBOT",
                    "team": {"id": team, "name": f"Team {team}"}, "enterprise": None,
                    "is_enterprise_install": False, "authed_user": {"id": "UINSTALLER"}}
        if method.startswith("assistant.threads.") or method.startswith("conversations."):
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}

    def _complete_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files")
        files = json.loads(files) if isinstance(files, str) else files or []
        shared = []
        with self._lock:
            for f in files:
                upload = self._uploads.get(f.get("id", ""))
                if upload is None or len(upload.content) != upload.length:
                    return {"ok": False, "error": "file_not_found"}
                upload.title = f.get("title")
                upload.channel = params.get("channel_id")
                upload.thread_ts = params.get("thread_ts")
                upload.completed = True
                shared.append({"id": upload.file_id, "name": upload.filename,
                               "title": upload.title, "mimetype": "image/png"})
        return {"ok": True, "files": shared}
