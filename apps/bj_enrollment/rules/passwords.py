"""R11: parents' passwords, as a Django password validator so every password form uses it."""

import re
import secrets

from django.utils.translation import gettext as _

from apps.bj_enrollment import error_codes

MIN_LENGTH, MAX_LENGTH = 8, 20


class ParentPasswordValidator:
    def validate(self, password, user=None):
        if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
            raise error_codes.PASSWORD_LENGTH.error(min=MIN_LENGTH, max=MAX_LENGTH)
        if not (re.search(r"[0-9]", password) and re.search(r"[a-z]", password) and re.search(r"[A-Z]", password)):
            raise error_codes.PASSWORD_CLASSES.error()

    def get_help_text(self):
        return _("8 to 20 characters with at least one digit, one lowercase and one uppercase letter.")


def readable_password(length: int = 12) -> str:
    """Random, easy to read aloud (no 0/O, 1/l/I), with a digit, a lower- and an upper-case letter (R11)."""
    lower, upper, digits = "abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789"
    alphabet = lower + upper + digits
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if (
            any(c in lower for c in candidate)
            and any(c in upper for c in candidate)
            and any(c in digits for c in candidate)
        ):
            return candidate
