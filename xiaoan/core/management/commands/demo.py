from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xiaoan.buildings.demo import load_buildings
from xiaoan.duties.demo import load_duties
from xiaoan.emergency.demo import load_emergency
from xiaoan.hazards.demo import load_hazards
from xiaoan.inspections.demo import load_inspections
from xiaoan.orgs.demo import DEMO_PASSWORD, PEOPLE, load_demo


class Command(BaseCommand):
    help = _("载入演示数据（可重复执行，不会重复创建），并列出演示账号。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--bare", action="store_true", help=_("只建单位和账号，不生成示例隐患和检查。")
        )

    def handle(self, *args, **options):
        created = load_demo()
        self.stdout.write(
            _("演示数据：新建单位 %(units)d 个，账号 %(users)d 个，授权 %(assignments)d 项。")
            % created
        )
        if not options["bare"]:
            hazards, inspections, duties = load_hazards(), load_inspections(), load_duties()
            self.stdout.write(
                _("示例：新建隐患 %(h)d 条，检查 %(i)d 项，常态化任务 %(d)d 项。")
                % {"h": hazards, "i": inspections, "d": duties}
            )
            # After the hazards: their sample ledger is made only for a school without any.
            self.stdout.write(_("台账：新建楼栋档案 %(b)d 份。") % {"b": load_buildings()})
            self.stdout.write(
                _("台账：新建应急预案 %(p)d 份，应急队伍 %(t)d 支。") % load_emergency()
            )
        self.stdout.write(_("演示账号（密码均为 %(pw)s）：") % {"pw": DEMO_PASSWORD})
        for username, name, mobile, _unit, _role, _scope, _desc, about in PEOPLE:
            login = f"{username}" + (f" / {mobile}" if mobile else "")
            self.stdout.write(f"  {login:<34} {name:<8} {about}")
