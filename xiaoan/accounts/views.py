from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

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
from xiaoan.core.errors import ServiceError
from xiaoan.core.history import entries_for, grants_log
from xiaoan.core.scoping import has_permission_anywhere, holds_everywhere
from xiaoan.core.views import ScopedDetailView, ScopedListView, ScopedMixin, raise_for_service_error
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


def _unit_choices(user, perm: str):
    return Unit.objects.with_permission(user, perm)


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


class UserCreateView(ScopedMixin, View):
    model = User
    permission_action = "add"
    template_name = "accounts/user_form.html"

    def form(self, data=None):
        user = self.request.user
        initial = {"unit": self.request.GET.get("unit")} if self.request.GET.get("unit") else {}
        return UserCreateForm(
            data,
            initial=initial,
            unit_queryset=_unit_choices(user, "accounts.add_user"),
            unit_required=not holds_everywhere(user, "accounts.add_user"),
        )

    def get(self, request):
        return render(request, self.template_name, {"form": self.form(), "creating": True})

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                user, password = services.create_user(request.user, dict(form.cleaned_data))
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                return _show_one_time_password(request, user, password, created=True)
        return render(request, self.template_name, {"form": form, "creating": True}, status=400)


class UserUpdateView(ScopedDetailView):
    model = User
    permission_action = "change"
    template_name = "accounts/user_form.html"

    def form(self, data=None):
        user = self.request.user
        return UserUpdateForm(
            data,
            instance=User.objects.get(pk=self.object.pk),
            unit_queryset=_unit_choices(user, "accounts.change_user"),
            unit_required=not holds_everywhere(user, "accounts.change_user"),
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            check_may_manage(request.user, self.object, "change")
        except ServiceError as error:
            raise_for_service_error(error)
        return render(request, self.template_name, {"form": self.form(), "object": self.object})

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.form(request.POST)
        if form.is_valid():
            try:
                services.update_user(request.user, self.object.pk, form.cleaned_data)
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("已保存。"))
                return redirect("accounts:user_detail", pk=self.object.pk)
        return render(
            request, self.template_name, {"form": form, "object": self.object}, status=400
        )


def _show_one_time_password(request, user: User, password: str, *, created: bool):
    """The one-time password, shown once and never stored in clear; the page is not cached."""
    response = render(
        request,
        "accounts/one_time_password.html",
        {"object": user, "password": password, "created": created},
    )
    response["Cache-Control"] = "no-store"
    return response


class UserPasswordView(ScopedDetailView):
    """Reset someone's password: a confirmation, then a one-time password shown once."""

    model = User
    permission_action = "change"
    template_name = "accounts/password_reset.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            check_may_manage(request.user, self.object, "reset")
        except ServiceError as error:
            raise_for_service_error(error)
        return render(request, self.template_name, {"object": self.object})

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            user, password = services.reset_password(request.user, self.object.pk)
        except ServiceError as error:
            raise_for_service_error(error)
        return _show_one_time_password(request, user, password, created=False)


class AssignmentCreateView(ScopedDetailView):
    """Grant a role to the user shown (POST from the user's page)."""

    model = User
    permission_action = "view"
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_permission_anywhere(
            request.user, "accounts.add_roleassignment"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        actor = request.user
        form = AssignmentForm(
            request.POST,
            role_queryset=services.grantable_roles(actor),
            unit_queryset=services.assignable_units(actor),
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.grant_role(
                    actor, self.object.pk, data["role"], data["unit"], data["include_descendants"]
                )
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("已授权。"))
                return redirect("accounts:user_detail", pk=self.object.pk)
        view = UserDetailView(request=request, kwargs=kwargs, object=self.object)
        view.object = self.object
        context = view.get_context_data(object=self.object, assignment_form=form)
        return render(request, UserDetailView.template_name, context, status=400)


class AssignmentDeleteView(ScopedDetailView):
    model = RoleAssignment
    permission_action = "delete"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        assignment = self.get_object()
        try:
            services.revoke_role(request.user, assignment.pk)
        except ServiceError as error:
            raise_for_service_error(error)
        messages.success(request, _("已撤销授权。"))
        return redirect("accounts:user_detail", pk=assignment.user_id)


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


class MyPasswordView(LoginRequiredMixin, View):
    template_name = "accounts/password_form.html"

    def context(self, form) -> dict:
        return {"form": form, "own": True, "reason": passwords.change_required(self.request.user)}

    def get(self, request):
        return render(request, self.template_name, self.context(PasswordForm()))

    def post(self, request):
        form = PasswordForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.change_own_password(request.user, data["old_password"], data["password"])
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                update_session_auth_hash(request, User.objects.get(pk=request.user.pk))
                messages.success(request, _("密码已修改。"))
                return redirect("core:home")
        return render(request, self.template_name, self.context(form), status=400)
