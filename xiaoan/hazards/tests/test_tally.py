"""The per-unit tally behind the ledger's counts stays equal to counting the rows."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiaoan.hazards import services, tally
from xiaoan.hazards.choices import HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard, HazardTally
from xiaoan.hazards.tests.test_loop_scenarios import photo
from xiaoan.orgs.models import Unit

pytestmark = pytest.mark.django_db

PEOPLE = ["district_officer", "school_a_officer", "school_a_owner", "school_b_teacher", "expert"]


def counted(user, unit_pk=None):
    rows = Hazard.objects.restrict(user)
    if unit_pk:
        rows = rows.filter(unit__path__startswith=Unit.objects.get(pk=unit_pk).path)
    return rows.aggregate(
        total=Count("pk"), **{s: Count("pk", filter=Q(status=s)) for s in HazardStatus.values}
    )


def walk(persona, units):
    """Hazards in every status, moved only through the services."""
    officer, owner, head = (
        persona("school_a_officer"),
        persona("school_a_owner"),
        persona("school_a_head"),
    )
    school_a, school_b = units["梁子湖高级中学"], units["东沟镇中心小学"]
    teacher = persona("school_b_teacher")
    deadline = timezone.localdate() + dt.timedelta(days=5)
    made = [services.report(officer, school_a, description=f"楼道堆放杂物{i}") for i in range(5)]
    services.report(teacher, school_b, description="操场围栏松动", photos=[photo()])
    services.dismiss(officer, made[0].pk, note="重复上报")
    for hazard in made[1:]:
        services.confirm(officer, hazard.pk, level=HazardLevel.GENERAL, domain="fire")
        services.assign(
            officer,
            hazard.pk,
            owner_unit=units["总务处"],
            owner=owner,
            measures="清理",
            deadline=deadline,
        )
    services.start(owner, made[2].pk)
    services.start(owner, made[3].pk)
    services.submit(owner, made[3].pk, note="已清理", photos=[photo()])
    services.start(owner, made[4].pk)
    services.submit(owner, made[4].pk, note="已清理", photos=[photo()])
    services.verify(head, made[4].pk, passed=True, note="合格")


def test_it_follows_every_move_of_the_services(persona, units):
    walk(persona, units)
    statuses = set(Hazard.objects.values_list("status", flat=True))
    assert {"reported", "dismissed", "assigned", "rectifying", "submitted", "closed"} <= statuses
    assert tally.reconcile() == 0


@pytest.mark.parametrize("who", PEOPLE)
def test_its_counts_equal_counting_the_rows_for_each_person(persona, units, who):
    walk(persona, units)
    user = persona(who)
    assert tally.counts(user) == counted(user)
    for name in ("梁子湖区教育局", "梁子湖高级中学", "总务处", "东沟镇中心小学"):
        assert tally.counts(user, units[name].pk) == counted(user, units[name].pk), name


def test_the_ledger_shows_the_same_counts_with_and_without_the_tally(persona, units, client_for):
    walk(persona, units)
    client = client_for("school_a_owner")
    plain = client.get("/hazards/").context["counts"]
    # Any other filter makes the page count rows; an always-true one must agree.
    rows = client.get("/hazards/", {"found_after": "2000-01-01"}).context["counts"]
    assert plain == rows and plain["total"] > 0


def test_reconcile_repairs_drift_and_rebuild_recounts(persona, units):
    walk(persona, units)
    HazardTally.objects.filter(status=HazardStatus.ASSIGNED).update(count=99)
    HazardTally.objects.filter(status=HazardStatus.CLOSED).delete()
    assert tally.reconcile() == 2
    assert tally.reconcile() == 0
    HazardTally.objects.all().delete()
    call_command("hazards-tally")
    assert tally.reconcile() == 0


def test_the_daily_pass_reconciles(persona, units):
    walk(persona, units)
    HazardTally.objects.filter(status=HazardStatus.REPORTED).update(count=0)
    assert services.daily()["tally_fixed"] == 1


@pytest.mark.parametrize("who", ["district_officer", "school_a_owner"])
def test_the_api_list_takes_its_total_from_the_tally(persona, units, api_for, who):
    walk(persona, units)
    api = api_for(who)
    school = units["梁子湖高级中学"].pk
    for query in ("", f"?unit={school}", f"?unit={school}&page_size=2&ordering=deadline"):
        with CaptureQueriesContext(connection) as captured:
            body = api.get("/api/hazards/" + query).json()
        expected = counted(persona(who), school if "unit" in query else None)["total"]
        assert body["count"] == expected > 0
        assert not [
            q for q in captured if 'COUNT(*) AS "__count" FROM "hazards_hazard"' in q["sql"]
        ]
    # Narrowed by anything else, the rows are counted.
    with CaptureQueriesContext(connection) as captured:
        body = api.get("/api/hazards/?status=assigned").json()
    assert body["count"] == Hazard.objects.restrict(persona(who)).filter(status="assigned").count()
    assert [q for q in captured if 'FROM "hazards_hazard"' in q["sql"] and "COUNT" in q["sql"]]


@pytest.mark.parametrize("who", ["district_officer", "school_a_owner", "school_b_teacher"])
def test_the_api_counts_agree_with_and_without_the_tally(persona, units, api_for, who):
    walk(persona, units)
    hazard = Hazard.objects.filter(status="assigned").first()
    Hazard.objects.filter(pk=hazard.pk).update(is_overdue=True, level="major")
    api = api_for(who)
    for unit in ("", f"unit={units['梁子湖高级中学'].pk}"):
        tallied = api.get(f"/api/hazards/counts/?{unit}").json()
        counted_rows = api.get(f"/api/hazards/counts/?{unit}&found_after=2000-01-01").json()
        assert tallied == counted_rows
    assert api.get("/api/hazards/counts/").json()["total"] > 0
