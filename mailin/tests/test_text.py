"""What stays of a reply: the person's words, not the history their program quoted."""

import pytest

from mailin import text


@pytest.mark.parametrize(
    "quoted",
    [
        "On Thu, 3 Dec 2026 at 10:00, Helpdesk <helpdesk@example.org> wrote:\n> Old",
        "On Thu, 3 Dec 2026 at 10:00, Helpdesk <helpdesk@example.org>\nwrote:\n> Old",
        "3 Ara 2026 Per, 10:00 tarihinde Yardım Masası <helpdesk@example.org> şunu yazdı:\n> Old",
        "03.12.2026 10:00, Helpdesk пишет:\n> Old",
        "در تاریخ ۱۲ آذر ۱۴۰۵، Helpdesk نوشت:\n> Old",
        "-----Original Message-----\nFrom: Helpdesk\nSent: Thursday\n\nOld",
        "________________________________\nKimden: Yardım Masası\nGönderildi: Perşembe\n\nOld",
        "From: Helpdesk <helpdesk@example.org>\nSent: Thursday, December 3, 2026 10:00\nOld",
        "##- Please type your reply above this line -##\nOld",
        "> Old\n> older",
        "-- \nAyşe Öztürk\nOda",
        "Sent from my iPhone",
    ],
)
def test_the_quoted_history_is_cut(quoted):
    written = "Yeni metin.\nİkinci satır."
    assert text.reply_text(f"{written}\n\n{quoted}") == written


def test_a_line_that_only_mentions_writing_stays():
    written = "Dün size yazdım: cevap gelmedi.\nOn Monday we wrote the report."
    assert text.reply_text(written) == written
