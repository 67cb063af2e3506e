"""销号复核: draw the month's sample, verify the draw, record a review (a failed one
reopens the hazard as 假整改)."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts.models import User
from xiaoan.accounts.services import people_with
from xiaoan.closure.models import ClosureReview, ClosureReviewPhoto, ClosureSample, ReviewStatus
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.ids import record_id
from xiaoan.core.photo_facts import read_upload_facts
from xiaoan.core.photos import clean_photo
from xiaoan.core.scoping import scope_filter
from xiaoan.core.services import ensure_in_scope, get_scoped
from xiaoan.core.workflow import require_note
from xiaoan.hazards import services as hazards
from xiaoan.hazards.choices import HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.services import photo_checks
from xiaoan.notifications.models import Notification
from xiaoan.notifications.services import notify
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit

MAX_SEED = 2**63 - 1
MAX_SIZE = 200
REVIEW = "closure.review_closuresample"

# Weights (whole numbers, stored with the draw): doubtful closures are sampled more often.
BASE, FLAGGED, MAJOR, RECURRING = 1, 3, 3, 2


# ---------------------------------------------------------------- the pick


def weight_of(*, photo_flagged: bool, level: str, recurring: bool) -> int:
    return (
        BASE
        + (FLAGGED if photo_flagged else 0)
        + (MAJOR if level == HazardLevel.MAJOR else 0)
        + (RECURRING if recurring else 0)
    )


def pick(population: Sequence[int], weights: Sequence[int], count: int, seed: int) -> list[int]:
    """The reproducible weighted pick without replacement (Efraimidis–Spirakis: each
    candidate's key is u^(1/w), the `count` largest keys win). The same population, weights,
    count and seed give the same hazards."""
    rnd = random.Random(seed)
    keyed = [
        (rnd.random() ** (1.0 / max(1, int(w))), pk)
        for pk, w in zip(population, weights, strict=True)
    ]
    keyed.sort(reverse=True)
    return sorted(pk for _key, pk in keyed[:count])


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    try:
        first = dt.datetime.strptime(month, "%Y-%m")
    except (TypeError, ValueError):
        raise Invalid(fields={"month": [_("月份格式应为 YYYY-MM。")]}) from None
    if not 2000 <= first.year <= 2100:
        raise Invalid(fields={"month": [_("月份超出范围。")]})
    nxt = (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else first.replace(month=first.month + 1)
    )
    zone = timezone.get_current_timezone()
    return timezone.make_aware(first, zone), timezone.make_aware(nxt, zone)


def population(actor: Any, organiser: Unit, month: str) -> tuple[list[int], list[int]]:
    """Hazards closed in `month` at units strictly below the organiser that the actor may
    view, sorted by id, with their weights (one query)."""
    start, end = month_bounds(month)
    rows = (
        Hazard.objects.restrict(actor, "view")
        .filter(
            status=HazardStatus.CLOSED,
            closed_at__gte=start,
            closed_at__lt=end,
            unit__path__startswith=organiser.path,
        )
        .exclude(unit=organiser)
        .order_by("pk")
        .values_list("pk", "photo_flagged", "level", "is_recurring")
    )
    ids, weights = [], []
    for pk, flagged, level, recurring in rows:
        ids.append(pk)
        weights.append(weight_of(photo_flagged=flagged, level=level, recurring=recurring))
    return ids, weights


@dataclass
class DrawCheck:
    sample: ClosureSample
    picked: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        stored = list(self.sample.picked)
        reviewed = sorted(self.sample.reviews.values_list("hazard_id", flat=True))
        return self.picked == stored == reviewed


def verify(sample: ClosureSample) -> DrawCheck:
    """Run the pick again from what the sample stored (and compare with its reviews)."""
    try:
        again = pick(sample.population, sample.weights, sample.size, sample.seed)
    except (TypeError, ValueError):
        again = []
    return DrawCheck(sample, again)


# ---------------------------------------------------------------- samples


def samples_for(actor: Any, action: str = "view") -> QuerySet[ClosureSample]:
    return ClosureSample.objects.restrict(actor, action)


def load_sample(actor: Any, pk: Any) -> ClosureSample:
    return get_scoped(actor, ClosureSample, record_id(pk))


def organiser_units(actor: Any) -> QuerySet[Unit]:
    """Authorities where the actor may draw."""
    return Unit.objects.with_permission(actor, "closure.add_closuresample").filter(
        kind=UnitKind.AUTHORITY, is_active=True
    )


def reviewers(organiser: Unit) -> list[User]:
    """Active people holding the review right over the organiser, of its own subtree."""
    ids = [p.pk for p in people_with(REVIEW, organiser)]
    return list(
        User.objects.filter(pk__in=ids, unit__path__startswith=organiser.path)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def _may_review_at(user: Any, organiser: Unit) -> bool:
    return Unit.objects.with_permission(user, REVIEW).filter(pk=organiser.pk).exists()


@transaction.atomic
def create_sample(
    actor: Any,
    *,
    organiser: Unit | int,
    month: str,
    size: int,
    reviewer: User | int,
    due_on: dt.date,
    seed: int | None = None,
    title: str = "",
) -> ClosureSample:
    org_pk = organiser.pk if isinstance(organiser, Unit) else organiser
    org = organiser_units(actor).filter(pk=org_pk).first()
    if org is None:
        raise Invalid(fields={"organiser": [_("组织单位须是您可开展复核的教育主管部门。")]})
    if seed is None:
        seed = secrets.randbelow(10**9)
    if not 0 <= int(seed) <= MAX_SEED:
        raise Invalid(fields={"seed": [_("随机种子须为非负整数。")]})
    reviewer_pk = reviewer.pk if isinstance(reviewer, User) else reviewer
    person = next((p for p in reviewers(org) if p.pk == reviewer_pk), None)
    if person is None:
        raise Invalid(fields={"reviewer": [_("复核人须是组织单位有复核权限的在职人员。")]})
    if due_on is None or due_on < timezone.localdate():
        raise Invalid(fields={"due_on": [_("复核期限不能早于今天。")]})
    ids, weights = population(actor, org, month)
    if not ids:
        raise Invalid(fields={"month": [_("该月没有下级单位已销号的隐患。")]})
    if not 1 <= int(size) <= min(len(ids), MAX_SIZE):
        raise Invalid(
            fields={"size": [_("抽取数量须在 1 到 %(n)d 之间。") % {"n": min(len(ids), MAX_SIZE)}]}
        )
    picked = pick(ids, weights, int(size), int(seed))
    sample = ClosureSample.objects.create(
        organiser=org,
        month=month,
        title=(title or "").strip()[:200]
        or _("%(o)s %(m)s 销号复核抽样") % {"o": org.name, "m": month},
        population=ids,
        weights=weights,
        size=int(size),
        seed=int(seed),
        picked=picked,
        due_on=due_on,
        created_by=actor,
    )
    units = dict(Hazard.objects.filter(pk__in=picked).values_list("pk", "unit_id"))
    ClosureReview.objects.bulk_create(
        [
            ClosureReview(
                sample=sample, hazard_id=pk, unit_id=units[pk], reviewer=person, due_on=due_on
            )
            for pk in picked
        ]
    )
    ensure_in_scope(actor, sample, "add")
    notify(
        [person],
        Notification.Kind.ASSIGNED,
        _("新的销号复核任务：%(t)s") % {"t": sample.title},
        _("共 %(n)d 项，复核期限 %(d)s。") % {"n": len(picked), "d": due_on},
        sample_url(sample),
    )
    return sample


def sample_url(sample: ClosureSample) -> str:
    from django.urls import reverse

    return reverse("closure:sample_detail", args=[sample.pk])


# ---------------------------------------------------------------- reviews


def reviews_of(actor: Any) -> QuerySet[ClosureReview]:
    """Reviews the actor sees: those of samples in scope, and those assigned to them."""
    from django.db.models import Q

    visible = scope_filter(actor, "closure.view_closuresample", "sample__organiser")
    return ClosureReview.objects.filter(visible | Q(reviewer_id=getattr(actor, "pk", None)))


def my_reviews(actor: Any) -> QuerySet[ClosureReview]:
    if not getattr(actor, "is_authenticated", False):
        return ClosureReview.objects.none()
    return ClosureReview.objects.filter(reviewer_id=actor.pk)


def my_pending(actor: Any) -> QuerySet[ClosureReview]:
    return ClosureReview.objects.filter(reviewer_id=actor.pk, status=ReviewStatus.PENDING)


def load_review(actor: Any, pk: Any) -> ClosureReview:
    found = (
        reviews_of(actor)
        .select_related("sample", "hazard", "unit", "reviewer", "sample__organiser")
        .filter(pk=record_id(pk))
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def may_review(actor: Any, review: ClosureReview) -> bool:
    """The assigned reviewer, or one who holds the review right over the organiser."""
    if review.reviewer_id == getattr(actor, "pk", None):
        return True
    return _may_review_at(actor, review.sample.organiser)


@transaction.atomic
def record_review(
    actor: Any,
    pk: Any,
    *,
    passed: bool,
    note: str,
    photos: Sequence = (),
    version: int | None = None,
) -> ClosureReview:
    """Record the re-inspection once (409 when already recorded or changed meanwhile). A
    failure reopens the hazard as 假整改 (hazards.reopen), in the same transaction."""
    review = load_review(actor, pk)
    if not may_review(actor, review):
        raise Forbidden(_("您不是该项的复核人。"))
    review = ClosureReview.objects.select_for_update().select_related("sample").get(pk=review.pk)
    if version is not None and int(version) != review.version:
        raise Conflict(_("该复核已被他人处理，请刷新后查看。"))
    if not review.is_pending:
        raise Conflict(_("该隐患的复核结果已登记，不能重复登记。"))
    note = (note or "").strip()
    if not passed:
        note = require_note(note, _("复核意见"))
    if not passed and not photos:
        raise Invalid(_("复核不合格须附现场照片。"), fields={"photos": [_("至少一张。")]})
    if len(photos) > settings.XIAOAN_PHOTO_MAX_COUNT:
        raise Invalid(_("一次最多上传 %(n)d 张照片。") % {"n": settings.XIAOAN_PHOTO_MAX_COUNT})
    hazard = Hazard.objects.get(pk=review.hazard_id)
    for upload in photos:
        content, width, height = clean_photo(upload)
        facts = read_upload_facts(upload)
        photo = ClosureReviewPhoto(
            review=review,
            uploaded_by=actor,
            width=width,
            height=height,
            taken_at=facts.taken_at,
            latitude=facts.latitude,
            longitude=facts.longitude,
            phash=facts.phash,
            flags=photo_checks.check(hazard, "review", facts),
        )
        photo.image.save(content.name, content, save=False)
        photo.save()
    review.status = ReviewStatus.PASSED if passed else ReviewStatus.FAILED
    review.note = note
    review.reviewed_by = actor
    review.reviewed_at = timezone.now()
    review.version += 1
    review.save()
    if not passed:
        hazards.reopen(
            actor,
            review.hazard_id,
            note=_("销号复核不合格（%(t)s）：%(n)s") % {"t": review.sample.title, "n": note},
        )
    return review
