"""A hazard action is declared in one place, xiaoan/hazards/workflow.py: the pages and the API
carry no list of actions of their own, and every declared action has its page route and API
route."""

from __future__ import annotations

import ast
from pathlib import Path

from django.urls import reverse

from xiaoan.hazards.workflow import HAZARD

APP = Path(__file__).resolve().parents[1]
VIEWS = [APP / "views.py", APP / "api" / "views.py"]


def _code_strings(path: Path) -> set[str]:
    """String constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    }


def _service_calls(path: Path) -> set[str]:
    """What a module takes from `services`."""
    tree = ast.parse(path.read_text())
    return {
        n.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id == "services"
    }


def _names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
    }


def test_it_keeps_action_names_out_of_the_page_and_api_views():
    spelled = set()
    for action in HAZARD.actions.values():
        spelled |= {action.name, action.slug, action.path, action.method_name, *action.api_names}
    # confirm, assign, verify, supervise are also the rights `restrict` takes ("may this
    # person verify here?"): those strings stay; the checks below cover those actions too.
    spelled -= {action.scope_action for action in HAZARD.actions.values()}
    for path in VIEWS:
        found = _code_strings(path) & spelled
        assert not found, f"{path.name} names actions {sorted(found)}: declare them in workflow.py"


def test_it_keeps_action_forms_serializers_and_services_in_the_declaration():
    declared = set()
    for action in HAZARD.actions.values():
        for cls in (action.form, action.serializer, action.upload_serializer):
            if cls is not None:
                declared.add(cls.__name__)
    services = {action.service.__name__ for action in HAZARD.actions.values()}
    for path in VIEWS:
        used = _names(path)
        assert not used & declared, f"{path.name} uses {sorted(used & declared)}"
        called = _service_calls(path) & services
        assert not called, f"{path.name} calls {sorted(called)}"
    # Beyond where they are defined, only the declaration refers to them.
    homes = {APP / "forms.py", APP / "api" / "serializers.py", APP / "workflow.py"}
    for path in APP.rglob("*.py"):
        if path in homes or "tests" in path.parts:
            continue
        assert not _names(path) & declared, f"{path.relative_to(APP)} refers to an action form"


def test_it_routes_every_declared_action_on_the_page_and_the_api(persona, units):
    from xiaoan.hazards import services

    hazard = services.report(
        persona("school_a_officer"), units["梁子湖高级中学"], description="楼道堆放杂物"
    )
    for action in HAZARD.actions.values():
        if action.form is not None:
            page = reverse(f"hazards:hazard_{action.name}", args=[hazard.pk])
            assert page == f"/hazards/{hazard.pk}/{action.slug}/"
        if action.api:
            api = reverse(f"api:hazard-{action.method_name.replace('_', '-')}", args=[hazard.pk])
            assert api == f"/api/hazards/{hazard.pk}/{action.path}/"
