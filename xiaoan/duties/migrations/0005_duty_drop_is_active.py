# `is_active` is now derived from `status` (0004 copied it); its own migration, so PostgreSQL
# alters the table in a transaction of its own, after the data migration's writes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("duties", "0004_duty_workflow")]

    operations = [
        migrations.RemoveIndex(model_name="duty", name="duty_issuer_active"),
        migrations.RemoveIndex(model_name="duty", name="duty_active_recurrence"),
        migrations.RemoveField(model_name="duty", name="is_active"),
        migrations.RemoveField(model_name="historicalduty", name="is_active"),
        migrations.AddIndex(
            model_name="duty",
            index=models.Index(fields=["issuer", "status"], name="duty_issuer_status"),
        ),
        migrations.AddIndex(
            model_name="duty",
            index=models.Index(fields=["status", "recurrence"], name="duty_status_recurrence"),
        ),
    ]
