"""挂牌督办 numbers (督〔year〕serial号 per supervising unit and year) and the supervised
unit's answer deadline. Existing listings are numbered in the order they were made; their
deadline is the default time after listing, and those already past it are taken as told
(the first daily pass does not send a flood of old reminders)."""

import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def number_existing(apps, schema_editor):
    Supervision = apps.get_model("hazards", "Supervision")
    Counter = apps.get_model("hazards", "SupervisionCounter")
    days = dt.timedelta(days=settings.XIAOAN_SUPERVISION_ANSWER_DAYS)
    today, now = timezone.localdate(), timezone.now()
    last: dict[tuple[int, int], int] = {}
    for row in Supervision.objects.order_by("listed_at", "pk").iterator():
        listed = timezone.localtime(row.listed_at).date()
        key = (row.supervising_unit_id, listed.year)
        last[key] = last.get(key, 0) + 1
        row.year, row.serial = listed.year, last[key]
        row.answer_due = listed + days
        if row.answer_due < today:
            row.late_notified_at = now
        row.save(update_fields=["year", "serial", "answer_due", "late_notified_at"])
    Counter.objects.bulk_create(
        Counter(unit_id=unit, year=year, last=n) for (unit, year), n in last.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0008_confirmed_status"),
        ("orgs", "0003_unit_lead_permission"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SupervisionCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField()),
                ("last", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name="supervision",
            name="answer",
            field=models.TextField(blank=True, verbose_name="答复内容"),
        ),
        migrations.AddField(
            model_name="supervision",
            name="answer_due",
            field=models.DateField(null=True, verbose_name="答复期限"),
        ),
        migrations.AddField(
            model_name="supervision",
            name="answered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="答复时间"),
        ),
        migrations.AddField(
            model_name="supervision",
            name="answered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="答复人",
            ),
        ),
        migrations.AddField(
            model_name="supervision",
            name="late_notified_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="supervision",
            name="serial",
            field=models.PositiveIntegerField(null=True, verbose_name="督办序号"),
        ),
        migrations.AddField(
            model_name="supervision",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="督办年度"),
        ),
        migrations.AlterField(
            model_name="hazardevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("report", "上报"),
                    ("confirm", "确认"),
                    ("dismiss", "不构成隐患"),
                    ("assign", "交办"),
                    ("fix_on_spot", "立查立改"),
                    ("start", "开始整改"),
                    ("progress", "整改进展"),
                    ("control", "临时管控措施"),
                    ("submit", "提交验收"),
                    ("verify", "验收通过，待督办单位认可"),
                    ("close", "验收通过，销号"),
                    ("reject", "验收不通过"),
                    ("extension_request", "申请延期"),
                    ("extension_approve", "同意延期"),
                    ("extension_reject", "不同意延期"),
                    ("supervise", "挂牌督办"),
                    ("supervision_answer", "答复督办"),
                    ("supervision_accept", "督办单位认可销号"),
                    ("supervision_reject", "督办单位不认可，退回整改"),
                    ("overdue", "逾期"),
                    ("recurrence", "屡查屡犯"),
                ],
                max_length=30,
                verbose_name="动作",
            ),
        ),
        migrations.AddField(
            model_name="supervisioncounter",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.unit"
            ),
        ),
        migrations.AddConstraint(
            model_name="supervisioncounter",
            constraint=models.UniqueConstraint(
                fields=("unit", "year"), name="supervision_counter_unit_year"
            ),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="supervision",
            name="answer_due",
            field=models.DateField(verbose_name="答复期限"),
        ),
        migrations.AlterField(
            model_name="supervision",
            name="serial",
            field=models.PositiveIntegerField(verbose_name="督办序号"),
        ),
        migrations.AlterField(
            model_name="supervision",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="督办年度"),
        ),
        migrations.AddIndex(
            model_name="supervision",
            index=models.Index(
                condition=models.Q(
                    ("answered_at__isnull", True), ("late_notified_at__isnull", True)
                ),
                fields=["answer_due"],
                name="supervision_unanswered",
            ),
        ),
        migrations.AddConstraint(
            model_name="supervision",
            constraint=models.UniqueConstraint(
                fields=("supervising_unit", "year", "serial"), name="supervision_number"
            ),
        ),
    ]
