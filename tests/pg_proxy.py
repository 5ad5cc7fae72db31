"""A TCP relay between the desk and the PostgreSQL server, to take the server away and give it
back as a network or a server restart does: ``cut()`` drops every connection and refuses new
ones; ``restore()`` listens again on the same port."""

from __future__ import annotations

import contextlib
import socket
import threading
from urllib.parse import urlparse, urlunparse


class PgProxy:
    def __init__(self, url: str) -> None:
        parsed = urlparse(url)
        self.upstream = (parsed.hostname or "127.0.0.1", parsed.port or 5432)
        self._parsed = parsed
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._server: socket.socket | None = None
        self.port = 0
        self.restore()

    @property
    def url(self) -> str:
        netloc = self._parsed.netloc.rsplit("@", 1)
        host = f"127.0.0.1:{self.port}"
        return urlunparse(
            self._parsed._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host)
        )

    def restore(self) -> None:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(16)
        self.port = server.getsockname()[1]
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            server, self._server = self._server, None
            sockets, self._sockets = self._sockets, []
        for sock in ([server] if server else []) + sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            with self._lock:
                if self._server is not server:
                    client.close()
                    upstream.close()
                    return
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
