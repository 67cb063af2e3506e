"""Encrypted model fields and their lookup hashes.

The pattern, for any sensitive value (mobile numbers, ID numbers, a minor's personal data):

    class Person(HashedLookupsMixin, models.Model):
        id_number = EncryptedCharField(_("身份证号"), max_length=18, null=True, blank=True)
        id_number_hash = LookupHashField(source="id_number", unique=True, null=True)

- The column holds `sm4gcm:…` ciphertext (xiaoan.core.crypto); the attribute holds plain text.
- Ciphertexts of one value differ (random nonce), so lookups on the encrypted field are refused
  except `isnull`; filter on the companion instead: `Person.objects.filter(
  id_number_hash__matches="1101…")` hashes the plain value. The same works in DRF
  `search_fields` ("id_number_hash__matches") as an exact match.
- The hash is filled from the plain value on every save and bulk_create. Normalise the value
  (case, spaces) before saving, and look up with the same normal form.
- `HashedLookupsMixin` reports uniqueness on the hash under the plain field's name in
  `full_clean()`, and keeps the hash in step with `save(update_fields=[...])`.
- `QuerySet.update()` and `bulk_update()` bypass `pre_save`: set the hash yourself there.
- `xiaoan rotate-keys` finds every EncryptedCharField (historical models included).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import checks
from django.core.exceptions import FieldError, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.lookups import Exact

from xiaoan.core import crypto


class EncryptedCharField(models.TextField):
    """Short text stored encrypted with SM4-GCM; edited as a one-line text input.

    `max_length` bounds the plain value (forms, serializers, full_clean), not the column."""

    description = "Text encrypted at rest (SM4-GCM)"

    def __init__(self, *args: Any, masked: bool = False, **kwargs: Any) -> None:
        # masked: pages, exports and change logs show `mask(value)`, never the value (ID
        # numbers); the edit form and the API read the full value in.
        self.masked = masked
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.masked:
            kwargs["masked"] = True
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.unique or self.db_index:
            errors.append(
                checks.Error(
                    "An EncryptedCharField cannot be unique or indexed: its ciphertexts differ.",
                    hint="Add a LookupHashField(source=...) with unique=True instead.",
                    obj=self,
                    id="xiaoan.E001",
                )
            )
        return errors

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return crypto.encrypt(value)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return crypto.decrypt(value)

    def _refuse(self, what: str) -> None:
        model = getattr(self, "model", None)
        companion = next(
            (
                f.name
                for f in (model._meta.concrete_fields if model else ())
                if isinstance(f, LookupHashField) and f.source == self.name
            ),
            None,
        )
        hint = (
            f" Filter on '{companion}__matches=<plain value>' instead."
            if companion
            else " Add a LookupHashField(source=...) and filter on '<hash field>__matches'."
        )
        raise FieldError(
            f"Field '{self.name}' is encrypted (every ciphertext differs): the lookup "
            f"'{what}' cannot work on it.{hint}"
        )

    def get_lookup(self, lookup_name: str):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        self._refuse(lookup_name)

    def get_transform(self, name: str):
        self._refuse(name)

    def formfield(self, **kwargs: Any):
        # A TextField would render a textarea; these are short values.
        return models.Field.formfield(
            self, **{"form_class": forms.CharField, "max_length": self.max_length, **kwargs}
        )


def mask(value: Any) -> str:
    """ "420702********1234": the first six and last four characters of a long value (an ID
    number keeps its region and check digit), the first and last of a short one."""
    text = "" if value is None else str(value)
    if len(text) >= 11:
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    if len(text) >= 3:
        return text[0] + "*" * (len(text) - 2) + text[-1]
    return "*" * len(text)


def is_masked_field(field: Any) -> bool:
    return isinstance(field, EncryptedCharField) and field.masked


def unmask(value: Any, current: Any) -> Any:
    """A masked value sent back unchanged (an edit form, an exported sheet) stands for the
    current value; anything else is the new value."""
    if isinstance(value, str) and "*" in value and current and value == mask(current):
        return current
    return value


class LookupHashField(models.CharField):
    """Keyed hash (crypto.lookup_hash) of another field's plain value, filled on save.

    Carries uniqueness and equality lookups for an EncryptedCharField. An empty or missing
    plain value hashes to NULL, so several rows may have none."""

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 80)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def hash_for(self, instance: models.Model) -> str | None:
        value = getattr(instance, self.source)
        return None if value in (None, "") else crypto.lookup_hash(str(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        value = self.hash_for(model_instance)
        setattr(model_instance, self.attname, value)
        return value


@LookupHashField.register_lookup
class Matches(Exact):
    """`<hash field>__matches=<plain value>`: equality on the encrypted source field."""

    lookup_name = "matches"

    def get_prep_lookup(self):
        if hasattr(self.rhs, "resolve_expression"):
            raise FieldError("'matches' takes a plain value, not an expression.")
        return crypto.lookup_hash(str(self.rhs))

    def get_rhs_op(self, connection: Any, rhs: str) -> str:
        return connection.operators["exact"] % rhs


def hash_fields(model: type[models.Model]) -> list[LookupHashField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, LookupHashField)]


class HashedLookupsMixin:
    """For models with LookupHashFields: uniqueness errors under the plain field's name, and
    the hash saved along with its source under `save(update_fields=...)`."""

    def _fill_lookup_hashes(self) -> list[LookupHashField]:
        fields = hash_fields(type(self))  # type: ignore[arg-type]
        for field in fields:
            setattr(self, field.attname, field.hash_for(self))  # type: ignore[arg-type]
        return fields

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {f.name for f in hash_fields(type(self)) if f.source in update_fields}  # type: ignore[arg-type]
            kwargs["update_fields"] = set(update_fields) | extra
        super().save(*args, **kwargs)  # type: ignore[misc]

    def validate_unique(self, exclude: Any = None) -> None:
        fields = self._fill_lookup_hashes()
        exclude = set(exclude or ())
        for field in fields:
            if field.source in exclude:
                exclude.add(field.name)
            else:
                exclude.discard(field.name)
        try:
            super().validate_unique(exclude=exclude)  # type: ignore[misc]
        except ValidationError as exc:
            renamed = {f.name: f.source for f in fields}
            raise ValidationError(
                {renamed.get(key, key): value for key, value in exc.error_dict.items()}
            ) from None
