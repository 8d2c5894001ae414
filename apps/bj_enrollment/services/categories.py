"""R5: a family declares a category with its document number; the district verifies or refuses it.

The only writer of CategoryClaim. Each change is atomic and kept in the claim's history (who, when,
what). Deciding a "counts as local" claim lets a waiting identity check move on: the check is queued
again on commit (registry calls never run inside the transaction)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.models import Application, Category, CategoryClaim
from apps.bj_enrollment.rules.categories import declarable
from apps.bj_enrollment.scope import in_scope
from apps.bj_enrollment.services.details import check_editable

DOCUMENT_NUMBER_MAX = CategoryClaim._meta.get_field("document_number").max_length


def declare(application: Application, user, category_id, document_number: str) -> CategoryClaim:
    """The parent claims a category while the details are editable; declaring a refused category
    again (a corrected number) puts it back before the district."""
    check_editable(application)
    category = declarable(Category.objects).filter(pk=_int(category_id)).first()
    number = "".join((document_number or "").split())
    errors = {}
    if category is None:
        errors["category"] = [error_codes.CATEGORY_UNKNOWN.error()]
    if not number:
        errors["document_number"] = [error_codes.REQUIRED.error()]
    elif len(number) > DOCUMENT_NUMBER_MAX:
        errors["document_number"] = [error_codes.MAX_LENGTH.error()]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim, created = CategoryClaim.objects.select_for_update().get_or_create(
            application=application, category=category, defaults={"document_number": number}
        )
        if not created:
            if claim.status == CategoryClaim.Status.VERIFIED:
                raise ValidationError({"category": [error_codes.CATEGORY_VERIFIED.error()]})
            claim.document_number, claim.status = number, CategoryClaim.Status.PENDING
            claim.reviewer, claim.reason, claim.decided_at = None, "", None
            claim._history_user = user
            claim.save()
    return claim


def decide(user, claim_id: int, verified: bool, reason: str = "") -> CategoryClaim:
    """The district (in scope, with the permission) verifies or refuses a pending claim; a refusal
    says why, and the family reads it."""
    reason = (reason or "").strip()
    with transaction.atomic():
        claim = CategoryClaim.objects.select_for_update().select_related("application").filter(pk=claim_id).first()
        if claim is None or not user.has_perm("bj_enrollment.change_categoryclaim") or not in_scope(user, claim):
            raise PermissionDenied
        check_decision(claim, verified, reason)
        claim.status = CategoryClaim.Status.VERIFIED if verified else CategoryClaim.Status.REFUSED
        claim.reviewer, claim.reason, claim.decided_at = user, reason, timezone.now()
        claim._history_user = user
        claim.save()
        from apps.bj_enrollment.registries.checks import identity_check_states, start_identity_check

        if claim.application.state in identity_check_states():
            start_identity_check(claim.application)
    return claim


def check_decision(claim: CategoryClaim, verified: bool, reason: str) -> None:
    """Only a pending claim is decided, and a refusal gives its reason."""
    if claim.status != CategoryClaim.Status.PENDING:
        raise ValidationError({"status": [error_codes.CATEGORY_DECIDED.error()]})
    if not verified and not (reason or "").strip():
        raise ValidationError({"reason": [error_codes.REASON_REQUIRED.error()]})


def _int(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() else None
