"""Operators become links to the 持证上岗 register. Each typed {"name", "certificate"} is
matched to a certificate in use of the item's school of the kind the item needs (锅炉:
锅炉作业; the rest: 特种设备作业人员证) by its number, else by the holder's name when only
one such certificate has it. What cannot be matched is printed and appended to the
item's note, so nothing typed is lost."""

from django.db import migrations, models

FITTING = {"boiler": "boiler"}


def _school(unit):
    while unit.kind in ("department", "campus") and unit.parent_id:
        unit = unit.parent
    return unit


def link(apps, schema_editor):
    Equipment = apps.get_model("equipment", "Equipment")
    Certificate = apps.get_model("certificates", "Certificate")
    pools = {}
    lost = []
    for item in Equipment.objects.select_related("unit").order_by("pk"):
        typed = [r for r in (item.legacy_operators or []) if isinstance(r, dict)]
        if not typed:
            continue
        school = _school(item.unit)
        kind = FITTING.get(item.kind, "special_equipment")
        key = (school.pk, kind)
        if key not in pools:
            pools[key] = list(
                Certificate.objects.filter(
                    unit__path__startswith=school.path, retired_at__isnull=True, kind=kind
                )
            )
        pool = pools[key]
        linked, unmatched = [], []
        for row in typed:
            name = str(row.get("name") or "").strip()
            number = str(row.get("certificate") or "").strip()
            hits = [c for c in pool if number and c.code == number]
            if not hits:
                named = [c for c in pool if name and c.name == name]
                hits = named if len(named) == 1 else []
            if len(hits) == 1:
                linked.append(hits[0])
            else:
                unmatched.append(f"{name} {number}".strip())
        if linked:
            item.operators.add(*linked)
        if unmatched:
            text = "；".join(unmatched)
            line = f"原作业人员（未能关联持证上岗台账）：{text}"
            item.note = f"{item.note}\n{line}" if item.note else line
            item.save(update_fields=["note"])
            lost.append(f"  {item.unit.name} · {item.name}（#{item.pk}）：{text}")
    if lost:
        print("\n一台一档：以下作业人员未能关联证书，已写入该设备的备注：")
        print("\n".join(lost))


def unlink(apps, schema_editor):
    Equipment = apps.get_model("equipment", "Equipment")
    for item in Equipment.objects.prefetch_related("operators"):
        item.legacy_operators = [{"name": c.name, "certificate": c.code} for c in item.operators.all()]
        item.save(update_fields=["legacy_operators"])


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_alter_certificate_certificate_number_per_unit"),
        ("equipment", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("equipment", "operators", "legacy_operators"),
        migrations.RenameField("historicalequipment", "operators", "legacy_operators"),
        migrations.AddField(
            model_name="equipment",
            name="operators",
            field=models.ManyToManyField(
                blank=True,
                help_text="本单位在用的特种设备作业人员证书（锅炉须锅炉作业证书）",
                related_name="operated_equipment",
                to="certificates.certificate",
                verbose_name="作业人员",
            ),
        ),
        migrations.RunPython(link, unlink),
        migrations.RemoveField("equipment", "legacy_operators"),
        migrations.RemoveField("historicalequipment", "legacy_operators"),
    ]
