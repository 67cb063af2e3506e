from __future__ import annotations

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from xiaoan.accounts import passwords, services, throttling
from xiaoan.accounts.authority import check_may_manage, may_manage
from xiaoan.accounts.filtersets import UserFilterSet
from xiaoan.accounts.forms import (
    AssignmentForm,
    LoginForm,
    PasswordForm,
    UserCreateForm,
    UserUpdateForm,
)
from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.core.history import entries_for, grants_log
from xiaoan.core.scoping import has_permission_anywhere, holds_everywhere
from xiaoan.core.views import (
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    ServiceActionView,
    ServiceFormView,
)
from xiaoan.orgs.models import Unit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if throttling.address_blocked(request):
            return render(request, "accounts/locked.html", {"address": True}, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttling.count_address_failure(self.request)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        # The "统一身份认证登录" button, when single sign-on is configured.
        return {**super().get_context_data(**kwargs), "oidc_enabled": settings.XIAOAN_OIDC_ENABLED}


class UserListView(ScopedListView):
    model = User
    filterset_class = UserFilterSet
    template_name = "accounts/user_list.html"

    def get_queryset(self):
        queryset = (
            super()
            .get_queryset()
            .select_related("unit")
            .prefetch_related(
                Prefetch(
                    "assignments",
                    RoleAssignment.objects.restrict(self.request.user).select_related(
                        "role", "unit"
                    ),
                )
            )
        )
        current = self.request.current_unit
        if current is not None and "within" not in self.request.GET:
            queryset = queryset.filter(unit__path__startswith=current.path)
        return queryset.order_by("unit__path", "username")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = has_permission_anywhere(self.request.user, "accounts.add_user")
        return context


def _unit_field(user, perm: str) -> dict:
    """The unit picker of an account form: the units where the user holds `perm`."""
    return {
        "unit_queryset": Unit.objects.with_permission(user, perm),
        "unit_required": not holds_everywhere(user, perm),
    }


class UserDetailView(ScopedDetailView):
    model = User
    template_name = "accounts/user_detail.html"

    def _own(self) -> bool:
        return self.request.user.is_authenticated and self.kwargs.get("pk") == self.request.user.pk

    def dispatch(self, request, *args, **kwargs):
        if self._own():
            # Everyone may open their own account page (the shell's "我的账号").
            return super(ScopedMixin, self).dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        if self._own():
            return User.objects.filter(pk=self.request.user.pk).select_related("unit")
        return super().get_queryset().select_related("unit")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = self.request.user
        target = self.object
        assignments = (
            RoleAssignment.objects.all()
            if target.pk == actor.pk
            else RoleAssignment.objects.restrict(actor)
        )
        context["assignments"] = (
            assignments.filter(user=target).select_related("role", "unit").order_by("unit__path")
        )
        context["can_change"] = User.objects.restrict(actor, "change").filter(
            pk=target.pk
        ).exists() and may_manage(actor, target, "change")
        if context["can_change"]:
            from xiaoan.accounts.mfa import is_enrolled

            context["mfa_enrolled"] = is_enrolled(target)
        context["can_revoke"] = has_permission_anywhere(
            actor, "accounts.delete_roleassignment"
        ) and may_manage(actor, target, "revoke")
        if has_permission_anywhere(actor, "accounts.add_roleassignment") and may_manage(
            actor, target, "grant"
        ):
            context["assignment_form"] = kwargs.get("assignment_form") or AssignmentForm(
                role_queryset=services.grantable_roles(actor),
                unit_queryset=services.assignable_units(actor),
                initial={"unit": target.unit_id},
            )
        context["history"] = sorted(
            entries_for(target) + grants_log(target), key=lambda e: e.when, reverse=True
        )
        return context


class UserCreateView(ServiceFormView):
    model = User
    permission_action = "add"
    form_class = UserCreateForm
    template_name = "accounts/user_form.html"
    extra_context = {"creating": True}

    def get_initial(self):
        unit = self.request.GET.get("unit")
        return {"unit": unit} if unit else {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **_unit_field(self.request.user, "accounts.add_user")}

    def perform(self, form):
        return services.create_user(self.request.user, dict(form.cleaned_data))

    def success_response(self):
        user, password = self.result
        return _show_one_time_password(self.request, user, password, created=True)


class UserUpdateView(ServiceFormView):
    model = User
    permission_action = "change"
    form_class = UserUpdateForm
    template_name = "accounts/user_form.html"
    success_message = gettext_lazy("已保存。")

    @cached_property
    def record(self):
        target = self.get_record(self.kwargs["pk"], "change")
        check_may_manage(self.request.user, target, "change")
        return target

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            **_unit_field(self.request.user, "accounts.change_user"),
            "instance": User.objects.get(pk=self.record.pk),  # the page keeps the saved name
        }

    def perform(self, form):
        return services.update_user(self.request.user, self.record.pk, form.cleaned_data)

    def get_success_url(self):
        return reverse("accounts:user_detail", args=[self.record.pk])


def _show_one_time_password(request, user: User, password: str, *, created: bool):
    """The one-time password, shown once and never stored in clear; the page is not cached."""
    response = render(
        request,
        "accounts/one_time_password.html",
        {"object": user, "password": password, "created": created},
    )
    response["Cache-Control"] = "no-store"
    return response


class UserPasswordView(ScopedMixin, TemplateView):
    """Reset someone's password: a confirmation, then a one-time password shown once."""

    model = User
    permission_action = "change"
    template_name = "accounts/password_reset.html"

    def get_context_data(self, **kwargs):
        target = self.get_record(self.kwargs["pk"], "change")
        check_may_manage(self.request.user, target, "reset")
        return {**super().get_context_data(**kwargs), "object": target}

    def post(self, request, pk: int):
        user, password = services.reset_password(request.user, pk)
        return _show_one_time_password(request, user, password, created=False)


class AssignmentCreateView(ServiceFormView):
    """Grant a role to the user shown (POST from the user's page, which a refusal shows again)."""

    model = User
    http_method_names = ["post"]
    form_class = AssignmentForm
    template_name = UserDetailView.template_name
    success_message = gettext_lazy("已授权。")

    def has_access(self, user) -> bool:
        return super().has_access(user) and has_permission_anywhere(
            user, "accounts.add_roleassignment"
        )

    @cached_property
    def record(self):
        return self.get_record(self.kwargs["pk"])

    def get_form_kwargs(self):
        actor = self.request.user
        return {
            **super().get_form_kwargs(),
            "role_queryset": services.grantable_roles(actor),
            "unit_queryset": services.assignable_units(actor),
        }

    def perform(self, form):
        data = form.cleaned_data
        return services.grant_role(
            self.request.user,
            self.record.pk,
            data["role"],
            data["unit"],
            data["include_descendants"],
        )

    def get_success_url(self):
        return reverse("accounts:user_detail", args=[self.record.pk])

    def get_context_data(self, **kwargs):
        view = UserDetailView(request=self.request, kwargs=self.kwargs, object=self.record)
        return view.get_context_data(object=self.record, assignment_form=kwargs["form"])


class AssignmentDeleteView(ServiceActionView):
    model = RoleAssignment
    permission_action = "delete"
    success_message = gettext_lazy("已撤销授权。")

    def perform(self):
        self.assignment = self.get_record(self.kwargs["pk"], "delete")
        services.revoke_role(self.request.user, self.assignment.pk)

    def get_success_url(self):
        return reverse("accounts:user_detail", args=[self.assignment.user_id])


class RoleListView(LoginRequiredMixin, ListView):
    template_name = "accounts/role_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_permission_anywhere(
            request.user, "accounts.view_role"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return Role.objects.all()

    def get_context_data(self, **kwargs):
        from django.contrib.auth.models import Permission

        context = super().get_context_data(**kwargs)
        names = {
            f"{app}.{code}": name
            for app, code, name in Permission.objects.values_list(
                "content_type__app_label", "codename", "name"
            )
        }
        context["roles"] = [
            (role, [names.get(p, p) for p in role.permissions]) for role in context["object_list"]
        ]
        return context


class MyPasswordView(ServiceFormView):
    model = User
    form_class = PasswordForm
    template_name = "accounts/password_form.html"
    success_message = gettext_lazy("密码已修改。")
    success_url = reverse_lazy("core:home")

    def has_access(self, user) -> bool:
        return True  # everyone changes their own

    def get_context_data(self, **kwargs):
        reason = passwords.change_required(self.request.user)
        return {**super().get_context_data(**kwargs), "own": True, "reason": reason}

    def perform(self, form):
        data = form.cleaned_data
        person = services.change_own_password(
            self.request.user, data["old_password"], data["password"]
        )
        update_session_auth_hash(self.request, person)
        return person
