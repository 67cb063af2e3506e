"""Helpers of the channel tests: a local fake robot receiver and channels of the demo units.

The receiver is a real HTTP server on 127.0.0.1 (random port, own thread): it records each
request (path, query, headers, JSON body) and answers from a script of replies (status,
JSON, delay), then with the platform's success answer."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DISTRICT = "梁子湖区教育局"
SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"
OFFICE_A = "总务处"  # a department of School A


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass
class Reply:
    status: int = 200
    body: Any = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    delay: float = 0.0
    location: str = ""


class Receiver:
    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.replies: list[Reply] = []
        self.default = Reply()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urllib.parse.urlsplit(self.path)
                with receiver.lock:
                    receiver.requests.append(
                        Seen(
                            parts.path,
                            dict(urllib.parse.parse_qsl(parts.query)),
                            dict(self.headers),
                            json.loads(raw.decode() or "null"),
                        )
                    )
                    reply = receiver.replies.pop(0) if receiver.replies else receiver.default
                if reply.delay:
                    time.sleep(reply.delay)
                data = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    if reply.location:
                        self.send_header("Location", reply.location)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook") -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def channel(persona, units, *, who="school_a_officer", unit=SCHOOL_A, **fields: Any):
    from xiaoan.channels import services

    values: dict[str, Any] = {
        "kind": "wecom",
        "name": "安办群",
        "target": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd-1234",
        "min_severity": "info",
    }
    values.update(fields)
    return services.create_channel(persona(who), unit=units[unit], **values)
