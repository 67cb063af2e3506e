"""Every route must be in an access table: the test run records, per URL pattern, whether
some test was refused by it (401/403/404 or the login redirect) and whether some test was
served by it. At the end of a whole-suite run a route with no refusal or no success fails
the run (convention 5: scoping is tested for every endpoint and page, not assumed)."""

from __future__ import annotations

from collections import defaultdict

from django.urls import URLPattern, URLResolver, get_resolver

# Routes that refuse nobody by design, with the reason.
OPEN_BY_DESIGN = {
    "accounts:login": "the login page itself",
    "accounts:logout": "anyone may log out",
    "api:token": "exchanges a password for a token; refusals are 400/429, tested in test_login",
    "api:schema": "open in development, login in production (test_settings_validation)",
    "api:docs": "open in development, login in production (test_settings_validation)",
    "healthz": "the load balancer's probe",
    "readyz": "the load balancer's readiness probe",
    "accounts:auditlog": "the old address, a plain redirect to /audit/ (guarded there)",
    "set_language": "Django's language switch",
    # Only present when single sign-on is configured (xiaoan/accounts/tests/test_oidc_login.py).
    "oidc_authentication_init": "starts single sign-on: a redirect to the identity provider",
}

SEEN: dict[str, set[str]] = defaultdict(set)


class RouteRecorder:
    """Test-only middleware: notes how each resolved route answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name:
            status = response.status_code
            login = status == 302 and "/accounts/login/" in response.get("Location", "")
            if status in (401, 403, 404) or login:
                SEEN[match.view_name].add("refused")
            elif status < 400:
                SEEN[match.view_name].add("served")
        return response


def all_routes() -> list[str]:
    names: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                walk(entry.url_patterns, space)
            elif isinstance(entry, URLPattern) and entry.name:
                names.append(prefix + entry.name)

    walk(get_resolver().url_patterns, "")
    return sorted(set(names))


def gaps() -> list[str]:
    """Routes lacking a refusal or a success in this run, each with what is missing."""
    out = []
    for name in all_routes():
        if name in OPEN_BY_DESIGN or name.startswith(("djdt:", "admin:")):
            continue
        missing = {"refused", "served"} - SEEN.get(name, set())
        if missing:
            out.append(f"{name}: {'、'.join(sorted(missing))}")
    return out
