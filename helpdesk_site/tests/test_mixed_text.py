"""Text as people type it: right-to-left marks, emoji and mixed scripts are kept, shown
escaped, and isolated from the labels around them (<bdi> or dir="auto")."""

import html
import re

import pytest

from tickets.models import Ticket

RLM, RLO, PDF_MARK, ZWNJ = "\u200f", "\u202e", "\u202c", "\u200c"
SUBJECTS = [
    "Kapasite Raporu — گزارش ظرفیت — отчёт о мощности 🙂",
    f"{RLM}فاکتور ۱۲۳ برای İnegöl{RLM}",
    f"belge{RLO}fdp.exe{PDF_MARK} ekte",
    f"درخواست{ZWNJ}ها 👩🏽‍💻 <script>alert(1)</script>",
]


def isolated(page: str, text: str) -> int:
    """How often `text` (escaped) stands alone in a <bdi> or an element with dir="auto"."""
    escaped = re.escape(html.escape(text))
    return len(re.findall(rf'(?:<bdi[^>]*>|<[a-z]+[^>]* dir="auto"[^>]*>)\s*{escaped}\s*<', page))


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_subject_is_kept_as_typed(client, member, capacity, subject):
    client.force_login(member)

    response = client.post(
        "/tickets/new/",
        {
            "category": capacity.pk,
            "kind": "problem",
            "priority": "medium",
            "subject": subject,
            "description": subject,
        },
    )

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.subject == subject
    assert ticket.description == subject


@pytest.mark.parametrize("language", ["tr", "fa"])
@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_subject_is_shown_escaped_and_isolated(client, file, member, subject, language):
    ticket = file(subject=subject)
    client.force_login(member)

    listing = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    detail = client.get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    for page in (listing, detail):
        assert "<script>alert(1)</script>" not in page
        assert isolated(page, subject), subject


@pytest.mark.parametrize("language", ["tr", "fa"])
def test_names_in_any_script_are_shown_isolated(client, file, member, inegol_chamber, language):
    member.first_name, member.last_name = f"{RLM}مهدی", "Kaya 🙂"
    member.save()
    inegol_chamber.name = f"اتاق {RLO}İnegöl{PDF_MARK} Odası"
    inegol_chamber.save()
    file()
    client.force_login(member)

    page = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert isolated(page, member.display_name())
    assert isolated(page, inegol_chamber.name) >= 2  # the header, the row


def test_the_csv_keeps_every_script_and_starts_with_a_byte_order_mark(client, file, member):
    for subject in SUBJECTS:
        file(subject=subject)
    client.force_login(member)

    body = b"".join(client.get("/tickets/export.csv").streaming_content)

    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8")
    for subject in SUBJECTS:
        assert subject in text
    assert "İnegöl Marangozlar Odası" in text
