from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GraduateImport(models.Model):
    """One import of graduates run by the worker, from the student registry (a district's schools,
    imports/graduate_import_jobs.py) or from a spreadsheet (imports/graduate_file_jobs.py): the request
    only records it, the desk's progress page reads it.

    The requester's scope is applied again in the worker; `district` and `school` are the requester's
    (a spreadsheet of the city administrator's has neither), so the row is seen in the same scope as the
    students it imports. A spreadsheet's upload is kept in the private storage (`file`, no URL serves it)
    until the import is done, then deleted.
    """

    class Source(models.TextChoices):
        REGISTRY = "registry", _("student registry")
        FILE = "file", _("spreadsheet")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        ASKING = "asking", _("Asking the registry")
        CHECKING = "checking", _("Checking the file")
        WRITING = "writing", _("Writing")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Refused, nothing imported")
        PENDING = "pending", _("Registry unavailable, will try again")
        FAILED = "failed", _("Failed")

    WORKING = (State.QUEUED, State.ASKING, State.CHECKING, State.WRITING, State.PENDING)

    campaign = models.ForeignKey(
        "bj_enrollment.Campaign", models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    district = models.ForeignKey(
        "bj_enrollment.District", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    school = models.ForeignKey(
        "bj_enrollment.School", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.REGISTRY)
    file = models.CharField(_("file"), max_length=200, blank=True)  # storage name, until imported
    file_name = models.CharField(_("file name"), max_length=200, blank=True)  # as uploaded
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    schools_total = models.PositiveIntegerField(_("schools"), default=0)
    schools_done = models.PositiveIntegerField(_("schools asked"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)  # a spreadsheet's, about until checked
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    conflicts = models.JSONField(_("conflicts"), default=list, blank=True)  # [[position, message], ...]
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [[position, message], ...]
    errors_left_off = models.PositiveIntegerField(_("errors not listed"), default=0)  # beyond the first 1,000
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    scope_paths = {"district": "district_id", "school": "school_id"}

    class Meta:
        verbose_name = _("graduate import")
        verbose_name_plural = _("graduate imports")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.file_name or self.district or ''} · {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def working(self) -> bool:
        return self.state in self.WORKING

    @property
    def percent(self) -> int:
        if not self.working:
            return 100
        done, total = (self.rows_done, self.rows_total) if self.source == self.Source.FILE else (
            self.schools_done, self.schools_total)
        return min(100, int(100 * done / total)) if total else 0
