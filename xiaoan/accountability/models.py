"""约谈问责: an authority's decision (通报表扬, 约谈, 问责) naming units below it, each entry with
the dashboard figures behind it frozen on the day it was listed, the meeting held and the
commitments (整改承诺) the units made, followed to acceptance. The workflows are declared in
xiaoan.accountability.workflow, the rules are xiaoan.accountability.services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xiaoan.accountability.choices import (
    PUBLISHED,
    CommitmentAction,
    CommitmentStatus,
    DecisionAction,
    DecisionKind,
    DecisionStatus,
)
from xiaoan.core.models import TimeStamped, WorkflowEvent
from xiaoan.core.scoping import ScopedQuerySet, permission_name, scope_filter


class DecisionQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view") -> DecisionQuerySet:
        """The authority's people act on its decisions; to view, a unit named in an issued
        decision also sees it (its entries are restricted separately)."""
        perm = permission_name(self.model, action)
        own = scope_filter(user, perm, "unit")
        if action != "view":
            return self.filter(own)
        named = DecisionEntry.objects.filter(scope_filter(user, perm, "target")).values(
            "decision_id"
        )
        return self.filter(own | Q(pk__in=named, status__in=PUBLISHED))


class Decision(TimeStamped):
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("决定单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=DecisionKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    decided_on = models.DateField(_("决定日期"))
    basis = models.TextField(_("依据"), blank=True)
    meeting_at = models.DateTimeField(_("约谈时间"), null=True, blank=True)
    place = models.CharField(_("约谈地点"), max_length=200, blank=True)
    attendees = models.TextField(_("参加人员"), blank=True)
    minutes = models.TextField(_("约谈纪要"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("约谈问责决定")
        verbose_name_plural = _("约谈问责决定")
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "status", "decided_on"], name="acc_decision_unit"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"WZ{self.decided_on:%Y%m%d}-{self.pk or 0:04d}"

    @property
    def called_in(self) -> bool:
        return self.kind != DecisionKind.PRAISE


class DecisionEvent(WorkflowEvent):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=DecisionAction.choices)
    from_status = models.CharField(max_length=20, choices=DecisionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=DecisionStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("约谈问责记录")
        verbose_name_plural = _("约谈问责记录")
        indexes = [models.Index(fields=["decision", "created_at"], name="acc_decision_event")]


class EntryQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view") -> EntryQuerySet:
        """The authority's people see every entry; a named unit only its own, once issued."""
        perm = permission_name(Decision, action)
        own = scope_filter(user, perm, "decision__unit")
        if action != "view":
            return self.filter(own)
        named = scope_filter(user, perm, "target") & Q(decision__status__in=PUBLISHED)
        return self.filter(own | named)


class DecisionEntry(models.Model):
    """A unit on the decision's list, with the figures behind it as they stood that day:
    {"on": date, "rank": "children"/"schools", "score": …, "figures": [{key, label, value}]}."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("决定"), on_delete=models.CASCADE, related_name="entries"
    )
    target = models.ForeignKey(
        "orgs.Unit", verbose_name=_("对象单位"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("事由"))
    evidence = models.JSONField(_("当日数据"), default=dict, editable=False)
    created_at = models.DateTimeField(_("列入时间"), default=timezone.now)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("名单单位")
        verbose_name_plural = _("名单单位")
        ordering = ["decision", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "target"], name="acc_entry_once")
        ]
        indexes = [models.Index(fields=["target", "decision"], name="acc_entry_target")]

    def __str__(self) -> str:
        return f"{self.decision} · {self.target}"


class CommitmentQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view") -> CommitmentQuerySet:
        """Viewed by the authority's people and the committed unit's; reported by the unit's
        own people (not the authority's, who accept it); accepted by the authority's."""
        perm = permission_name(self.model, action)
        if action == "view":
            return self.filter(
                scope_filter(user, perm, "unit") | scope_filter(user, perm, "authority")
            )
        if action == "report":
            accept = permission_name(self.model, "accept")
            return self.filter(scope_filter(user, perm, "unit")).exclude(
                scope_filter(user, accept, "authority")
            )
        return self.filter(scope_filter(user, perm, "authority"))


class Commitment(TimeStamped):
    entry = models.ForeignKey(
        DecisionEntry, verbose_name=_("名单单位"), on_delete=models.CASCADE,
        related_name="commitments",
    )  # fmt: skip
    # Copied from the entry: who reports it and who accepts it, for the scope and to-dos.
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("承诺单位"), on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey(
        "orgs.Unit", verbose_name=_("验收单位"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("整改承诺"))
    due_on = models.DateField(_("完成期限"))
    status = models.CharField(
        _("状态"), max_length=20, choices=CommitmentStatus.choices,
        default=CommitmentStatus.OPEN,
    )  # fmt: skip
    version = models.PositiveIntegerField(default=0, editable=False)
    report_note = models.TextField(_("完成情况"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("整改承诺")
        verbose_name_plural = _("整改承诺")
        ordering = ["due_on", "id"]
        permissions = [
            ("report_commitment", "Can report a commitment done"),
            ("accept_commitment", "Can accept or return a commitment"),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_on"], name="acc_commit_unit"),
            models.Index(fields=["authority", "status"], name="acc_commit_authority"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    def is_overdue(self, today=None) -> bool:
        return self.status == CommitmentStatus.OPEN and self.due_on < (
            today or timezone.localdate()
        )


class CommitmentEvent(WorkflowEvent):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=30, choices=CommitmentAction.choices)
    from_status = models.CharField(max_length=20, choices=CommitmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CommitmentStatus.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("整改承诺记录")
        verbose_name_plural = _("整改承诺记录")
        indexes = [models.Index(fields=["commitment", "created_at"], name="acc_commit_event")]
