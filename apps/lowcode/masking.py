"""The one masking policy for personal data in lists, exports, logs and messages (R26).

A mask must hold even beside every other column a list may show. A resident ID is region (6),
birth date (8), order code (3) and check digit (1); the region follows from the hukou district and
the birth date is shown for age checks, so a mask that keeps "region + last four" gives the whole
number back. The ID mask therefore keeps only the first and the last character: beside the region,
the birth date and the sex, the order code stays hidden (about 45 numbers fit, not one).
A mobile keeps its network prefix and last four digits, everywhere the same, so no two places
show different parts of one number.
"""

MASK = "*"


def mask_id_number(number: str) -> str:
    """1****************X: neither the region, the birth date nor the order code."""
    number = number or ""
    if len(number) <= 2:
        return MASK * len(number)
    return number[0] + MASK * (len(number) - 2) + number[-1]


def mask_phone(phone: str) -> str:
    """139****5678."""
    phone = phone or ""
    if len(phone) < 7:
        return MASK * len(phone)
    return phone[:3] + MASK * (len(phone) - 7) + phone[-4:]


def mask_recipient(address: str) -> str:
    """A message recipient: a mobile as above, an e-mail address as w***@example.org."""
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return mask_phone(address)


def mask_name(name: str) -> str:
    """Public disclosure style: 张*, 欧**明."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]
