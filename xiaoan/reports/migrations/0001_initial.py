import django.db.models.deletion
from django.db import migrations, models


def build(apps, schema_editor):
    # Every app's rollup counted from its records (the hazards' replaces HazardRollup).
    from xiaoan.reports import rollups

    if apps.get_model("orgs", "Unit").objects.exists():
        # The kinds of this release; later ones are built by their own migrations.
        for kind in ("hazards", "inspections", "duties", "plans"):
            rollups.rebuild(kind, apps=apps)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("orgs", "0004_unit_location_area_map"),
        ("hazards", "0011_rollup_ranked"),
        ("inspections", "0007_number_constraint"),
        ("duties", "0006_record_review"),
        ("plans", "0005_report_review"),
    ]

    operations = [
        migrations.CreateModel(
            name="Rollup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=30)),
                ("own", models.JSONField(default=dict)),
                ("subtree", models.JSONField(default=dict)),
                ("ranked", models.JSONField(default=dict)),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orgs.unit",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "unit"), name="rollup_kind_unit")
                ],
            },
        ),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
