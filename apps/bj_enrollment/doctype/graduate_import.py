from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GraduateImport(models.Model):
    """One import of a district's graduates from the student registry, run by the worker
    (imports/graduate_import_jobs.py): the request only records it, the desk's progress page reads it.

    The requester's scope is applied again in the worker; `school` is the requester's school when they
    are a school's staff, so the row is seen in the same scope as the students it imports.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        ASKING = "asking", _("Asking the registry")
        WRITING = "writing", _("Writing")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Refused, nothing imported")
        PENDING = "pending", _("Registry unavailable, will try again")
        FAILED = "failed", _("Failed")

    WORKING = (State.QUEUED, State.ASKING, State.WRITING, State.PENDING)

    campaign = models.ForeignKey(
        "bj_enrollment.Campaign", models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    district = models.ForeignKey(
        "bj_enrollment.District", models.CASCADE, related_name="+", verbose_name=_("district")
    )
    school = models.ForeignKey(
        "bj_enrollment.School", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    schools_total = models.PositiveIntegerField(_("schools"), default=0)
    schools_done = models.PositiveIntegerField(_("schools asked"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    conflicts = models.JSONField(_("conflicts"), default=list, blank=True)  # [[position, message], ...]
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [[position, message], ...]
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    scope_paths = {"district": "district_id", "school": "school_id"}

    class Meta:
        verbose_name = _("graduate import")
        verbose_name_plural = _("graduate imports")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.district} · {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def working(self) -> bool:
        return self.state in self.WORKING

    @property
    def percent(self) -> int:
        if not self.working:
            return 100
        return int(100 * self.schools_done / self.schools_total) if self.schools_total else 0
