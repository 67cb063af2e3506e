from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionKind(models.TextChoices):
    PRAISE = "praise", _("通报表扬")
    INTERVIEW = "interview", _("约谈")
    ACCOUNTABILITY = "accountability", _("问责")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


class DecisionAction(models.TextChoices):
    CREATE = "create", _("起草")
    EDIT = "edit", _("修改草稿")
    ADD_ENTRY = "add_entry", _("列入名单")
    REMOVE_ENTRY = "remove_entry", _("移出名单")
    ISSUE = "issue", _("印发")
    RECORD_MEETING = "record_meeting", _("记录约谈")
    COMMIT = "commit", _("登记整改承诺")
    CLOSE = "close", _("办结")
    CANCEL = "cancel", _("撤销")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    REPORTED = "reported", _("已报完成待验收")
    ACCEPTED = "accepted", _("已验收")


class CommitmentAction(models.TextChoices):
    CREATE = "create", _("登记承诺")
    REPORT = "report", _("报告完成")
    ACCEPT = "accept", _("验收通过")
    SEND_BACK = "send_back", _("退回")


# Decisions a named unit sees (a draft is the authority's own work).
PUBLISHED = (DecisionStatus.ISSUED, DecisionStatus.CLOSED)
# Kinds where the unit is called in: the meeting is recorded, the worst are listed first.
CALLED_IN = (DecisionKind.INTERVIEW, DecisionKind.ACCOUNTABILITY)
OPEN_COMMITMENTS = (CommitmentStatus.OPEN, CommitmentStatus.REPORTED)
