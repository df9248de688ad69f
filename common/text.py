"""Text search that is blind to case and accents in every language we serve.

SQLite's LIKE folds ASCII only, and Turkish has four i's (I ı İ i), so the ticket
keeps a folded copy of its text and queries are folded the same way: "INEGOL",
"inegöl" and "İnegöl" all find "İnegöl".
"""

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and a mark.
_FOLD = {"ı": "i", "İ": "i", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ي": "ی", "ك": "ک"}
# The marks Latin letters decompose into (ö is o and ¨): most of what there is to strip,
# in one pass; the marks of other scripts are looked up one character at a time.
_LATIN_MARKS = re.compile(
    "[" + "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))) + "]"
)


def normalise(text: str) -> str:
    # Replaced one by one, not by str.translate, which is slow on non-ASCII text; no
    # replacement holds a letter replaced after it.
    for letter, folded in _FOLD.items():
        if letter in text:
            text = text.replace(letter, folded)
    text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    if text.isascii():
        return text
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def terms(query: str, limit: int = 10) -> list[str]:
    """The folded words of a query; at most `limit`, so a query stays cheap."""
    return [word for word in normalise(query).split() if word][:limit]


# Languages whose dotted and dotless i are two letters: "i" capitalises to "İ".
_DOTTED_I_LANGUAGES = ("tr", "az")


def capfirst(text) -> str:
    """The text with its first letter capitalised as the active language writes it:
    in Turkish "işlem kayıtları" becomes "İşlem kayıtları", not "Işlem kayıtları"."""
    from django.utils.translation import get_language

    text = str(text) if text is not None else ""
    if not text:
        return text
    first = text[0]
    language = (get_language() or "").split("-")[0]
    if first == "i" and language in _DOTTED_I_LANGUAGES:
        return "İ" + text[1:]
    return first.upper() + text[1:]
