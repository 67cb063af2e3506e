"""The grade is computed from the factors: LS and LEC at every band's edges, and factors
outside the method's value sets refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xiaoan.core.errors import Invalid
from xiaoan.risks import services
from xiaoan.risks.grading import lec_grade, ls_grade


@pytest.mark.parametrize(
    ("value", "grade"),
    [(25, "major"), (20, "major"), (16, "high"), (15, "high"), (12, "general"), (9, "general"),
     (8, "low"), (1, "low")],
)  # fmt: skip
def test_it_grades_ls_at_the_band_edges(value, grade):
    assert ls_grade(value) == grade


@pytest.mark.parametrize(
    ("value", "grade"),
    [("400", "major"), ("320.01", "major"), ("320", "high"), ("160", "high"),
     ("159.99", "general"), ("70", "general"), ("69.99", "low"), ("0.05", "low")],
)  # fmt: skip
def test_it_grades_lec_at_the_band_edges(value, grade):
    assert lec_grade(Decimal(value)) == grade


def test_it_scores_ls_and_lec_from_the_standard_values():
    _f, value, grade = services.score("ls", likelihood=4, severity=5)
    assert (value, grade) == (20, "major")
    _f, value, grade = services.score("ls", likelihood="3", severity="3")
    assert (value, grade) == (9, "general")
    factors, value, grade = services.score("lec", likelihood="6", exposure="6", consequence=7)
    assert (value, grade) == (252, "high")
    assert factors["severity"] is None
    _f, value, grade = services.score("lec", likelihood="10", exposure="6", consequence=40)
    assert (value, grade) == (2400, "major")
    _f, value, grade = services.score("lec", likelihood="0.5", exposure="2", consequence=7)
    assert (value, grade) == (7, "low")


@pytest.mark.parametrize(
    ("method", "values", "field"),
    [("ls", {"likelihood": 0, "severity": 3}, "likelihood"),
     ("ls", {"likelihood": 6, "severity": 3}, "likelihood"),
     ("ls", {"likelihood": 2, "severity": "2.5"}, "severity"),
     ("ls", {"likelihood": "abc", "severity": 3}, "likelihood"),
     ("ls", {"likelihood": "NaN", "severity": 3}, "likelihood"),
     ("ls", {"likelihood": 3, "severity": None}, "severity"),
     ("lec", {"likelihood": 4, "exposure": 6, "consequence": 7}, "likelihood"),
     ("lec", {"likelihood": 3, "exposure": 5, "consequence": 7}, "exposure"),
     ("lec", {"likelihood": 3, "exposure": 6, "consequence": 8}, "consequence"),
     ("lec", {"likelihood": "1e400", "exposure": 6, "consequence": 7}, "likelihood")],
)  # fmt: skip
def test_it_refuses_factors_outside_the_method(method, values, field):
    with pytest.raises(Invalid) as refused:
        services.score(method, **values)
    assert field in refused.value.fields
