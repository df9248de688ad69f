"""A survey's answer is the requester's: it is in their export; its comment goes when
they are erased, and when the retention period has passed; the rating stays in the
figures."""

import io
import json
import zipfile
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from satisfaction import services
from satisfaction.models import Survey


@pytest.fixture
def answered(closed):
    """`oda`'s answer to the survey of their closed ticket, with a comment that names them."""
    survey = Survey.objects.get(ticket=closed)
    return services.answer(survey, rating=2, comment="Ben Ayşe, 0532 123 45 67: çok yavaş.")


def test_an_erased_persons_comment_goes_and_their_rating_stays(answered, member):
    # when (their text stays on the tickets: only who they are goes)
    call_command("erase_person", member.username, stdout=StringIO())

    # then
    assert Survey.objects.values_list("rating", "comment").get(pk=answered.pk) == (2, "")


def test_retention_empties_the_comments_of_surveys_older_than_the_period(
    answered, settings, file, member
):
    settings.HELPDESK_RETENTION_DAYS = 365
    Survey.objects.filter(pk=answered.pk).update(sent_at=timezone.now() - timedelta(days=400))
    recent = Survey.objects.create(
        ticket=file(), requester=member, key="k", rating=5, comment="Teşekkürler, Ayşe"
    )

    call_command("anonymise_closed", stdout=StringIO())

    comments = dict(Survey.objects.values_list("pk", "comment"))
    assert comments == {answered.pk: "", recent.pk: "Teşekkürler, Ayşe"}
    assert Survey.objects.get(pk=answered.pk).rating == 2


def test_my_survey_answers_are_in_my_personal_data_export(client, answered, member):
    client.force_login(member)

    response = client.get("/privacy/export/")

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    surveys = json.loads(archive.read("personal-data.json"))["surveys"]
    assert [(s["ticket"], s["rating"], s["comment"]) for s in surveys] == [
        (answered.ticket_id, 2, "Ben Ayşe, 0532 123 45 67: çok yavaş.")
    ]
