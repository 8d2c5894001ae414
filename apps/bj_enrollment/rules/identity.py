"""R9: mainland resident ID numbers (GB 11643) and their consistency with the entered data."""

import datetime as dt
import functools
import re
import unicodedata

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.choices import Gender

# ASCII only: `\d` and str.isdigit() also accept Arabic-Indic and other digits, which int() reads as
# numbers, so a variant of a registered ID would pass the checksum and escape every uniqueness check.
RESIDENT_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_SEPARATORS = re.compile(r"[\s\-]+")


def normalise_id_number(number: str) -> str:
    """The one form in which every identity number is stored, compared, counted and hashed: full-width
    characters folded to ASCII (NFKC), spaces and dashes dropped, upper case. Other scripts' digits
    stay as they are, so the shape check refuses them."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", number or "")).upper()


def is_ascii_digits(text: str, length: int | None = None) -> bool:
    """str.isdigit() for identifiers: ASCII digits only (optionally exactly `length` of them)."""
    return bool(re.fullmatch(r"[0-9]+", text or "", re.ASCII)) and (length is None or len(text) == length)


def check_resident_id(number: str, birth_date: dt.date | None = None, gender: str | None = None) -> str:
    """Return the normal form of the ID number or raise ValidationError saying exactly what is wrong."""
    compact = normalise_id_number(number)
    if len(compact) != 18:
        raise error_codes.ID_LENGTH.error()
    if not RESIDENT_ID_SHAPE.fullmatch(compact):
        raise error_codes.ID_CHARACTERS.error()
    try:
        # Not ric.validate(): it also requires the region code to have existed at the birth date,
        # which turns away genuine numbers issued under later or renamed codes.
        encoded_birth = ric.get_birth_date(compact)
    except stdnum_errors.ValidationError:
        raise error_codes.ID_INVALID.error() from None
    if ric.calc_check_digit(compact) != compact[17]:
        raise error_codes.ID_CHECKSUM.error()
    if not is_region_code(compact[:6]):
        raise error_codes.ID_REGION.error()
    if birth_date is not None and encoded_birth != birth_date:
        raise error_codes.ID_BIRTH_DATE.error()
    if gender is not None and id_gender(compact) != gender:
        raise error_codes.ID_GENDER.error()
    return compact


@functools.lru_cache(maxsize=4096)
def is_region_code(code: str) -> bool:
    """Whether `code` is, or was, an administrative division code of GB/T 2260. The list is the one
    python-stdnum ships (stdnum/cn/loc.dat), with abolished codes kept: an ID keeps the code of the
    place and year it was issued (崇文区 110103 before 2010)."""
    from stdnum import numdb

    found = {key: value for _part, props in numdb.get("cn/loc").info(code) for key, value in props.items()}
    return "county" in found


def id_gender(compact: str) -> str:
    return Gender.MALE if int(compact[16]) % 2 else Gender.FEMALE


def make_resident_id(region: str, birth_date: dt.date, sequence: int, gender: str) -> str:
    """A valid-checksum ID (demo data and tests); `sequence` 0-499 picks the order code."""
    order = sequence * 2 + (1 if gender == Gender.MALE else 0)
    body = f"{region}{birth_date:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit
