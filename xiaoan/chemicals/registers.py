"""The hazardous-chemicals catalogue and its storages (专室/专柜) as registers
(xiaoan.core.registers): their pages, API, Excel sheets, retirement, due dates and subject
links come from the layer; the stock ledger (movements, second signature, stocktakes,
balances, the 台账 export) is this app's own and shows on their record pages."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from xiaoan.chemicals import rules
from xiaoan.chemicals.api.serializers import ChemicalSerializer, StorageSerializer
from xiaoan.chemicals.choices import CHEMICAL_ATTACHMENTS, STORAGE_ATTACHMENTS
from xiaoan.chemicals.filtersets import ChemicalFilterSet, StorageFilterSet
from xiaoan.chemicals.forms import ChemicalForm, StorageForm
from xiaoan.chemicals.models import Balance, Chemical, Storage
from xiaoan.core.registers import Due, Register, SheetColumn, registry


def _chemical_ledger(user, item):
    from xiaoan.chemicals.views import chemical_ledger

    return chemical_ledger(user, item)


def _storage_ledger(user, item):
    from xiaoan.chemicals.views import storage_ledger

    return storage_ledger(user, item)


CHEMICALS = registry.register(
    Register(
        key="chemicals",
        model=Chemical,
        label=_("危化品目录"),
        description=_("危险化学品目录：类别（易燃、爆炸品、剧毒、易制毒、易制爆）、规格与计量单位"),
        form=ChemicalForm,
        serializer=ChemicalSerializer,
        filterset=ChemicalFilterSet,
        list_fields=("name", "spec", "code", "cas_number", "unit", "measure", "controlled"),
        search_fields=("name", "code", "cas_number", "spec"),
        select_related=("unit",),
        prefetch_related=(
            Prefetch("balances", Balance.objects.select_related("storage").order_by("pk")),
        ),
        # The same name in two specifications (500mL and 2.5L) is two entries; a row whose
        # name or spec changed finds its entry by 编号.
        natural_key=("name", "spec"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn(
                "name", _("名称"), 18, aliases=("品名", "化学品名称", "危化品名称"), required=True
            ),
            SheetColumn("spec", _("规格"), 14, aliases=("规格型号", "包装规格")),
            SheetColumn("code", _("编号"), 12, aliases=("目录编号", "序号编码")),
            SheetColumn("cas_number", _("CAS 号"), 14, aliases=("CAS", "CAS号")),
            SheetColumn("measure", _("计量单位"), 8, aliases=("单位（计量）", "计量")),
            SheetColumn("is_flammable", _("易燃"), 6),
            SheetColumn("is_explosive", _("爆炸品"), 6, aliases=("爆炸",)),
            SheetColumn("is_toxic", _("剧毒"), 6, aliases=("剧毒品",)),
            SheetColumn("is_precursor", _("易制毒"), 6),
            SheetColumn("is_explosive_precursor", _("易制爆"), 6),
            SheetColumn("controlled", _("管制类（双人双锁）"), 10, export_only=True),
            SheetColumn("note", _("备注"), 20),
        ],
        attachment_kinds=CHEMICAL_ATTACHMENTS,
        before_retire=rules.chemical_retirable,
        detail_context=_chemical_ledger,
        namespace="chemicals",
        order=30,
    )
)

STORAGES = registry.register(
    Register(
        key="chemical-storages",
        model=Storage,
        label=_("危化品存放点"),
        description=_("危化品专室、专柜及其两名钥匙保管人（双人双锁）、盘点期限"),
        form=StorageForm,
        serializer=StorageSerializer,
        filterset=StorageFilterSet,
        list_fields=(
            "name",
            "code",
            "unit",
            "kind",
            "place",
            "keeper_one",
            "keeper_two",
            "next_stocktake_on",
        ),
        search_fields=("name", "code", "note"),
        select_related=("unit", "place", "keeper_one", "keeper_two"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("name", _("名称"), 18, aliases=("存放点", "存放点名称"), required=True),
            SheetColumn("code", _("编号"), 12),
            SheetColumn("kind", _("类型"), 8, aliases=("专室/专柜",), required=True),
            SheetColumn("place", _("场所"), 16, aliases=("所在场所", "位置")),
            SheetColumn(
                "keeper_one",
                _("保管人（钥匙一）"),
                14,
                aliases=("保管人一", "钥匙一", "保管人1"),
                required=True,
                resolve=rules.keyholder,
            ),
            SheetColumn(
                "keeper_two",
                _("保管人（钥匙二）"),
                14,
                aliases=("保管人二", "钥匙二", "保管人2"),
                required=True,
                resolve=rules.keyholder,
            ),
            SheetColumn("next_stocktake_on", _("下次盘点日期"), 12, export_only=True),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[Due("next_stocktake_on", _("盘点"), warn_days=rules.STOCKTAKE_WARN_DAYS)],
        attachment_kinds=STORAGE_ATTACHMENTS,
        after_save=rules.keep_stocktake_due,
        before_retire=rules.storage_retirable,
        detail_context=_storage_ledger,
        namespace="chemicals",
        order=31,
    )
)
