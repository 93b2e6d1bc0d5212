"""Fault injection for the reliability campaign: a TCP proxy whose death drops the database
connection mid-load, processes killed mid-batch, and a warehouse fingerprint to compare states."""

from __future__ import annotations

import contextlib
import selectors
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from warehouse.sqlfile import statement


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target address until ``kill()``, which closes the listener and
    every open connection at once, as a network failure or a restarted server would."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.killed = threading.Event()
        self.thread = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.killed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.connections += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        selector.register(client, selectors.EVENT_READ, upstream)
        selector.register(upstream, selectors.EVENT_READ, client)
        try:
            while not self.killed.is_set():
                for key, _ in selector.select(timeout=0.2):
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            selector.close()

    def kill(self) -> None:
        self.killed.set()
        for sock in [self.listener, *self.connections]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def kill_when(process: subprocess.Popen, ready: Callable[[], bool], *, timeout: float = 60.0) -> bool:
    """SIGKILL ``process`` as soon as ``ready()``; False when the process ended (or the time ran out)
    before the fault could be injected."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if ready():
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            return True
        time.sleep(0.005)
    process.kill()
    process.wait(timeout=30)
    return False


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Row counts and content hashes of articles, their revisions and their translations (no
    timestamps or ids: two loads of the same content on different days fingerprint the same)."""

    articles: tuple[int, str]
    revisions: tuple[int, str]
    translations: tuple[int, str]

    def differences(self, other: Fingerprint) -> list[str]:
        return [
            f"{name}: {getattr(self, name)[0]} rows ({getattr(self, name)[1][:8]}) vs "
            f"{getattr(other, name)[0]} ({getattr(other, name)[1][:8]})"
            for name in ("articles", "revisions", "translations")
            if getattr(self, name) != getattr(other, name)
        ]


def fingerprint(url: str) -> Fingerprint:
    with psycopg.connect(url) as conn:
        rows = {
            name: (count, digest or "")
            for name, count, digest in conn.execute(statement("testkit/fingerprint.sql"))
        }
    return Fingerprint(rows["articles"], rows["revisions"], rows["translations"])
