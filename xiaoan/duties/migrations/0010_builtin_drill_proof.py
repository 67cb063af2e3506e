"""The built-in semester drill duty is now met by an evaluated drill (xiaoan.drills), not an
uploaded record: existing ones change their proof; their obligations stay, and the records
already uploaded stay as history."""

from django.db import migrations


def to_drills(apps, schema_editor):
    Duty = apps.get_model("duties", "Duty")
    Duty.objects.filter(builtin_code="drill").update(
        proof="drill", record_kind="", inspection_kind="", proof_code=""
    )


def to_records(apps, schema_editor):
    Duty = apps.get_model("duties", "Duty")
    Duty.objects.filter(builtin_code="drill").update(
        proof="record", record_kind="drill", proof_code=""
    )


class Migration(migrations.Migration):
    dependencies = [("duties", "0009_due_rule_window")]

    operations = [migrations.RunPython(to_drills, to_records)]
