"""The one function every read of personal data by staff calls."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from apps.lowcode.audit.models import Action, PersonalDataAccess

__all__ = ["Action", "record"]


def record(actor, action: str, model, *, object_id="", count: int = 1, detail: str = "") -> None:
    """Append who (a request's user, or a user for work done outside a request), what (model, one
    object or a count) and how. Parents reading their own data are not recorded here."""
    request = actor if hasattr(actor, "META") else None
    user = getattr(actor, "user", None) if request is not None else actor
    if user is None or not user.is_authenticated or not user.is_staff:
        return
    PersonalDataAccess.objects.create(
        user=user,
        action=action,
        document_type=ContentType.objects.get_for_model(model, for_concrete_model=True),
        object_id=str(object_id)[:64],
        count=count,
        detail=detail[:300],
        ip=(request.META.get("REMOTE_ADDR") or None) if request is not None else None,
    )
