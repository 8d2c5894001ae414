"""What reached the SMS adapter's local backend (the only fake: it stands for the SMS gateway)."""

import re


def _outbox() -> list:
    from apps.lowcode.messaging.backends import locmem

    return locmem.outbox


def clear() -> None:
    try:
        _outbox().clear()
    except ImportError:
        pass


def texts_to(mobile: str) -> list[str]:
    return [m.text for m in _outbox() if m.to == mobile]


def last_code(mobile: str) -> str:
    texts = texts_to(mobile)
    assert texts, f"no SMS to {mobile}"
    return re.search(r"(?<!\d)\d{6}(?!\d)", texts[-1]).group(0)
