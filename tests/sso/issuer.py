"""A small OpenID Connect provider for tests: http.server in a thread on 127.0.0.1, with its
own RSA key. It serves discovery, JWKS, authorize (redirects back at once with a code and the
state, for whoever the test says is signed in there), token (an RS256 ID token) and userinfo.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class Identity:
    sub: str
    email: str
    email_verified: bool | str | None = True  # None: the claim is left out
    name: str = "Sam Single"


@dataclass
class Issuer:
    """``clients``: client_id -> secret. ``identity``: who signs in at the next authorize."""

    clients: dict[str, str] = field(default_factory=dict)
    identity: Identity | None = None
    codes: dict[str, dict] = field(default_factory=dict)
    tokens: dict[str, dict] = field(default_factory=dict)
    token_requests: list[dict] = field(default_factory=list)
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = "test-key-1"
    # Claims added to every ID token (not to userinfo), such as Entra ID's optional ones.
    extra_claims: dict = field(default_factory=dict)
    base: str = ""

    def start(self) -> Issuer:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                issuer._get(self)

            def do_POST(self) -> None:
                issuer._post(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- what the provider serves ---------------------------------------------------------

    def discovery(self) -> dict:
        return {
            "issuer": self.base,
            "authorization_endpoint": f"{self.base}/authorize",
            "token_endpoint": f"{self.base}/token",
            "userinfo_endpoint": f"{self.base}/userinfo",
            "jwks_uri": f"{self.base}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        numbers = self.key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": self.kid,
                    "n": _b64(numbers.n),
                    "e": _b64(numbers.e),
                }
            ]
        }

    def claims(self, identity: Identity) -> dict:
        claims = {"sub": identity.sub, "email": identity.email, "name": identity.name}
        if identity.email_verified is not None:
            claims["email_verified"] = identity.email_verified
        return claims

    def _send(self, handler, status: int, body: dict | None = None, headers=()) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        handler.send_response(status)
        for name, value in headers:
            handler.send_header(name, value)
        if body is not None:
            handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _get(self, handler) -> None:
        url = urlsplit(handler.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            return self._send(handler, 200, self.discovery())
        if url.path == "/jwks":
            return self._send(handler, 200, self.jwks())
        if url.path == "/authorize":
            return self._authorize(handler, query)
        if url.path == "/userinfo":
            token = handler.headers.get("Authorization", "").removeprefix("Bearer ")
            grant = self.tokens.get(token)
            if grant is None:
                return self._send(handler, 401, {"error": "invalid_token"})
            return self._send(handler, 200, self.claims(grant["identity"]))
        return self._send(handler, 404, {"error": "not_found"})

    def _authorize(self, handler, query: dict) -> None:
        if query.get("client_id") not in self.clients or self.identity is None:
            return self._send(handler, 400, {"error": "invalid_request"})
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "client_id": query["client_id"],
            "redirect_uri": query["redirect_uri"],
            "identity": self.identity,
            "nonce": query.get("nonce") or secrets.token_urlsafe(8),
            "code_challenge": query.get("code_challenge"),
        }
        target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        return self._send(handler, 302, headers=[("Location", target)])

    def _post(self, handler) -> None:
        if urlsplit(handler.path).path != "/token":
            return self._send(handler, 404, {"error": "not_found"})
        length = int(handler.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(handler.rfile.read(length).decode()).items()}
        client_id, secret = form.get("client_id"), form.get("client_secret")
        basic = handler.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            client_id, _colon, secret = base64.b64decode(basic[6:]).decode().partition(":")
        self.token_requests.append({"client_id": client_id, "code": form.get("code")})
        if not client_id or self.clients.get(client_id) != secret:
            return self._send(handler, 401, {"error": "invalid_client"})
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or grant["client_id"] != client_id:
            return self._send(handler, 400, {"error": "invalid_grant"})
        if grant["redirect_uri"] != form.get("redirect_uri"):
            return self._send(handler, 400, {"error": "invalid_grant"})
        if grant["code_challenge"]:
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if challenge != grant["code_challenge"]:
                return self._send(handler, 400, {"error": "invalid_grant"})
        now = int(time.time())
        id_token = jwt.encode(
            {
                **self.claims(grant["identity"]),
                **self.extra_claims,
                "iss": self.base,
                "aud": client_id,
                "nonce": grant["nonce"],
                "iat": now,
                "exp": now + 300,
            },
            self.key,
            algorithm="RS256",
            headers={"kid": self.kid},
        )
        access = secrets.token_urlsafe(16)
        self.tokens[access] = grant
        return self._send(
            handler,
            200,
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            },
        )
