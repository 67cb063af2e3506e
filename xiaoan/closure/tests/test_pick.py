"""The weighted pick: reproducible, and weighted toward doubtful closures."""

from collections import Counter

from xiaoan.closure.services import pick, weight_of
from xiaoan.hazards.choices import HazardLevel


def test_it_gives_the_same_pick_for_the_same_seed():
    population = list(range(1, 101))
    weights = [1 + (pk % 4) for pk in population]
    first = pick(population, weights, 10, 7)
    assert first == pick(population, weights, 10, 7)
    assert first == sorted(first) and len(set(first)) == 10
    assert first != pick(population, weights, 10, 8)


def test_it_picks_flagged_and_major_hazards_more_often():
    # 50 plain closures, 10 with flagged photos, 10 major: over many seeded draws of 5 the
    # doubtful ones come up far more often per hazard.
    plain = list(range(1, 51))
    flagged = list(range(51, 61))
    major = list(range(61, 71))
    population = plain + flagged + major
    weights = (
        [weight_of(photo_flagged=False, level=HazardLevel.GENERAL, recurring=False)] * 50
        + [weight_of(photo_flagged=True, level=HazardLevel.GENERAL, recurring=False)] * 10
        + [weight_of(photo_flagged=False, level=HazardLevel.MAJOR, recurring=False)] * 10
    )
    seen = Counter()
    for seed in range(400):
        seen.update(pick(population, weights, 5, seed))
    per_plain = sum(seen[pk] for pk in plain) / len(plain)
    per_flagged = sum(seen[pk] for pk in flagged) / len(flagged)
    per_major = sum(seen[pk] for pk in major) / len(major)
    assert per_flagged > 2.5 * per_plain and per_major > 2.5 * per_plain


def test_it_weighs_recurring_and_combined_doubts():
    assert weight_of(photo_flagged=False, level="", recurring=False) == 1
    assert weight_of(photo_flagged=True, level=HazardLevel.MAJOR, recurring=True) == 9
