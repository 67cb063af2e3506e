"""The time limits of a bullying case (欺凌事件处置时限).

After 《加强中小学生欺凌综合治理方案》(教督〔2017〕10号): the school's 学生欺凌治理委员会
completes its investigation and determination within 10 days of the report; a party who
disagrees may ask for a review (复查) within 5 days of receiving the determination, decided
within 15 days; and for a re-examination (复核) within 5 days of receiving the review,
decided within 15 days. Counted here in calendar days (the platform keeps no school
calendar); a late decision is recorded (days late on the step), a late request is refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DETERMINE_DAYS = 10  # 认定: from the report
REVIEW_REQUEST_DAYS = 5  # 申请复查: from the determination
REVIEW_DECIDE_DAYS = 15  # 复查结论: from the request
REEXAM_REQUEST_DAYS = 5  # 申请复核: from the review
REEXAM_DECIDE_DAYS = 15  # 复核结论: from the request


@dataclass(frozen=True)
class Clock:
    label: str
    due_on: dt.date
    today: dt.date

    @property
    def days_left(self) -> int:
        """Negative when late."""
        return (self.due_on - self.today).days

    @property
    def late(self) -> bool:
        return self.days_left < 0

    @property
    def text(self) -> str:
        if self.late:
            return str(_("已超期 %(n)d 天")) % {"n": -self.days_left}
        return str(_("剩余 %(n)d 天")) % {"n": self.days_left}


def _plus(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def clock(case, today: dt.date | None = None) -> Clock | None:
    """The running time limit of the case's current step, if any."""
    today = today or timezone.localdate()
    status = case.status
    if status == "reported":
        return Clock(str(_("认定期限")), _plus(case.reported_on, DETERMINE_DAYS), today)
    if status == "determined" and case.determined_on:
        due = _plus(case.determined_on, REVIEW_REQUEST_DAYS)
        return Clock(str(_("申请复查期限")), due, today)
    if status == "review_requested" and case.review_requested_on:
        due = _plus(case.review_requested_on, REVIEW_DECIDE_DAYS)
        return Clock(str(_("复查期限")), due, today)
    if status == "reviewed" and case.reviewed_on:
        return Clock(str(_("申请复核期限")), _plus(case.reviewed_on, REEXAM_REQUEST_DAYS), today)
    if status == "reexam_requested" and case.reexam_requested_on:
        due = _plus(case.reexam_requested_on, REEXAM_DECIDE_DAYS)
        return Clock(str(_("复核期限")), due, today)
    return None


def days_late(start: dt.date, limit: int, on: dt.date) -> int:
    return max(0, (on - _plus(start, limit)).days)
