"""The hazard loop: report → confirm → assign → rectify → submit → verify → 销号.

One function per action of the workflow declared in `xiaoan.hazards.workflow`. Each locks
the hazard and checks scope, right, version and state through `xiaoan.core.workflow.begin`,
applies its own rules, and moves the hazard and appends its `HazardEvent` in one transaction.
Pages, API, commands and jobs call these functions, by sub-topic:

- `reporting`: 随手拍 and inspection findings, confirmation, dismissal, 屡查屡犯;
- `loop`: assignment, rectification, verification;
- `supervision`: 挂牌督办 (numbered, answered by a deadline) and the supervising unit's
  acceptance;
- `extensions`: deadline extensions;
- `daily`: the nightly pass over deadlines;
- `base`: what they share (event record, photos, who may act at all).
"""

from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.hazards.services.base import (
    PERSONAL,
    assignable_owner_units,
    awaiting_supervision,
    controls_required,
    home_unit,
    may_act_somewhere,
    may_rectify,
    move_tally,
    reportable_units,
    visible_owners,
)
from xiaoan.hazards.services.daily import daily, mark_overdue
from xiaoan.hazards.services.extensions import (
    decide_extension,
    decide_pending_extension,
    may_decide_extension,
    may_decide_pending,
    may_request_extension,
    request_extension,
)
from xiaoan.hazards.services.loop import (
    add_control,
    assign,
    confirm_and_assign,
    fix_on_spot,
    may_verify,
    progress,
    reopen,
    start,
    submit,
    verify,
)
from xiaoan.hazards.services.reporting import (
    confirm,
    dismiss,
    record_finding,
    record_register_finding,
    report,
)
from xiaoan.hazards.services.supervision import (
    accept_supervision,
    answer_supervision,
    default_answer_due,
    may_accept_supervision,
    may_answer_supervision,
    may_supervise,
    notify_late_answers,
    supervise,
    supervise_flagged,
    supervising_units,
)

__all__ = [
    "PERSONAL",
    "Conflict",
    "Forbidden",
    "Invalid",
    "NotFound",
    "accept_supervision",
    "add_control",
    "answer_supervision",
    "assign",
    "assignable_owner_units",
    "awaiting_supervision",
    "confirm",
    "confirm_and_assign",
    "controls_required",
    "daily",
    "decide_extension",
    "decide_pending_extension",
    "default_answer_due",
    "dismiss",
    "fix_on_spot",
    "home_unit",
    "mark_overdue",
    "may_accept_supervision",
    "may_act_somewhere",
    "may_answer_supervision",
    "may_decide_extension",
    "may_decide_pending",
    "may_rectify",
    "may_request_extension",
    "may_supervise",
    "may_verify",
    "move_tally",
    "notify_late_answers",
    "progress",
    "record_finding",
    "record_register_finding",
    "reopen",
    "report",
    "reportable_units",
    "request_extension",
    "start",
    "submit",
    "supervise",
    "supervise_flagged",
    "supervising_units",
    "verify",
    "visible_owners",
]
