def pinyin_key(name: str) -> str:
    """Sort key so that lists order Chinese names the way people expect (by pinyin)."""
    # imported here: pypinyin's dictionaries take ~55 MiB, paid only by a process that saves a child
    # (gunicorn's master loads it once for all its workers: config/gunicorn.py)
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True)).lower()[:160]
