from django.db import migrations, models


def build(apps, schema_editor):
    from xiaoan.hazards.rollup import rebuild

    rebuild(
        apps.get_model("hazards", "Hazard"),
        apps.get_model("hazards", "HazardRollup"),
        apps.get_model("orgs", "Unit"),
    )


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
