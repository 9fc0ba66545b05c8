"""A TCP proxy on loopback that plays a sick network in front of a server (PostgreSQL).

Modes, switched at any time with `mode = …`:

- `pass`: bytes flow both ways.
- `refuse`: nothing listens, so connecting fails at once; open connections are reset.
- `reset`: a connection is accepted and reset straight away; open ones are reset too.
- `blackhole`: connections are accepted and every byte is swallowed, none answered —
  the far end acknowledges and never replies. A connection that lost bytes this way
  stays dead after the mode changes back (the stream is broken); new ones pass.

One thread accepts, one thread per connection moves bytes both ways; each looks at
the mode at least every `TICK_S`, so a change applies within that.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time
from typing import Any

TICK_S = 0.05
MODES = ("pass", "refuse", "reset", "blackhole")


def _reset(sock: socket.socket | None) -> None:
    """Close with an RST rather than a FIN, as a crashed peer or a firewall would."""
    if sock is None:
        return
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class FaultProxy:
    """`FaultProxy(port).start()`; `.port` is where clients connect; `.stop()` when done."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self._mode = "pass"
        self._resets = 0  # bumped to reset every open connection
        self._stopped = threading.Event()
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.accepted = 0

    # ------------------------------------------------------------------ control
    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, mode: str) -> None:
        assert mode in MODES, mode
        if mode in ("refuse", "reset"):
            self._resets += 1
        self._mode = mode
        time.sleep(3 * TICK_S)  # every thread has seen it

    def start(self) -> FaultProxy:
        self._listen()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True,
                                        name="fault-proxy")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(2)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- internals
    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))  # the same port again after a refusal
        listener.listen(64)
        listener.settimeout(TICK_S)
        self.port = listener.getsockname()[1]
        self._listener = listener

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            if self._mode == "refuse":
                if self._listener is not None:
                    self._listener.close()  # connecting now gets ECONNREFUSED
                    self._listener = None
                time.sleep(TICK_S)
                continue
            if self._listener is None:
                self._listen()
            try:
                client, _ = self._listener.accept()  # type: ignore[union-attr]
            except TimeoutError:
                continue
            self.accepted += 1
            threading.Thread(target=self._serve, args=(client,), daemon=True,
                             name="fault-proxy-conn").start()
        if self._listener is not None:
            self._listener.close()

    def _serve(self, client: socket.socket) -> None:
        resets = self._resets
        if self._mode == "reset":
            _reset(client)
            return
        upstream: socket.socket | None = None
        if self._mode != "blackhole":
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                return
        try:
            self._pump(client, upstream, resets)
        except OSError:
            _reset(client)
            _reset(upstream)

    def _pump(self, client: socket.socket, upstream: socket.socket | None,
              resets: int) -> None:
        while not self._stopped.is_set():
            if self._resets != resets:
                _reset(client)
                _reset(upstream)
                return
            if self._mode == "blackhole" and upstream is not None:
                upstream.close()  # the server sees its client go; ours hears nothing
                upstream = None
            sockets: list[Any] = [client] if upstream is None else [client, upstream]
            readable, _, _ = select.select(sockets, [], [], TICK_S)
            for sock in readable:
                data = sock.recv(65536)
                if not data:  # either side closed: close the other
                    client.close()
                    if upstream is not None:
                        upstream.close()
                    return
                if upstream is None:
                    continue  # swallowed
                (upstream if sock is client else client).sendall(data)
        client.close()
        if upstream is not None:
            upstream.close()
