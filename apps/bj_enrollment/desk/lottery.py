"""Lottery runs in the desk: create (a repeat needs its reason), commit, publish the seed's hash, draw,
apply, download the published files, watch the progress, read the fairness report. Scoped to the
district like every desk page; every step is a service in lottery/runs.py."""

from __future__ import annotations

import functools
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.bj_enrollment.desk.base import ScopedAdmin, ScopedRelatedFilter
from apps.bj_enrollment.doctype.lottery_run import MultipleBirthGroup
from apps.bj_enrollment.lottery import city_day, engine, fairness, multiple_births, runs
from apps.bj_enrollment.models import LotteryEntry, LotteryRun
from apps.lowcode.readonly import ReadOnlyAdminMixin


class LotteryRunForm(forms.ModelForm):
    class Meta:
        model = LotteryRun
        fields = ("campaign", "district", "zone", "mode", "school", "title", "repeat_reason")

    def clean(self):
        data = super().clean()
        zone, district = data.get("zone"), data.get("district")
        if zone and district and zone.district_id != district.pk:
            self.add_error("zone", _("The zone belongs to another district."))
        if data.get("mode") == LotteryRun.Mode.ZONE and not zone:
            self.add_error("zone", _("A multi-school zone lottery needs its zone."))
        if not district and (zone or data.get("mode") != LotteryRun.Mode.PREFERENCE):  # the city-wide day
            self.add_error("district", _("The city-wide lottery day is a preference lottery without a zone."))
        school, private = data.get("school"), data.get("mode") == LotteryRun.Mode.PRIVATE
        if private and (not school or school.ownership != "private" or not district
                        or school.district_id != district.pk):
            self.add_error("school", _("A private-school lottery needs a private school of the run's district."))
        if data.get("campaign") and not self.errors:
            previous = runs.latest_run(data["campaign"], district, zone, school if private else None)
            if previous is None and district and not private:  # a district's draw after the city-wide day
                previous = city_day.city_run(data["campaign"])
            if previous is not None and not (data.get("repeat_reason") or "").strip():
                self.add_error(
                    "repeat_reason",
                    _("“%(title)s” was run for this campaign, district and zone: say why it is repeated.")
                    % {"title": previous.title},
                )
        return data


@admin.register(LotteryRun)
class LotteryRunAdmin(ScopedAdmin):
    form = LotteryRunForm
    list_display = ("title", "district", "zone", "mode", "state", "participants", "progress", "created_at")
    list_filter = ("state", "mode", ("district", ScopedRelatedFilter), ("campaign", ScopedRelatedFilter))
    list_select_related = ("district", "zone")
    search_fields = ("title",)
    actions = []
    change_form_outer_after_template = "desk/lottery_run.html"  # its forms must not nest in the admin's
    readonly_fields = (
        "state", "supersedes", "algorithm", "participants", "input_commitment", "seed_commitment",
        "result_hash", "progress", "error", "created_by", "created_at", "committed_by", "committed_at",
        "seed_committed_at", "drawn_by", "started_at", "finished_at", "applied_by", "applied_at",
    )  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*LotteryRunForm.Meta.fields, *self.readonly_fields)

    def get_fields(self, request, obj=None):
        return LotteryRunForm.Meta.fields if obj is None else self.get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a run is evidence; a repeat supersedes it

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        try:
            created = runs.create_run(
                request.user,
                campaign=obj.campaign,
                district=obj.district,
                zone=obj.zone,
                mode=obj.mode,
                title=obj.title,
                repeat_reason=obj.repeat_reason,
                school=obj.school,
            )
        except runs.RunRefused:
            raise PermissionDenied from None
        obj.pk = created.pk
        super().save_model(request, created, form, True)  # the scope check

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/step/<slug:step>/", view(self.step_view), name="bj_enrollment_lotteryrun_step"),
            path("<path:object_id>/files/<str:name>", view(self.file_view), name="bj_enrollment_lotteryrun_file"),
            path("<path:object_id>/status/", view(self.status_view), name="bj_enrollment_lotteryrun_status"),
            *super().get_urls(),
        ]

    def _run(self, request, object_id, *, change: bool):
        run = self.get_object(request, unquote(object_id))
        if run is None:
            raise Http404
        allowed = self.has_change_permission(request, run) if change else self.has_view_permission(request, run)
        if not allowed:
            raise PermissionDenied
        return run

    STEPS = {
        "commit": lambda run, user, seed: runs.commit_input(run, user),
        "seed": runs.commit_seed,
        "draw": runs.start_draw,
        "apply": lambda run, user, seed: runs.start_apply(run, user),
    }

    def step_view(self, request, object_id, step):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        run = self._run(request, object_id, change=True)
        if step not in self.STEPS:
            raise Http404
        try:
            self.STEPS[step](run, request.user, request.POST.get("seed", ""))
        except (runs.RunRefused, engine.LotteryInputError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, str(STEP_DONE[step]))
        return HttpResponseRedirect(reverse("admin:bj_enrollment_lotteryrun_change", args=[run.pk]))

    def file_view(self, request, object_id, name):
        run = self._run(request, object_id, change=False)
        files = runs.published_files(run)
        if name not in files:
            raise Http404
        kind = "text/plain; charset=us-ascii" if name.endswith(".txt") else "application/json"
        response = HttpResponse(files[name], content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="lottery-{run.pk}-{name}"'
        return response

    def status_view(self, request, object_id):
        run = self._run(request, object_id, change=False)
        districts = [{"district": line.district.code, "participants": line.participants, "placed": line.placed,
                      "admitted": line.admitted} for line in city_day.progress_by_district(run)]
        return JsonResponse({"state": run.state, "label": run.get_state_display(), "progress": run.progress,
                             "districts": districts})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
            context["lottery"] = {
                "run": obj,
                "files": list(runs.published_files(obj)),
                "can_change": self.has_change_permission(request, obj),
                "working": obj.state == obj.State.RUNNING or (obj.state == obj.State.DONE and obj.applied_by_id),
                "priority": _bars(fairness.by_priority(obj)),
                "preference": _bars(fairness.by_preference(obj)),
                "schools": fairness.by_school(obj),
                "unassigned": obj.entries.filter(school__isnull=True).select_related("application")[:200],
                "refusals": [line for line in obj.error.splitlines() if line] if obj.state == obj.State.APPLIED else [],
                # the city-wide day (R41): each district's participants, placed and admitted students
                "districts": city_day.progress_by_district(obj) if obj.district_id is None else [],
            }
        return super().render_change_form(request, context, add, change, form_url, obj)


def _bars(rows):
    return [{"row": row, "width": row.percent} for row in rows]


STEP_DONE = {
    "commit": gettext_lazy("The input is frozen; publish its commitment now."),
    "seed": gettext_lazy("The seed commitment is recorded; publish it before the draw."),
    "draw": gettext_lazy("The draw has started."),
    "apply": gettext_lazy("The results are being applied to the applications."),
}


@admin.register(LotteryEntry)
class LotteryEntryAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ("participant_id", "run", "position", "school", "preference_rank", "priority_class")
    list_filter = (("run", ScopedRelatedFilter),)
    list_select_related = ("run", "school")
    search_fields = ("=participant_id",)
    actions = []


class MultipleBirthGroupForm(forms.ModelForm):
    form_numbers = forms.CharField(
        label=gettext_lazy("Form numbers or education IDs"),
        help_text=gettext_lazy("The twins' (or triplets') form numbers — for junior high their education IDs — "
                               "separated by spaces or commas."),
        max_length=200,
    )

    class Meta:
        model = MultipleBirthGroup
        fields = ()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_form_numbers(self):
        numbers = re.split(r"[\s,，、]+", self.cleaned_data["form_numbers"])
        multiple_births.check(self.user, numbers)  # the same check bind() repeats under a lock
        return numbers


@admin.register(MultipleBirthGroup)
class MultipleBirthGroupAdmin(ScopedAdmin):
    """多胞胎同校: the district binds twins; a bound group is drawn as one (docs/lottery.md §14).
    Binding and unbinding go through lottery/multiple_births.py; a group is never edited."""

    form = MultipleBirthGroupForm
    list_display = ("__str__", "district", "campaign", "created_by", "created_at")
    list_filter = (("district", ScopedRelatedFilter), ("campaign", ScopedRelatedFilter))
    list_select_related = ("district", "campaign", "created_by")
    actions = []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return functools.partial(form, user=request.user)

    def get_fields(self, request, obj=None):
        return ("form_numbers",) if obj is None else ("district", "campaign", "created_by", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("district", "campaign", "created_by", "created_at")

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        group = multiple_births.bind(request.user, form.cleaned_data["form_numbers"])
        obj.pk = group.pk  # the admin's log and redirect name the group bind() made

    def delete_model(self, request, obj):
        multiple_births.unbind(request.user, obj)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            multiple_births.unbind(request.user, group)
