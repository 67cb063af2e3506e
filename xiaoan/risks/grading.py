"""The grade of an assessment, computed, never typed.

LS (风险矩阵法): R = L × S, L (likelihood) and S (severity) each 1–5. The thresholds of the
usual 5×5 matrix in Chinese 双重预防 guidance:
    R ≥ 20 重大 (red), 15–16 较大 (orange), 9–12 一般 (yellow), R ≤ 8 低 (blue).
(L × S takes no value between 12 and 15 or between 16 and 20, so the bands are complete.)

LEC (作业条件危险性分析法, Graham–Kinney): D = L × E × C with the standard value sets
    L (likelihood)   10, 6, 3, 1, 0.5, 0.2, 0.1
    E (exposure)     10, 6, 3, 2, 1, 0.5
    C (consequence)  100, 40, 15, 7, 3, 1
and the bands D > 320 重大, 160 ≤ D ≤ 320 较大, 70 ≤ D < 160 一般, D < 70 低 (the table's
"160–320 高度危险" and "70–160 显著危险" read with the lower bound included).
"""

from __future__ import annotations

from decimal import Decimal

from xiaoan.risks.choices import Method, RiskGrade

LS_VALUES = (1, 2, 3, 4, 5)
LEC_L = tuple(Decimal(v) for v in ("10", "6", "3", "1", "0.5", "0.2", "0.1"))
LEC_E = tuple(Decimal(v) for v in ("10", "6", "3", "2", "1", "0.5"))
LEC_C = (100, 40, 15, 7, 3, 1)


def ls_grade(value: int | Decimal) -> str:
    if value >= 20:
        return RiskGrade.MAJOR
    if value >= 15:
        return RiskGrade.HIGH
    if value >= 9:
        return RiskGrade.GENERAL
    return RiskGrade.LOW


def lec_grade(value: Decimal) -> str:
    if value > 320:
        return RiskGrade.MAJOR
    if value >= 160:
        return RiskGrade.HIGH
    if value >= 70:
        return RiskGrade.GENERAL
    return RiskGrade.LOW


def grade(method: str, value: Decimal) -> str:
    return lec_grade(value) if method == Method.LEC else ls_grade(value)
