from pypinyin import Style, lazy_pinyin


def pinyin_key(name: str) -> str:
    """Sort key so that lists order Chinese names the way people expect (by pinyin)."""
    return " ".join(lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True)).lower()[:160]
