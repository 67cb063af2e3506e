"""销号复核 on the dashboard (xiaoan.reports.figures): 假整改 found by the monthly review
(also a ranking column, so accountability lists carry it), pending reviews, and the loop's
honesty indicators over this year:

- 自查自纠占比: hazards the units found themselves, of all found. Found by others: source
  上级督查发现 or 群众举报, or marked 自查未发现 (a superior's or outside inspection found
  what the unit's own checks missed). Everything else (日常排查, 随手拍, own inspections,
  演练, 事件复盘, 风险管控检查, 预警) is the unit's own.
- 每千次检查发现重大隐患: 重大 hazards found / inspections submitted this year × 1000.
- 复核不合格率: failed / recorded reviews this year.
- 销号天数中位数: median days from finding to 销号, per level (一般/重大), over this
  year's latest closures (a bounded list, medianed in Python: SQLite has no percentile).

Every figure is one aggregate query (no query per unit)."""

from __future__ import annotations

import statistics
from collections import Counter

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from xiaoan.closure.models import ClosureReview, ReviewStatus
from xiaoan.hazards.choices import HazardLevel, HazardSource, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.reports.figures import Column, Figure, Scope, Section, allowed, section

KEY = "closure"
HAZARD_VIEW = "hazards.view_hazard"
# Closures read for the medians: the latest ones per level, a bounded list.
MEDIAN_SAMPLE = 2000
FOUND_BY_OTHERS = Q(source__in=[HazardSource.SUPERIOR, HazardSource.PUBLIC]) | Q(
    missed_by_self_check=True
)


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def indicators(scope: Scope) -> dict:
    year = scope.today.year
    hazards = Hazard.objects.filter(scope.records())
    found = hazards.filter(found_at__year=year).aggregate(
        total=Count("pk"),
        others=Count("pk", filter=FOUND_BY_OTHERS),
        major=Count("pk", filter=Q(level=HazardLevel.MAJOR)),
    )
    fake = hazards.filter(fake_rectification=True).count()
    from xiaoan.inspections.models import Inspection

    inspections = Inspection.objects.filter(scope.records(), submitted_at__year=year).count()
    reviews = ClosureReview.objects.filter(scope.records(), reviewed_at__year=year).aggregate(
        done=Count("pk"), failed=Count("pk", filter=Q(status=ReviewStatus.FAILED))
    )
    pending = ClosureReview.objects.filter(scope.records(), status=ReviewStatus.PENDING).count()
    medians = {}
    for level in (HazardLevel.GENERAL, HazardLevel.MAJOR):
        rows = (
            hazards.filter(status=HazardStatus.CLOSED, level=level, closed_at__year=year)
            .order_by("-closed_at")
            .values_list("found_at", "closed_at")[:MEDIAN_SAMPLE]
        )
        days = [(closed - found_at).total_seconds() / 86400 for found_at, closed in rows]
        medians[level] = round(statistics.median(days), 1) if days else None
    return {
        "found": found["total"],
        "self_share": percent(found["total"] - found["others"], found["total"]),
        "major_per_1000": round(1000 * found["major"] / inspections, 1) if inspections else None,
        "inspections": inspections,
        "fake": fake,
        "review_failure_rate": percent(reviews["failed"], reviews["done"]),
        "reviews_done": reviews["done"],
        "pending": pending,
        "median_general": medians[HazardLevel.GENERAL],
        "median_major": medians[HazardLevel.MAJOR],
    }


def _fake_by_branch(scope: Scope) -> dict[str, dict[str, int]]:
    """假整改 per ranked branch: one grouped query over the partial index, summed by path."""
    if not scope.branches:
        return {}
    per_path = Counter(
        dict(
            Hazard.objects.filter(scope.records(), fake_rectification=True)
            .order_by()
            .values_list("unit__path")
            .annotate(n=Count("pk"))
        )
    )
    out: dict[str, dict[str, int]] = {}
    for branch in scope.branches:
        out[branch.path] = {
            "fake": sum(n for path, n in per_path.items() if path.startswith(branch.path))
        }
    return out


@section
def closure_section(scope: Scope) -> Section | None:
    if not allowed(scope, HAZARD_VIEW):
        return None
    values = indicators(scope)
    ledger = "hazards:hazard_list"
    result = Section(key=KEY, title=_("销号复核与闭环质量"), order=35, brief=False)
    result.figures = [
        Figure(
            "fake",
            _("假整改"),
            values["fake"],
            scope.list_url(ledger, fake="true"),
            bad=values["fake"] > 0,
            suffix=_("项"),
        ),
        Figure("pending", _("待复核"), values["pending"], suffix=_("项")),
        Figure("review_failure_rate", _("复核不合格率"), values["review_failure_rate"], suffix="%"),
        Figure("self_share", _("自查自纠占比"), values["self_share"], suffix="%"),
        Figure(
            "major_per_1000",
            _("每千次检查发现重大隐患"),
            values["major_per_1000"],
            suffix=_("项"),
        ),
        Figure(
            "median_general",
            _("一般隐患销号天数（中位数）"),
            values["median_general"],
            suffix=_("天"),
        ),
        Figure(
            "median_major", _("重大隐患销号天数（中位数）"), values["median_major"], suffix=_("天")
        ),
    ]
    result.columns = [Column("fake", _("假整改"), weight=5)]
    result.branches = _fake_by_branch(scope)
    return result
