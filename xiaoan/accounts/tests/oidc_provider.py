"""A small OpenID Connect provider for the single sign-on tests, over real HTTP on 127.0.0.1.

/authorize approves at once whoever `claims` describes (302 back with code and state),
/token checks the client, the code, the redirect address and the PKCE verifier and returns an
RS256 id_token, /userinfo answers the claims for the access token, /jwks the public key.
`mode = "bad_signature"` signs with a key the JWKS does not publish.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

KID = "test-key"


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Provider:
    def __init__(self, client_id: str = "xiaoan", client_secret: str = "s3cret") -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = _new_key()
        self.other_key = _new_key()
        self.claims: dict[str, Any] = {"sub": "person-1"}
        self.mode = "ok"
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Provider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def settings(self) -> dict[str, Any]:
        """The Django settings that settings.py derives from XIAOAN_OIDC_* for this provider."""
        return {
            "XIAOAN_OIDC_ENABLED": True,
            "XIAOAN_OIDC_CLIENT_ID": self.client_id,
            "XIAOAN_OIDC_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_RP_SCOPES": "openid profile",
            "OIDC_USE_PKCE": True,
            "OIDC_TIMEOUT": 10,
            "XIAOAN_OIDC_USERNAME_CLAIM": "preferred_username",
            "XIAOAN_OIDC_ACCOUNT_FIELD": "username",
        }

    # The endpoints -----------------------------------------------------------------------

    def authorize(self, query: dict[str, str]) -> tuple[int, dict, bytes]:
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {}, b"bad request"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce"),
            "challenge": query.get("code_challenge"),
        }
        target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        return 302, {"Location": target}, b""

    def token(self, form: dict[str, str]) -> tuple[int, dict, bytes]:
        grant = self.codes.pop(form.get("code", ""), None)
        if (
            grant is None
            or form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
            or form.get("redirect_uri") != grant["redirect_uri"]
            or _challenge(form.get("code_verifier", "")) != grant["challenge"]
        ):
            return _json(400, {"error": "invalid_grant"})
        now = int(time.time())
        payload = {
            **self.claims,
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
        }
        key = self.other_key if self.mode == "bad_signature" else self.key
        id_token = jwt.encode(payload, key, algorithm="RS256", headers={"kid": KID})
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = dict(self.claims)
        return _json(
            200, {"access_token": access_token, "token_type": "Bearer", "id_token": id_token}
        )

    def userinfo(self, authorization: str) -> tuple[int, dict, bytes]:
        claims = self.tokens.get(authorization.removeprefix("Bearer "))
        return _json(200, claims) if claims is not None else _json(401, {"error": "invalid_token"})

    def jwks(self) -> tuple[int, dict, bytes]:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return _json(200, {"keys": [{**public, "kid": KID, "alg": "RS256", "use": "sig"}]})


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _json(status: int, body: dict) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/authorize":
                self._send(*provider.authorize(query))
            elif url.path == "/userinfo":
                self._send(*provider.userinfo(self.headers.get("Authorization", "")))
            elif url.path == "/jwks":
                self._send(*provider.jwks())
            else:
                self._send(404, {}, b"")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/token":
                self._send(*provider.token(form))
            else:
                self._send(404, {}, b"")

        def _send(self, status: int, headers: dict, body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:  # quiet test output
            pass

    return Handler
