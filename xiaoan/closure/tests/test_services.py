"""销号复核 through the services: the draw, its check, a failed review reopening the hazard
as 假整改 with the counts kept right, and the refusals."""

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.closure import services
from xiaoan.closure.models import ClosureSample, ReviewStatus
from xiaoan.closure.tests.support import DISTRICT, SCHOOL_A, closed_hazard, month, sample
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.tests.photo_support import jpeg_upload
from xiaoan.hazards.choices import HazardAction, HazardStatus
from xiaoan.hazards.models import Hazard, HazardTally

pytestmark = pytest.mark.django_db


def test_it_draws_a_reproducible_sample_and_detects_tampering(persona, units):
    drawn, made = sample(persona, units, count=3, size=2)
    assert drawn.size == 2 and len(drawn.picked) == 2
    assert set(drawn.population) >= {h.pk for h in made}
    assert len(drawn.weights) == len(drawn.population)
    assert services.verify(drawn).ok
    assert sorted(drawn.reviews.values_list("hazard_id", flat=True)) == drawn.picked
    # The same population, weights and seed give the same pick.
    assert services.pick(drawn.population, drawn.weights, 2, drawn.seed) == drawn.picked
    ClosureSample.objects.filter(pk=drawn.pk).update(seed=drawn.seed + 1)
    drawn.refresh_from_db()
    tampered = services.verify(drawn)
    if tampered.picked == drawn.picked:  # the other seed happens to agree: edit the pick
        ClosureSample.objects.filter(pk=drawn.pk).update(picked=[drawn.population[-1]])
        drawn.refresh_from_db()
    assert not services.verify(drawn).ok


def test_it_fails_a_review_and_reopens_the_hazard_as_fake(persona, units):
    drawn, _made = sample(persona, units, count=2, size=1)
    review = drawn.reviews.get()
    school = units[SCHOOL_A]
    closed_before = HazardTally.objects.get(unit=school, status=HazardStatus.CLOSED).count
    assigned_before = (
        HazardTally.objects.filter(unit=school, status=HazardStatus.ASSIGNED)
        .values_list("count", flat=True)
        .first()
        or 0
    )
    hazard_before = Hazard.objects.get(pk=review.hazard_id)
    services.record_review(
        persona("district_supervisor"),
        review.pk,
        passed=False,
        note="灭火器仍为过期产品",
        photos=[jpeg_upload(500)],
        version=review.version,
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.FAILED and review.photos.count() == 1
    hazard = Hazard.objects.get(pk=review.hazard_id)
    assert hazard.status == HazardStatus.ASSIGNED
    assert hazard.fake_rectification and hazard.closed_at is None
    assert hazard.owner_id == hazard_before.owner_id
    assert hazard.rework_count == hazard_before.rework_count + 1
    assert hazard.deadline > timezone.localdate()
    assert hazard.events.filter(action=HazardAction.REOPEN).exists()
    assert HazardTally.objects.get(unit=school, status=HazardStatus.CLOSED).count == (
        closed_before - 1
    )
    assert HazardTally.objects.get(unit=school, status=HazardStatus.ASSIGNED).count == (
        assigned_before + 1
    )
    # The school sees its hazard reopened (not the sample).
    assert Hazard.objects.restrict(persona("school_a_head")).filter(pk=hazard.pk).exists()
    assert not services.samples_for(persona("school_a_head")).exists()


def test_it_passes_a_review_without_touching_the_hazard(persona, units):
    drawn, _made = sample(persona, units, count=1, size=1)
    review = drawn.reviews.get()
    services.record_review(persona("district_supervisor"), review.pk, passed=True, note="")
    assert Hazard.objects.get(pk=review.hazard_id).status == HazardStatus.CLOSED


def test_it_refuses_a_duplicate_or_stale_review(persona, units):
    drawn, _made = sample(persona, units, count=1, size=1)
    review = drawn.reviews.get()
    reviewer = persona("district_supervisor")
    services.record_review(reviewer, review.pk, passed=True, note="", version=review.version)
    with pytest.raises(Conflict):
        services.record_review(reviewer, review.pk, passed=True, note="", version=review.version)
    with pytest.raises(Conflict):
        services.record_review(reviewer, review.pk, passed=False, note="x", photos=[jpeg_upload()])


def test_it_refuses_bad_reviews_and_draws(persona, units):
    drawn, _made = sample(persona, units, count=1, size=1)
    review = drawn.reviews.get()
    reviewer = persona("district_supervisor")
    with pytest.raises(Invalid):
        services.record_review(reviewer, review.pk, passed=False, note="不合格")  # no photo
    with pytest.raises(Invalid):
        services.record_review(reviewer, review.pk, passed=False, note="", photos=[jpeg_upload()])
    with pytest.raises(NotFound):
        services.record_review(persona("school_a_head"), review.pk, passed=True, note="")
    with pytest.raises(NotFound):
        services.record_review(reviewer, 10**30, passed=True, note="")
    officer = persona("district_officer")
    due = timezone.localdate() + dt.timedelta(days=3)
    base = {"organiser": units[DISTRICT], "reviewer": reviewer, "due_on": due}
    with pytest.raises(Invalid):
        services.create_sample(officer, month="2026-13", size=1, **base)
    with pytest.raises(Invalid):
        services.create_sample(officer, month="1999-01", size=1, **base)
    with pytest.raises(Invalid):
        services.create_sample(officer, month=month(), size=99, **base)
    with pytest.raises(Invalid):
        services.create_sample(officer, month=month(), size=1, seed=-1, **base)
    with pytest.raises(Invalid):  # a school is no organiser
        services.create_sample(
            officer, month=month(), size=1, **{**base, "organiser": units[SCHOOL_A]}
        )
    with pytest.raises(Invalid):  # a school's person is no reviewer
        services.create_sample(
            officer, month=month(), size=1, **{**base, "reviewer": persona("school_a_head")}
        )


def test_it_lets_the_organiser_record_for_the_reviewer_but_not_others(persona, units):
    drawn, _made = sample(persona, units, count=1, size=1)
    review = drawn.reviews.get()
    with pytest.raises(Forbidden):
        services.record_review(persona("auditor"), review.pk, passed=True, note="")
    services.record_review(persona("district_head"), review.pk, passed=True, note="代录")


def test_it_weighs_flagged_hazards_in_the_population(persona, units):
    plain = closed_hazard(persona, units, 1)
    flagged = closed_hazard(persona, units, 2)
    Hazard.objects.filter(pk=flagged.pk).update(photo_flagged=True)
    ids, weights = services.population(persona("district_officer"), units[DISTRICT], month())
    by_id = dict(zip(ids, weights, strict=True))
    assert by_id[flagged.pk] > by_id[plain.pk]


def test_it_shows_fake_rectification_and_the_indicators_on_the_dashboard(persona, units, settings):
    from xiaoan.hazards.choices import HazardLevel
    from xiaoan.reports.services import dashboard

    settings.XIAOAN_PAGE_CACHE = False
    closed_hazard(persona, units, 7, level=HazardLevel.MAJOR)
    drawn, _made = sample(persona, units, count=2, size=2)
    first, second = drawn.reviews.order_by("pk")
    reviewer = persona("district_supervisor")
    services.record_review(reviewer, first.pk, passed=False, note="不实", photos=[jpeg_upload(9)])
    services.record_review(reviewer, second.pk, passed=True, note="属实")
    board = dashboard(persona("district_officer"), units[DISTRICT].pk)
    figures = {f.key: f for f in board.sections_by_key["closure"].figures}
    assert figures["fake"].value == 1 and figures["fake"].bad
    assert figures["review_failure_rate"].value == 50.0
    assert figures["self_share"].value == 100.0
    assert figures["median_general"].value is not None
    assert "median_major" in figures  # the major one awaits its supervisor's acceptance
    # The ranking carries 假整改 per unit (accountability lists read the same columns).
    branches = board.sections_by_key["closure"].branches
    assert sum(v["fake"] for v in branches.values()) == 1
    school = dashboard(persona("school_a_head"), units[SCHOOL_A].pk)
    assert {f.key: f.value for f in school.sections_by_key["closure"].figures}["fake"] == 1


def test_it_lists_fake_rectification_among_the_accountability_figures(persona, units, settings):
    from xiaoan.accountability import services as accountability

    settings.XIAOAN_PAGE_CACHE = False
    drawn, _made = sample(persona, units, count=1, size=1)
    review = drawn.reviews.get()
    services.record_review(
        persona("district_supervisor"), review.pk, passed=False, note="不实", photos=[jpeg_upload()]
    )
    evidence = accountability.evidence(persona("district_head"), units[DISTRICT].pk, rank="schools")
    assert "假整改" in evidence["columns"]
    row = next(r for r in evidence["rows"] if r["unit_id"] == units[SCHOOL_A].pk)
    fake = next(f for f in row["figures"] if f["key"] == "closure.fake")
    assert fake["value"] == 1
