"""The hot-work pages: every route served to someone and refused to someone, refusals shown
in Chinese on the page with what was typed kept."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.hotwork.models import HotWorkPermit, HotWorkPhoto
from xiaoan.hotwork.tests.support import SCHOOL_A, SCHOOL_B, approved, hours, photo, request, welder

pytestmark = pytest.mark.django_db


def url(action, *args):
    return reverse(f"hotwork:hotworkpermit_{action}", args=args)


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_it_lists_in_scope(client_for, persona, units):
    permit = request(persona, units)
    page = client_for("school_a_officer").get(url("list"))
    assert page.status_code == 200 and permit.location in page.content.decode()
    assert permit.location in client_for("auditor").get(url("list")).content.decode()
    assert permit.location not in client_for("uni_head").get(url("list")).content.decode()
    for name in ("school_b_teacher", "expert"):
        assert client_for(name).get(url("list")).status_code == 403


def test_it_requests_through_the_page(client_for, persona, units):
    operator = welder(persona, units)
    client = client_for("school_a_head")
    page = client.get(url("add"), {"unit": units[SCHOOL_A].pk})
    assert page.status_code == 200 and operator.name in page.content.decode()
    form = {
        "unit": units[SCHOOL_A].pk,
        "location": "实验楼屋顶",
        "work_type": "cutting",
        "description": "切割旧支架",
        "starts_at": local(hours(1)),
        "ends_at": local(hours(100)),
        "operator": operator.pk,
    }
    refused = client.post(url("add"), form)
    assert refused.status_code == 400 and "实验楼屋顶" in refused.content.decode()
    assert "72" in refused.content.decode()
    done = client.post(url("add"), {**form, "ends_at": local(hours(4))})
    permit = HotWorkPermit.objects.get()
    assert done.status_code == 302 and done["Location"] == url("detail", permit.pk)
    assert client_for("auditor").get(url("add")).status_code == 403


def test_it_shows_the_permit_and_its_steps(client_for, persona, units):
    permit = request(persona, units)
    officer = client_for("school_a_officer").get(url("detail", permit.pk)).content.decode()
    assert "批准并指定监护人" in officer and "提出申请" in officer
    head = client_for("school_a_head").get(url("detail", permit.pk)).content.decode()
    assert "批准并指定监护人" not in head  # one's own request
    assert client_for("uni_head").get(url("detail", permit.pk)).status_code == 404
    assert client_for("expert").get(url("detail", permit.pk)).status_code == 403


def test_it_approves_rejects_and_cancels_on_the_page(client_for, persona, units):
    permit = request(persona, units)
    officer = client_for("school_a_officer")
    bad = officer.post(url("approve", permit.pk), {"version": 1, "supervisor": ""})
    assert bad.status_code == 400
    owner = persona("school_a_owner")
    done = officer.post(url("approve", permit.pk), {"version": 1, "supervisor": owner.pk})
    assert done.status_code == 302
    permit.refresh_from_db()
    assert permit.status == "approved"
    own = request(persona, units)
    head = client_for("school_a_head")
    refused = head.post(url("approve", own.pk), {"version": 1, "supervisor": owner.pk})
    assert refused.status_code == 403
    assert client_for("auditor").post(url("approve", own.pk), {"version": 1}).status_code == 403
    assert officer.post(url("reject", own.pk), {"version": 1, "note": ""}).status_code == 400
    assert officer.post(url("reject", own.pk), {"version": 1, "note": "不全"}).status_code == 302
    assert client_for("auditor").post(url("reject", own.pk), {"version": 2}).status_code == 403
    assert head.post(url("cancel", permit.pk), {"version": 2, "note": "改期"}).status_code == 302
    gone = client_for("uni_head").post(url("cancel", own.pk), {"version": 2, "note": "x"})
    assert gone.status_code == 404


def test_the_supervisor_starts_and_finishes_on_the_page(client_for, persona, units):
    permit = approved(persona, units)
    client = client_for("school_a_owner")
    mine = client.get(url("mine"))
    assert mine.status_code == 200 and permit.location in mine.content.decode()
    assert client_for("auditor").get(url("mine")).status_code == 403
    page = client.get(url("detail", permit.pk)).content.decode()
    assert "开工" in page and 'capture="environment"' in page
    refused = client_for("school_a_officer").post(
        url("start", permit.pk), {"version": 2, "photos": photo()}
    )
    assert refused.status_code == 403  # not the named supervisor
    assert client.post(url("start", permit.pk), {"version": 2}).status_code == 400
    assert (
        client.post(url("start", permit.pk), {"version": 2, "photos": photo()}).status_code == 302
    )
    assert client_for("auditor").post(url("finish", permit.pk), {"version": 3}).status_code == 403
    assert (
        client.post(url("finish", permit.pk), {"version": 3, "photos": photo()}).status_code == 302
    )
    permit.refresh_from_db()
    assert permit.status == "closed"
    shot = HotWorkPhoto.objects.filter(permit=permit).first()
    assert client.get(url("photo", permit.pk, shot.pk)).status_code == 200
    assert client_for("uni_head").get(url("photo", permit.pk, shot.pk)).status_code == 404


def test_a_start_out_of_the_window_is_shown_on_the_page(client_for, persona, units):
    permit = approved(persona, units)
    HotWorkPermit.objects.filter(pk=permit.pk).update(starts_at=hours(-6), ends_at=hours(-1))
    client = client_for("school_a_owner")
    assert "不能开工，请重新申请" in client.get(url("detail", permit.pk)).content.decode()
    answer = client.post(url("start", permit.pk), {"version": 2, "photos": photo()}, follow=True)
    assert "动火时段已过" in answer.content.decode()
    permit.refresh_from_db()
    assert permit.status == "approved"


def test_other_schools_operators_are_not_offered(client_for, persona, units):
    outsider = welder(persona, units, SCHOOL_B, name="外校焊工")
    page = client_for("school_a_head").get(url("add"), {"unit": units[SCHOOL_A].pk})
    assert outsider.name not in page.content.decode()


def test_the_menu_leads_to_hot_work_for_those_who_see_it(client_for):
    assert (
        reverse("hotwork:hotworkpermit_list")
        in client_for("school_a_owner").get("/").content.decode()
    )
    assert (
        reverse("hotwork:hotworkpermit_list")
        not in client_for("school_b_teacher").get("/").content.decode()
    )


def test_the_lists_take_no_query_per_row(
    client_for, api_for, persona, units, django_assert_max_num_queries
):
    operator = welder(persona, units)
    for n in range(8):
        request(persona, units, operator=operator, location=f"地点{n}")
    client = client_for("school_a_officer")
    client.get(url("list"))
    with django_assert_max_num_queries(20):
        page = client.get(url("list"))
    assert page.content.decode().count("地点") >= 8
    api = api_for("school_a_officer")
    with django_assert_max_num_queries(12):
        assert api.get("/api/hot-work-permits/").json()["count"] == 8


def test_a_permit_before_its_window_says_when_it_may_start(client_for, persona, units):
    permit = approved(persona, units, starts_at=hours(2), ends_at=hours(5))
    page = client_for("school_a_owner").get(url("detail", permit.pk)).content.decode()
    assert "未到动火时段" in page
    answer = client_for("school_a_owner").post(
        url("start", permit.pk), {"version": 2, "photos": photo()}, follow=True
    )
    assert "未到动火时段" in answer.content.decode()
    permit.refresh_from_db()
    assert permit.status == "approved"
