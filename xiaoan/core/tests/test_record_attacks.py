"""The drills, training and education activities attacked the same way, over every route
they have (pages and API, found by walking the URL tree, so a new route is attacked without
writing a test): School A's records asked for, changed and acted on by people of another
school — a teacher with no rights and a university's security officer with every right at
his own unit — answer 403 or 404 (or the refusal of a body that any id gets) and change
nothing; their lists do not show School A's
records; a session's QR token does not let an outsider in."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from xiaoan.activities.models import Activity
from xiaoan.drills.models import Drill
from xiaoan.training.models import Attendance, TrainingSession

pytestmark = pytest.mark.django_db

A = "梁子湖高级中学"
NAMESPACES = {"drills": "drill", "training": "training", "activities": "activity"}
API_BASENAMES = {"drill": "drill", "training": "training", "activity": "activity"}
REFUSED = (403, 404, 405)
MISSING = 2_000_000_000  # an id no record has


def _ask(client, method: str, url: str) -> int:
    if url.startswith("/api/"):
        return getattr(client, method)(url, {"note": "x"}, format="json").status_code
    return getattr(client, method)(url, {"note": "x"}).status_code


def _routes() -> list[tuple[str, str, list[str]]]:
    """(kind, route text, path parameter names) of every page and API route of the three."""
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, text, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                kind = None
                if namespace in NAMESPACES:
                    kind = NAMESPACES[namespace]
                elif namespace == "api" and pattern.name:
                    base = pattern.name.split("-")[0]
                    kind = API_BASENAMES.get(base)
                if kind:
                    found.append((kind, text, list(pattern.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns, "/", "")
    return found


def _url(text: str, values: dict[str, object]) -> str | None:
    """The route with `values` in its parameters (None: a format suffix or a parameter we
    have no value for)."""
    import re

    url = text.replace("^", "").replace("$", "").replace("\\.", ".")
    if "format" in url:
        return None
    for name in re.findall(r"<(?:\w+:)?(\w+)>", url):
        if name not in values:
            return None
        url = re.sub(rf"\(\?P<{name}>[^)]*\)|<(?:\w+:)?{name}>", str(values[name]), url)
    return None if "(" in url or "?" in url else url


@pytest.fixture
def records(persona, units):
    call_command("demo", stdout=open("/dev/null", "w"))
    school = units[A]
    drill = Drill.objects.filter(unit=school).order_by("pk").first()
    session = (
        TrainingSession.objects.filter(unit=school, retired_at__isnull=True).order_by("pk").first()
    )
    activity = Activity.objects.filter(unit=school).order_by("pk").first()
    assert drill and session and activity
    photo = drill.photos.first()
    row = Attendance.objects.filter(session=session).first()
    return {
        "drill": {"pk": drill.pk, "photo_pk": photo.pk if photo else 1},
        "training": {
            "pk": session.pk,
            "token": session.checkin_token or "x" * 32,
            "row": row.pk if row else 1,
            "attachment": 1,
        },
        "activity": {"pk": activity.pk, "photo": 0},
        "objects": (drill, session, activity),
    }


def _state(objects) -> list:
    drill, session, activity = objects
    return [
        Drill.objects.filter(pk=drill.pk).values_list("version", "status").first(),
        TrainingSession.objects.filter(pk=session.pk)
        .values_list("updated_at", "attendee_count")
        .first(),
        Attendance.objects.filter(session=session).count(),
        Activity.objects.filter(pk=activity.pk).values_list("version", "updated_at").first(),
    ]


@pytest.mark.parametrize("who", ["school_b_teacher", "uni_security"])
def test_another_school_is_refused_every_record_route(records, who, client_for, api_for):
    routes = _routes()
    assert len(routes) >= 40, len(routes)
    before = _state(records["objects"])
    page, api = client_for(who), api_for(who)
    attempts = 0
    answered = []  # what was not refused
    for kind, text, params in routes:
        if not params:
            continue  # a list or a form of one's own: the lists are checked below
        url = _url(text, records[kind])
        if url is None:
            continue
        missing = _url(text, {**records[kind], "pk": MISSING})
        client = api if url.startswith("/api/") else page
        for method in ("get", "post", "put", "patch", "delete"):
            if not url.startswith("/api/") and method not in ("get", "post"):
                continue
            status = _ask(client, method, url)
            attempts += 1
            if "checkin" in url and method == "get" and "/api/" not in url:
                # The QR code's page answers everyone with a login; it refuses the outsider
                # in words (tested in xiaoan.training) and records nothing (checked below).
                continue
            # Refused, or answered exactly as a record that does not exist is (a body
            # refused before any record is read): nothing tells that School A's exists.
            if status not in REFUSED and status != _ask(client, method, missing):
                answered.append((method, url, status))
    assert answered == [], "\n".join(map(str, answered))
    assert attempts >= 140, attempts
    assert _state(records["objects"]) == before


@pytest.mark.parametrize("who", ["school_b_teacher", "uni_security"])
def test_another_school_does_not_see_school_a_in_the_lists(records, who, client_for, api_for):
    drill, session, activity = records["objects"]
    page, api = client_for(who), api_for(who)
    for url in ("/drills/", "/training/", "/activities/", "/training/coverage/"):
        response = page.get(url)
        assert response.status_code in (200, 403), (url, response.status_code)
        text = response.content.decode()
        assert drill.number not in text and session.name not in text, url
        assert activity.title not in text, url
    for url in ("/api/drills/", "/api/trainings/", "/api/activities/"):
        response = api.get(url)
        assert response.status_code in (200, 403), (url, response.status_code)
        if response.status_code == 200:
            ids = {row["id"] for row in response.json()["results"]}
            assert not ids & {drill.pk, session.pk, activity.pk}, url


def test_a_session_token_does_not_let_an_outsider_check_in(records, api_for):
    session = records["objects"][1]
    from xiaoan.training import services

    services.open_checkin(_opener(), session.pk)
    session.refresh_from_db()
    before = Attendance.objects.filter(session=session).count()
    for who in ("school_b_teacher", "uni_security", "expert"):
        response = api_for(who).post(
            "/api/trainings/checkin/", {"token": session.checkin_token}, format="json"
        )
        assert response.status_code in (400, 403, 404), (who, response.status_code)
    assert Attendance.objects.filter(session=session).count() == before


def _opener():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="school_a_officer")
