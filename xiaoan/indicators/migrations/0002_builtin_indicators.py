"""The built-in national set: the plans' indicators and their yearly targets
(domain.md §7; 梁子湖区 2024–2026 三年行动方案). All reported by the schools until the registers
and training apps provide them."""

from decimal import Decimal

from django.db import migrations

# code, name, measure, rollup, boarding only, {year: target}, description
BUILTIN = [
    ("security-closed", "校园封闭式管理", "%", "share", False, {2024: 100, 2025: 100, 2026: 100},
     "四个100%之一：校园封闭式管理100%。学校填报达标情况（100 为已落实）。"),
    ("security-guards", "专职保安配备", "%", "share", False, {2024: 100, 2025: 100, 2026: 100},
     "四个100%之一：专职保安配备100%。"),
    ("security-alarm-video", "一键报警和视频监控联网", "%", "share", False,
     {2024: 100, 2025: 100, 2026: 100}, "四个100%之一：一键报警和视频监控与公安联网100%。"),
    ("security-escort-post", "护学岗设置", "%", "share", False, {2024: 100, 2025: 100, 2026: 100},
     "四个100%之一：护学岗设置100%。"),
    ("bus-face-recognition", "校车人脸识别系统安装率", "%", "mean", False,
     {2024: 30, 2025: 60, 2026: 100}, "2024年底前不低于30%，2025年底前不低于60%，2026年底前100%。"),
    ("bus-infrared", "校车红外生命探测装置安装率", "%", "mean", False,
     {2024: 30, 2025: 60, 2026: 100}, "2024年底前不低于30%，2025年底前不低于60%，2026年底前100%。"),
    ("bus-monitoring", "校车监控平台覆盖率", "%", "mean", False, {2025: 95},
     "2025年实现校车安全智慧化监管平台覆盖率达95%。"),
    ("smoke-alarms", "烟雾感应报警装置全覆盖", "%", "share", False, {2025: 100},
     "2025年底前实现全部校园烟雾感应报警装置安装全覆盖。"),
    ("boarding-sprinklers", "寄宿学校烟感报警和自动喷淋全覆盖", "%", "share", True, {2025: 100},
     "2025年底前各寄宿学校烟雾感应报警装置和自动喷淋系统全覆盖（仅寄宿制学校）。"),
    ("safety-spending", "生均安全经费投入", "元/生", "mean", False,
     {2024: 60, 2025: 60, 2026: 60}, "按照每年生均经费投入不低于60元的标准安排预算。"),
    ("fire-team", "校园消防应急队伍（5–7人）配齐", "%", "share", False, {2026: 100},
     "2026年前配齐专(兼)职消防员，建立5–7人的校园消防应急队伍（微型消防站）。"),
    ("rescue-squad", "学校应急救援小分队（3–5人）组建", "%", "share", False,
     {2024: 100, 2025: 100, 2026: 100}, "2024年起建立由3–5名队员组成的学校应急救援小分队。"),
    ("leader-training", "主要负责人、分管负责人、安办主任轮训完成率", "%", "mean", False, {2026: 100},
     "2026年底前组织中小学、幼儿园主要负责人、分管负责人、安办主任轮训一遍。"),
]


def add(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Target = apps.get_model("indicators", "Target")
    for order, (code, name, measure, rollup, boarding, targets, text) in enumerate(BUILTIN):
        indicator, _created = Indicator.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name,
                measure=measure,
                rollup=rollup,
                direction="higher",
                source="reported",
                boarding_only=boarding,
                description=text,
                owner=None,
                order=(order + 1) * 10,
            ),
        )
        for year, value in targets.items():
            Target.objects.update_or_create(
                indicator=indicator, owner=None, year=year, defaults={"value": Decimal(value)}
            )


def remove(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Target = apps.get_model("indicators", "Target")
    codes = [row[0] for row in BUILTIN]
    Target.objects.filter(indicator__code__in=codes, owner=None).delete()
    Indicator.objects.filter(code__in=codes, owner=None, values__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
