"""The documented deployment (deploy/) stays in step with the code: every setting in the env
example, a valid nginx site, graceful stop signals; and the load test's retry policy."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from xiaoan.core import benchhttp

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
TEST_ONLY = {"XIAOAN_TESTING", "XIAOAN_AXES_IN_TESTS"}


def test_it_lists_every_setting_in_the_env_example():
    settings = (ROOT / "xiaoan" / "settings.py").read_text()
    names = set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]+)"', settings)) - TEST_ONLY
    example = (DEPLOY / "xiaoan.env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, re.M))
    assert "DATABASE_URL" in names and len(names) > 50
    assert sorted(names - listed) == []


def _render(tmp_path: Path) -> Path:
    template = (DEPLOY / "nginx" / "xiaoan.conf.template").read_text()
    values = {
        "XIAOAN_NGINX_LISTEN": "127.0.0.1:18080",
        "XIAOAN_NGINX_SERVER_NAME": "localhost",
        "XIAOAN_NGINX_UPSTREAMS": "    server 127.0.0.1:18101;\n    server 127.0.0.1:18102;",
        "XIAOAN_NGINX_ACCESS_LOG": str(tmp_path / "access.log"),
    }
    site = re.sub(r"\$\{(XIAOAN_NGINX_\w+)\}", lambda m: values[m.group(1)], template)
    (tmp_path / "xiaoan.conf").write_text(site)
    shutil.copy(DEPLOY / "nginx" / "xiaoan-proxy.conf", tmp_path)
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f"include {tmp_path}/xiaoan.conf; }}\n"
    )
    return conf


def test_it_renders_a_valid_nginx_site(tmp_path):
    conf = _render(tmp_path)
    site = (tmp_path / "xiaoan.conf").read_text()
    assert "${XIAOAN_" not in site
    assert "proxy_next_upstream error timeout" in (tmp_path / "xiaoan-proxy.conf").read_text()
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not nginx:
        pytest.skip("nginx is not installed (scripts/cluster.sh installs it)")
    checked = subprocess.run(
        [nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "e.log")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


def test_it_stops_servers_and_workers_gracefully():
    web = (DEPLOY / "systemd" / "xiaoan-web@.service").read_text()
    worker = (DEPLOY / "systemd" / "xiaoan-worker@.service").read_text()
    assert "KillSignal=SIGTERM" in web and "deploy/gunicorn.conf.py" in web
    assert "KillSignal=SIGTERM" in worker and "run_huey" in worker
    assert re.search(r"TimeoutStopSec=\d+", web) and re.search(r"TimeoutStopSec=\d+", worker)


class _Flaky(BaseHTTPRequestHandler):
    """502 for the first request of each Idempotency-Key, as a proxy whose server died."""

    seen: dict[str, int] = {}

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = self.headers.get("Idempotency-Key", "")
        self.seen[key] = self.seen.get(key, 0) + 1
        status = 502 if self.seen[key] == 1 else 201
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_it_retries_a_write_with_the_same_key_after_a_502():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = benchhttp.Client(f"http://127.0.0.1:{server.server_address[1]}", retry_for=5)
        answer = client.multipart("/api/hazards/", {"unit": "1"}, {"photos": ("p.jpg", b"x")},
                                  "token", key="k1")  # fmt: skip
        assert answer.status == 201
        assert (client.requests, client.retries) == (2, 1)
        assert _Flaky.seen == {"k1": 2}
    finally:
        server.shutdown()
