"""The review (复查) by the county-level reviewer and the re-examination (复核) by the city-level
one: the whole path, who sees which case (only those whose step was asked for, only the
schools at their level below them, never the district's ordinary roles), who decides, the
audit of their reads, the list filtered to what awaits them and the home page's to-dos."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.audit.models import AuditEntry
from xiaoan.core.errors import Conflict, Forbidden, NotFound
from xiaoan.core.todos import todos_for
from xiaoan.orgs.testing import two_districts
from xiaoan.studentcases import deadlines, services
from xiaoan.studentcases.models import BullyingCase
from xiaoan.studentcases.tests.conftest import PERSONAS, SCHOOL_A, days_ago
from xiaoan.studentcases.todos import bullying_todos

API = "/api/bullying-cases/"
COUNTY, CITY = "district_bullying_reviewer", "city_bullying_reexaminer"
VICTIM = "王小川"


def requested(bullying, persona, asked: int = 2) -> BullyingCase:
    """A case of School A whose review was asked for `asked` days ago."""
    head = persona("school_a_head")
    obj = bullying(reported=asked + 4)
    services.determine(head, obj.pk, is_bullying=True, determination="构成", on=days_ago(asked + 2))
    services.request_review(head, obj.pk, on=days_ago(asked))
    obj.refresh_from_db()
    return obj


def reexam_requested(bullying, persona, asked: int = 2) -> BullyingCase:
    """A case reviewed by the county whose re-examination was asked for `asked` days ago."""
    obj = requested(bullying, persona, asked=asked + 2)
    services.review(persona(COUNTY), obj.pk, result="维持认定", on=days_ago(asked + 1))
    services.request_reexam(persona("school_a_head"), obj.pk, on=days_ago(asked))
    obj.refresh_from_db()
    return obj


def holder(username: str, code: str, unit, descendants: bool = True) -> User:
    user = User.objects.create(username=username, name="某审核", unit=unit)
    RoleAssignment.objects.create(
        user=user, role=Role.objects.get(code=code), unit=unit, include_descendants=descendants
    )
    return user


def _reads(user):
    return AuditEntry.objects.filter(actor_id=user.pk, action="other")


def test_it_defines_the_two_reviewer_roles():
    review = Role.objects.get(code="bullying_reviewer")
    reexam = Role.objects.get(code="bullying_reexaminer")
    assert review.is_builtin and "studentcases.review_bullyingcase" in review.permissions
    assert "studentcases.reexamine_bullyingcase" in reexam.permissions
    for role in (review, reexam):  # nothing else of a minor's records
        assert not [p for p in role.permissions if p.startswith("studentcases.view")]
        assert "studentcases.handle_bullyingcase" not in role.permissions
    for code in ("unit_head", "safety_officer", "supervisor", "auditor", "student_safety"):
        perms = Role.objects.get(code=code).permissions
        assert "studentcases.review_bullyingcase" not in perms
        assert "studentcases.reexamine_bullyingcase" not in perms


def test_it_takes_the_whole_path_with_the_county_and_the_city_reviewers(api_for, persona, bullying):
    head, county, city = api_for("school_a_head"), api_for(COUNTY), api_for(CITY)
    obj = bullying(reported=3)
    pk = obj.pk
    ok = head.post(f"{API}{pk}/determine/", {"is_bullying": True, "determination": "构成"},
                   format="json")  # fmt: skip
    assert ok.status_code == 200
    # No request yet: neither reviewer sees the case.
    for api in (county, city):
        assert api.get(f"{API}{pk}/").status_code == 404
        assert api.get(API).json()["results"] == []
    assert head.post(f"{API}{pk}/request-review/", {}, format="json").status_code == 200
    seen = county.get(f"{API}{pk}/")
    assert seen.status_code == 200 and seen.json()["victim_name"] == VICTIM
    assert seen.json()["allowed_actions"] == ["review"]
    assert city.get(f"{API}{pk}/").status_code == 404  # no re-examination asked for
    # The school records the request; it no longer decides the review.
    assert head.post(f"{API}{pk}/review/", {"result": "x"}, format="json").status_code == 403
    assert "review" not in head.get(f"{API}{pk}/").json()["allowed_actions"]
    assert city.post(f"{API}{pk}/review/", {"result": "x"}, format="json").status_code == 403
    decided = county.post(f"{API}{pk}/review/", {"result": "维持认定"}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "reviewed"
    again = county.post(f"{API}{pk}/review/", {"result": "x"}, format="json")
    assert again.status_code == 409
    assert head.post(f"{API}{pk}/request-reexam/", {}, format="json").status_code == 200
    seen = city.get(f"{API}{pk}/")
    assert seen.status_code == 200 and seen.json()["allowed_actions"] == ["reexamine"]
    assert seen.json()["review_result"] == "维持认定"
    assert county.get(f"{API}{pk}/").json()["allowed_actions"] == []
    assert county.post(f"{API}{pk}/reexamine/", {"result": "x"}, format="json").status_code == 403
    assert head.post(f"{API}{pk}/reexamine/", {"result": "x"}, format="json").status_code == 403
    done = city.post(f"{API}{pk}/reexamine/", {"result": "维持"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "closed"
    assert city.post(f"{API}{pk}/reexamine/", {"result": "x"}, format="json").status_code == 409
    events = {e.action: e.actor.username for e in BullyingCase.objects.get(pk=pk).events.all()}
    assert events["review"] == COUNTY and events["reexamine"] == CITY
    assert events["determine"] == "school_a_head"


def test_it_audits_every_read_by_a_reviewer(api_for, client_for, persona, bullying):
    obj = requested(bullying, persona)
    reviewer = persona(COUNTY)
    before = _reads(reviewer).count()
    assert api_for(COUNTY).get(f"{API}{obj.pk}/").status_code == 200
    assert api_for(COUNTY).get(API).status_code == 200
    client = client_for(COUNTY)
    assert client.get(reverse("studentcases:bullyingcase_detail", args=[obj.pk])).status_code == 200
    assert client.get(reverse("studentcases:bullyingcase_list")).status_code == 200
    entries = list(_reads(reviewer).order_by("id"))[before:]
    assert [e.detail["read"] for e in entries] == ["api", "api_list", "page", "page_list"]
    assert entries[0].object_id == str(obj.pk)
    for entry in entries:
        assert VICTIM not in f"{entry.object_repr} {entry.detail}"


@pytest.mark.parametrize("who", PERSONAS)
def test_it_shows_a_requested_case_to_no_one_else_above_the_school(
    api_for, client_for, persona, bullying, who
):
    obj = reexam_requested(bullying, persona)
    api = api_for(who)
    detail = api.get(f"{API}{obj.pk}/")
    page = client_for(who).get(reverse("studentcases:bullyingcase_detail", args=[obj.pk]))
    if who in ("school_a_head", "school_a_officer"):  # the school's role; the 包保
        assert detail.status_code == 200
        assert not {"review", "reexamine"} & set(detail.json()["allowed_actions"])
    else:
        assert detail.status_code in (403, 404) and page.status_code == 404
        assert VICTIM not in detail.content.decode() + page.content.decode()
    for step, body in (("review", {"result": "x"}), ("reexamine", {"result": "x"})):
        response = api.post(f"{API}{obj.pk}/{step}/", body, format="json")
        assert response.status_code in (403, 404), (who, step)
    obj.refresh_from_db()
    assert obj.status == "reexam_requested"


def test_it_keeps_the_district_officer_to_counts(api_for, client_for, persona, bullying):
    obj = requested(bullying, persona)
    api = api_for("district_officer")
    assert api.get(API).status_code == 403
    assert api.get(f"{API}{obj.pk}/").status_code == 403
    assert api.get(f"{API}?step=review").status_code == 403
    client = client_for("district_officer")
    assert client.get(reverse("studentcases:bullyingcase_list")).status_code == 403
    page = client.get(reverse("studentcases:bullyingcase_detail", args=[obj.pk]))
    assert page.status_code == 404 and VICTIM not in page.content.decode()
    counts = api.get("/api/student-cases/counts/")
    assert counts.status_code == 200 and VICTIM not in counts.content.decode()
    assert not [t for t in todos_for(persona("district_officer")) if "studentcases" in t.key]


def test_it_refuses_reviewers_of_another_district_or_level(api_for, persona, units, bullying):
    obj = reexam_requested(bullying, persona)
    places = two_districts(units)
    elsewhere = holder("reviewer_b", "bullying_reviewer", places.district_b)
    at_city = holder("reviewer_city", "bullying_reviewer", places.city)  # a county step
    city_at_district = holder("reexam_district", "bullying_reexaminer", places.district_a)
    no_subtree = holder("reviewer_own", "bullying_reviewer", places.district_a, descendants=False)
    for user in (elsewhere, at_city, city_at_district):
        api = api_for(user.username)
        assert api.get(f"{API}{obj.pk}/").status_code == 404, user.username
        assert api.get(API).json()["results"] == []
        with pytest.raises(NotFound):
            services.review(user, obj.pk, result="x")
    # Assigned without the subtree: no school below, no list at all.
    assert api_for(no_subtree.username).get(f"{API}{obj.pk}/").status_code == 403
    with pytest.raises(NotFound):
        services.review(no_subtree, obj.pk, result="x")
    with pytest.raises(NotFound):
        services.reexamine(city_at_district, obj.pk, result="x")
    # The county reviewer of district B reviews District B's schools.
    teacher = persona("school_b_teacher")
    other = BullyingCase.objects.create(
        unit=places.school_b, reported_on=days_ago(5), victim_name="钱小北", accused_names="甲",
        description="x", responsible=teacher, recorded_by=teacher, status="review_requested",
        determined_on=days_ago(4), review_requested_on=days_ago(3),
    )  # fmt: skip
    assert api_for("reviewer_b").get(f"{API}{other.pk}/").status_code == 200
    assert api_for(COUNTY).get(f"{API}{other.pk}/").status_code == 404
    services.review(elsewhere, other.pk, result="撤销认定")
    assert BullyingCase.objects.get(pk=other.pk).status == "reviewed"


def test_it_shows_the_reviewer_only_cases_with_a_request(api_for, client_for, persona, bullying):
    head = persona("school_a_head")
    fresh = bullying(reported=1)
    determined = bullying(reported=2)
    services.determine(head, determined.pk, is_bullying=False, determination="否")
    asked = requested(bullying, persona)
    api = api_for(COUNTY)
    assert [r["id"] for r in api.get(API).json()["results"]] == [asked.pk]
    for obj in (fresh, determined):
        assert api.get(f"{API}{obj.pk}/").status_code == 404
        assert api.post(f"{API}{obj.pk}/review/", {"result": "x"}, format="json").status_code == 404
    # Nothing else of the school's minors.
    assert api.get("/api/student-cases/").status_code == 403
    assert api.get("/api/conflict-screenings/").status_code == 403
    client = client_for(COUNTY)
    assert client.get(reverse("studentcases:studentcase_list")).status_code == 403
    with pytest.raises(NotFound):
        services.determine(persona(COUNTY), fresh.pk, is_bullying=True, determination="x")


def test_it_refuses_the_school_the_review_and_answers_409_for_a_wrong_state(
    client_for, api_for, persona, bullying
):
    obj = requested(bullying, persona)
    url = reverse("studentcases:bullyingcase_review", args=[obj.pk])
    for who in ("school_a_head", "school_a_officer"):
        assert client_for(who).post(url, {"result": "x", "version": obj.version}).status_code == 403
    with pytest.raises(Forbidden):
        services.review(persona("school_a_head"), obj.pk, result="x")
    reexam = reverse("studentcases:bullyingcase_reexamine", args=[obj.pk])
    assert client_for(CITY).post(reexam, {"result": "x"}).status_code == 404  # not asked for
    county = client_for(COUNTY)
    # A stale page: back to the record with the message (pages); the API answers 409.
    assert county.post(url, {"result": "维持", "version": obj.version + 5}).status_code == 302
    obj.refresh_from_db()
    assert obj.status == "review_requested"
    stale = api_for(COUNTY).post(
        f"{API}{obj.pk}/review/", {"result": "x", "version": obj.version + 5}, format="json"
    )
    assert stale.status_code == 409
    assert county.post(url, {"result": "维持", "version": obj.version}).status_code == 302
    obj.refresh_from_db()
    assert obj.status == "reviewed" and obj.review_result == "维持"
    again = api_for(COUNTY).post(f"{API}{obj.pk}/review/", {"result": "x"}, format="json")
    assert again.status_code == 409
    with pytest.raises(Conflict):
        services.review(persona(COUNTY), obj.pk, result="x")


def test_it_records_a_late_review_decision(persona, bullying):
    obj = requested(bullying, persona, asked=deadlines.REVIEW_DECIDE_DAYS + 3)
    services.review(persona(COUNTY), obj.pk, result="维持")
    assert obj.events.get(action="review").data["days_late"] == 3


def test_it_shows_the_reviewer_the_case_page_with_the_decision(client_for, persona, bullying):
    obj = requested(bullying, persona)
    client = client_for(COUNTY)
    page = client.get(reverse("studentcases:bullyingcase_detail", args=[obj.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and VICTIM in text
    assert reverse("studentcases:bullyingcase_review", args=[obj.pk]) in text
    assert reverse("studentcases:bullyingcase_close", args=[obj.pk]) not in text
    listing = client.get(reverse("studentcases:bullyingcase_list")).content.decode()
    # The school's other tabs are not theirs; the filter of their step is.
    assert f'href="{reverse("studentcases:studentcase_list")}"' not in listing
    assert "?step=review" in listing and "?step=determine" not in listing
    # Their menu entry; not the school's (which has its tabs).
    assert "欺凌事件复查复核" in listing
    school = client_for("school_a_head").get(reverse("studentcases:bullyingcase_list"))
    assert "欺凌事件复查复核" not in school.content.decode()


def test_it_lists_what_awaits_each_one(api_for, client_for, persona, bullying):
    head = persona("school_a_head")
    fresh = bullying(reported=1)
    review = requested(bullying, persona)
    reviewed = requested(bullying, persona, asked=4)
    services.review(persona(COUNTY), reviewed.pk, result="维持")
    reexam = reexam_requested(bullying, persona)
    del head

    def ids(who, step):
        response = api_for(who).get(f"{API}?step={step}")
        assert response.status_code == 200
        return [r["id"] for r in response.json()["results"]]

    assert ids("school_a_head", "determine") == [fresh.pk]
    assert ids(COUNTY, "review") == [review.pk]
    assert ids(CITY, "reexamine") == [reexam.pk]
    assert ids(COUNTY, "reexamine") == [] and ids("school_a_head", "review") == []
    assert set(ids(COUNTY, "")) == {review.pk, reviewed.pk, reexam.pk}
    url = reverse("studentcases:bullyingcase_list")
    page = client_for(COUNTY).get(f"{url}?step=review").content.decode()
    assert review.number in page and reviewed.number not in page and reexam.number not in page
    page = client_for("school_a_head").get(f"{url}?step=determine").content.decode()
    assert fresh.number in page and review.number not in page
    # An unknown or foreign step shows everything visible.
    page = client_for(COUNTY).get(f"{url}?step=determine").content.decode()
    assert review.number in page and reviewed.number in page


def _todos(user, today=None) -> dict:
    return {t.key: t for t in bullying_todos(user, today=today)}


def test_it_counts_the_todos_and_the_late_ones(persona, bullying, client_for):
    head = persona("school_a_head")
    bullying(reported=1)
    bullying(reported=deadlines.DETERMINE_DAYS + 2)  # late
    requested(bullying, persona, asked=1)
    requested(bullying, persona, asked=deadlines.REVIEW_DECIDE_DAYS + 1)  # late
    reexam_requested(bullying, persona, asked=3)
    mine = _todos(head)
    assert (mine["studentcases.determine"].count, mine["studentcases.determine"].late) == (2, 1)
    assert set(mine) == {"studentcases.determine"}
    county = _todos(persona(COUNTY))
    assert set(county) == {"studentcases.review"}
    assert (county["studentcases.review"].count, county["studentcases.review"].late) == (2, 1)
    city = _todos(persona(CITY))
    assert (city["studentcases.reexamine"].count, city["studentcases.reexamine"].late) == (1, 0)
    later = timezone.localdate() + dt.timedelta(days=deadlines.REEXAM_DECIDE_DAYS)
    assert _todos(persona(CITY), today=later)["studentcases.reexamine"].late == 1
    assert _todos(head, today=later)["studentcases.determine"].late == 2
    for who in ("district_officer", "school_a_officer", "auditor", "school_b_teacher"):
        assert _todos(persona(who)) == {}, who
    # On the home page and the API, with the links opening the filtered lists; never a name.
    cache.clear()
    listed = {t.key: t for t in todos_for(persona(COUNTY))}
    todo = listed["studentcases.review"]
    assert todo.count == 2 and todo.late == 1 and VICTIM not in str(todo.label)
    page = client_for(COUNTY).get(todo.url)
    assert page.status_code == 200 and page.content.decode().count("/student-cases/bullying/") >= 2
    for who, key in (("school_a_head", "studentcases.determine"), (CITY, "studentcases.reexamine")):
        found = client_for(who).get("/api/todos/").json()
        item = next(t for t in found if t["key"] == key)
        assert VICTIM not in str(found)
        assert client_for(who).get(item["url"]).status_code == 200


def test_it_loads_a_case_awaiting_the_district_review_in_the_demo(db, demo):
    from xiaoan.studentcases.demo import load_student_cases

    load_student_cases()
    reviewer = User.objects.get(username=COUNTY)
    waiting = services.awaiting(reviewer, "review")
    assert waiting.count() == 1 and waiting.get().unit.name == SCHOOL_A
    assert _todos(reviewer)["studentcases.review"].count == 1
    assert not services.awaiting(User.objects.get(username=CITY), "reexamine").exists()
