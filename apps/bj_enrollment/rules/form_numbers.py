"""R13: 8-digit form numbers that start with the campaign year, and the verification code (R22).

Numbers are random, not sequential, so that a number says nothing about when someone registered (R7).
"""

import secrets

from django.db import IntegrityError, transaction

VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper


def new_form_number(prefix: str) -> str:
    return f"{prefix}{secrets.randbelow(1_000_000):06d}"


def new_form_numbers(prefix: str, n: int, taken: set[str]) -> list[str]:
    """`n` distinct fresh numbers, none in `taken`, for a bulk insert (the demo builder)."""
    seen, numbers = set(taken), []
    while len(numbers) < n:
        number = new_form_number(prefix)
        if number not in seen:
            seen.add(number)
            numbers.append(number)
    return numbers


def new_verification_code(length: int = 6) -> str:
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(length))


def save_with_form_number(application, attempts: int = 8):
    """Insert an application, drawing a fresh number on the rare collision the unique index reports."""
    prefix = application.campaign.form_number_prefix
    if not application.verification_code:
        application.verification_code = new_verification_code()
    for _ in range(attempts):
        application.form_number = new_form_number(prefix)
        try:
            with transaction.atomic():
                application.save(force_insert=True)
            return application
        except IntegrityError as exc:
            if "form_number" not in str(exc):
                raise
    raise RuntimeError("no free form number after several attempts")
