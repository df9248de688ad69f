"""A person with a history: Ayşe Yılmaz of the İnegöl chamber filed a ticket with a
document, the responsible answered and wrote an internal note, she answered back."""

import io
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.tests.factories import UserFactory
from tickets import services
from tickets.tests.files import PDF, upload

# Everything that tells who she is: none of it may survive her erasure.
IDENTITY = ["ayse.yilmaz", "Ayşe", "Yılmaz", "ayse.yilmaz@example.org", "5321234567"]


@pytest.fixture
def ayse(inegol_chamber):
    return UserFactory(
        username="ayse.yilmaz",
        first_name="Ayşe",
        last_name="Yılmaz",
        email="ayse.yilmaz@example.org",
        phone="+905321234567",
        organisation=inegol_chamber,
    )


@pytest.fixture
def history(ayse, problem, responsible, django_capture_on_commit_callbacks):
    """Her ticket, read and answered, with her document and her reply; the notices
    about it are in the outbox."""
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.file_ticket(
            by=ayse,
            category=responsible.team_categories.get(),
            kind=problem,
            priority="medium",
            subject="Kapasite raporu onaylanmadı",
            description="Rapor 2024/17 bekliyor.",
            files=[upload("kimlik.pdf", PDF)],
        ).ticket
        services.mark_read(ticket, by=responsible)
        services.reply(ticket, by=responsible, body="Which product code?")
        services.reply(ticket, by=responsible, body="Call her back.", internal=True)
        services.reply(ticket, by=ayse, body="Kod 8471, telefonum 0532 123 45 67")
    return ticket


def unzip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def verify_log() -> str:
    out = StringIO()
    call_command("verify_log", stdout=out)
    return out.getvalue()


@pytest.fixture
def ayse_web(ayse):
    """Her own browser, beside the supervisor's `client`."""
    browser = Client()
    browser.force_login(ayse)
    return browser
