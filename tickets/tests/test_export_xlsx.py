import io
from datetime import timedelta

from django.utils import timezone
from openpyxl import load_workbook

from tickets import services
from tickets.models import Ticket

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tickets.xlsx"'
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_the_xlsx_holds_the_filtered_list_with_durations_in_hours(
    client, file, member, responsible
):
    # given: read after 3 hours, resolved after 5; another ticket filtered out
    ticket = file(subject="Prod kodları")
    services.mark_read(ticket, by=responsible)
    services.resolve(ticket, by=responsible, explanation="ok")
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=timezone.now() - timedelta(hours=5),
        read_at=timezone.now() - timedelta(hours=2),
    )
    file(subject="Başka", priority="high")
    client.force_login(member)
    # when
    rows = _sheet(client.get("/tickets/export.xlsx?status=resolved", **EN))
    # then
    header, *body = rows
    assert header[:3] == ["Id", "Organisation", "Subject"]
    assert header[-2:] == ["Hours to read", "Hours to resolve"]
    assert len(body) == 1
    assert body[0][:3] == [ticket.pk, "İnegöl Marangozlar Odası", "Prod kodları"]
    assert body[0][-2:] == [3.0, 5.0]
    assert "Resolved" in body[0]


def test_the_xlsx_shows_only_what_the_user_sees(client, file, other_union_member):
    file()
    client.force_login(other_union_member)
    assert len(_sheet(client.get("/tickets/export.xlsx?status=", **EN))) == 1  # the header


def test_a_cell_that_would_run_as_a_formula_is_text(client, file, member):
    file(subject="=HYPERLINK(1)")
    client.force_login(member)
    rows = _sheet(client.get("/tickets/export.xlsx", **EN))
    assert rows[1][2] == "'=HYPERLINK(1)"


def test_an_xlsx_over_the_cap_is_offered_to_the_worker(client, file, member, settings):
    file()
    file(subject="iki")
    settings.HELPDESK_EXPORT_MAX_ROWS = 1
    client.force_login(member)
    response = client.get("/tickets/export.xlsx?status=waiting", **EN)
    assert response.status_code == 302
    assert response["Location"] == "/exports/new/?status=waiting"
