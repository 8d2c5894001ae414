import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.bj_enrollment.choices import Gender
from apps.bj_enrollment.rules.identity import check_resident_id, make_resident_id

BIRTH = dt.date(2020, 3, 15)


def test_made_ids_pass_the_gb11643_check():
    for seq in range(0, 500, 37):
        for gender in Gender.values:
            number = make_resident_id("110108", BIRTH, seq, gender)
            assert check_resident_id(number, BIRTH, gender) == number


def test_known_valid_id_number():
    # the GB 11643-1999 worked example
    assert check_resident_id("11010519491231002X") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("11010120200315001", "id_length"),
        ("110101202003150010", "id_checksum"),
        ("11010120201315001X", "id_invalid"),
    ],
)
def test_bad_id_numbers_say_what_is_wrong(number, code):
    with pytest.raises(ValidationError) as exc:
        check_resident_id(number)
    assert exc.value.code == code


def test_id_must_agree_with_birth_date_and_gender_r9():
    number = make_resident_id("110101", BIRTH, 3, Gender.FEMALE)
    with pytest.raises(ValidationError) as exc:
        check_resident_id(number, BIRTH + dt.timedelta(days=1), Gender.FEMALE)
    assert exc.value.code == "id_birth_date"
    with pytest.raises(ValidationError) as exc:
        check_resident_id(number, BIRTH, Gender.MALE)
    assert exc.value.code == "id_gender"


def test_lowercase_x_and_spaces_are_normalised():
    assert check_resident_id(" 11010519491231002x ") == "11010519491231002X"


def test_region_codes_newer_than_the_birth_date_are_accepted():
    # 通州区 110112 dates from 1997; people born earlier were re-registered under it.
    number = make_resident_id("110112", dt.date(1985, 7, 1), 12, Gender.MALE)
    assert check_resident_id(number, dt.date(1985, 7, 1), Gender.MALE) == number
