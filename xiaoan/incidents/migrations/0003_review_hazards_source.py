from django.db import migrations


def forwards(apps, schema_editor):
    # Hazards a review entered before the source existed were filed as 日常排查.
    Finding = apps.get_model("incidents", "Finding")
    Hazard = apps.get_model("hazards", "Hazard")
    ids = Finding.objects.filter(hazard__isnull=False).values_list("hazard_id", flat=True)
    Hazard.objects.filter(pk__in=list(ids), source="self_check").update(source="incident")


def backwards(apps, schema_editor):
    Finding = apps.get_model("incidents", "Finding")
    Hazard = apps.get_model("hazards", "Hazard")
    ids = Finding.objects.filter(hazard__isnull=False).values_list("hazard_id", flat=True)
    Hazard.objects.filter(pk__in=list(ids), source="incident").update(source="self_check")


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0002_incident_source_and_tasks"),
        ("hazards", "0015_hazard_source_incident"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
