"""Personal data in logs and lists is masked: 139****5678, w***@example.org."""


def mask_recipient(address: str) -> str:
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    if len(address) < 7:
        return "*" * len(address)
    return address[:3] + "*" * (len(address) - 7) + address[-4:]
