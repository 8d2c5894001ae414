"""#11.8: a number is ASCII digits after folding full-width characters; other scripts' digits, which
str.isdigit(), `\\d` and int() all accept, are refused wherever a number is read."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.bj_enrollment.choices import Gender
from apps.bj_enrollment.rules.identity import check_resident_id, make_resident_id, normalise_id_number
from apps.bj_enrollment.rules.passwords import ParentPasswordValidator
from apps.lowcode import dataimport

ID = make_resident_id("110108", dt.date(2019, 12, 30), 7, Gender.FEMALE)
SCRIPTS = {"arabic-indic": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹", "devanagari": "०१२३४५६७८९", "bengali": "০১২৩৪৫৬৭৮৯"}


@pytest.mark.parametrize("digits", SCRIPTS.values(), ids=SCRIPTS.keys())
def test_an_id_with_another_scripts_digit_is_refused_whatever_the_digit(digits):
    for position in (0, 9, 16):
        variant = ID[:position] + ID[position].translate(str.maketrans("0123456789", digits)) + ID[position + 1 :]
        with pytest.raises(ValidationError) as exc:
            check_resident_id(variant)
        assert exc.value.code == "id_characters"


def test_full_width_spaces_and_dashes_fold_to_the_one_normal_form():
    full_width = ID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert normalise_id_number(f"　{full_width[:6]}-{full_width[6:14]} {full_width[14:]}　") == ID
    assert check_resident_id(full_width) == ID


def test_a_password_needs_an_ascii_digit():
    with pytest.raises(ValidationError):
        ParentPasswordValidator().validate("Parentpass٣")
    ParentPasswordValidator().validate("Parentpass3")


def test_imports_read_numbers_in_ascii_or_full_width_only():
    assert dataimport.integer("１２") == 12
    with pytest.raises(ValidationError):
        dataimport.integer("١٢")
