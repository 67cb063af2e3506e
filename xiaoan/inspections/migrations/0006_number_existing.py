# Numbers existing inspections per organiser and year of creation, in creation order, and
# sets each counter to the last number given (the constraint follows in 0007, in its own
# transaction).
from django.db import migrations
from django.utils import timezone


def number_existing(apps, schema_editor):
    Inspection = apps.get_model("inspections", "Inspection")
    Counter = apps.get_model("inspections", "InspectionCounter")
    last: dict[tuple[int, int], int] = {}
    changed = []
    rows = Inspection.objects.order_by("created_at", "pk").only("pk", "organiser_id", "created_at")
    for row in rows.iterator(chunk_size=2000):
        key = (row.organiser_id, timezone.localtime(row.created_at).year)
        last[key] = last.get(key, 0) + 1
        row.number = f"JC-{key[1]}-{last[key]:04d}"
        changed.append(row)
        if len(changed) >= 2000:
            Inspection.objects.bulk_update(changed, ["number"])
            changed = []
    Inspection.objects.bulk_update(changed, ["number"])
    Counter.objects.bulk_create(
        Counter(organiser_id=organiser, year=year, last=n) for (organiser, year), n in last.items()
    )


def forget_numbers(apps, schema_editor):
    apps.get_model("inspections", "InspectionCounter").objects.all().delete()
    apps.get_model("inspections", "Inspection").objects.update(number="")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0005_numbers_team")]

    operations = [migrations.RunPython(number_existing, forget_numbers)]
