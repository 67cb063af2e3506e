"""`{% subject_link record %}`: the register item a hazard or an inspection names, linked to
its page when the person may see it (xiaoan.core.registers)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from xiaoan.core.registers import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def subject_link(context, record) -> str:
    if not getattr(record, "subject_type_id", None) or record.subject_id is None:
        return ""
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(record.subject_type_id).model_class()
    found = registry.for_model(model)
    if found is None:
        return ""
    request = context.get("request")
    user = getattr(request, "user", None)
    item = found.model._default_manager.restrict(user).filter(pk=record.subject_id).first()
    if item is None:
        return str(found.label)
    url = reverse(found.url_name("detail"), args=[item.pk])
    return format_html('{} · <a href="{}">{}</a>', found.label, url, item)
