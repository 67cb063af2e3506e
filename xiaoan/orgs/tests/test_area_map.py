"""An authority's area map (GeoJSON boundary) and units' coordinates: who may upload, what is
refused and why (in Chinese), and the dashboard's map data for those who see the subtree."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoan.orgs.models import AreaMap, Unit

pytestmark = pytest.mark.django_db

SQUARE = [[[114.6, 30.1], [114.9, 30.1], [114.9, 30.4], [114.6, 30.4], [114.6, 30.1]]]
BOUNDARY = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "梁子湖区"},
            "geometry": {"type": "Polygon", "coordinates": SQUARE},
        }
    ],
}


def upload(content, name="map.geojson") -> SimpleUploadedFile:
    data = content if isinstance(content, bytes) else json.dumps(content).encode()
    return SimpleUploadedFile(name, data, content_type="application/geo+json")


def test_it_keeps_an_uploaded_boundary_and_replaces_it(units, client_for):
    district = units["梁子湖区教育局"]
    client = client_for("sysadmin")
    url = f"/units/{district.pk}/map/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "梁子湖区", "file": upload(BOUNDARY)})
    assert response.status_code == 302
    area = AreaMap.objects.get(unit=district)
    assert area.geojson["features"][0]["properties"]["name"] == "梁子湖区"
    # A bare polygon is accepted too, as the one area of a new map.
    client.post(url, {"name": "", "file": upload({"type": "Polygon", "coordinates": SQUARE})})
    area.refresh_from_db()
    assert area.name == "梁子湖区教育局" and len(area.geojson["features"]) == 1
    assert client.post(f"/units/{district.pk}/map/remove/").status_code == 302
    assert not AreaMap.objects.filter(unit=district).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "不是有效的 GeoJSON 文件。"),
        ({"type": "Point", "coordinates": [114, 30]}, "GeoJSON 须为 FeatureCollection"),
        ({"type": "FeatureCollection", "features": []}, "GeoJSON 中没有区域。"),
        (
            {"type": "Polygon", "coordinates": [[[500, 30], [114, 30], [114, 31], [500, 30]]]},
            "第 1 个区域不是有效的多边形",
        ),
        ({"type": "Polygon", "coordinates": [[[{"a": [1]}, 1]]]}, "第 1 个区域不是有效的多边形"),
        (b"[" * 100000 + b"]" * 100000, "不是有效的 GeoJSON 文件。"),
        (b" " * (5 * 1024 * 1024 + 1), "文件太大"),
    ],
)
def test_it_refuses_what_is_not_a_boundary(units, client_for, content, message):
    district = units["梁子湖区教育局"]
    response = client_for("sysadmin").post(
        f"/units/{district.pk}/map/", {"name": "x", "file": upload(content)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AreaMap.objects.filter(unit=district).exists()


def test_it_allows_maps_for_authorities_only_and_in_scope(units, client_for):
    school = units["梁子湖高级中学"]
    refused = client_for("sysadmin").post(
        f"/units/{school.pk}/map/", {"name": "x", "file": upload(BOUNDARY)}
    )
    assert refused.status_code == 400
    assert "只有教育行政部门" in refused.content.decode()
    district = units["梁子湖区教育局"]
    for who in ("school_a_officer", "school_b_teacher", "expert"):
        response = client_for(who).post(
            f"/units/{district.pk}/map/", {"name": "x", "file": upload(BOUNDARY)}
        )
        assert response.status_code in (403, 404), who
        assert client_for(who).post(f"/units/{district.pk}/map/remove/").status_code in (403, 404)
    assert not AreaMap.objects.exists()


def test_it_serves_the_map_with_the_schools_on_it(units, persona, client_for):
    from xiaoan.orgs import maps

    district = units["梁子湖区教育局"]
    maps.set_area_map(
        persona("sysadmin"), district.pk, name="梁子湖区", content=json.dumps(BOUNDARY).encode()
    )
    school = units["梁子湖高级中学"]
    Unit.objects.filter(pk=school.pk).update(longitude="114.75", latitude="30.25")
    data = client_for("district_officer").get(f"/reports/map.json?unit={district.pk}").json()
    assert data["name"] == "梁子湖区"
    assert [p["name"] for p in data["points"]] == ["梁子湖高级中学"]
    assert data["points"][0]["value"] == [114.75, 30.25]
    page = client_for("district_officer").get(f"/reports/?unit={district.pk}").content.decode()
    assert 'id="area-map"' in page
    # The school's own dashboard uses the map above it; another school's people see nothing.
    assert (
        client_for("school_a_officer").get(f"/reports/map.json?unit={school.pk}").status_code == 200
    )
    assert (
        client_for("school_a_officer").get(f"/reports/map.json?unit={district.pk}").status_code
        == 404
    )
    assert client_for("expert").get("/reports/map.json").status_code == 404


def test_it_answers_404_without_a_map(units, client_for):
    district = units["梁子湖区教育局"]
    assert (
        client_for("district_officer").get(f"/reports/map.json?unit={district.pk}").status_code
        == 404
    )
    page = client_for("district_officer").get(f"/reports/?unit={district.pk}").content.decode()
    assert 'id="area-map"' not in page


def test_it_takes_coordinates_on_the_unit_form_and_api(units, api_for):
    school = units["梁子湖高级中学"]
    api = api_for("sysadmin")
    ok = api.patch(
        f"/api/units/{school.pk}/", {"longitude": "114.8", "latitude": "30.3"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["longitude"] == "114.800000"
    bad = api.patch(f"/api/units/{school.pk}/", {"latitude": "91"}, format="json")
    assert bad.status_code == 400 and "latitude" in bad.json()["error"]["fields"]
