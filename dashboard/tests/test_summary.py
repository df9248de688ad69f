from django.core.management import call_command

from dashboard.models import SummarySubscription
from dashboard.summary import send_weekly
from outbox.models import OutgoingMail


def test_the_weekly_summary_goes_once_a_week_to_supervisors_who_opted_in(
    file, supervisor, member, responsible
):
    file(subject="Açık bir kayıt")
    SummarySubscription.objects.create(user=supervisor)
    SummarySubscription.objects.create(user=member)  # no longer a supervisor's right
    # when
    call_command("send_weekly_summary", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sent_again = send_weekly()
    # then
    mails = OutgoingMail.objects.filter(topic="summary")
    assert [m.to for m in mails] == [supervisor.email]
    assert "Açık bir kayıt" in mails.get().text
    assert sent_again == 0
