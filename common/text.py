"""Text search that is blind to case and accents in every language we serve.

SQLite's LIKE folds ASCII only, and Turkish has four i's (I ı İ i), so the ticket
keeps a folded copy of its text and queries are folded the same way: "INEGOL",
"inegöl" and "İnegöl" all find "İnegöl".
"""

import unicodedata

# Letters that Unicode does not decompose into a base letter and a mark.
_FOLD = str.maketrans(
    {"ı": "i", "İ": "i", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ي": "ی", "ك": "ک"}
)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_FOLD).casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def terms(query: str, limit: int = 10) -> list[str]:
    """The folded words of a query; at most `limit`, so a query stays cheap."""
    return [word for word in normalise(query).split() if word][:limit]
