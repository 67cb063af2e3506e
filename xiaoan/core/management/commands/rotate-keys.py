"""`xiaoan rotate-keys [--dry-run] [--batch N]`: re-encrypt every encrypted field under the
current key and recompute stale lookup hashes.

Rotation: put the new key first in XIAOAN_FIELD_KEYS (keep the old one after it), restart,
run this command, then remove the old key. Safe to run again: values already under the current
key with up-to-date hashes are left alone."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from xiaoan.core import crypto
from xiaoan.core.fields import EncryptedCharField, LookupHashField


@dataclass
class Tally:
    label: str
    values: int = 0
    reencrypted: int = 0
    rehashed: int = 0
    unreadable: int = 0


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedCharField]]:
    """Every encrypted column of every installed model, historical models included."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                found.append((model, field))
    return found


def rotate_field(
    model: type[models.Model], field: EncryptedCharField, *, batch: int, dry_run: bool
) -> Tally:
    tally = Tally(f"{model._meta.label}.{field.name}")
    hashes = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, LookupHashField) and f.source == field.name
    ]
    current = crypto.key_ring().current
    manager = model._base_manager
    last_pk = None
    while True:
        with transaction.atomic():
            rows = manager.order_by("pk").annotate(_raw=Cast(field.attname, models.TextField()))
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            if not dry_run:
                rows = rows.select_for_update()
            page = list(rows.values_list("pk", "_raw", *(h.attname for h in hashes))[:batch])
            if not page:
                return tally
            last_pk = page[-1][0]
            for pk, raw, *stored in page:
                changes = _changes(raw, stored, hashes, current, field, tally)
                if changes and not dry_run:
                    manager.filter(pk=pk).update(**changes)


def _changes(raw, stored, hashes, current, field, tally: Tally) -> dict:
    if raw is None:
        stale = {h.attname: None for h, old in zip(hashes, stored, strict=True) if old is not None}
        tally.rehashed += len(stale)
        return stale
    tally.values += 1
    try:
        stale_key = crypto.key_id_of(raw) != current
        plain = crypto.decrypt(raw) if stale_key or hashes else None
    except crypto.DecryptionError:
        tally.unreadable += 1
        return {}
    changes: dict = {}
    if stale_key:
        changes[field.attname] = plain  # the field encrypts under the current key
        tally.reencrypted += 1
    expected = None if plain in (None, "") else crypto.lookup_hash(plain)
    for h, old in zip(hashes, stored, strict=True):
        if old != expected:
            changes[h.attname] = expected
            tally.rehashed += 1
    return changes


class Command(BaseCommand):
    help = _("用当前密钥重新加密所有加密字段，并更新查询摘要")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help=_("只统计，不写入"))
        parser.add_argument("--batch", type=int, default=500, help=_("每批处理的行数"))

    def handle(self, *args, dry_run: bool, batch: int, **options) -> None:
        if batch < 1:
            raise CommandError(_("--batch 须为正整数。"))
        ring = crypto.key_ring()
        self.stdout.write(
            _("当前密钥：%(key)s；可解密的密钥：%(all)s")
            % {"key": ring.current, "all": ", ".join(ring.keys)}
        )
        unreadable = 0
        for model, field in encrypted_fields():
            tally = rotate_field(model, field, batch=batch, dry_run=dry_run)
            unreadable += tally.unreadable
            if dry_run:
                line = _("%(label)s：共 %(n)d 个值，需重新加密 %(re)d 个，需更新摘要 %(h)d 个")
            else:
                line = _("%(label)s：共 %(n)d 个值，已重新加密 %(re)d 个，已更新摘要 %(h)d 个")
            line = line % {
                "label": tally.label,
                "n": tally.values,
                "re": tally.reencrypted,
                "h": tally.rehashed,
            }
            if tally.unreadable:
                line += _("，无法解密 %(bad)d 个") % {"bad": tally.unreadable}
            self.stdout.write(line)
        if unreadable:
            raise CommandError(
                _(
                    "有 %(bad)d 个值无法解密（密钥不在 XIAOAN_FIELD_KEYS 中或密文被篡改），"
                    "已跳过；请补回旧密钥后再运行。"
                )
                % {"bad": unreadable}
            )
        if dry_run:
            self.stdout.write(_("试运行：未写入任何数据。"))
