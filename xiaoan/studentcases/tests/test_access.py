"""Who sees a minor's record, for every persona, on every page and endpoint: names only for
the school's role (the principal) and the people named on the record; counts only for
superiors; 404 out of scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.studentcases.tests.conftest import PERSONAS

# persona -> the cases (of a1, a2, b) whose names they see
SEES = {
    "district_officer": set(),
    "school_a_head": {"a1", "a2"},
    "school_a_officer": {"a1"},
    "school_a_owner": set(),
    "school_b_teacher": {"b"},
    "expert": set(),
    "auditor": set(),
    "sysadmin": set(),
}
NAMES = {"a1": "陈小雨", "a2": "李明轩", "b": "赵小北"}
# persona -> may see the counts per school
COUNTS = {"district_officer", "school_a_head", "school_a_officer", "auditor"}


@pytest.mark.parametrize("who", PERSONAS)
def test_it_lists_only_the_cases_a_persona_may_see_on_the_page(client_for, cases, who):
    response = client_for(who).get(reverse("studentcases:studentcase_list"))
    if not SEES[who]:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    page = response.content.decode()
    for key, name in NAMES.items():
        assert (name in page) == (key in SEES[who]), (who, key)


@pytest.mark.parametrize("who", PERSONAS)
def test_it_lists_only_the_cases_a_persona_may_see_in_the_api(api_for, cases, who):
    response = api_for(who).get("/api/student-cases/")
    if not SEES[who]:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {cases[k].pk for k in SEES[who]}


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("key", ["a1", "a2", "b"])
def test_it_shows_a_case_page_and_record_only_to_who_may_see_it(
    client_for, api_for, cases, who, key
):
    case = cases[key]
    page = client_for(who).get(reverse("studentcases:studentcase_detail", args=[case.pk]))
    api = api_for(who).get(f"/api/student-cases/{case.pk}/")
    if key in SEES[who]:
        assert page.status_code == 200
        assert NAMES[key] in page.content.decode()
        assert api.status_code == 200
        assert api.json()["student_name"] == NAMES[key]
    else:
        assert page.status_code == 404
        assert NAMES[key] not in page.content.decode()
        assert api.status_code in (403, 404)
        assert NAMES[key] not in api.content.decode()


@pytest.mark.parametrize("who", PERSONAS)
def test_it_gives_counts_without_names_to_superiors(client_for, api_for, cases, units, who):
    api = api_for(who).get("/api/student-cases/counts/")
    page = client_for(who).get(reverse("studentcases:studentcase_counts"))
    if who not in COUNTS:
        assert api.status_code == 403
        assert page.status_code == 403
        return
    assert api.status_code == 200 and page.status_code == 200
    for name in NAMES.values():
        assert name not in api.content.decode()
        assert name not in page.content.decode()
    rows = {r["unit_name"]: r for r in api.json()}
    assert rows["梁子湖高级中学"]["open"] == 2
    assert rows["梁子湖高级中学"]["by_category"]["left_behind"] == 1
    if who == "district_officer":
        assert rows["东沟镇中心小学"]["open"] == 1
        assert len(rows) == 12  # every school of the district
    if who.startswith("school_a"):
        assert set(rows) == {"梁子湖高级中学"}


def test_it_gives_no_names_to_a_bureau_head_with_the_role_over_the_district(
    api_for, cases, persona, units
):
    """The student-safety role assigned at the bureau with its subtree reaches no school."""
    from xiaoan.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(
        user=persona("district_officer"),
        role=Role.objects.get(code="student_safety"),
        unit=units["梁子湖区教育局"],
        include_descendants=True,
    )
    response = api_for("district_officer").get(f"/api/student-cases/{cases['a1'].pk}/")
    assert response.status_code in (403, 404)


def test_it_answers_404_for_huge_and_malformed_ids(client_for, api_for, cases):
    head = client_for("school_a_head")
    assert head.get("/student-cases/99999999999999/").status_code == 404
    api = api_for("school_a_head")
    assert api.get("/api/student-cases/99999999999999999999/").status_code in (400, 404)
    assert api.get("/api/student-cases/abc/").status_code == 404


def test_it_reads_the_list_in_a_bounded_number_of_queries(
    api_for, cases, django_assert_max_num_queries
):
    api = api_for("school_a_head")
    with django_assert_max_num_queries(12):
        response = api.get("/api/student-cases/")
    assert response.status_code == 200


def test_it_shows_the_menu_entries_by_right(client_for, cases):
    entry = f'href="{reverse("studentcases:studentcase_list")}"'
    counts = f'href="{reverse("studentcases:studentcase_counts")}"'
    head = client_for("school_a_head").get(reverse("core:home")).content.decode()
    assert entry in head
    district = client_for("district_officer").get(reverse("core:home")).content.decode()
    assert entry not in district and counts in district


def test_it_reads_the_pages_in_a_bounded_number_of_queries(
    client_for, cases, bullying, django_assert_max_num_queries
):
    bullying()
    client = client_for("school_a_head")
    for name in ("studentcase_list", "bullyingcase_list", "studentcase_counts"):
        with django_assert_max_num_queries(40):
            assert client.get(reverse(f"studentcases:{name}")).status_code == 200
