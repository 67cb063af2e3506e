"""The rules of 群众举报, shared by the public page, the public API, the staff pages and API,
the demo and the to-dos.

Public side (no account):
- A school's channel (`PublicChannel`) is made on first use by its staff; its token is the
  page's address. Rotating it retires the old address (printed posters then answer 404);
  switched off, the page answers 404 as for an unknown token.
- Submitting (`submit`): a signed form token carrying when the form was served (a bot posting
  at once, or a form older than a day, is refused), an empty honeypot field, limits per
  client address and per school (the cache: Redis in production), the text sizes, up to three
  photos through `clean_photo`, and the description and place scrubbed of personal data (ID
  numbers, mobile numbers, e-mail addresses, bank-card numbers). The reporter's own phone
  goes only in its own, encrypted field. The answer is a receipt code shown once; a keyed
  hash of it is kept.
- Following (`receipt`): by the code, limited per address; an unknown code is NotFound, the
  same as anything else. The view holds nothing of staff (no names) nor of other reports.

Staff side: accept (new → accepted: a hazard of the school's ledger, source 群众举报, 待确认,
with the photos), reject (a reason the reporter reads), or mark a duplicate of another report
or a hazard of the same school. Each step is an event and audited; a second accept is 409."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts.throttling import TooManyRequests, bump
from xiaoan.core import crypto, freshness
from xiaoan.core.errors import Forbidden, Invalid, NotFound, field_error
from xiaoan.core.ids import record_id
from xiaoan.core.photo_facts import PhotoFacts, read_facts
from xiaoan.core.photos import clean_photo
from xiaoan.core.todos import own_units
from xiaoan.core.workflow import begin
from xiaoan.hazards.services import photo_checks
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit
from xiaoan.publicreports.choices import (
    DOMAIN_OF,
    ReportAction,
    ReportCategory,
    ReportStatus,
)
from xiaoan.publicreports.models import (
    PublicChannel,
    PublicReport,
    PublicReportPhoto,
)

VIEW, HANDLE, PHONE = (
    "publicreports.view_publicreport",
    "publicreports.handle_publicreport",
    "publicreports.phone_publicreport",
)
CHANNEL_VIEW, CHANNEL_CHANGE = (
    "publicreports.view_publicchannel",
    "publicreports.change_publicchannel",
)
MAX_PHOTOS = 3
MAX_DESCRIPTION = 1000
MIN_DESCRIPTION = 5
MAX_PLACE = 100
MAX_REASON = 500
# Receipt codes: typed from a phone, so no 0/O, 1/I/L.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 10
FORM_SALT = "xiaoan.publicreports.form"
FORM_MAX_AGE = 24 * 3600


def _workflow():
    from xiaoan.publicreports.workflow import PUBLIC_REPORT

    return PUBLIC_REPORT


# ---------------------------------------------------------------- channels


def _new_token() -> str:
    return secrets.token_urlsafe(16)  # 128 bits: not guessable, not enumerable


def channel_units(actor: Any, perm: str = CHANNEL_VIEW):
    """The schools whose channel the person may see (or, with CHANNEL_CHANGE, manage)."""
    return Unit.objects.with_permission(actor, perm).filter(kind=UnitKind.SCHOOL, is_active=True)


def channel_for(actor: Any, unit_pk: Any, perm: str = CHANNEL_VIEW) -> PublicChannel:
    """The school's channel (made now if it has none): 404 outside the person's scope. To
    change it (`CHANNEL_CHANGE`) the person must be one of the school's own people with the
    right (a bureau above reads it): else 403 when they see the school."""
    pk = record_id(unit_pk)
    unit = channel_units(actor, CHANNEL_VIEW if perm == CHANNEL_CHANGE else perm)
    unit = unit.filter(pk=pk).first()
    if perm == CHANNEL_CHANGE and (unit is None or pk not in own_units(actor, perm)):
        if Unit.objects.restrict(actor).filter(pk=pk).exists():
            raise Forbidden(_("群众举报入口由学校自行管理。"))
        raise NotFound()
    if unit is None:
        raise NotFound()
    return ensure_channel(unit)


def ensure_channel(unit: Unit) -> PublicChannel:
    channel, _created = PublicChannel.objects.get_or_create(
        unit=unit, defaults={"token": _new_token()}
    )
    return channel


@transaction.atomic
def rotate(actor: Any, unit_pk: Any) -> PublicChannel:
    """A new address: the old one (and posters printed with it) stops working."""
    from xiaoan.audit import services as audit

    channel = channel_for(actor, unit_pk, CHANNEL_CHANGE)
    channel = PublicChannel.objects.select_for_update().get(pk=channel.pk)
    channel.token, channel.rotated_at = _new_token(), timezone.now()
    channel.save(update_fields=["token", "rotated_at", "updated_at"])
    audit.record("change", actor=actor, obj=channel, unit=channel.unit_id,
                 detail={"publicchannel": "rotate"})  # fmt: skip
    return channel


@transaction.atomic
def set_enabled(actor: Any, unit_pk: Any, *, enabled: bool) -> PublicChannel:
    from xiaoan.audit import services as audit

    channel = channel_for(actor, unit_pk, CHANNEL_CHANGE)
    PublicChannel.objects.filter(pk=channel.pk).update(enabled=bool(enabled))
    channel.enabled = bool(enabled)
    audit.record("change", actor=actor, obj=channel, unit=channel.unit_id,
                 detail={"publicchannel": "on" if enabled else "off"})  # fmt: skip
    return channel


def open_channel(token: Any) -> PublicChannel:
    """The open channel at `token`; NotFound for an unknown, retired or closed one alike."""
    text = str(token or "")
    if not text or len(text) > 40:
        raise NotFound()
    channel = (
        PublicChannel.objects.select_related("unit")
        .filter(token=text, enabled=True, unit__is_active=True)
        .first()
    )
    if channel is None:
        raise NotFound()
    return channel


# ---------------------------------------------------------------- abuse limits


def _parse_rate(rate: str) -> tuple[int, int] | None:
    if not rate:
        return None
    count, _slash, period = rate.partition("/")
    seconds = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400,
               "day": 86400}[period]  # fmt: skip
    return int(count), seconds


def _bucket(kind: str, ident: str, rate: str) -> tuple[str, int, int] | None:
    parsed = _parse_rate(rate)
    if parsed is None:
        return None
    limit, seconds = parsed
    window = int(time.time()) // seconds
    digest = hashlib.sha256(ident.encode()).hexdigest()[:24]  # no raw address in the cache
    return f"xiaoan:publicreports:{kind}:{digest}:{window}", limit, seconds


def _count(kind: str, ident: str, rate: str) -> int:
    """Add one to the window's counter and return it (fixed windows)."""
    bucket = _bucket(kind, ident, rate)
    if bucket is None:
        return 0
    key, _limit, seconds = bucket
    return bump(key, seconds + 5)


def _over(kind: str, ident: str, rate: str) -> bool:
    bucket = _bucket(kind, ident, rate)
    if bucket is None:
        return False
    key, limit, _seconds = bucket
    return (cache.get(key) or 0) >= limit


def _limit(rate: str) -> int:
    parsed = _parse_rate(rate)
    return parsed[0] if parsed else 0


def _throttle_address(kind: str, address: str, rate: str) -> None:
    if _limit(rate) and _count(kind, address or "unknown", rate) > _limit(rate):
        raise TooManyRequests(_("提交过于频繁，请稍后再试。"))


# ---------------------------------------------------------------- the form token


def form_token(channel: PublicChannel, issued: int | None = None) -> str:
    """Signed: which channel the form was served for and when (`issued`: the demo's)."""
    issued = int(time.time()) if issued is None else issued
    return signing.dumps({"c": channel.pk, "t": issued}, salt=FORM_SALT)


def _check_form_token(channel: PublicChannel, value: Any) -> None:
    refused = _("页面已过期或提交过快，请刷新页面后重新填写。")
    try:
        data = signing.loads(str(value or ""), salt=FORM_SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        raise field_error(refused, "form_token") from None
    if not isinstance(data, dict) or data.get("c") != channel.pk:
        raise field_error(refused, "form_token")
    issued = data.get("t")
    if (
        not isinstance(issued, int)
        or time.time() - issued < settings.XIAOAN_PUBLIC_REPORT_MIN_SECONDS
    ):
        raise field_error(refused, "form_token")


# ---------------------------------------------------------------- personal data


_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}\d{7}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_CARD = re.compile(r"(?<!\d)\d(?:[\s-]?\d){11,18}(?!\d)")
_PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}\d{7,8}")


def scrub(text: str) -> str:
    """The text with personal data masked: mainland ID numbers, mobile numbers, e-mail
    addresses, bank-card-like digit runs (12 to 19 digits)."""
    text = _ID_NUMBER.sub(_("〔身份证号已隐去〕"), text)
    text = _MOBILE.sub(_("〔手机号已隐去〕"), text)
    text = _EMAIL.sub(_("〔邮箱已隐去〕"), text)
    return _CARD.sub(_("〔号码已隐去〕"), text)


def clean_phone(value: Any) -> str:
    phone = re.sub(r"[\s-]", "", str(value or ""))
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not _PHONE.fullmatch(phone):
        raise field_error(_("请填写正确的手机号或固定电话（可不填）。"), "phone")
    return phone


def masked_phone(phone: str) -> str:
    if not phone:
        return ""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"


def phone_for(actor: Any, report: PublicReport) -> str:
    """The number as this person may read it: in full for the school's own people with the
    right, masked for everyone else (a bureau reads the report, not the number)."""
    if not report.phone:
        return ""
    if report.unit_id in own_units(actor, PHONE):
        return report.phone
    return masked_phone(report.phone)


# ---------------------------------------------------------------- submitting


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(RECEIPT_LENGTH))


def receipt_hash(code: str) -> str:
    return crypto.lookup_hash("publicreport:" + normal_receipt(code))


def normal_receipt(code: Any) -> str:
    return re.sub(r"[\s-]", "", str(code or "")).upper()[:40]


def _text(value: Any, field: str, label: str, limit: int, minimum: int = 0) -> str:
    text = str(value or "").strip()
    if len(text) < minimum:
        raise field_error(
            _("请填写%(what)s（至少 %(n)d 个字）。") % {"what": label, "n": minimum}, field
        )
    if len(text) > limit:
        raise field_error(_("%(what)s不超过 %(n)d 个字。") % {"what": label, "n": limit}, field)
    return text


@dataclass
class Submitted:
    report: PublicReport
    receipt: str


def submit(
    token: Any,
    *,
    address: str,
    form_token: Any,
    website: Any = "",
    category: Any,
    description: Any,
    place: Any = "",
    phone: Any = "",
    photos: Any = (),
) -> Submitted:
    """A report from the public page or API: checked as the module says. Raises NotFound
    (closed or unknown channel), TooManyRequests (429) or Invalid (400)."""
    channel = open_channel(token)
    _throttle_address("address", address, settings.XIAOAN_PUBLIC_REPORT_RATE_ADDRESS)
    if str(website or "").strip():  # the honeypot
        raise Invalid(_("提交未通过校验，请刷新页面后重试。"))
    _check_form_token(channel, form_token)
    school_rate = settings.XIAOAN_PUBLIC_REPORT_RATE_SCHOOL
    if _over("school", str(channel.unit_id), school_rate):
        raise TooManyRequests(_("该校今日收到的举报已达上限，请稍后再试或拨打学校电话。"))
    if category not in ReportCategory.values:
        raise field_error(_("请选择问题类别。"), "category")
    description = scrub(_text(description, "description", _("问题描述"), MAX_DESCRIPTION,
                              MIN_DESCRIPTION))  # fmt: skip
    place = scrub(_text(place, "place", _("地点"), MAX_PLACE))
    phone = clean_phone(phone)
    photos = [p for p in (photos or ()) if p]
    if len(photos) > MAX_PHOTOS:
        raise field_error(_("照片最多 %(n)d 张。") % {"n": MAX_PHOTOS}, "photos")
    cleaned = []
    for upload in photos:
        raw = upload.read()
        upload.seek(0)  # clean_photo reads it again
        content, width, height = clean_photo(upload)
        cleaned.append((content, width, height, hashlib.sha256(raw).hexdigest(), read_facts(raw)))
    with transaction.atomic():
        receipt = new_receipt()
        report = PublicReport.objects.create(
            unit=channel.unit,
            category=category,
            description=description,
            place=place,
            phone=phone,
            receipt_hash=receipt_hash(receipt),
        )
        since = timezone.now() - dt.timedelta(days=1)
        for content, width, height, digest, facts in cleaned:
            seen = PublicReportPhoto.objects.filter(
                report__unit_id=channel.unit_id, sha256=digest, created_at__gte=since
            ).exists()
            photo = PublicReportPhoto(
                report=report,
                width=width,
                height=height,
                sha256=digest,
                taken_at=facts.taken_at,
                latitude=facts.latitude,
                longitude=facts.longitude,
                phash=facts.phash,
                flags=photo_checks.check_report(channel.unit, facts, resent=seen),
            )
            photo.image.save(content.name, content, save=False)
            photo.save()
        _workflow().advance(
            report, None, ReportAction.SUBMIT, to=None, created=True, audited=False,
            data={"photos": len(cleaned)},
        )  # fmt: skip
    _count("school", str(channel.unit_id), school_rate)
    return Submitted(report, receipt)


# ---------------------------------------------------------------- the reporter's view


@dataclass
class ReceiptView:
    """What the reporter sees: no staff names, no other report."""

    number: str
    received_at: dt.datetime
    category: str
    status: str
    status_label: str
    reason: str
    progress: str


def _progress(hazard: Any) -> str:
    from xiaoan.hazards.choices import HazardStatus

    if hazard is None:
        return ""
    if hazard.status == HazardStatus.CLOSED:
        return _("已整改销号")
    if hazard.status == HazardStatus.DISMISSED:
        return _("经学校核查，不构成安全隐患")
    if hazard.status == HazardStatus.REPORTED:
        return _("已登记，学校正在核实")
    return _("整改中")


def receipt(code: Any, *, address: str) -> ReceiptView:
    """The report of a receipt code; NotFound for a wrong code, 429 past the limit."""
    _throttle_address("receipt", address, settings.XIAOAN_PUBLIC_RECEIPT_RATE)
    code = normal_receipt(code)
    if len(code) != RECEIPT_LENGTH:
        raise NotFound()
    report = (
        PublicReport.objects.select_related("hazard", "duplicate_of__hazard")
        .filter(receipt_hash=receipt_hash(code))
        .first()
    )
    if report is None:
        raise NotFound()
    hazard = report.hazard
    reason = report.reason
    if report.status == ReportStatus.DUPLICATE:
        hazard = hazard or (report.duplicate_of.hazard if report.duplicate_of else None)
        reason = reason or _("与已收到的举报或学校已掌握的隐患重复，已合并处理。")
    waiting = report.status == ReportStatus.NEW
    return ReceiptView(
        number=report.number,
        received_at=report.created_at,
        category=report.get_category_display(),
        status=report.status,
        status_label=_("已收到，待学校确认") if waiting else report.get_status_display(),
        reason="" if waiting else reason,
        progress=_progress(hazard),
    )


# ---------------------------------------------------------------- staff steps


def may_handle(actor: Any, report: PublicReport) -> bool:
    """The school's own people with the right decide; a bureau above reads and supervises."""
    return report.unit_id in own_units(actor, HANDLE)


def _handler_only(actor: Any, report: PublicReport) -> None:
    if not may_handle(actor, report):
        raise Forbidden(_("群众举报由学校自行受理，上级单位可查看和督促。"))


def _photo_files(report: PublicReport) -> list[File]:
    files = []
    for photo in report.photos.all():
        try:
            handle = photo.image.open("rb")
        except OSError:
            continue
        handed = File(handle, name="photo.jpg")
        # The stored copy has no EXIF: the hazard keeps what was read from the upload.
        handed.photo_facts = PhotoFacts(
            photo.taken_at, photo.latitude, photo.longitude, photo.phash
        )
        files.append(handed)
    return files


@transaction.atomic
def accept(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> PublicReport:
    """受理: the report becomes a hazard of the school's ledger (待确认, source 群众举报), once."""
    from xiaoan.hazards import services as hazard_services
    from xiaoan.hazards.choices import HazardSource

    report = begin(actor, PublicReport, pk, "accept", version)
    _handler_only(actor, report)
    note = _text(note, "note", _("受理意见"), MAX_REASON)
    description = _("%(text)s（群众举报 %(n)s，%(c)s%(p)s）") % {
        "text": report.description,
        "n": report.number,
        "c": report.get_category_display(),
        "p": _("，地点：%(p)s") % {"p": report.place} if report.place else "",
    }
    files = _photo_files(report)
    try:
        report.hazard = hazard_services.record_finding(
            actor,
            report.unit,
            description=description,
            source=HazardSource.PUBLIC,
            domain=DOMAIN_OF.get(report.category, ""),
            category=_("群众举报"),
            photos=files,
            idempotency_key=f"publicreport-{report.pk}",
            found_at=report.created_at,
        )
    finally:
        for handle in files:
            handle.close()
    report.reason = note
    report.handled_by, report.handled_at = actor, timezone.now()
    _workflow().advance(report, actor, ReportAction.ACCEPT, note=note,
                        data={"hazard": report.hazard_id})  # fmt: skip
    freshness.changed([report.unit_id])
    return report


@transaction.atomic
def reject(actor: Any, pk: Any, *, reason: str, version: int | None = None) -> PublicReport:
    """不予受理: the reason is shown to the reporter."""
    report = begin(actor, PublicReport, pk, "reject", version)
    _handler_only(actor, report)
    report.reason = _text(reason, "reason", _("不予受理的理由"), MAX_REASON, 2)
    report.handled_by, report.handled_at = actor, timezone.now()
    _workflow().advance(report, actor, ReportAction.REJECT, note=report.reason)
    return report


@transaction.atomic
def mark_duplicate(
    actor: Any,
    pk: Any,
    *,
    duplicate_of: Any = None,
    hazard: Any = None,
    note: str = "",
    version: int | None = None,
) -> PublicReport:
    """重复: of another report of the same school (accepted or new) or of a hazard of its
    ledger; the reporter then follows that hazard's progress."""
    from xiaoan.hazards.models import Hazard

    report = begin(actor, PublicReport, pk, "mark_duplicate", version)
    _handler_only(actor, report)
    if bool(duplicate_of) == bool(hazard):
        raise field_error(_("请填写重复的举报编号或隐患编号（二选一）。"), "duplicate_of")
    if duplicate_of:
        other = _find_report(actor, report, duplicate_of)
        if other is None:
            raise field_error(_("找不到本校的该举报。"), "duplicate_of")
        report.duplicate_of = other
        report.hazard = None
    else:
        found = _find_hazard(actor, report, hazard, Hazard)
        if found is None:
            raise field_error(_("找不到本校的该隐患。"), "hazard")
        report.hazard = found
    report.reason = _text(note, "note", _("说明"), MAX_REASON)
    report.handled_by, report.handled_at = actor, timezone.now()
    _workflow().advance(
        report, actor, ReportAction.MARK_DUPLICATE, note=report.reason,
        data={"duplicate_of": report.duplicate_of_id, "hazard": report.hazard_id},
    )  # fmt: skip
    return report


def _find_report(actor: Any, report: PublicReport, value: Any) -> PublicReport | None:
    text = str(value).strip().upper()
    rows = PublicReport.objects.restrict(actor, "view").filter(unit_id=report.unit_id)
    match = re.fullmatch(r"(?:JB\d{8}-)?0*(\d{1,12})", text)
    if match is None:
        return None
    found = rows.filter(pk=int(match.group(1))).exclude(pk=report.pk).first()
    if found is None or found.status in (ReportStatus.REJECTED,):
        return None
    return found


def _find_hazard(actor: Any, report: PublicReport, value: Any, model: Any) -> Any:
    text = str(value).strip().upper()[:40]
    rows = model.objects.filter(unit_id=report.unit_id)
    if text.isdigit() and len(text) <= 12:
        return rows.filter(pk=int(text)).first()
    return rows.filter(number=text).first()


# ---------------------------------------------------------------- reading


def load(actor: Any, pk: Any) -> PublicReport:
    pk = record_id(pk)
    report = (
        PublicReport.objects.restrict(actor, "view")
        .select_related("unit", "hazard", "duplicate_of", "handled_by")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise NotFound()
    return report


def audit_read(actor: Any, report: PublicReport, how: str) -> None:
    """A report page or API record read: the reporter's words and number are personal."""
    from xiaoan.audit import services as audit

    audit.record("other", actor=actor, obj=report, detail={"read": how})


def audit_list(actor: Any, reports: list[PublicReport], how: str) -> None:
    """A list read: one entry naming the reports shown (their numbers only)."""
    from xiaoan.audit import services as audit

    if not reports:
        return
    units = {r.unit_id for r in reports}
    detail = {"read": how, "count": len(reports), "records": [r.number for r in reports]}
    audit.record("other", actor=actor, unit=units.pop() if len(units) == 1 else None,
                 detail=detail)  # fmt: skip


def photo_of(actor: Any, pk: Any, photo_pk: Any) -> PublicReportPhoto:
    report = load(actor, pk)
    photo = report.photos.filter(pk=record_id(photo_pk)).first()
    if photo is None:
        raise NotFound()
    return photo


def hazard_origin(user: Any, hazard: Any) -> tuple[str, str] | None:
    """The public report the hazard was accepted from, when the person may read it."""
    from django.urls import reverse

    report = (
        PublicReport.objects.restrict(user, "view")
        .filter(hazard_id=hazard.pk, status=ReportStatus.ACCEPTED)
        .first()
    )
    if report is None:
        return None
    return (
        _("群众举报：%(n)s") % {"n": report.number},
        reverse("publicreports:publicreport_detail", args=[report.pk]),
    )


def unhandled(queryset, days: int = 2):
    """Reports still 待确认 after `days` days (the dashboard's figure)."""
    return queryset.filter(
        status=ReportStatus.NEW, created_at__lt=timezone.now() - dt.timedelta(days=days)
    )
