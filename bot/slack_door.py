"""The door of the HTTP app: every POST is checked against its Slack signature before
anything parses its body or acts on it.

Bolt parses a body before its own signature check runs, and an error on the way (a
non-numeric timestamp, a body that is not an object) reaches the app's error handler
with the unchecked body in hand. So the WSGI layer verifies first, with slack_sdk's
SignatureVerifier, then parses the verified body once into the BoltRequest that Bolt
dispatches (and verifies again). Unsigned, forged or stale → 401; signed but malformed
→ 400. Slack signs every request it sends; only the OAuth pages (GET) are not signed.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request import BoltRequest
from slack_sdk.signature import Clock, SignatureVerifier

log = logging.getLogger(__name__)
MAX_BODY = 1 << 20  # Slack's payloads are a few KB; a bigger body is refused unread
ADMITTED = "salesbot.admitted"  # the environ key of the verified, parsed request


@dataclass(frozen=True)
class Refused:
    """The answer to a request turned away at the door."""

    status: str
    body: bytes

    def headers(self) -> list[tuple[str, str]]:
        return [("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(self.body)))]


UNSIGNED = Refused("401 Unauthorized", b"invalid request")
MALFORMED = Refused("400 Bad Request", b"malformed request")
TOO_LARGE = Refused("413 Payload Too Large", b"request too large")


class Door:
    """Admits a POST whose signature is valid and whose body Bolt can read."""

    def __init__(self, signing_secret: str, *, clock: Clock | None = None) -> None:
        self._verifier = SignatureVerifier(signing_secret, clock=clock or Clock())

    def admit(self, environ: dict[str, Any]) -> BoltRequest | Refused:
        """The BoltRequest to dispatch, or why the request is refused."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return MALFORMED
        if length > MAX_BODY:
            return TOO_LARGE
        raw = environ["wsgi.input"].read(length) if length > 0 else b""
        if not self.is_signed(raw, environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
                              environ.get("HTTP_X_SLACK_SIGNATURE")):
            log.info("refused an unsigned request to %s", environ.get("PATH_INFO"))
            return UNSIGNED
        request = WsgiHttpRequest(environ)
        try:
            admitted = BoltRequest(body=raw.decode("utf-8"), query=request.query_string,
                                   headers=request.get_headers())
        except Exception as exc:  # noqa: BLE001 - whatever Bolt can't read is malformed
            log.warning("signed but malformed request to %s: %s", environ.get("PATH_INFO"),
                        type(exc).__name__)
            return MALFORMED
        if not isinstance(admitted.body, dict):
            return MALFORMED
        return admitted

    def is_signed(self, raw: str | bytes, timestamp: str | None, signature: str | None) -> bool:
        """Signed with our secret within the last five minutes; never raises."""
        try:
            return self._verifier.is_valid(body=raw, timestamp=timestamp, signature=signature)
        except (ValueError, TypeError):  # a timestamp that is no number, a body not UTF-8
            return False


class AdmittedRequestHandler(SlackRequestHandler):
    """Bolt's WSGI adapter, dispatching only the request the door verified and parsed."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        admitted = request.environ.get(ADMITTED)
        if admitted is None:  # never past the door: nothing of it is read
            return BoltResponse(status=401, body="invalid request")
        try:
            return self.app.dispatch(admitted)
        except Exception:  # noqa: BLE001 - Bolt's own error path choked on the payload
            # Bolt reads payloads as Slack shapes them, even in its error handler (an
            # "event" that is null, a view without a type); signed, yet not readable.
            error_id = uuid.uuid4().hex[:8]
            log.error("error %s: a signed payload Bolt cannot read", error_id, exc_info=True)
            return BoltResponse(status=400, body="malformed request")
