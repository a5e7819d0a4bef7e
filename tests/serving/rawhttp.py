"""Raw HTTP/1.1 over a socket, for requests no client library would send."""

from __future__ import annotations

import socket
from dataclasses import dataclass


@dataclass
class Raw:
    """An HTTP answer as it came off the wire."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


def _dechunk(data: bytes) -> bytes:
    body = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        body, data = body + data[:size], data[size + 2 :]
    return body


def parse(data: bytes) -> Raw:
    """Read one HTTP/1.1 answer (the whole of `data`), after any interim 1xx answers."""
    head, _, body = data.partition(b"\r\n\r\n")
    while head.startswith(b"HTTP/1.1 1") and body:
        head, _, body = body.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if ":" in line]
    raw = Raw(status, headers, body)
    if (raw.header("Transfer-Encoding") or "").lower() == "chunked":
        raw.body = _dechunk(body)
    return raw


def send_raw(port: int, data: bytes, timeout: float = 10) -> Raw:
    """Send bytes to 127.0.0.1:`port` and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:  # nginx resets a connection whose body it refused, after answering
            if not chunks:
                raise
    return parse(b"".join(chunks))


def request_bytes(method: str, target: str, headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    """Return a request as bytes, with Connection: close and the body's Content-Length."""
    lines = [f"{method} {target} HTTP/1.1"]
    fields = {"Host": "127.0.0.1", **(headers or {}), "Connection": "close"}
    if body and "Content-Length" not in fields and "Transfer-Encoding" not in fields:
        fields["Content-Length"] = str(len(body))
    lines += [f"{name}: {value}" for name, value in fields.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body  # UTF-8: hostile clients send any bytes
