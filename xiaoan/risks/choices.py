from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskGrade(models.TextChoices):
    """The four colours of 风险分级 (red, orange, yellow, blue)."""

    MAJOR = "major", _("重大风险")
    HIGH = "high", _("较大风险")
    GENERAL = "general", _("一般风险")
    LOW = "low", _("低风险")


GRADE_COLOURS = {
    RiskGrade.MAJOR: "red",
    RiskGrade.HIGH: "orange",
    RiskGrade.GENERAL: "yellow",
    RiskGrade.LOW: "blue",
}
GRADE_COLOUR_LABELS = {
    RiskGrade.MAJOR: _("红"),
    RiskGrade.HIGH: _("橙"),
    RiskGrade.GENERAL: _("黄"),
    RiskGrade.LOW: _("蓝"),
}


class Method(models.TextChoices):
    LS = "ls", _("风险矩阵法（LS）")
    LEC = "lec", _("作业条件危险性分析法（LEC）")


class RiskStatus(models.TextChoices):
    ACTIVE = "active", _("在管")
    RETIRED = "retired", _("已撤销")


class MeasureKind(models.TextChoices):
    ENGINEERING = "engineering", _("工程技术")
    MANAGEMENT = "management", _("管理措施")
    TRAINING = "training", _("培训教育")
    PROTECTION = "protection", _("个体防护")
    EMERGENCY = "emergency", _("应急处置")


class ControlLevel(models.TextChoices):
    SCHOOL = "school", _("校级")
    DEPARTMENT = "department", _("处室/二级学院")
    POST = "post", _("班组/岗位")


class Frequency(models.TextChoices):
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    SEMESTER = "semester", _("每学期")
    YEARLY = "yearly", _("每年")


class CheckResult(models.TextChoices):
    PASSED = "passed", _("落实到位")
    FAILED = "failed", _("未落实（形成隐患）")


class RiskAction(models.TextChoices):
    CREATE = "create", _("登记风险点")
    EDIT = "edit", _("修改风险点")
    ASSESS = "assess", _("风险评估")
    ADD_MEASURE = "add_measure", _("增加管控措施")
    CHANGE_MEASURE = "change_measure", _("调整管控措施")
    REMOVE_MEASURE = "remove_measure", _("停用管控措施")
    RECORD_CHECK = "record_check", _("管控检查")
    FLAG = "flag", _("需重新评估")
    PLACE = "place", _("标注四色图位置")
    RETIRE = "retire", _("撤销风险点")
    RESTORE = "restore", _("恢复风险点")
