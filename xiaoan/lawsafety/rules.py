"""The rules the 法治与心理健康 registers are measured against, in one place.

- Legal vice-principals: at least `MIN_ACTIVITIES_PER_SEMESTER` activities (lectures,
  patrols, interviews…) per semester — 《中小学法治副校长聘任与管理办法》 asks for regular
  lectures and patrols each semester; 2 is the district's floor. Semesters: spring
  February–July, autumn September–January; August (the summer holiday) is counted with
  the autumn semester it precedes, so a summer lecture counts and no day falls outside.
- Mental-health counsellors: every school at least `MIN_FULL_TIME_COUNSELLORS` full-time
  counsellor (《全面加强和改进新时代学生心理健康工作专项行动计划（2023—2025年）》: 每所中小学至少
  配备1名专职心理健康教育教师), and one per `PUPILS_PER_COUNSELLOR` pupils of the school's
  enrolment (orgs.Unit.enrolment) for large schools — the ratio several provinces set.
  Both are settings (`XIAOAN_MIN_FULL_TIME_COUNSELLORS`, `XIAOAN_PUPILS_PER_COUNSELLOR`;
  a ratio of 0 turns the enrolment part off).
- The rules apply to every school but the types below (not universities, not kindergartens).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from xiaoan.orgs.choices import SchoolType

MIN_ACTIVITIES_PER_SEMESTER = 2
MIN_FULL_TIME_COUNSELLORS = 1
PUPILS_PER_COUNSELLOR = 1000
# Schools of these types are outside the rules (a school of no type is inside).
EXCLUDED_SCHOOL_TYPES = (SchoolType.UNIVERSITY, SchoolType.KINDERGARTEN)


def _setting(name: str, default: int) -> int:
    value = getattr(settings, name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ImproperlyConfigured(f"{name} must be a whole number ≥ 0, not {value!r}")
    return value


def min_full_time() -> int:
    return _setting("XIAOAN_MIN_FULL_TIME_COUNSELLORS", MIN_FULL_TIME_COUNSELLORS)


def pupils_per_counsellor() -> int:
    return _setting("XIAOAN_PUPILS_PER_COUNSELLOR", PUPILS_PER_COUNSELLOR)


def required_counsellors(enrolment: int | None) -> int:
    """Full-time counsellors a school of `enrolment` pupils needs."""
    ratio = pupils_per_counsellor()
    by_size = math.ceil(enrolment / ratio) if ratio and enrolment else 0
    return max(min_full_time(), by_size)


def semester(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the semester `day` falls in."""
    if 2 <= day.month <= 7:
        return dt.date(day.year, 2, 1), dt.date(day.year, 7, 31)
    start_year = day.year if day.month >= 8 else day.year - 1
    return dt.date(start_year, 8, 1), dt.date(start_year + 1, 1, 31)


def semester_label(day: dt.date) -> str:
    from django.utils.translation import gettext as _

    start, end = semester(day)
    if start.month == 2:
        return _("%(y)d年春季学期") % {"y": start.year}
    return _("%(y)d—%(z)d学年秋季学期") % {"y": start.year, "z": end.year}


def applies(school: Any) -> bool:
    return getattr(school, "school_type", "") not in EXCLUDED_SCHOOL_TYPES
