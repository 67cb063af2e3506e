from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from xiaoan.accountability.api.views import CommitmentViewSet, DecisionViewSet
from xiaoan.accounts.api import tokens as tokens_api
from xiaoan.accounts.api import views as accounts_api
from xiaoan.activities.api import ActivityViewSet
from xiaoan.alerts.api.intake import AlertmanagerView, AlertSourceViewSet, IntakeView
from xiaoan.alerts.api.views import AlertRuleViewSet, AlertViewSet, SilenceViewSet, WarningViewSet
from xiaoan.audit.api import views as audit_api
from xiaoan.buildings.api import BuildingViewSet
from xiaoan.buses.api import BusCheckViewSet, BusViewSet
from xiaoan.cameras.api import AlarmPointViewSet, CameraViewSet
from xiaoan.certificates.api import CertificateViewSet
from xiaoan.channels.api.views import ChannelViewSet, DeliveryViewSet
from xiaoan.chemicals.api import views as chemicals_api
from xiaoan.closure.api.views import ClosureSampleViewSet
from xiaoan.construction.api import ConstructionProjectViewSet
from xiaoan.core.api import todos as todos_api
from xiaoan.drills.api.views import DrillViewSet
from xiaoan.duties.api import views as duties_api
from xiaoan.emergency.api import EmergencyPlanViewSet, EmergencyTeamViewSet
from xiaoan.equipment.api import EquipmentViewSet
from xiaoan.events.api import EventViewSet
from xiaoan.fireassets.api import FireAssetCheckViewSet, FireAssetViewSet
from xiaoan.hazards.api import views as hazards_api
from xiaoan.hotwork.api.views import HotWorkPermitViewSet
from xiaoan.incidents.api.views import DutyRosterViewSet, IncidentViewSet
from xiaoan.indicators.api import views as indicators_api
from xiaoan.inspections.api import exports as inspection_exports_api
from xiaoan.inspections.api import schedules as schedules_api
from xiaoan.inspections.api import views as inspections_api
from xiaoan.inspections.api.coverage import CoverageView
from xiaoan.lawsafety.api import CounsellorViewSet, LegalVicePrincipalViewSet, PoliceRoomViewSet
from xiaoan.orgs.api import views as orgs_api
from xiaoan.plans.api import views as plans_api
from xiaoan.publicreports.api import views as public_reports_api
from xiaoan.publicreports.api.views import PublicReportViewSet
from xiaoan.reportcalls.api.views import ReportCallViewSet, ReportViewSet
from xiaoan.reports.api import views as reports_api
from xiaoan.risks.api.views import RiskPointViewSet
from xiaoan.security.api import SecurityPostureViewSet
from xiaoan.studentcases.api.views import (
    BullyingCaseViewSet,
    ConflictScreeningViewSet,
    StudentCaseViewSet,
)
from xiaoan.traffic.api import TrafficAgreementViewSet
from xiaoan.training.api import TrainingCheckinView, TrainingViewSet
from xiaoan.vehicles.api import CampusVehicleViewSet
from xiaoan.waters.api import WaterViewSet

router = DefaultRouter()
router.register("units", orgs_api.UnitViewSet, basename="unit")
router.register("users", accounts_api.UserViewSet, basename="user")
router.register("role-assignments", accounts_api.RoleAssignmentViewSet, basename="roleassignment")
router.register("roles", accounts_api.RoleViewSet, basename="role")
router.register("hazards", hazards_api.HazardViewSet, basename="hazard")
router.register(
    "hazard-extensions", hazards_api.HazardExtensionViewSet, basename="hazard-extension"
)
# Before the inspections themselves: /inspections/export/ must not be read as an id.
router.register(
    "inspections", inspection_exports_api.InspectionExportViewSet, basename="inspection-export"
)
router.register("inspections", inspections_api.InspectionViewSet, basename="inspection")
router.register("checklists", inspections_api.ChecklistViewSet, basename="checklist")
router.register(
    "inspection-schedules", schedules_api.ScheduleViewSet, basename="inspection-schedule"
)
router.register("unannounced-draws", schedules_api.DrawViewSet, basename="unannounced-draw")
router.register("duties", duties_api.DutyViewSet, basename="duty")
router.register("obligations", duties_api.ObligationViewSet, basename="obligation")
router.register("plans", plans_api.PlanViewSet, basename="plan")
router.register("plan-tasks", plans_api.TaskViewSet, basename="plan-task")
router.register("plan-assignments", plans_api.AssignmentViewSet, basename="plan-assignment")
router.register("indicators", indicators_api.IndicatorViewSet, basename="indicator")
router.register(
    "indicator-values", indicators_api.IndicatorValueViewSet, basename="indicator-value"
)
router.register("audit", audit_api.AuditEntryViewSet, basename="audit")
router.register("chemicals", chemicals_api.ChemicalViewSet, basename="chemical")
router.register("chemical-storages", chemicals_api.StorageViewSet, basename="chemical-storage")
router.register("chemical-movements", chemicals_api.MovementViewSet, basename="chemical-movement")
router.register(
    "chemical-stocktakes", chemicals_api.StocktakeViewSet, basename="chemical-stocktake"
)
router.register("buildings", BuildingViewSet, basename="building")
router.register("equipment", EquipmentViewSet, basename="equipment")
router.register("fire-assets", FireAssetViewSet, basename="fire-asset")
router.register("fire-asset-checks", FireAssetCheckViewSet, basename="fire-asset-check")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("hot-work-permits", HotWorkPermitViewSet, basename="hot-work-permit")
router.register("emergency-plans", EmergencyPlanViewSet, basename="emergency-plan")
router.register("emergency-teams", EmergencyTeamViewSet, basename="emergency-team")
router.register("cameras", CameraViewSet, basename="camera")
router.register("alarm-points", AlarmPointViewSet, basename="alarm-point")
router.register("waters", WaterViewSet, basename="water")
router.register("campus-vehicles", CampusVehicleViewSet, basename="campus-vehicle")
router.register("traffic-agreements", TrafficAgreementViewSet, basename="traffic-agreement")
router.register("buses", BusViewSet, basename="bus")
router.register("bus-checks", BusCheckViewSet, basename="bus-check")
router.register("events", EventViewSet, basename="event")
router.register(
    "construction-projects", ConstructionProjectViewSet, basename="construction-project"
)
router.register("security-postures", SecurityPostureViewSet, basename="security-posture")
router.register("legal-vice-principals", LegalVicePrincipalViewSet, basename="legal-vice-principal")
router.register("police-rooms", PoliceRoomViewSet, basename="police-room")
router.register("counsellors", CounsellorViewSet, basename="counsellor")
router.register("trainings", TrainingViewSet, basename="training")
router.register("activities", ActivityViewSet, basename="activity")
router.register("drills", DrillViewSet, basename="drill")
router.register("student-cases", StudentCaseViewSet, basename="student-case")
router.register("bullying-cases", BullyingCaseViewSet, basename="bullying-case")
router.register("conflict-screenings", ConflictScreeningViewSet, basename="conflict-screening")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("public-reports", PublicReportViewSet, basename="publicreport")
router.register("duty-rosters", DutyRosterViewSet, basename="duty-roster")
router.register("closure-samples", ClosureSampleViewSet, basename="closure-sample")
router.register("channels", ChannelViewSet, basename="channel")
router.register("deliveries", DeliveryViewSet, basename="delivery")
router.register("alerts", AlertViewSet, basename="alert")
router.register("alert-rules", AlertRuleViewSet, basename="alertrule")
router.register("alert-sources", AlertSourceViewSet, basename="alertsource")
router.register("silences", SilenceViewSet, basename="silence")
router.register("alert-warnings", WarningViewSet, basename="alertwarning")
# Commitments first: "accountability/commitments/" is not a decision's id.
router.register("accountability/commitments", CommitmentViewSet, basename="commitment")
router.register("accountability", DecisionViewSet, basename="decision")
router.register("report-calls", ReportCallViewSet, basename="report-call")
router.register("reports", ReportViewSet, basename="report")
router.register("risk-points", RiskPointViewSet, basename="risk-point")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", accounts_api.obtain_token, name="token"),
    path("auth/password/", accounts_api.change_password, name="password"),
    path("auth/tokens/", tokens_api.token_list, name="token-list"),
    path("auth/tokens/<int:pk>/", tokens_api.token_revoke, name="token-detail"),
    path("me/", accounts_api.me, name="me"),
    path("todos/", todos_api.todos, name="todos"),
    path("dashboard/", reports_api.dashboard, name="dashboard"),
    # Before the router: "coverage" would otherwise be taken for an inspection id.
    path("inspections/coverage/", CoverageView.as_view(), name="inspection-coverage"),
    path("obligations/overview/", duties_api.OverviewView.as_view(), name="obligation-overview"),
    path("trainings/checkin/", TrainingCheckinView.as_view(), name="training-checkin"),
    path("alerts/intake/", IntakeView.as_view(), name="alert-intake"),
    path("alerts/alertmanager/", AlertmanagerView.as_view(), name="alert-alertmanager"),
    # 群众举报, no account.
    path(
        "public/schools/<str:token>/",
        public_reports_api.PublicFormView.as_view(),
        name="public-report-form",
    ),
    path(
        "public/schools/<str:token>/reports/",
        public_reports_api.PublicSubmitView.as_view(),
        name="public-report-submit",
    ),
    path(
        "public/receipts/",
        public_reports_api.PublicReceiptView.as_view(),
        name="public-report-receipt",
    ),
    path("", include(router.urls)),
]
