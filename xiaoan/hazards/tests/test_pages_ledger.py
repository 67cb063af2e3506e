"""The ledger page: filters, counts by status in one query, 动态清零, the unit switcher as the
default unit, and as many queries for 40 rows as for 5."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xiaoan.hazards import tally
from xiaoan.hazards.choices import HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.tests import pages_support as support
from xiaoan.orgs.models import Place

private_media = support.private_media
LEDGER = "/hazards/"


def make_hazards(units, persona, count, unit_name="梁子湖高级中学", **fields):
    """Rows straight into the table: every related object a row can show is filled in."""
    unit = units[unit_name]
    building, _ = Place.objects.get_or_create(
        unit=unit, parent=None, name="一号楼", kind="building"
    )
    floor, _ = Place.objects.get_or_create(unit=unit, parent=building, name="三层", kind="floor")
    room, _ = Place.objects.get_or_create(unit=unit, parent=floor, name="302", kind="room")
    finder, owner = persona("school_a_officer"), persona("school_a_owner")
    start = Hazard.objects.count()
    statuses = [s for s in HazardStatus.values]
    rows = []
    for i in range(count):
        defaults = {
            "unit": unit,
            "number": f"T{unit.pk}-{start + i:06d}",
            "description": f"测试隐患 {i}",
            "source": "self_check",
            "level": HazardLevel.MAJOR if i % 7 == 0 else HazardLevel.GENERAL,
            "status": statuses[i % len(statuses)],
            "finder": finder,
            "owner": owner,
            "owner_unit": units["总务处"],
            "place": room,
            "place_text": "东侧",
            "deadline": timezone.localdate() + dt.timedelta(days=(i % 9) - 4),
            "found_at": timezone.now() - dt.timedelta(days=i),
        }
        defaults.update(fields)
        rows.append(Hazard(**defaults))
    created = Hazard.objects.bulk_create(rows)
    tally.rebuild()  # a bulk load bypasses the services that keep it
    return created


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize(
    ("who", "unit_name"),
    [
        ("district_officer", "梁子湖高级中学"),
        ("school_a_officer", "梁子湖高级中学"),
        ("school_a_owner", "总务处"),
    ],
)
def test_it_runs_as_many_queries_for_40_hazards_as_for_5(
    units, persona, client_for, who, unit_name
):
    client = client_for(who)
    make_hazards(units, persona, 5)
    client.get(LEDGER)
    few, small = queries_for(client, LEDGER)
    assert len(small.context["object_list"]) == 5
    make_hazards(units, persona, 35)
    many, large = queries_for(client, LEDGER)
    assert len(large.context["object_list"]) == large.context["paginator"].per_page == 25
    assert many == few, (few, many)
    assert "一号楼 / 三层 / 302" in large.content.decode()
    # And with filters, a search and a chosen unit: still no query per row.
    url = f"{LEDGER}?q=测试&unit={units[unit_name].pk}&ordering=deadline&open=true"
    filtered, _response = queries_for(client, url)
    assert filtered <= few + 2


def test_it_counts_by_status_from_the_tally_or_in_one_aggregate_query(units, persona, client_for):
    make_hazards(units, persona, 12)
    client = client_for("school_a_officer")
    client.get(LEDGER)
    for query, from_rows in (("", 0), ("?found_after=2000-01-01", 1)):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LEDGER + query)
        counts = response.context["counts"]
        assert counts["total"] == 12
        for status in HazardStatus.values:
            assert counts[status] == Hazard.objects.filter(status=status).count()
        statements = [q["sql"] for q in captured.captured_queries]
        on_rows = [s for s in statements if re.search(r'COUNT\(.*FROM "hazards_hazard"', s)]
        on_tally = [s for s in statements if 'FROM "hazards_hazardtally"' in s]
        # The counts (which also feed the paginator) and 动态清零's count.
        assert len(on_rows) == 1 + from_rows, on_rows
        assert len(on_tally) == 1 - from_rows, on_tally


def test_it_filters_searches_and_sorts(units, persona, client_for):
    rows = make_hazards(units, persona, 14)
    make_hazards(units, persona, 3, unit_name="东沟镇中心小学", description="东沟隐患")
    client = client_for("district_officer")
    response = client.get(LEDGER, {"level": "major"})
    assert {h.level for h in response.context["object_list"]} == {HazardLevel.MAJOR}
    response = client.get(LEDGER, {"status": ["closed", "dismissed"]})
    assert {h.status for h in response.context["object_list"]} == {"closed", "dismissed"}
    assert response.context["counts"]["total"] == 4
    response = client.get(LEDGER, {"unit": units["东沟镇中心小学"].pk})
    assert {h.description for h in response.context["object_list"]} == {"东沟隐患"}
    response = client.get(LEDGER, {"q": rows[3].number})
    assert [h.pk for h in response.context["object_list"]] == [rows[3].pk]
    response = client.get(LEDGER, {"ordering": "deadline"})
    deadlines = [h.deadline for h in response.context["object_list"]]
    assert deadlines == sorted(deadlines)
    response = client.get(LEDGER, {"level": "nonsense"})
    assert response.status_code == 200 and not response.context["object_list"]


def test_it_shows_open_major_hazards_with_their_age_whatever_the_filters(
    units, persona, client_for
):
    make_hazards(
        units,
        persona,
        2,
        level=HazardLevel.MAJOR,
        status=HazardStatus.RECTIFYING,
        found_at=timezone.now() - dt.timedelta(days=40),
    )
    client = client_for("district_officer")
    for params in ({}, {"status": "closed"}, {"q": "不存在的描述"}):
        response = client.get(LEDGER, params)
        assert response.context["major"]["count"] == 2
        assert response.context["major"]["oldest_days"] == 40
        content = response.content.decode()
        assert "未销号重大隐患 2 项" in content and "最久已 40 天" in content
    # Another school: 动态清零.
    response = client.get(LEDGER, {"unit": units["东沟镇中心小学"].pk})
    assert response.context["major"]["count"] == 0
    assert "重大隐患已动态清零" in response.content.decode()


def test_it_defaults_to_the_unit_chosen_in_the_switcher(units, persona, client_for):
    make_hazards(units, persona, 2)
    make_hazards(units, persona, 3, unit_name="东沟镇中心小学")
    client = client_for("district_officer")
    assert client.get(LEDGER).context["counts"]["total"] == 5
    district = units["梁子湖区教育局"]
    client.post(reverse("core:switch_unit"), {"unit": district.pk, "next": LEDGER})
    response = client.get(LEDGER)
    assert response.context["selected_unit"] == district
    assert response.context["counts"]["total"] == 5
    # A person with two grants switches to one school.
    from xiaoan.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(
        user=persona("district_officer"),
        role=Role.objects.get(code="safety_officer"),
        unit=units["东沟镇中心小学"],
        include_descendants=True,
    )
    client.post(reverse("core:switch_unit"), {"unit": units["东沟镇中心小学"].pk})
    response = client.get(LEDGER)
    assert response.context["selected_unit"] == units["东沟镇中心小学"]
    assert response.context["counts"]["total"] == 3
    # Choosing "all units" on the page overrides the default.
    assert client.get(LEDGER, {"unit": ""}).context["counts"]["total"] == 5


def test_it_offers_only_units_in_scope_and_drills_down(units, client_for):
    client = client_for("district_officer")
    content = client.get(LEDGER).content.decode()
    start = content.index('name="unit"')
    options = content[start : content.index("</select>", start)]
    assert "梁子湖高级中学" in options and "鄂州职业大学" not in options
    assert "总务处" not in options  # below the schools until one is chosen
    response = client.get(LEDGER, {"unit": units["梁子湖高级中学"].pk})
    content = response.content.decode()
    start = content.index('name="unit"')
    assert "总务处" in content[start : content.index("</select>", start)]


def test_it_has_cards_for_phones_and_a_table_for_desktops(units, persona, client_for):
    rows = make_hazards(units, persona, 3)
    content = client_for("school_a_officer").get(LEDGER).content.decode()
    assert 'class="d-md-none hazard-cards"' in content
    assert 'class="d-none d-md-block table-responsive"' in content
    general = next(h for h in rows if h.level == HazardLevel.GENERAL)
    assert content.count(reverse("hazards:hazard_detail", args=[general.pk])) == 2


def test_it_paginates(units, persona, client_for):
    make_hazards(units, persona, 30)
    client = client_for("school_a_officer")
    first = client.get(LEDGER)
    assert len(first.context["object_list"]) == 25 and first.context["is_paginated"]
    second = client.get(LEDGER, {"page": 2})
    assert len(second.context["object_list"]) == 5
    assert "第 2 / 2 页，共 30 条" in second.content.decode()
