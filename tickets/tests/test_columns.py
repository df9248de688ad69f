"""The list's columns, defined once: its header, its rows, the phone cards and the export;
and the links that sort it, page it and export it."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone, translation

from tickets import services
from tickets.columns import EXPORT_COLUMNS, LIST_COLUMNS
from tickets.tests.test_list import read_csv_text

LIST_HEADER = [
    "Id",
    "Reported by",
    "Subject",
    "Priority",
    "Category",
    "Assigned to",
    "Created on",
    "Read on",
    "Resolved on",
    "Due",
    "Last activity",
    "Status",
]
EXPORT_HEADER = [
    "Id",
    "Organisation",
    "Subject",
    "Priority",
    "Category",
    "Kind",
    "Assignee",
    "Created on",
    "Read on",
    "Resolved on",
    "Due",
    "Last activity",
    "Status",
]


class ListPage(HTMLParser):
    """What a person sees of the list: the header, the rows' cells, and the links."""

    def __init__(self, html: str):
        super().__init__()
        self.header: list[str] = []  # each column's name as shown
        self.sort_links: dict[str, str] = {}  # column name -> href
        self.rows: list[list[tuple[str, str]]] = []  # each row: (data-label, text) per cell
        self.links: dict[str, str] = {}  # the text of every other link -> href
        self.hidden: dict[str, str] = {}  # the form's hidden fields
        self._cell: list[str] | None = None
        self._href = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "th":
            self._cell = []
        elif tag == "tr" and self._cell is None and self.header:
            self.rows.append([])
        elif tag == "td":
            self._cell = []
            self._label = attrs.get("data-label")
        elif tag == "a":
            self._href, self._text = attrs["href"], []
        elif tag == "input" and attrs.get("type") == "hidden":
            self.hidden[attrs["name"]] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "th":
            self.header.append(" ".join("".join(self._cell).split()).rstrip(" ▲▼"))
            if self._href is not None:
                self.sort_links[self.header[-1]] = self._href
            self._cell = self._href = None
        elif tag == "td":
            self.rows[-1].append((self._label, " ".join("".join(self._cell).split())))
            self._cell = None
        elif tag == "a" and self._cell is None and self._href is not None:
            self.links[" ".join("".join(self._text).split())] = self._href
            self._href = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        self._text.append(data)


def list_page(client, params=None, url="/tickets/", **headers) -> ListPage:
    response = client.get(url, params or {}, **headers)
    assert response.status_code == 200
    return ListPage(response.content.decode())


def query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query, keep_blank_values=True)


def read_csv(response) -> list[list[str]]:
    return read_csv_text(b"".join(response.streaming_content).decode("utf-8"))


def test_the_lists_header_names_the_defined_columns(client, ticket, member):
    client.force_login(member)

    page = list_page(client, HTTP_ACCEPT_LANGUAGE="en")

    with translation.override("en"):
        assert page.header == [str(column.label) for column in LIST_COLUMNS] == LIST_HEADER


def test_the_lists_header_is_translated(client, ticket, member):
    client.force_login(member)
    # The service level column is newer than the catalogue's last update.
    with translation.override("tr"):
        due_in_turkish = translation.gettext("Due")

    page = list_page(client)
    with translation.override("tr"):
        last_activity = translation.gettext("Last activity")

    assert page.header == [
        "Id",
        "Bildiren",
        "Konusu",
        "Öncelik",
        "Kategori",
        "Atanan",
        "Oluşturma Tarihi",
        "Okunma Tarihi",
        "Çözüm Tarihi",
        due_in_turkish,
        # New: its Turkish comes with the next catalogue update.
        last_activity,
        "Durumu",
    ]


def test_every_cell_is_labelled_with_its_columns_name_for_the_phone_cards(
    client, file, member, responsible
):
    services.assign(file(subject="taken"), by=responsible, assignee=responsible)
    file(subject="waiting")
    client.force_login(member)

    page = list_page(client)

    assert len(page.rows) == 2
    for row in page.rows:
        assert [label for label, _text in row] == page.header


def test_a_row_shows_each_columns_value(client, file, member, responsible):
    ticket = services.assign(file(subject="taken"), by=responsible, assignee=responsible)
    client.force_login(member)

    (row,) = list_page(client, HTTP_ACCEPT_LANGUAGE="en").rows

    cells = dict(row)
    assert cells["Id"] == str(ticket.pk)
    assert cells["Reported by"] == ticket.organisation.name
    assert cells["Subject"] == "taken"
    assert cells["Priority"] == "Medium"
    assert cells["Category"] == str(ticket.category)
    assert cells["Assigned to"] == responsible.display_name()
    assert cells["Resolved on"] == "—"
    assert cells["Status"] == "In progress"


def test_each_row_shows_its_own_priority_and_status(client, file, member, responsible):
    services.assign(file(subject="taken"), by=responsible, assignee=responsible)
    file(subject="urgent", priority="high")
    file(subject="later", priority="low")
    client.force_login(member)

    response = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")

    shown = {
        cells["Subject"]: (cells["Priority"], cells["Status"])
        for cells in map(dict, ListPage(response.content.decode()).rows)
    }
    assert shown == {
        "taken": ("Medium", "In progress"),
        "urgent": ("High", "Waiting"),
        "later": ("Low", "Waiting"),
    }
    html = response.content.decode()
    assert html.count('class="badge priority-high"') == 1
    assert html.count('class="badge status-waiting"') == 2


def test_the_csv_header_names_the_export_columns(client, ticket, member):
    client.force_login(member)

    rows = read_csv(client.get("/tickets/export.csv", HTTP_ACCEPT_LANGUAGE="en"))

    with translation.override("en"):
        assert rows[0] == [str(column.export_header) for column in EXPORT_COLUMNS] == EXPORT_HEADER


def test_the_csv_writes_each_columns_value_as_plain_text(client, file, member, responsible):
    ticket = services.assign(file(subject="taken"), by=responsible, assignee=responsible)
    client.force_login(member)

    rows = read_csv(client.get("/tickets/export.csv", HTTP_ACCEPT_LANGUAGE="en"))

    assert dict(zip(rows[0], rows[1], strict=True)) == {
        "Id": str(ticket.pk),
        "Organisation": ticket.organisation.name,
        "Subject": "taken",
        "Priority": "Medium",
        "Category": str(ticket.category),
        "Kind": str(ticket.kind),
        "Assignee": responsible.display_name(),
        "Created on": timezone.localtime(ticket.created_at).strftime("%Y-%m-%d %H:%M"),
        "Read on": "",
        "Resolved on": "",
        "Due": "",  # no service level targets in these tests
        "Last activity": timezone.localtime(ticket.last_activity_at).strftime("%Y-%m-%d %H:%M"),
        "Status": "In progress",
    }


def subjects(page: ListPage) -> list[str]:
    return [dict(row)["Subject"] for row in page.rows]


def test_a_sort_link_keeps_the_filters_and_drops_the_page(client, file, member):
    file(subject="B")
    file(subject="A")
    file(subject="high", priority="high")
    client.force_login(member)
    filters = {"status": ["waiting"], "priority": ["medium"]}

    page = list_page(
        client, {**filters, "sort": "-created", "page": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert query(page.sort_links["Subject"]) == {**filters, "sort": ["subject"]}
    assert query(page.sort_links["Created on"]) == {**filters, "sort": ["created"]}

    sorted_page = list_page(
        client, url="/tickets/" + page.sort_links["Subject"], HTTP_ACCEPT_LANGUAGE="en"
    )

    assert subjects(sorted_page) == ["A", "B"]
    assert sorted_page.hidden["sort"] == "subject"
    assert query(sorted_page.sort_links["Subject"]) == {**filters, "sort": ["-subject"]}


def test_page_links_keep_the_filters_and_the_sort(client, file, member, settings):
    settings.HELPDESK_PAGE_SIZE = 1
    for subject in ("C", "A", "B"):
        file(subject=subject)
    file(subject="high", priority="high")
    client.force_login(member)
    filters = {"priority": ["medium"], "sort": ["subject"]}

    page = list_page(client, {**filters, "page": "2"}, HTTP_ACCEPT_LANGUAGE="en")

    assert subjects(page) == ["B"]
    assert query(page.links["Previous"]) == {**filters, "page": ["1"]}
    following = query(page.links["Next"])
    assert following.pop("after")
    assert following == filters
    following = list_page(client, url="/tickets/" + page.links["Next"], HTTP_ACCEPT_LANGUAGE="en")
    assert subjects(following) == ["C"]


def test_the_export_link_exports_the_filtered_list_whatever_the_page(client, file, member):
    wanted = file(subject="A")
    file(subject="high", priority="high")
    client.force_login(member)

    page = list_page(
        client, {"priority": "medium", "sort": "subject", "page": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    link = urlsplit(page.links["Export CSV"])
    assert link.path == "/tickets/export.csv"
    assert query(page.links["Export CSV"]) == {"priority": ["medium"], "sort": ["subject"]}
    rows = read_csv(client.get(page.links["Export CSV"]))
    assert [row[0] for row in rows[1:]] == [str(wanted.pk)]


def test_sorting_a_responsibles_default_view_keeps_to_it(client, file, responsible):
    file(subject="A")
    file(subject="B")
    services.resolve(file(subject="done"), by=responsible, explanation="ok")
    client.force_login(responsible)

    page = list_page(client, HTTP_ACCEPT_LANGUAGE="en")
    sorted_page = list_page(
        client, url="/tickets/" + page.sort_links["Subject"], HTTP_ACCEPT_LANGUAGE="en"
    )

    assert subjects(page) == ["B", "A"]
    assert subjects(sorted_page) == ["A", "B"]
    assert query(sorted_page.sort_links["Subject"]) == {"sort": ["-subject"]}
