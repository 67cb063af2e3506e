# The duty's lifecycle on the workflow layer: `status` (active/stopped) from `is_active`,
# a `version`, and the `DutyEvent` history with one first event per existing duty.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

STATUS = [("active", "启用中"), ("stopped", "已停用")]


def to_status(apps, schema_editor):
    Duty = apps.get_model("duties", "Duty")
    HistoricalDuty = apps.get_model("duties", "HistoricalDuty")
    DutyEvent = apps.get_model("duties", "DutyEvent")
    Duty.objects.filter(is_active=False).update(status="stopped")
    HistoricalDuty.objects.filter(is_active=False).update(status="stopped")
    # Cheap: duties are a few per issuing unit. The first event is the state it has now.
    rows = Duty.objects.values_list("pk", "created_by_id", "status", "created_at")
    DutyEvent.objects.bulk_create(
        [
            DutyEvent(
                duty_id=pk,
                action="create",
                actor_id=by,
                from_status=status,
                to_status=status,
                created_at=at,
                data={"migrated": True},
            )
            for pk, by, status, at in rows.iterator()
        ],
        batch_size=2000,
    )
    Duty.objects.update(version=1)


def to_is_active(apps, schema_editor):
    Duty = apps.get_model("duties", "Duty")
    HistoricalDuty = apps.get_model("duties", "HistoricalDuty")
    Duty.objects.filter(status="stopped").update(is_active=False)
    HistoricalDuty.objects.filter(status="stopped").update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("duties", "0003_obligation_workflow"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DutyEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("note", models.TextField(blank=True, verbose_name="说明")),
                ("data", models.JSONField(blank=True, default=dict)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间")),
                ("action", models.CharField(choices=[("create", "发布"), ("stop", "停用"), ("resume", "恢复启用")], max_length=30, verbose_name="动作")),
                ("from_status", models.CharField(blank=True, choices=STATUS, max_length=20)),
                ("to_status", models.CharField(blank=True, choices=STATUS, max_length=20)),
                ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="操作人")),
                ("duty", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="events", to="duties.duty")),
            ],
            options={
                "verbose_name": "常态化任务记录",
                "verbose_name_plural": "常态化任务记录",
                "ordering": ["created_at", "id"],
                "abstract": False,
                "indexes": [models.Index(fields=["duty", "created_at"], name="duty_event_time")],
            },
        ),
        migrations.AddField(
            model_name="duty",
            name="status",
            field=models.CharField(choices=STATUS, default="active", max_length=10, verbose_name="状态"),
        ),
        migrations.AddField(
            model_name="duty",
            name="version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="historicalduty",
            name="status",
            field=models.CharField(choices=STATUS, default="active", max_length=10, verbose_name="状态"),
        ),
        migrations.AddField(
            model_name="historicalduty",
            name="version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(to_status, to_is_active),
    ]
