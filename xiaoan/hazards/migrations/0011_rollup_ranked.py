from django.db import migrations, models


def build(apps, schema_editor):
    # The figures moved to reports.Rollup, whose first migration builds them.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0010_hazard_rollup"),
    ]

    operations = [
        migrations.AddField(
            model_name="hazardrollup",
            name="ranked",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
