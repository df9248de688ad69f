"""Text folding: the same result, character by character, as the plain definition."""

import unicodedata

from common.text import _FOLD, normalise, terms


def folded_plainly(text: str) -> str:
    """The definition: the odd letters, case, compatibility decomposition, no marks."""
    text = unicodedata.normalize("NFKD", text.translate(str.maketrans(_FOLD)).casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def test_every_character_folds_as_the_definition_says():
    # Folding works character by character, so the characters check all of it; past
    # the first two planes there are only ideographs, tags and selectors.
    different = [
        hex(code)
        for code in range(0x20000)
        if not 0xD800 <= code <= 0xDFFF and normalise(chr(code)) != folded_plainly(chr(code))
    ]

    assert different == []


def test_text_in_our_languages_folds_as_the_definition_says():
    for text in [
        "İNEGÖL Marangozlar ve Mobilyacılar Odası: ŞİKAYET, çağrı, ığdır",
        "Не удаётся войти с электронной подписью, Ёлка",
        "ورود با امضای الکترونیکی ممکن نیست؛ كد يك",
        "Straße, Łódź, Øresund, Đakovo, ﬁle, e\u0301, A\u034f\u0301",
    ]:
        assert normalise(text) == folded_plainly(text)
    assert terms("İNEGÖL  ığdır") == ["inegol", "igdir"]
