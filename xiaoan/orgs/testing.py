"""A second district for tests that compare two subtrees (the demo has one district): two
schools under two districts of the demo city."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any


def two_districts(units: dict[str, Any]) -> SimpleNamespace:
    """district_a / school_a: 梁子湖区教育局 / 梁子湖高级中学 of the demo; district_b /
    school_b: 华容区教育局 / 华容区实验小学, added under the same city."""
    from xiaoan.orgs.models import Unit

    district_b = units.get("华容区教育局") or Unit.objects.filter(name="华容区教育局").first()
    if district_b is None:
        city = Unit.objects.get(pk=units["鄂州市教育局"].pk)
        district_b = Unit.objects.add_child(
            city, instance=Unit(name="华容区教育局", kind="authority")
        )
    school_b = Unit.objects.filter(name="华容区实验小学").first()
    if school_b is None:
        school_b = Unit.objects.add_child(
            Unit.objects.get(pk=district_b.pk),
            instance=Unit(name="华容区实验小学", kind="school", school_type="primary"),
        )
    return SimpleNamespace(
        city=units["鄂州市教育局"],
        district_a=units["梁子湖区教育局"],
        school_a=units["梁子湖高级中学"],
        district_b=district_b,
        school_b=school_b,
    )
