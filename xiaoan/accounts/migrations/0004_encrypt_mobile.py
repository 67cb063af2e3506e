"""Mobile numbers encrypted at rest (SM4-GCM); uniqueness and lookups move to mobile_hash.

Order: add the hash column (not yet unique), turn both mobile columns (user and its history)
into text without the unique constraint, encrypt every existing value and fill the hashes,
then make the hash unique. Reversible: the reverse step writes the plain numbers back.
"""

import django.core.validators
from django.db import migrations, models
from django.db.models.functions import Cast

import xiaoan.core.fields
from xiaoan.core import crypto

BATCH = 500


def _alias(schema_editor) -> str:
    return schema_editor.connection.alias if schema_editor is not None else "default"


def _raw_rows(model, alias: str):
    # The column as stored (Cast skips the field's decryption), in primary key order.
    return (
        model._base_manager.using(alias)
        .annotate(raw=Cast("mobile", models.TextField()))
        .filter(raw__isnull=False)
        .order_by("pk")
        .values_list("pk", "raw")
        .iterator(chunk_size=BATCH)
    )


def encrypt_mobiles(apps, schema_editor) -> None:
    """Encrypt plain mobile numbers of users and historical users; fill users' mobile_hash."""
    alias = _alias(schema_editor)
    for name in ("User", "HistoricalUser"):
        model = apps.get_model("accounts", name)
        with_hash = name == "User"
        for pk, raw in list(_raw_rows(model, alias)):
            if crypto.is_encrypted(raw):
                continue  # already converted: the function can run twice
            changes = {"mobile": raw or None}  # the field encrypts on the way in
            if with_hash:
                changes["mobile_hash"] = crypto.lookup_hash(raw) if raw else None
            model._base_manager.using(alias).filter(pk=pk).update(**changes)


def decrypt_mobiles(apps, schema_editor) -> None:
    alias = _alias(schema_editor)
    for name in ("User", "HistoricalUser"):
        model = apps.get_model("accounts", name)
        for pk, raw in list(_raw_rows(model, alias)):
            if not crypto.is_encrypted(raw):
                continue
            plain = models.Value(crypto.decrypt(raw), output_field=models.TextField())
            model._base_manager.using(alias).filter(pk=pk).update(mobile=plain)


def _mobile():
    return xiaoan.core.fields.EncryptedCharField(
        blank=True,
        max_length=11,
        null=True,
        validators=[django.core.validators.RegexValidator("^1\\d{10}$", "请输入11位手机号码。")],
        verbose_name="手机号码",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_account_security"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="mobile_hash",
            field=xiaoan.core.fields.LookupHashField(
                blank=True,
                editable=False,
                max_length=80,
                null=True,
                source="mobile",
                verbose_name="手机号码",
            ),
        ),
        migrations.AlterField(model_name="historicaluser", name="mobile", field=_mobile()),
        migrations.AlterField(model_name="user", name="mobile", field=_mobile()),
        migrations.RunPython(encrypt_mobiles, decrypt_mobiles, elidable=False),
        migrations.AlterField(
            model_name="user",
            name="mobile_hash",
            field=xiaoan.core.fields.LookupHashField(
                blank=True,
                editable=False,
                error_messages={"unique": "该手机号码已被使用。"},
                max_length=80,
                null=True,
                source="mobile",
                unique=True,
                verbose_name="手机号码",
            ),
        ),
    ]
