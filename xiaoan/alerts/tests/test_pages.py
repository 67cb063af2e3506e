"""The alert pages as a person meets them: the list and its filters, an alert's page with
its steps, the silences, the rules and a bureau's warnings with each school's progress; who
may see or do what on each (another school 404, no right 403, wrong state back with the
reason), and the home page's to-dos."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.alerts import services
from xiaoan.alerts.models import Alert, AlertRule, Bulletin, Silence

from .support import DISTRICT, SCHOOL_A, SCHOOL_B, smoke

pytestmark = pytest.mark.django_db
LOCAL = "%Y-%m-%dT%H:%M"


def _url(name, *args):
    return reverse(f"alerts:{name}", args=args)


def test_it_lists_and_filters_alerts(client_for, units):
    a, _ = smoke(units)
    b, _ = smoke(units, name=SCHOOL_B, severity="critical", title="配电房温度过高")
    page = client_for("school_a_officer").get(_url("alert_list")).content.decode()
    assert a.title in page and b.title not in page
    district = client_for("district_officer")
    page = district.get(_url("alert_list") + "?severity=critical&open=true").content.decode()
    assert b.title in page and a.title not in page
    page = district.get(_url("alert_list") + f"?unit={units[SCHOOL_A].pk}").content.decode()
    assert a.title in page and b.title not in page
    assert district.get(_url("alert_list") + "?unit=abc&status=zzz").status_code == 200
    assert client_for("school_b_teacher").get(_url("alert_list")).status_code == 403


def test_it_handles_an_alert_on_its_page(client_for, units):
    alert, _ = smoke(units)
    client = client_for("school_a_officer")
    page = client.get(_url("alert_detail", alert.pk)).content.decode()
    assert "确认预警" in page and "登记处置" in page
    done = client.post(_url("alert_acknowledge", alert.pk), {"version": alert.version})
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    # Nothing written: a Chinese message on the form, 400.
    refused = client.post(
        _url("alert_handle", alert.pk), {"version": alert.version, "disposition": "fixed"}
    )
    assert refused.status_code == 400
    done = client.post(
        _url("alert_handle", alert.pk),
        {"version": alert.version, "disposition": "fixed", "note": "已复位烟感"},
    )
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "handled" and alert.measures == "已复位烟感"
    # A stale form: back to the page with the reason.
    stale = client.post(_url("alert_acknowledge", alert.pk), {"version": 0})
    assert stale.status_code == 302
    done = client.post(_url("alert_close", alert.pk), {"version": alert.version})
    assert done.status_code == 302
    assert Alert.objects.get(pk=alert.pk).status == "closed"


def test_it_scopes_the_alert_pages(client_for, units):
    other, _ = smoke(units, name=SCHOOL_B)
    mine, _ = smoke(units)
    officer = client_for("school_a_officer")
    assert officer.get(_url("alert_detail", other.pk)).status_code == 404
    for step in ("acknowledge", "handle", "close"):
        body = {"version": other.version, "disposition": "fixed", "note": "x"}
        assert officer.post(_url(f"alert_{step}", other.pk), body).status_code == 404
        teacher = client_for("school_b_teacher").post(_url(f"alert_{step}", mine.pk), body)
        assert teacher.status_code == 403
    assert client_for("auditor").get(_url("alert_detail", mine.pk)).status_code == 200
    assert client_for("school_b_teacher").get(_url("alert_detail", mine.pk)).status_code == 403
    assert officer.get(_url("alert_detail", 2**62)).status_code == 404
    # The auditor sees no buttons and is refused the step.
    page = client_for("auditor").get(_url("alert_detail", mine.pk)).content.decode()
    assert "确认预警" not in page


def test_it_sets_and_ends_silences_on_the_pages(client_for, units):
    district = client_for("district_officer")
    assert district.get(_url("silence_add")).status_code == 200
    ends = timezone.localtime(timezone.now() + dt.timedelta(hours=3)).strftime(LOCAL)
    refused = district.post(_url("silence_add"), {"unit": units[DISTRICT].pk, "reason": "x"})
    assert refused.status_code == 400
    bad = district.post(
        _url("silence_add"),
        {"unit": units[DISTRICT].pk, "ends_at": ends, "reason": "年检", "matchers": "无等号"},
    )
    assert bad.status_code == 400
    done = district.post(
        _url("silence_add"),
        {
            "unit": units[DISTRICT].pk,
            "include_subtree": "on",
            "ends_at": ends,
            "reason": "消防系统年检",
            "matchers": "sensor=B3-3F-07",
        },
    )
    assert done.status_code == 302
    silence = Silence.objects.get(reason="消防系统年检")
    assert silence.matchers == {"sensor": "B3-3F-07"}
    assert "消防系统年检" in district.get(_url("silence_list")).content.decode()
    school = client_for("school_a_officer")
    assert "消防系统年检" not in school.get(_url("silence_list")).content.decode()
    assert school.post(_url("silence_end", silence.pk)).status_code == 404
    assert client_for("auditor").post(_url("silence_end", silence.pk)).status_code == 403
    assert client_for("auditor").get(_url("silence_add")).status_code == 403
    assert client_for("school_b_teacher").get(_url("silence_list")).status_code == 403
    assert district.post(_url("silence_end", silence.pk)).status_code == 302
    silence.refresh_from_db()
    assert silence.ends_at <= timezone.now()


def test_it_keeps_rules_on_the_pages(client_for, units, rule_condition):
    district = client_for("district_officer")
    assert district.get(_url("rule_add")).status_code == 200
    done = district.post(
        _url("rule_add"),
        {
            "owner": units[DISTRICT].pk,
            "name": "超期事项",
            "condition": "test_overdue",
            "thresholds": "days=5",
            "severity": "critical",
            "roles": ["unit_head"],
            "is_active": "on",
        },
    )
    assert done.status_code == 302, done.content.decode()[:500]
    rule = AlertRule.objects.get(name="超期事项")
    assert rule.thresholds == {"days": 5} and rule.roles == ["unit_head"]
    bad = district.post(
        _url("rule_add"),
        {"owner": units[DISTRICT].pk, "name": "x", "condition": "test_overdue",
         "thresholds": "weeks=2", "severity": "info"},
    )  # fmt: skip
    assert bad.status_code == 400
    assert district.get(_url("rule_edit", rule.pk)).status_code == 200
    changed = district.post(
        _url("rule_edit", rule.pk),
        {"name": "改名", "condition": "test_overdue", "thresholds": "days=9",
         "severity": "warning", "is_active": "on"},
    )  # fmt: skip
    assert changed.status_code == 302
    rule.refresh_from_db()
    assert rule.name == "改名" and rule.thresholds == {"days": 9}
    assert "改名" in district.get(_url("rule_list")).content.decode()
    school = client_for("school_a_officer")
    assert school.get(_url("rule_edit", rule.pk)).status_code == 404
    assert school.post(_url("rule_deactivate", rule.pk)).status_code == 404
    assert client_for("auditor").get(_url("rule_edit", rule.pk)).status_code == 403
    assert client_for("auditor").get(_url("rule_add")).status_code == 403
    assert client_for("auditor").post(_url("rule_deactivate", rule.pk)).status_code == 403
    assert client_for("school_b_teacher").get(_url("rule_list")).status_code == 403
    assert district.post(_url("rule_deactivate", rule.pk)).status_code == 302
    assert AlertRule.objects.get(pk=rule.pk).is_active is False


def test_it_posts_a_warning_and_shows_the_progress(client_for, units, persona):
    district = client_for("district_officer")
    form = district.get(_url("warning_add"))
    assert form.status_code == 200
    body = {
        "unit": units[DISTRICT].pk,
        "kind": "heat",
        "severity": "warning",
        "title": "高温橙色预警",
        "detail": "调整户外活动时间",
        "idempotency_key": "page-post-1",
    }
    done = district.post(_url("warning_add"), body)
    assert done.status_code == 302
    again = district.post(_url("warning_add"), body)  # a double tap
    bulletin = Bulletin.objects.get(title="高温橙色预警")
    assert again.status_code == 302 and Bulletin.objects.filter(title="高温橙色预警").count() == 1
    alert = bulletin.alerts.get(unit=units[SCHOOL_A])
    services.acknowledge(persona("school_a_officer"), alert.pk)
    page = district.get(_url("warning_detail", bulletin.pk)).content.decode()
    assert "已确认 1" in page and units[SCHOOL_A].name in page
    assert "高温橙色预警" in district.get(_url("warning_list")).content.decode()
    school = client_for("school_a_officer")
    assert school.get(_url("warning_detail", bulletin.pk)).status_code == 404
    assert school.post(_url("warning_add"), {**body, "idempotency_key": "x"}).status_code == 400
    assert client_for("auditor").get(_url("warning_add")).status_code == 403
    assert client_for("school_b_teacher").get(_url("warning_list")).status_code == 403


def test_it_puts_alerts_on_the_home_page(client_for, units, persona):
    from xiaoan.core.todos import todos_for

    alert, _ = smoke(units)
    keys = {t.key: t for t in todos_for(persona("school_a_officer"))}
    assert keys["alerts.acknowledge"].count == 1
    # The district is not handed the school's work, only what escalates to it.
    assert "alerts.acknowledge" not in {t.key for t in todos_for(persona("district_officer"))}
    services.escalate_overdue(timezone.now() + dt.timedelta(hours=3))
    keys = {t.key: t for t in todos_for(persona("district_officer"))}
    assert keys["alerts.escalated"].count == 1
    assert client_for("school_a_officer").get(reverse("core:home")).status_code == 200
    assert alert.pk


def test_it_keeps_the_photos_of_the_measures(client_for, units):
    from .support import photo

    alert, _ = smoke(units)
    client = client_for("school_a_officer")
    done = client.post(
        _url("alert_handle", alert.pk),
        {"version": alert.version, "disposition": "fixed", "note": "已复位", "photos": [photo()]},
    )
    assert done.status_code == 302
    shot = Alert.objects.get(pk=alert.pk).photos.get()
    page = client.get(_url("alert_detail", alert.pk)).content.decode()
    assert _url("alert_photo", alert.pk, shot.pk) in page
    assert client.get(_url("alert_photo", alert.pk, shot.pk)).status_code == 200
    other = client_for("district_officer").get(_url("alert_photo", alert.pk, shot.pk + 1))
    assert other.status_code == 404
    teacher = client_for("school_b_teacher").get(_url("alert_photo", alert.pk, shot.pk))
    assert teacher.status_code == 403
    b, _ = smoke(units, name=SCHOOL_B)
    assert client.get(_url("alert_photo", b.pk, shot.pk)).status_code == 404


def test_it_shows_on_the_hazard_page_the_alert_it_came_from(client_for, persona, units):
    alert, _ = smoke(units)
    alert = services.handle(
        persona("school_a_officer"),
        alert.pk,
        disposition="hazard",
        note="线路老化",
        hazard_description="3号楼配电箱线路老化",
    )
    client = client_for("school_a_officer")
    page = client.get(reverse("hazards:hazard_detail", args=[alert.hazard_id])).content.decode()
    assert _url("alert_detail", alert.pk) in page
    detail = client.get(_url("alert_detail", alert.pk)).content.decode()
    assert reverse("hazards:hazard_detail", args=[alert.hazard_id]) in detail
