"""Storages already holding controlled chemicals get their next stocktake date and its
due-date row now (xiaoan.chemicals.rules states the rule; the ledger keeps it from here)."""

import calendar

from django.db import migrations
from django.db.models import Max, Min

WARN_DAYS = 7


def add_month(day):
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def forwards(apps, schema_editor):
    import datetime as dt

    Storage = apps.get_model("chemicals", "Storage")
    Balance = apps.get_model("chemicals", "Balance")
    Stocktake = apps.get_model("chemicals", "Stocktake")
    StockMovement = apps.get_model("chemicals", "StockMovement")
    DueDate = apps.get_model("core", "DueDate")
    ContentType = apps.get_model("contenttypes", "ContentType")
    storages = Storage.objects.filter(retired_at__isnull=True)
    if not storages.exists():
        return
    content_type, _new = ContentType.objects.get_or_create(app_label="chemicals", model="storage")
    for storage in storages:
        if not Balance.objects.filter(
            storage=storage, quantity__gt=0, chemical__controlled=True
        ).exists():
            continue
        last = Stocktake.objects.filter(storage=storage).aggregate(on=Max("taken_on"))["on"]
        if last is None:
            last = StockMovement.objects.filter(
                storage=storage, chemical__controlled=True, status="posted"
            ).aggregate(on=Min("occurred_on"))["on"]
        if last is None:
            continue
        due = add_month(last)
        Storage.objects.filter(pk=storage.pk).update(next_stocktake_on=due)
        DueDate.objects.update_or_create(
            content_type=content_type,
            object_id=storage.pk,
            key="next_stocktake_on",
            defaults={
                "label": "盘点",
                "unit_id": storage.unit_id,
                "due_on": due,
                "warn_on": due - dt.timedelta(days=WARN_DAYS),
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("chemicals", "0003_register_items"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
