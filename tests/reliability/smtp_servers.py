"""Local SMTP servers that misbehave on purpose, each in a thread on 127.0.0.1.

- ``HangingSMTPServer`` accepts connections and never says a word (a mail server
  that has hung, or a firewall that swallows packets after the handshake);
- ``SMTPServer`` speaks just enough SMTP for Django's backend, accepts every
  message, and answers 554 to the RCPT or DATA of one chosen address.

Each records what reached it so that a test can count attempts.
"""

from __future__ import annotations

import socketserver
import threading
from types import TracebackType
from typing import Literal, Self


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.connections = 0
        self.open_connections = 0
        self.refused: list[str] = []  # addresses answered with 554
        self.delivered: list[str] = []  # addresses of accepted messages
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()

    def converse(self, handler: _Handler) -> None:
        raise NotImplementedError


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        with self.server.lock:
            self.server.connections += 1
            self.server.open_connections += 1
        try:
            self.server.converse(self)
        finally:
            with self.server.lock:
                self.server.open_connections -= 1

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()


class HangingSMTPServer(_Server):
    """Accepts the connection, then never answers: not even the greeting."""

    def converse(self, handler: _Handler) -> None:
        # Until the client gives up (its read times out and it closes) or the test ends.
        while not self.stopping.is_set():
            handler.request.settimeout(0.2)
            try:
                if handler.request.recv(1024) == b"":
                    return  # the client closed the connection
            except TimeoutError:
                continue
            except OSError:
                return


class SMTPServer(_Server):
    """Accepts every message, except that it answers ``554`` to ``refuse`` at ``stage``."""

    def __init__(self, *, refuse: str = "", stage: Literal["rcpt", "data"] = "rcpt") -> None:
        super().__init__()
        self.refuse = refuse.lower()
        self.stage = stage

    def converse(self, handler: _Handler) -> None:
        handler.reply("220 test.example ESMTP")
        recipients: list[str] = []
        while True:
            line = handler.rfile.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                handler.reply("250 test.example")
            elif verb == "MAIL":
                recipients = []
                handler.reply("250 2.1.0 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>").lower()
                if self.stage == "rcpt" and address == self.refuse:
                    self._refused(address)
                    handler.reply("554 5.7.1 <" + address + ">: Recipient address rejected")
                else:
                    recipients.append(address)
                    handler.reply("250 2.1.5 OK")
            elif verb == "DATA":
                if self.stage == "data" and self.refuse in recipients:
                    self._refused(self.refuse)
                    handler.reply("554 5.7.1 Message rejected")
                    continue
                handler.reply("354 End data with <CR><LF>.<CR><LF>")
                while handler.rfile.readline() not in {b".\r\n", b".\n", b""}:
                    pass
                with self.lock:
                    self.delivered.extend(recipients)
                handler.reply("250 2.0.0 OK queued")
            elif verb in {"RSET", "NOOP"}:
                handler.reply("250 2.0.0 OK")
            elif verb == "QUIT":
                handler.reply("221 2.0.0 Bye")
                return
            else:
                handler.reply("502 5.5.2 Command not recognised")

    def _refused(self, address: str) -> None:
        with self.lock:
            self.refused.append(address)
