"""Roles as data (Frappe's Role and DocPerm): what a staff role may do, per DocType, and how far it sees.

A Role sits on a Django Group of the same name, so `user.has_perm` and the workflow's transition
roles keep working: `services/roles.py` writes the group's permissions from these rows. Natural keys
are names (a role's name; a DocType's app label and model), so configuration travels between sites.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeLevel(models.TextChoices):
    """How far a role sees: the whole city, or the district or school of the user's staff scope."""

    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    SCHOOL = "school", _("School")


SCOPE_BREADTH = {"school": 1, "district": 2, "city": 3}  # plain keys: str enums hash by member name


class RoleManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Role(models.Model):
    name = models.CharField(_("role name"), max_length=150, unique=True)
    group = models.OneToOneField(Group, models.CASCADE, related_name="role", editable=False)
    scope_level = models.CharField(
        _("scope level"), max_length=10, choices=ScopeLevel.choices, default=ScopeLevel.SCHOOL,
        help_text=_("City: everything. District or school: only the district or school of the user's staff scope."),
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=1,
        help_text=_("Who may grant this role: only holders of a higher rank (R25)."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    extra_permissions = models.ManyToManyField(
        Permission, blank=True, related_name="+", verbose_name=_("other permissions"),
        help_text=_("Permissions that are not reading or writing a DocType, e.g. registering on a family's behalf."),
    )

    objects = RoleManager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["-rank", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """The group follows the role's name (created with it, renamed with it)."""
        if self.group_id is None:
            self.group, _created = Group.objects.get_or_create(name=self.name)
        elif self.group.name != self.name:
            self.group.name = self.name
            self.group.save(update_fields=["name"])
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.name,)


class RolePermissionManager(models.Manager):
    def get_by_natural_key(self, role, app_label, model):
        return self.get(role__name=role, document_type__app_label=app_label, document_type__model=model)


class RolePermission(models.Model):
    """Frappe's DocPerm: what one role may do with one DocType, inside its scope level."""

    role = models.ForeignKey(Role, models.CASCADE, related_name="doc_permissions", verbose_name=_("role"))
    document_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+", verbose_name=_("document type"))
    can_read = models.BooleanField(_("read"), default=False)
    can_create = models.BooleanField(_("create"), default=False)
    can_change = models.BooleanField(_("change"), default=False)
    can_delete = models.BooleanField(_("delete"), default=False)
    can_export = models.BooleanField(_("export"), default=False)

    objects = RolePermissionManager()

    class Meta:
        verbose_name = _("role permission")
        verbose_name_plural = _("role permissions")
        ordering = ["role", "document_type__app_label", "document_type__model"]
        constraints = [models.UniqueConstraint(fields=["role", "document_type"], name="role_permission_unique_type")]

    def __str__(self):
        return f"{self.role} · {self.document_type}"

    def natural_key(self):
        return (self.role.name, self.document_type.app_label, self.document_type.model)

    natural_key.dependencies = ["bj_enrollment.role", "contenttypes.contenttype"]
