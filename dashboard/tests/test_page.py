import csv
import io

import pytest
from openpyxl import load_workbook

from dashboard.models import SummarySubscription
from tickets import services

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _open_status(page: str) -> str:
    """The page's 'Open tickets by status' section."""
    start = page.index('id="figure-open-status"')
    return page[start : page.index("</section>", start)]


def test_the_navbar_links_the_dashboard_for_signed_in_users(client, member):
    client.force_login(member)
    assert 'href="/dashboard/"' in client.get("/tickets/", **EN).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_handler_counts_only_their_categories(client, file, technical, responsible):
    file(subject="one")
    file(subject="two")
    file(category=technical, subject="other team's")
    client.force_login(responsible)
    # when
    response = client.get("/dashboard/?category=&organisation=", **EN)
    # then
    body = client.get("/dashboard/open-status.csv", **EN).content.decode("utf-8-sig")
    assert response.status_code == 200
    assert list(csv.reader(io.StringIO(body))) == [
        ["Status", "Open"],
        ["Waiting", "2"],
        ["In progress", "0"],
        ["Information requested", "0"],
        ["Redirected", "0"],
    ]
    assert "The tickets of your categories" in response.content.decode()


def test_a_member_sees_their_own_organisations_figures_only(
    client, file, member, union_member, other_union_member
):
    file()
    file(by=other_union_member, subject="Ankara")
    client.force_login(union_member)  # Bursa sees İnegöl's tickets in the list, not here
    body = client.get("/dashboard/open-status.csv", **EN).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body)))[1] == ["Waiting", "0"]
    client.force_login(member)
    body = client.get("/dashboard/open-status.csv", **EN).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body)))[1] == ["Waiting", "1"]


def test_a_supervisor_narrows_to_an_organisation_subtree(
    client, file, supervisor, bursa_union, other_union_member
):
    file()  # İnegöl, below Bursa
    file(by=other_union_member, subject="Ankara")
    client.force_login(supervisor)
    every = client.get("/dashboard/open-status.csv", **EN).content.decode("utf-8-sig")
    bursa = client.get(
        f"/dashboard/open-status.csv?organisation={bursa_union.pk}", **EN
    ).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(every)))[1] == ["Waiting", "2"]
    assert list(csv.reader(io.StringIO(bursa)))[1] == ["Waiting", "1"]
    page = client.get(f"/dashboard/?organisation={bursa_union.pk}", **EN).content.decode()
    assert "Bursa ESOB" in page


@pytest.mark.parametrize(
    "query", ["organisation=999999", "organisation=x", "category=-3", "category=99999999999"]
)
def test_a_filter_outside_the_scope_shows_nothing_never_a_500(client, file, responsible, query):
    file()
    client.force_login(responsible)
    response = client.get(f"/dashboard/?{query}", **EN)
    assert response.status_code == 200
    assert 'id="figure-open-status"' in response.content.decode()
    assert ">1<" not in _open_status(response.content.decode())
    body = client.get(f"/dashboard/open-status.csv?{query}").content.decode("utf-8-sig")
    assert [row[1] for row in csv.reader(io.StringIO(body))][1:] == ["0", "0", "0", "0"]


def test_a_handler_filtering_another_teams_category_counts_nothing(
    client, file, technical, responsible
):
    file(category=technical)
    client.force_login(responsible)
    body = client.get(f"/dashboard/open-category.csv?category={technical.pk}").content
    assert len(list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))) == 1  # header only


def test_each_table_downloads_as_xlsx_with_the_same_numbers(client, file, supervisor):
    file()
    client.force_login(supervisor)
    response = client.get("/dashboard/open-category.xlsx", **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Category", "Open"],
        ["Kapasite Raporu", 1],
    ]


def test_an_unknown_table_is_a_404(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/dashboard/nothing.csv").status_code == 404
    assert client.get("/dashboard/weekly.pdf").status_code == 404


def test_charts_are_svg_with_a_title_and_a_text_alternative(client, file, supervisor):
    file()
    client.force_login(supervisor)
    page = client.get("/dashboard/", **EN).content.decode()
    assert page.count("<svg") >= 4
    assert '<title id="chart-t' in page and '<desc id="chart-d' in page
    assert 'role="img"' in page
    assert 'href="/dashboard/weekly.csv"' in page and 'href="/dashboard/weekly.xlsx"' in page


def test_in_persian_the_page_and_its_bars_run_right_to_left(client, file, supervisor):
    file()
    client.force_login(supervisor)
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert 'dir="rtl"' in page
    # the one bar of the status chart ends at the labels' column on the right
    status = _open_status(page)
    assert 'x="634"' in status  # labels anchored at the right edge (WIDTH - 6)


def test_ticket_subjects_in_the_oldest_table_are_escaped(client, file, supervisor):
    file(subject="<script>alert(1)</script>")
    client.force_login(supervisor)
    page = client.get("/dashboard/", **EN).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_the_page_makes_the_same_number_of_queries_for_1_and_30_tickets(
    client, file, supervisor, responsible, django_assert_max_num_queries
):
    client.force_login(supervisor)
    file()
    with django_assert_max_num_queries(30):
        client.get("/dashboard/")
    for n in range(29):
        ticket = file(subject=f"T {n}")
        if n % 3 == 0:
            services.reply(ticket, by=responsible, body="cevap")
    with django_assert_max_num_queries(30):
        assert client.get("/dashboard/").status_code == 200


def test_knowledge_base_figures_show_for_handlers_not_members(client, responsible, member):
    client.force_login(responsible)
    assert "Articles viewed" in client.get("/dashboard/", **EN).content.decode()
    client.force_login(member)
    assert "Articles viewed" not in client.get("/dashboard/", **EN).content.decode()


def test_a_supervisor_opts_in_and_out_of_the_weekly_summary(client, supervisor, member):
    client.force_login(supervisor)
    client.post("/dashboard/summary/", {"weekly": "on"})
    assert SummarySubscription.objects.filter(user=supervisor).exists()
    client.post("/dashboard/summary/", {})
    assert not SummarySubscription.objects.exists()
    client.force_login(member)
    assert client.post("/dashboard/summary/", {"weekly": "on"}).status_code == 404
    assert not SummarySubscription.objects.exists()


def test_the_page_needs_nothing_the_content_security_policy_blocks(client, file, supervisor):
    file()
    client.force_login(supervisor)
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert " style=" not in page
    assert "<script>" not in page
    assert "no-store" in client.get("/dashboard/")["Cache-Control"]


def test_members_see_satisfaction_per_category_but_not_per_handler(client, member, supervisor):
    client.force_login(member)
    page = client.get("/dashboard/", **EN).content.decode()
    assert "Satisfaction per category" in page
    assert "Satisfaction per handler" not in page
    client.force_login(supervisor)
    assert "Satisfaction per handler" in client.get("/dashboard/", **EN).content.decode()


def test_a_charts_text_alternative_reads_its_figures(client, file, supervisor):
    file()
    file(subject="iki")
    client.force_login(supervisor)
    page = client.get("/dashboard/", **EN).content.decode()
    assert "Waiting: 2; In progress: 0" in page
    assert "26 weeks: 2 tickets filed and 0 resolved in all" in page


def test_a_long_label_is_shortened_to_fit_its_column():
    """ "İnegöl Marangozlar ve Mobilyacılar Esnaf ve Sanatkarlar Odası" ran off the left
    edge at 30 characters: the label column holds about 26 at the charts' font size."""
    import re

    from dashboard import charts

    name = "İnegöl Marangozlar ve Mobilyacılar Esnaf ve Sanatkarlar Odası"
    svg = str(charts.bars("Open", "Open tickets", [(name, 3), ("Kısa", 1)]))

    labels = re.findall(r'<text class="chart-label"[^>]*>([^<]*)</text>', svg)
    assert labels == ["İnegöl Marangozlar ve Mob…", "Kısa"]


def test_persian_readers_see_the_dashboards_dates_in_their_calendar(client, file, supervisor):
    import re

    import jdatetime
    from django.utils import timezone

    from dashboard import figures

    file()
    client.force_login(supervisor)

    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()

    since = jdatetime.date.fromgregorian(date=timezone.localdate(figures.period_start()))
    assert since.j_months_fa[since.month - 1] in page
    # The text shown, not the attributes (an organisation's id may be 2026).
    shown = re.sub(r"<[^>]*>", " ", page.split("<main")[-1])
    assert str(timezone.localdate(figures.period_start()).year) not in shown
    assert re.search(r'class="chart-tick"[^>]*>[۰-۹]{2}/[۰-۹]{2}</text>', page)


@pytest.mark.parametrize("rtl", [False, True])
def test_the_trends_edge_dates_end_at_the_edges_instead_of_running_over(rtl):
    import re

    from dashboard import charts

    labels = [f"{day:02d}.06" for day in range(1, 27)]
    svg = str(charts.trend("Weekly", "Filed", labels, [("Filed", "filed", [1] * 26)], rtl=rtl))

    ticks = dict(
        (label, anchor)
        for anchor, label in re.findall(r'text-anchor="(\w+)">(\d\d\.06)</text>', svg)
    )
    first, last = ("end", "start") if rtl else ("start", "end")
    assert ticks == {"01.06": first, "14.06": "middle", "26.06": last}
