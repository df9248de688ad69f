"""The agency's shape: requests filed about an expert's case; the case's reviewer (the
referring authority's) sees them, answers, changes unit and priority, and resolves."""

import re

import pytest

from accounts.models import User
from outbox.models import OutgoingMail
from tickets import services
from tickets.models import EventKind, ParentRecord, Status, Ticket, TicketKind
from tickets.records import ParentKind

from .profiles import case, post_ticket, seed, unit, user
from .test_columns import ListPage

EXPERTS_UNIT = "واحد امور کارشناسان"
SYSTEM_UNIT = "واحد پشتیبانی سامانه"


@pytest.fixture
def agency(db, settings):
    settings.DEBUG = True
    seed("tesk", "agency")


def file_extension(expert, record, subject="درخواست استمهال"):
    return services.file_ticket(
        by=expert,
        parent=record,
        category=unit(EXPERTS_UNIT),
        kind=TicketKind.objects.get(code="extension"),
        priority="medium",
        subject=subject,
        description="برای تکمیل گزارش کارشناسی ده روز مهلت لازم است.",
    ).ticket


def another_case(expert, reviewer, number="1402-99999"):
    return ParentRecord.objects.create(
        kind=ParentKind.CASE,
        number=number,
        title="پرونده دیگر",
        organisation=expert.organisation,
        authority="شعبه دیگر",
        reviewer=reviewer,
    )


def test_the_reviewer_sees_the_requests_of_the_cases_they_referred_and_no_other(agency):
    expert, reviewer, tesk = user("fa_expert"), user("fa_reviewer"), user("tesk")
    referred = file_extension(expert, case("1402-11873"))
    elsewhere = file_extension(expert, another_case(expert, tesk), subject="دیگری")
    without_case = services.file_ticket(
        by=expert,
        category=unit(EXPERTS_UNIT),
        kind=TicketKind.objects.get(code="inquiry"),
        priority="low",
        subject="استعلام",
        description="...",
    ).ticket

    seen = set(Ticket.objects.visible_to(reviewer).values_list("pk", flat=True))

    assert referred.pk in seen
    assert elsewhere.pk not in seen and without_case.pk not in seen


def test_a_request_the_reviewer_may_not_see_is_404_to_them(client, agency):
    expert, reviewer = user("fa_expert"), user("fa_reviewer")
    elsewhere = file_extension(expert, another_case(expert, user("tesk")))
    client.force_login(reviewer)

    assert client.get(f"/tickets/{elsewhere.pk}/").status_code == 404


def test_the_reviewer_answers_changes_unit_and_priority_and_resolves(client, agency):
    # given an extension request filed about a case the reviewer referred
    expert, reviewer = user("fa_expert"), user("fa_reviewer")
    ticket = file_extension(expert, case("1402-11873"))
    client.force_login(reviewer)
    page = client.get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    # the units offered are the agency's own
    redirect_options = page.context["redirect_form"].fields["category"].queryset
    assert set(redirect_options.values_list("name", flat=True)) == {
        SYSTEM_UNIT,
        "واحد نظارت و بازرسی",
    }

    # when
    client.post(f"/tickets/{ticket.pk}/reply/", {"body": "بررسی می‌شود."})
    client.post(f"/tickets/{ticket.pk}/redirect/", {"category": unit(SYSTEM_UNIT).pk})
    client.post(f"/tickets/{ticket.pk}/priority/", {"priority": "high"})
    client.post(f"/tickets/{ticket.pk}/resolve/", {"explanation": "ده روز مهلت داده شد."})

    # then
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.category.name) == (
        Status.RESOLVED,
        "high",
        SYSTEM_UNIT,
    )
    kinds = list(ticket.events.filter(actor=reviewer).values_list("kind", flat=True))
    assert kinds == [
        EventKind.READ,
        EventKind.REPLIED,
        EventKind.REDIRECTED,
        EventKind.PRIORITY_CHANGED,
        EventKind.RESOLVED,
    ]


def test_the_expert_answers_within_the_three_days_after_resolved(client, agency):
    expert, reviewer = user("fa_expert"), user("fa_reviewer")
    ticket = file_extension(expert, case("1402-11873"))
    services.resolve(ticket, by=reviewer, explanation="مهلت داده شد.")
    client.force_login(expert)

    client.post(f"/tickets/{ticket.pk}/reopen/", {"body": "مهلت کافی نیست."})

    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_the_expert_files_from_a_case_with_the_case_chosen(client, agency):
    expert = user("fa_expert")
    record = case("1402-11873")
    client.force_login(expert)

    form = client.get(f"/tickets/new/?parent={record.pk}").context["form"]

    assert form.initial["parent"] == record.pk
    assert set(form.fields["parent"].queryset) == set(
        ParentRecord.objects.filter(organisation=expert.organisation)
    )
    response = post_ticket(
        client, unit(EXPERTS_UNIT), "extension", parent=record.pk, subject="استمهال"
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get(subject="استمهال")
    assert ticket.parent == record
    # and its page names the case, with its authority
    page = client.get(ticket.get_absolute_url()).text
    shown = page[page.index('id="ticket-parent"') :].split("</dd>")[0]
    assert f"<bdi>{record}</bdi>" in shown and f"<bdi>{record.authority}</bdi>" in shown


def test_a_case_the_user_may_not_file_about_is_refused_and_nothing_saved(client, agency):
    expert = user("fa_expert")
    stranger_case = ParentRecord.objects.create(
        kind=ParentKind.CASE,
        number="1402-00001",
        title="پرونده کارشناس دیگر",
        organisation=user("fa_reviewer").organisation,
    )
    client.force_login(expert)
    before = Ticket.objects.count()

    response = post_ticket(client, unit(EXPERTS_UNIT), "extension", parent=stranger_case.pk)

    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert Ticket.objects.count() == before


def test_the_list_filters_by_case(client, agency):
    expert = user("fa_expert")
    first = file_extension(expert, case("1402-11873"))
    client.force_login(expert)

    response = client.get(f"/tickets/?parent={case('1402-11873').pk}")

    shown = [ticket.pk for ticket, _cells in response.context["rows"]]
    assert shown == [first.pk]


def test_the_agency_says_unit_where_the_others_say_category(client, agency):
    client.force_login(user("fa_expert"))
    agency_form = client.get("/tickets/new/", HTTP_ACCEPT_LANGUAGE="en").context["form"]
    client.force_login(user("oda"))
    tesk_form = client.get("/tickets/new/", HTTP_ACCEPT_LANGUAGE="en").context["form"]

    assert agency_form.fields["category"].label == "Unit"
    assert tesk_form.fields["category"].label == "Category"


def in_english(*usernames):
    User.objects.filter(username__in=usernames).update(language="en")


def test_the_lists_filter_says_unit_to_the_agency_after_category_to_others(client, agency):
    """The filter fields are drawn once for the same criteria (fragments.py): not
    across deployments that name the field apart."""
    in_english("oda", "fa_expert")
    labels = []
    for username in ("oda", "fa_expert", "oda"):
        client.force_login(user(username))
        html = client.get("/tickets/").content.decode()
        labels.append(re.search(r'<label for="id_category" class="form-label">(\w+)<', html)[1])

    assert labels == ["Category", "Unit", "Category"]


def test_the_agencys_list_names_the_unit_column_and_filter_unit(client, agency):
    expert = user("fa_expert")
    file_extension(expert, case("1402-11873"))
    in_english("fa_expert")
    client.force_login(expert)

    html = client.get("/tickets/").content.decode()

    page = ListPage(html)
    assert "Unit" in page.header and "Category" not in page.header
    assert all("Unit" in [label for label, _text in row] for row in page.rows)
    assert '<label for="id_category" class="form-label">Unit</label>' in html


def test_the_agencys_ticket_page_and_dashboard_say_unit(client, agency):
    ticket = file_extension(user("fa_expert"), case("1402-11873"))
    in_english("fa_unit")
    client.force_login(user("fa_unit"))

    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    dashboard = client.get("/dashboard/").content.decode()

    assert f'<dt class="col-sm-3">Unit</dt><dd class="col-sm-9">{EXPERTS_UNIT}</dd>' in page
    assert 'for="dashboard-category">Unit</label>' in dashboard


def test_the_agencys_mail_notices_say_unit(agency):
    in_english("fa_unit")

    ticket = file_extension(user("fa_expert"), case("1402-11873"))

    notice = OutgoingMail.objects.get(ticket_id=ticket.pk, to=user("fa_unit").email)
    assert f"Unit: {EXPERTS_UNIT}" in notice.text
    assert f"Unit: {EXPERTS_UNIT}" in notice.html
    assert "Category" not in notice.text


def test_the_agencys_pages_say_unit_in_persian(client, agency):
    ticket = file_extension(user("fa_expert"), case("1402-11873"))
    client.force_login(user("fa_expert"))

    page = client.get(f"/tickets/{ticket.pk}/").content.decode()

    assert f'<dt class="col-sm-3">واحد</dt><dd class="col-sm-9">{EXPERTS_UNIT}</dd>' in page


def test_tesks_people_still_read_category(client, agency):
    in_english("oda")
    member = user("oda")
    client.force_login(member)
    ticket = Ticket.objects.filter(requester=member).first()

    listed = client.get("/tickets/").content.decode()
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()

    assert "Category" in ListPage(listed).header
    assert '<label for="id_category" class="form-label">Category</label>' in listed
    assert '<dt class="col-sm-3">Category</dt>' in page


def test_the_agencys_list_makes_the_same_number_of_queries_for_1_and_30_tickets(
    client, agency, django_assert_max_num_queries
):
    expert = user("fa_expert")
    file_extension(expert, case("1402-11873"))
    client.force_login(expert)
    client.get("/tickets/")  # the process reads its categories and kinds once
    with django_assert_max_num_queries(23) as one:
        client.get("/tickets/")
    for n in range(29):
        file_extension(expert, case("1402-11873"), subject=f"درخواست {n}")
    with django_assert_max_num_queries(23) as thirty:
        response = client.get("/tickets/")

    assert len(response.context["rows"]) == 25
    assert len(thirty.captured_queries) == len(one.captured_queries)
