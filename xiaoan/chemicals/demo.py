"""Sample ledger for the demo (`xiaoan demo`): School A's chemistry cabinet and the
university's chemistry college store room, each with a catalogue, a season of receipts and
issues (controlled ones signed by a second person), one issue still awaiting its second
signature and a stocktake with an explained difference. Idempotent: a unit whose storage
exists already is left alone."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.chemicals import registers as chemical_registers
from xiaoan.chemicals import services
from xiaoan.chemicals.models import Storage
from xiaoan.core import registers
from xiaoan.orgs.models import Place, Unit

# name, spec, measure, class flags
CATALOGUE = {
    "梁子湖高级中学": [
        ("无水乙醇", "500mL/瓶 AR", "bottle", ["is_flammable"]),
        ("丙酮", "500mL/瓶 AR", "bottle", ["is_flammable", "is_precursor"]),
        ("浓硫酸", "500mL/瓶 98%", "bottle", ["is_precursor"]),
        ("浓盐酸", "500mL/瓶 36%", "bottle", ["is_precursor"]),
        ("高锰酸钾", "500g/瓶 AR", "bottle", ["is_explosive_precursor"]),
        ("镁条", "25g/包", "piece", ["is_flammable", "is_explosive_precursor"]),
    ],
    "鄂州职业大学": [
        ("氰化钠", "500g/瓶 AR", "g", ["is_toxic"]),
        ("浓硝酸", "500mL/瓶 65%", "bottle", ["is_explosive_precursor"]),
        ("乙醚", "500mL/瓶 AR", "bottle", ["is_flammable", "is_precursor"]),
        ("甲苯", "500mL/瓶 AR", "bottle", ["is_flammable", "is_precursor"]),
    ],
}
# unit, storage name, kind, keyholders (the first records, the second signs), place
STORAGES = [
    (
        "梁子湖高级中学",
        "化学实验室危化品专柜",
        "cabinet",
        ("school_a_officer", "school_a_head"),
        "实验楼",
    ),
    ("鄂州职业大学", "化学与环境工程学院危化品专室", "room", ("uni_security", "uni_head"), ""),
]
# chemical, kind, quantity, days ago, recipient, purpose
MOVEMENTS = {
    "梁子湖高级中学": [
        ("无水乙醇", "receipt", "20", 60, "", ""),
        ("丙酮", "receipt", "6", 60, "", ""),
        ("浓硫酸", "receipt", "10", 58, "", ""),
        ("浓盐酸", "receipt", "10", 58, "", ""),
        ("高锰酸钾", "receipt", "4", 58, "", ""),
        ("镁条", "receipt", "10", 50, "", ""),
        ("无水乙醇", "issue", "3", 40, "胡老师", "高二化学分组实验：乙醇的性质"),
        ("浓硫酸", "issue", "2", 35, "胡老师", "高一化学实验：浓硫酸的稀释"),
        ("浓硫酸", "return", "1", 34, "胡老师", ""),
        ("高锰酸钾", "issue", "1", 20, "陈老师", "高一化学实验：制取氧气"),
        ("镁条", "use", "2", 15, "", "演示实验：镁条燃烧"),
        ("浓盐酸", "waste", "1", 10, "", ""),
    ],
    "鄂州职业大学": [
        ("氰化钠", "receipt", "1000", 45, "", ""),
        ("浓硝酸", "receipt", "12", 45, "", ""),
        ("乙醚", "receipt", "8", 45, "", ""),
        ("甲苯", "receipt", "8", 45, "", ""),
        ("氰化钠", "issue", "50", 30, "刘教授", "电镀实训：镀铜液配制"),
        ("乙醚", "issue", "2", 25, "赵老师", "有机化学实验：萃取"),
    ],
}
# A controlled issue still awaiting the second keyholder (the head's to-do on the home page).
PENDING = {
    "梁子湖高级中学": ("浓盐酸", "issue", "2", "胡老师", "高三化学实验：氯气的制备"),
    "鄂州职业大学": ("浓硝酸", "issue", "1", "钱老师", "分析化学实验：消解"),
}
DISPOSER = {"disposer_name": "鄂州市绿源环保科技有限公司", "disposer_licence": "鄂危废经 4207-0012"}


@transaction.atomic
def load_chemicals() -> int:
    """Create the sample ledgers once; returns how many movements were made."""
    made = 0
    today = timezone.localdate()
    for unit_name, storage_name, kind, keepers, place_name in STORAGES:
        unit = Unit.objects.filter(name=unit_name).first()
        if unit is None or Storage.objects.filter(unit=unit, name=storage_name).exists():
            continue
        recorder, signer = (User.objects.get(username=u) for u in keepers)
        place = None
        if place_name:
            place, _new = Place.objects.get_or_create(
                unit=unit, parent=None, name=place_name, defaults={"kind": "building", "use": "lab"}
            )
        storage = registers.create(
            chemical_registers.STORAGES,
            recorder,
            {
                "unit": unit,
                "name": storage_name,
                "kind": kind,
                "place": place,
                "keeper_one": recorder,
                "keeper_two": signer,
            },
        )
        chemicals = {}
        for name, spec, measure, flags in CATALOGUE[unit_name]:
            data = {"name": name, "spec": spec, "measure": measure, **dict.fromkeys(flags, True)}
            chemicals[name] = registers.create(
                chemical_registers.CHEMICALS, recorder, {"unit": unit, **data}
            )
        for name, what, qty, days, recipient, purpose in MOVEMENTS[unit_name]:
            extra = DISPOSER if what == "waste" else {}
            movement = services.record_movement(
                recorder,
                chemical=chemicals[name],
                storage=storage,
                kind=what,
                quantity=qty,
                occurred_on=today - dt.timedelta(days=days),
                recipient_name=recipient,
                purpose=purpose,
                **extra,
            )
            if movement.needs_second:
                services.confirm_movement(signer, movement.pk, note="双人开锁，已核对品名数量")
            made += 1
        name, what, qty, recipient, purpose = PENDING[unit_name]
        services.record_movement(
            recorder,
            chemical=chemicals[name],
            storage=storage,
            kind=what,
            quantity=qty,
            recipient_name=recipient,
            purpose=purpose,
        )
        made += 1
        # The month-end count: the first chemical a little short, explained.
        lines = [
            {
                "chemical": chem.pk,
                "counted_quantity": services.book_quantity(chem, storage),
                "reason": "",
            }
            for chem in chemicals.values()
        ]
        lines[0]["counted_quantity"] -= 1
        lines[0]["reason"] = "一瓶破损，已按废液处理"
        stocktake = services.create_stocktake(
            recorder, storage, lines=lines, taken_on=today - dt.timedelta(days=5)
        )
        for adjustment in stocktake.movements.filter(needs_second=True):
            services.confirm_movement(signer, adjustment.pk, note="复核盘点差异")
    return made
