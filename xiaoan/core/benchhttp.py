"""A small keep-alive HTTP client for benchmarks against a running server: JSON and
multipart requests, a browser-like form login, and the retry policy of a phone on a flaky
network — a request that got no answer, or 502/503/504 from the proxy, is sent again (with
the same Idempotency-Key), up to a deadline. Only the standard library."""

from __future__ import annotations

import http.client
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

RETRY_STATUSES = {502, 503, 504}


class GaveUp(Exception):
    """The request got no acceptable answer before its retries ran out."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: dict[str, str] = field(default_factory=dict)


class Client:
    def __init__(self, base: str, *, timeout: float = 60, retry_for: float = 30) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.timeout, self.retry_for = timeout, retry_for
        self.conn: http.client.HTTPConnection | None = None
        self.requests = 0  # attempts sent, retries included
        self.retries = 0

    def _send(self, method: str, path: str, body: bytes | None, headers: dict) -> Response:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self.conn.request(method, path, body=body, headers=headers)
        answer = self.conn.getresponse()
        data = answer.read()
        cookies = {}
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key.strip()] = rest.split(";", 1)[0]
        return Response(answer.status, dict(answer.getheaders()), data, cookies)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict | None = None,
        cookies: dict[str, str] | None = None,
    ) -> Response:
        headers = dict(headers or {})
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        until = time.monotonic() + self.retry_for
        while True:
            self.requests += 1
            try:
                response = self._send(method, path, body, headers)
                if response.status not in RETRY_STATUSES:
                    return response
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
            if time.monotonic() > until:
                raise GaveUp(f"{method} {path}")
            self.retries += 1
            time.sleep(0.2)

    def json(self, method: str, path: str, data: dict, token: str, key: str = "") -> Response:
        headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
        if key:
            headers["Idempotency-Key"] = key
        body = json.dumps(data, ensure_ascii=False).encode()
        return self.request(method, path, body=body, headers=headers)

    def multipart(
        self, path: str, fields: dict[str, str], files: dict, token: str, key: str = ""
    ) -> Response:
        """POST fields and files ({name: (filename, bytes)}) as multipart/form-data."""
        boundary = uuid.uuid4().hex
        chunks: list[bytes] = []
        for name, value in fields.items():
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, data) in files.items():
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        chunks.append(f"--{boundary}--\r\n".encode())
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Authorization": f"Token {token}",
        }
        if key:
            headers["Idempotency-Key"] = key
        return self.request("POST", path, body=b"".join(chunks), headers=headers)


def login(client: Client, username: str, password: str) -> dict[str, str]:
    """Log in through the login form as a browser does; returns the session's cookies."""
    page = client.request("GET", "/accounts/login/")
    cookies = dict(page.cookies)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if not match:
        raise GaveUp("no login form")
    form = urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "username": username,
         "password": password}
    ).encode()  # fmt: skip
    answer = client.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{client.origin}/accounts/login/",
            "Origin": client.origin,
        },
        cookies=cookies,
    )
    cookies.update(answer.cookies)
    if answer.status != 302 or "sessionid" not in cookies:
        raise GaveUp(f"login as {username}: {answer.status}")
    return cookies
