"""R5: special and priority categories count only once the district verified the family's claim.

`counts_as_local` is the one answer to "is this child treated as Beijing hukou": the workflow's
identity-check branch (five-certificate review or not), the identity-check job and the R20 results
gate all ask it. The hukou category itself stays what the population registry says."""

from __future__ import annotations

from apps.bj_enrollment.choices import CategoryKind, HukouCategory
from apps.bj_enrollment.doctype.category_claim import CategoryClaim

VERIFIED = CategoryClaim.Status.VERIFIED
PENDING = CategoryClaim.Status.PENDING


def counts_as_local(application) -> bool:
    """Beijing hukou, or a verified claim of a category that counts as Beijing hukou."""
    if application.hukou_category == HukouCategory.LOCAL:
        return True
    return application.category_claims.filter(
        status=VERIFIED, category__kind=CategoryKind.COUNTS_AS_LOCAL
    ).exists()


def awaiting_decision(application) -> bool:
    """A non-local child whose "counts as local" claim the district has not decided: the identity
    check waits for it rather than sending the family to the five-certificate review by default."""
    if application.hukou_category == HukouCategory.LOCAL:
        return False
    return application.category_claims.filter(
        status=PENDING, category__kind=CategoryKind.COUNTS_AS_LOCAL
    ).exists()


def declarable(queryset):
    """The categories a family may declare itself (district-handled cases register at the district, R6)."""
    return queryset.filter(active=True, kind__in=[CategoryKind.COUNTS_AS_LOCAL, CategoryKind.PRIORITY])
