"""R11: parents' passwords, as a Django password validator so every password form uses it."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_LENGTH, MAX_LENGTH = 8, 20


class ParentPasswordValidator:
    def validate(self, password, user=None):
        if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
            raise ValidationError(
                _("The password must be %(min)d to %(max)d characters long."),
                code="password_length",
                params={"min": MIN_LENGTH, "max": MAX_LENGTH},
            )
        if not (re.search(r"\d", password) and re.search(r"[a-z]", password) and re.search(r"[A-Z]", password)):
            raise ValidationError(
                _("The password must contain a digit, a lowercase letter and an uppercase letter."),
                code="password_classes",
            )

    def get_help_text(self):
        return _("8 to 20 characters with at least one digit, one lowercase and one uppercase letter.")
