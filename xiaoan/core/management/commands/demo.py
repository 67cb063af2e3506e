from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xiaoan.accountability.demo import load_accountability
from xiaoan.activities.demo import load_activities
from xiaoan.alerts.demo import load_alerts
from xiaoan.buildings.demo import load_buildings
from xiaoan.buses.demo import load_buses
from xiaoan.cameras.demo import load_cameras
from xiaoan.certificates.demo import load_certificates
from xiaoan.chemicals.demo import load_chemicals
from xiaoan.closure.demo import load_closure
from xiaoan.construction.demo import load_construction
from xiaoan.drills.demo import load_drills
from xiaoan.duties.demo import load_duties
from xiaoan.emergency.demo import load_emergency
from xiaoan.equipment.demo import load_equipment
from xiaoan.events.demo import load_events
from xiaoan.fireassets.demo import load_fire_assets
from xiaoan.hazards.demo import load_hazards
from xiaoan.hotwork.demo import load_hot_work
from xiaoan.incidents.demo import load_incidents
from xiaoan.inspections.demo import load_inspections
from xiaoan.lawsafety.demo import load_lawsafety
from xiaoan.orgs.demo import DEMO_PASSWORD, PEOPLE, load_demo
from xiaoan.publicreports.demo import load_public_reports
from xiaoan.reportcalls.demo import load_reportcalls
from xiaoan.risks.demo import load_risks
from xiaoan.security.demo import load_security
from xiaoan.studentcases.demo import load_student_cases
from xiaoan.traffic.demo import load_traffic
from xiaoan.training.demo import load_training
from xiaoan.vehicles.demo import load_vehicles
from xiaoan.waters.demo import load_waters


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
            self.stdout.write(_("危化品台账：新建出入库记录 %(n)d 笔。") % {"n": load_chemicals()})
            # After the hazards: their sample ledger is made only for a school without any.
            self.stdout.write(_("台账：新建楼栋档案 %(b)d 份。") % {"b": load_buildings()})
            self.stdout.write(_("台账：新建消防器材 %(f)d 件。") % {"f": load_fire_assets()})
            self.stdout.write(_("台账：新建持证记录 %(c)d 条。") % {"c": load_certificates()})
            # After the certificates: its operators are linked to them.
            self.stdout.write(_("台账：新建特种设备档案 %(e)d 份。") % {"e": load_equipment()})
            self.stdout.write(_("动火作业：新建许可 %(p)d 张。") % {"p": load_hot_work()})
            self.stdout.write(
                _("台账：新建应急预案 %(p)d 份，应急队伍 %(t)d 支。") % load_emergency()
            )
            self.stdout.write(
                _("台账：新建监控点位 %(cameras)d 个，一键报警点位 %(alarms)d 个。")
                % load_cameras()
            )
            self.stdout.write(_("台账：新建重点水域 %(w)d 处。") % {"w": load_waters()})
            self.stdout.write(_("台账：新建校园车辆 %(v)d 辆。") % {"v": load_vehicles()})
            self.stdout.write(_("台账：新建交通安全责任书 %(t)d 个班级。") % {"t": load_traffic()})
            # After the certificates: the buses' drivers and escorts are linked to them.
            self.stdout.write(_("台账：新建校车 %(n)d 辆。") % {"n": load_buses()})
            self.stdout.write(_("台账：新建大型活动 %(n)d 项。") % {"n": load_events()})
            self.stdout.write(_("台账：新建校园施工项目 %(n)d 个。") % {"n": load_construction()})
            self.stdout.write(_("安防建设：新建申报 %(n)d 份。") % {"n": load_security()})
            self.stdout.write(_("应急演练：新建演练 %(n)d 次。") % {"n": load_drills()})
            self.stdout.write(_("学生安全个案：新建个案 %(n)d 个。") % {"n": load_student_cases()})
            self.stdout.write(_("事件与值班：新建事件 %(n)d 起。") % {"n": load_incidents()})
            self.stdout.write(_("销号复核：新建抽样 %(n)d 次。") % {"n": load_closure()})
            self.stdout.write(_("风险分级管控：新建风险点 %(n)d 个。") % {"n": load_risks()})
            self.stdout.write(_("预警处置：新建预警 %(n)d 条。") % {"n": load_alerts()})
            self.stdout.write(
                _(
                    "台账：新建法治副校长 %(v)d 名（活动 %(a)d 次），警务室 %(r)d 个，"
                    "心理健康教师 %(c)d 名。"
                )
                % load_lawsafety()
            )
            self.stdout.write(_("安全培训：新建培训 %(n)d 场。") % {"n": load_training()})
            self.stdout.write(_("安全教育：新建活动记录 %(n)d 条。") % {"n": load_activities()})
            self.stdout.write(_("约谈问责：新建决定 %(n)d 份。") % {"n": load_accountability()})
            made, page = load_public_reports()
            self.stdout.write(
                _("群众举报：新建举报 %(n)d 件，梁子湖高级中学举报页面 %(p)s。")
                % {"n": made, "p": page}
            )
            # Last: the drafts' figures read what the others made.
            self.stdout.write(_("上报材料：新建上报材料 %(n)d 份。") % {"n": load_reportcalls()})
        self.stdout.write(_("演示账号（密码均为 %(pw)s）：") % {"pw": DEMO_PASSWORD})
        for username, name, mobile, _unit, _role, _scope, _desc, about in PEOPLE:
            login = f"{username}" + (f" / {mobile}" if mobile else "")
            self.stdout.write(f"  {login:<34} {name:<8} {about}")
