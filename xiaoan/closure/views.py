"""销号复核 pages: the samples (list and draw), a sample with its reviews and the
reproducibility check, and the review form (phone friendly), plus the review photos."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.closure import services
from xiaoan.closure.forms import ReviewForm, SampleForm
from xiaoan.closure.models import ClosureReview, ClosureReviewPhoto, ClosureSample
from xiaoan.core.ids import record_id
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import ScopedListView, ScopedMixin, ServiceFormView, photo_response


class ReviewerAccessMixin:
    """Open to the sample's viewers and to anyone given a review."""

    def has_access(self, user) -> bool:
        return super().has_access(user) or services.my_reviews(user).exists()


class SampleListView(ReviewerAccessMixin, ScopedListView):
    model = ClosureSample
    template_name = "closure/sample_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organiser", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_draw"] = has_permission_anywhere(user, "closure.add_closuresample")
        context["my_reviews"] = list(
            services.my_pending(user).select_related("hazard", "unit", "sample")[:100]
        )
        return context


class SampleCreateView(ServiceFormView):
    model = ClosureSample
    permission_action = "add"
    form_class = SampleForm
    template_name = "closure/sample_form.html"
    success_message = gettext_lazy("已抽取，复核任务已交给复核人。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return services.create_sample(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("closure:sample_detail", args=[self.result.pk])


class SampleDetailView(ReviewerAccessMixin, ScopedMixin, View):
    model = ClosureSample

    def get(self, request, pk):
        user = request.user
        sample = ClosureSample.objects.filter(pk=record_id(pk)).select_related("organiser").first()
        reviews = services.reviews_of(user).filter(sample_id=getattr(sample, "pk", None))
        in_scope = services.samples_for(user).filter(pk=getattr(sample, "pk", None)).exists()
        if sample is None or not (in_scope or reviews.exists()):
            raise Http404
        if not in_scope:  # a reviewer from outside the scope sees their own items only
            reviews = reviews.filter(reviewer=user)
        return render(
            request,
            "closure/sample_detail.html",
            {
                "sample": sample,
                "check": services.verify(sample) if in_scope else None,
                "reviews": list(
                    reviews.select_related("hazard", "unit", "reviewer", "reviewed_by")
                ),
            },
        )


class ReviewView(ReviewerAccessMixin, ServiceFormView):
    model = ClosureSample
    form_class = ReviewForm
    template_name = "closure/review_form.html"
    success_message = gettext_lazy("复核结果已登记。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_access(request.user):
            from xiaoan.core.errors import Forbidden, NotFound
            from xiaoan.core.views import raise_for_service_error

            try:
                self.record = services.load_review(request.user, kwargs["pk"])
            except NotFound as error:
                raise_for_service_error(error)
            if not services.may_review(request.user, self.record):
                raise_for_service_error(Forbidden())
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"version": self.record.version}

    def perform(self, form):
        data = form.cleaned_data
        return services.record_review(
            self.request.user,
            self.record.pk,
            passed=data["passed"],
            note=data["note"],
            photos=data["photos"] or [],
            version=data.get("version"),
        )

    def get_success_url(self):
        return reverse("closure:sample_detail", args=[self.record.sample_id])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.record
        context["review"] = review
        context["hazard_photos"] = list(review.hazard.photos.order_by("created_at", "pk"))
        context["photos"] = list(review.photos.all())
        return context


class ReviewPhotoView(ReviewerAccessMixin, ScopedMixin, View):
    model = ClosureSample

    def get(self, request, pk):
        photo = ClosureReviewPhoto.objects.filter(
            pk=record_id(pk), review__in=services.reviews_of(request.user)
        ).first()
        if photo is None:
            raise Http404
        return photo_response(photo)


__all__ = ["ClosureReview"]
