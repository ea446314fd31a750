"""Kana helpers: readings are stored in katakana so that they sort in 五十音 order."""

import unicodedata

_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def to_katakana(text: str) -> str:
    """Full-width katakana for any hiragana or half-width katakana in ``text``."""
    return unicodedata.normalize("NFKC", text or "").translate(_HIRAGANA_TO_KATAKANA).strip()
