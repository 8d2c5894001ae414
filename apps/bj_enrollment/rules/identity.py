"""R9: mainland resident ID numbers (GB 11643) and their consistency with the entered data."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from apps.bj_enrollment.choices import Gender


def normalise_resident_id(number: str) -> str:
    return ric.compact(number).upper()


def check_resident_id(number: str, birth_date: dt.date | None = None, gender: str | None = None) -> str:
    """Return the compact ID number or raise ValidationError saying exactly what is wrong."""
    compact = normalise_resident_id(number)
    if len(compact) != 18:
        raise ValidationError(_("A resident ID number has 18 characters."), code="id_length")
    if not compact[:17].isdigit() or compact[17] not in "0123456789X":
        raise ValidationError(_("This is not a valid resident ID number."), code="id_invalid")
    try:
        # Not ric.validate(): it also requires the region code to have existed at the birth date,
        # which turns away genuine numbers issued under later or renamed codes.
        encoded_birth = ric.get_birth_date(compact)
    except stdnum_errors.ValidationError:
        raise ValidationError(_("This is not a valid resident ID number."), code="id_invalid") from None
    if ric.calc_check_digit(compact) != compact[17]:
        raise ValidationError(_("The check digit of this ID number is wrong."), code="id_checksum")
    if birth_date is not None and encoded_birth != birth_date:
        raise ValidationError(
            _("The birth date in the ID number differs from the birth date entered."), code="id_birth_date"
        )
    if gender is not None and id_gender(compact) != gender:
        raise ValidationError(_("The gender in the ID number differs from the gender entered."), code="id_gender")
    return compact


def id_gender(compact: str) -> str:
    return Gender.MALE if int(compact[16]) % 2 else Gender.FEMALE


def make_resident_id(region: str, birth_date: dt.date, sequence: int, gender: str) -> str:
    """A valid-checksum ID (demo data and tests); `sequence` 0-499 picks the order code."""
    order = sequence * 2 + (1 if gender == Gender.MALE else 0)
    body = f"{region}{birth_date:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def mask_id_number(number: str) -> str:
    """R26: lists show only the region and the last four characters."""
    if not number:
        return ""
    if len(number) <= 8:
        return number[:1] + "*" * (len(number) - 2) + number[-1:]
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str) -> str:
    """Public disclosure style: 张*, 欧阳*明."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
