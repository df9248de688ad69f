import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from common.choices import ChoiceLabels

from . import logchain, sortkeys, uploads
from .querysets import TicketQuerySet
from .records import (  # noqa: F401 - models of this app
    Component,
    Contract,
    CustomField,
    ParentRecord,
    Product,
)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Status(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("status", "Waiting")
    IN_PROGRESS = "in_progress", pgettext_lazy("status", "In progress")
    INFO_REQUESTED = "info_requested", pgettext_lazy("status", "Information requested")
    REDIRECTED = "redirected", pgettext_lazy("status", "Redirected")
    RESOLVED = "resolved", pgettext_lazy("status", "Resolved")
    CLOSED = "closed", pgettext_lazy("status", "Closed")


OPEN_STATUSES = (Status.WAITING, Status.IN_PROGRESS, Status.INFO_REQUESTED, Status.REDIRECTED)


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    VISIT = "visit", _("Visit")
    API = "api", _("API")


class EventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("event", "Created")
    READ = "read", pgettext_lazy("event", "Read")
    REPLIED = "replied", pgettext_lazy("event", "Replied")
    NOTE = "note", pgettext_lazy("event", "Internal note")
    ATTACHED = "attached", pgettext_lazy("event", "Document uploaded")
    PRIORITY_CHANGED = "priority_changed", pgettext_lazy("event", "Priority changed")
    REDIRECTED = "redirected", pgettext_lazy("event", "Category redirected")
    ASSIGNED = "assigned", pgettext_lazy("event", "Assigned")
    INFO_REQUESTED = "info_requested", pgettext_lazy("event", "Information requested")
    RESOLVED = "resolved", pgettext_lazy("event", "Resolved")
    REOPENED = "reopened", pgettext_lazy("event", "Reopened")
    CLOSED = "closed", pgettext_lazy("event", "Closed")
    # Notes of earlier events emptied by a supervisor's decision (personal data).
    REDACTED = "redacted", pgettext_lazy("event", "Redacted")
    # A service level clock started, paused, resumed, moved, met or breached (sla/).
    SERVICE_LEVEL = "service_level", pgettext_lazy("event", "Service level")
    # A duplicate merged into another ticket: written on both (data "into" / "from").
    MERGED = "merged", pgettext_lazy("event", "Merged")


class TicketKind(models.Model):
    """Problem, suggestion, and whatever else an admin adds."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    # Offered only to the organisations of this tree (a deployment's own kinds).
    scope = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("offered within"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Filed only by an organisation whose contract lists it (no contract: not at all).
    needs_contract = models.BooleanField(_("needs a contract"), default=False)

    class Meta:
        verbose_name = _("ticket kind")
        verbose_name_plural = _("ticket kinds")
        ordering = ["pk"]

    def __str__(self):
        return gettext(self.name)


PRIORITY_RANK = models.Case(
    models.When(priority=Priority.LOW, then=models.Value(1)),
    models.When(priority=Priority.MEDIUM, then=models.Value(2)),
    models.When(priority=Priority.HIGH, then=models.Value(3)),
    default=models.Value(0),
)


class Ticket(ChoiceLabels, models.Model):
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="requested_tickets",
        db_index=False,  # ticket_requester_org's first column
    )
    # The requester's organisation when the ticket was filed: it decides who sees it.
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    category = models.ForeignKey(
        "categories.Category",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        db_index=False,  # ticket_cat_created's first column
    )
    kind = models.ForeignKey(TicketKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    # What it was filed about (a case, an order); its reviewer sees it (visible_to).
    parent = models.ForeignKey(
        ParentRecord,
        verbose_name=_("filed about"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, null=True, blank=True
    )
    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.PROTECT, null=True, blank=True
    )
    # The category's custom fields' values by key (records.CustomField); GIN-indexed on
    # PostgreSQL (migration) so that `custom__contains` filters use an index.
    custom = models.JSONField(_("more fields"), default=dict, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    # Sorting by priority means low < medium < high, not the alphabet.
    priority_rank = models.GeneratedField(
        expression=PRIORITY_RANK, output_field=models.SmallIntegerField(), db_persist=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.WAITING
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        db_index=False,  # ticket_assignee_cat's first column
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    read_at = models.DateTimeField(_("read on"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    # The filing form's one-time token: a double-clicked submit files one ticket.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Subject, description and public replies folded for case- and accent-blind
    # search, built by `search.ticket_text` alone; a trigram index serves it on PostgreSQL.
    search_text = models.TextField(editable=False, default="")
    # Internal notes and internal documents' names, folded: searched for handlers only.
    note_text = models.TextField(editable=False, default="")
    # The hash chain's seal over the newest event (see logchain.py).
    log_seal = models.CharField(max_length=64, editable=False, default="")
    # The folded names the list sorts by, kept by save() (sortkeys.py).
    organisation_key = models.CharField(max_length=255, editable=False, default="")
    category_key = models.CharField(max_length=100, editable=False, default="")
    # The assignee's username, for sort=assignee; NULL when unassigned, which sorts as
    # the join did (last ascending, first descending), where "" would sort first.
    assignee_key = models.CharField(max_length=150, null=True, editable=False)  # noqa: DJ001
    # Service level clocks, computed in working time by sla/ (tickets/ only stores and
    # lists them): the dues of the first response and of the resolution, when the
    # first response came, the next due that still runs (NULL when paused or met:
    # the list filters and sorts by it), and since when the clocks are paused.
    first_response_due_at = models.DateTimeField(
        _("first response due"), null=True, blank=True, editable=False
    )
    first_responded_at = models.DateTimeField(
        _("first response on"), null=True, blank=True, editable=False
    )
    resolution_due_at = models.DateTimeField(
        _("resolution due"), null=True, blank=True, editable=False
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    sla_paused_at = models.DateTimeField(
        _("service level paused on"), null=True, blank=True, editable=False
    )
    # The time of the last public event (not a read, not an internal note) and whose
    # side wrote it; kept by services._log (the list's "Last activity" and "updated").
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    last_activity_side = models.CharField(max_length=10, editable=False, default="")

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="ticket_created"),
            models.Index(fields=["organisation", "-created_at"], name="ticket_org_created"),
            models.Index(fields=["category", "-created_at"], name="ticket_cat_created"),
            models.Index(fields=["assignee", "-created_at"], name="ticket_assignee_created"),
            models.Index(fields=["status", "-created_at"], name="ticket_status_created"),
            # The list's column sorts, each direction read in order from its index with
            # the newest first among equals (a sort of every visible ticket otherwise:
            # up to a second at a million). priority's descending one is read backwards.
            models.Index(fields=["priority_rank", "id"], name="ticket_priority"),
            models.Index(fields=["priority_rank", "-id"], name="ticket_priority_asc"),
            models.Index(fields=["status", "-id"], name="ticket_status"),
            models.Index(fields=["-status", "-id"], name="ticket_status_desc"),
            models.Index(fields=["read_at", "-id"], name="ticket_read"),
            models.Index(fields=["-read_at", "-id"], name="ticket_read_desc"),
            models.Index(fields=["resolved_at", "-id"], name="ticket_resolved"),
            models.Index(fields=["-resolved_at", "-id"], name="ticket_resolved_desc"),
            models.Index(fields=["subject", "-id"], name="ticket_subject"),
            models.Index(fields=["-subject", "-id"], name="ticket_subject_desc"),
            # A team's tickets resolved per week (the dashboard), from the index alone.
            models.Index(fields=["category", "resolved_at"], name="ticket_cat_resolved"),
            models.Index(fields=["parent", "-created_at"], name="ticket_parent_created"),
            # Both directions, each with the newest first among equal names.
            models.Index(fields=["organisation_key", "-id"], name="ticket_org_key"),
            models.Index(fields=["-organisation_key", "-id"], name="ticket_org_key_desc"),
            # What a member filed, by organisation: that part of their list sorted so
            # (selectors._sort_parts); and every lookup by requester.
            models.Index(
                fields=["requester", "organisation_key", "-id"], name="ticket_requester_org"
            ),
            models.Index(
                fields=["requester", "-organisation_key", "-id"], name="ticket_requester_org_desc"
            ),
            # A team's tickets by subject: subjects follow the category, so a team's sit
            # together in ticket_subject, past every other category's before them.
            models.Index(fields=["category", "subject", "-id"], name="ticket_cat_subject"),
            models.Index(fields=["category", "-subject", "-id"], name="ticket_cat_subject_desc"),
            models.Index(fields=["category_key", "-id"], name="ticket_cat_key"),
            models.Index(fields=["-category_key", "-id"], name="ticket_cat_key_desc"),
            # What a handler was given, by category: that part of their list sorted so
            # (selectors._sort_parts); and every lookup by assignee.
            models.Index(fields=["assignee", "category_key", "-id"], name="ticket_assignee_cat"),
            models.Index(
                fields=["assignee", "-category_key", "-id"], name="ticket_assignee_cat_desc"
            ),
            models.Index(fields=["assignee_key", "-id"], name="ticket_assignee_key"),
            models.Index(fields=["-assignee_key", "-id"], name="ticket_assignee_key_desc"),
            # sort=due / -due, each with the newest first among equal dues; the range
            # filters sla=overdue and sla=due_soon read the same index.
            models.Index(fields=["due_at", "-id"], name="ticket_due"),
            models.Index(fields=["-due_at", "-id"], name="ticket_due_desc"),
            models.Index(fields=["last_activity_at", "id"], name="ticket_activity"),
            models.Index(fields=["-last_activity_at", "-id"], name="ticket_activity_desc"),
            # The open tickets (a few in a hundred) of an assignee, an organisation, a
            # requester and a category: the views' counts ("my open", "our open") and
            # those lists read them alone, where the whole indexes gave bitmaps of every
            # ticket ever filed; a team's, with their ids, are counted from the index
            # alone (an export's size: 217 to 5 ms for 20,000 at a million).
            models.Index(
                fields=["category", "-id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="ticket_open_category",
            ),
            models.Index(
                fields=["assignee", "-created_at"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="ticket_open_assignee",
            ),
            models.Index(
                fields=["organisation", "-created_at"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="ticket_open_org",
            ),
            models.Index(
                fields=["requester", "-created_at"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="ticket_open_requester",
            ),
        ]
        constraints = [
            # workflow.transition clears the resolution on reopening; the list's sort by
            # resolution reads an open list's rows at "none" (tickets/filters.py).
            models.CheckConstraint(
                condition=~models.Q(status__in=OPEN_STATUSES) | models.Q(resolved_at=None),
                name="open_unresolved",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.subject}"

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        copies = sortkeys.fill(self, None if self._state.adding else fields)
        if fields is not None and copies:
            kwargs["update_fields"] = [*fields, *copies]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("tickets:detail", args=[self.pk])


class AppendOnlyError(Exception):
    """The action log is never changed, only added to."""


@dataclass
class _Resealing:
    """What `resealed_once` collects for a ticket: the columns its events set, and the
    hash of the newest event logged in the block (the next one's link, known without
    reading it back)."""

    fields: dict = field(default_factory=dict)
    newest_hash: str = ""


# The tickets whose events `resealed_once` is collecting, by id.
_resealing: ContextVar[dict[int, _Resealing] | None] = ContextVar("resealing", default=None)


@contextmanager
def resealed_once(ticket_id: int):
    """Within the block, the events logged for ticket `ticket_id` reseal it, and set
    their ticket columns, in one UPDATE at the block's end rather than one each: a new
    ticket's created, service level and attached events make one new version of its row,
    not three, and each version is an entry in each of the table's indexes. For a block
    that fails as a whole (a service's), in which nothing reads those columns back from
    the database before its end. Within another such block for the same ticket, the
    outer one writes them."""
    collecting = _resealing.get()
    if collecting is not None and ticket_id in collecting:
        yield
        return
    token = _resealing.set({**(collecting or {}), ticket_id: _Resealing()})
    try:
        yield
        fields = _resealing.get()[ticket_id].fields
    finally:
        _resealing.reset(token)
    if fields:
        Ticket.objects.filter(pk=ticket_id).update(**fields)


def set_ticket_columns(ticket_id: int, **fields) -> None:
    """Set a ticket's columns: with the block's reseal when `resealed_once` is collecting
    its events (one version of the row, not two), else now."""
    collecting = _resealing.get()
    if collecting is not None and ticket_id in collecting:
        collecting[ticket_id].fields.update(fields)
    else:
        Ticket.objects.filter(pk=ticket_id).update(**fields)


class TicketEventQuerySet(models.QuerySet):
    """Bulk changes are refused like single ones: the log is only ever added to."""

    def update(self, **kwargs):
        raise AppendOnlyError("Action log entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Action log entries cannot be deleted.")

    def _raw_delete(self, using):
        raise AppendOnlyError("Action log entries cannot be deleted.")

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError("Action log entries are chained one at a time: use save().")


class TicketEvent(ChoiceLabels, models.Model):
    """One line of a ticket's action log. Written once, never updated or deleted.

    On PostgreSQL the database itself refuses changes (migrations 0002 and 0006), and
    the site's role has no right to change the table (`grant_site_role`).
    """

    APPEND_ONLY = True

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("action"), max_length=20, choices=EventKind.choices)
    note = models.TextField(_("note"), blank=True)
    # Internal notes and their documents are never shown to members.
    internal = models.BooleanField(_("internal"), default=False)
    # Old and new values of a change, e.g. {"from": "low", "to": "high"}.
    data = models.JSONField(default=dict, blank=True)
    # The reply form's one-time token: a double-clicked submit posts one reply.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Set before the hash is taken (auto_now_add would set it after).
    created_at = models.DateTimeField(_("date"), default=timezone.now, editable=False)
    # The hash chain (logchain.py): the note's digest outlives a redaction of the note.
    note_digest = models.CharField(max_length=64, editable=False)
    previous_hash = models.CharField(max_length=64, editable=False, blank=True)
    hash = models.CharField(max_length=64, editable=False)
    redacted = models.BooleanField(_("redacted"), default=False, editable=False)

    objects = TicketEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_created")]
        constraints = [
            # One chain per ticket: two events can never follow the same one.
            models.UniqueConstraint(fields=["ticket", "previous_hash"], name="event_chain_link")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.ticket_id}"

    def save(self, *args, ticket_fields=None, first=False, **kwargs):
        """Chain the new event after the ticket's newest one, and reseal the ticket;
        `ticket_fields`, more of the ticket's columns to set in that same UPDATE;
        `first`: the caller created the ticket in this transaction, no event before.

        Writers hold the ticket's row lock (services._lock), so the newest event
        cannot change under us; if it did, the unique link refuses the second one.
        """
        if not self._state.adding:
            raise AppendOnlyError("Action log entries cannot be changed.")
        # No savepoint of its own: an event that fails fails the change that writes it
        # (those that go on after a refusal, such as a duplicate reply, have theirs).
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            collecting = (_resealing.get() or {}).get(self.ticket_id)
            previous = collecting.newest_hash if collecting is not None else ""
            if not previous and not first:
                previous = (
                    TicketEvent.objects.filter(ticket_id=self.ticket_id)
                    .order_by("-id")
                    .values_list("hash", flat=True)
                    .first()
                )
            logchain.seal(self, previous or logchain.GENESIS)
            super().save(*args, **kwargs)
            if collecting is not None:
                collecting.newest_hash = self.hash
            # With `resealed_once`, at the block's end, a later event's values winning.
            set_ticket_columns(
                self.ticket_id,
                log_seal=logchain.head_seal(self.ticket_id, self.hash),
                **(ticket_fields or {}),
            )

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Action log entries cannot be deleted.")


def attachment_path(instance, filename):
    # A random name with the suffix of the type found in the content: nothing the
    # sender chose reaches the file system, not even the suffix.
    suffix = uploads.suffix(instance.content_type, instance.original_name)
    return f"attachments/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{suffix}"


class Attachment(models.Model):
    # Documents stay with the log they belong to; only a redaction empties one.
    APPEND_ONLY = True

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(
        TicketEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    # Only images that Pillow has opened and verified are shown inline.
    is_image = models.BooleanField(default=False)
    internal = models.BooleanField(_("internal"), default=False)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # Emptied by a supervisor's decision (personal data): no name, no file.
    redacted = models.BooleanField(_("redacted"), default=False, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("attachment", args=[self.pk])

    @property
    def download_name(self) -> str:
        """The name as sent, with the suffix of the type found in the content."""
        return uploads.download_name(self.original_name, self.content_type)


class TicketFollower(models.Model):
    """Someone who gets a ticket's notices without being its requester or handler."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follower"),
        on_delete=models.CASCADE,
        related_name="followed_tickets",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "user"], name="follower_once"),
        ]

    def __str__(self):
        return f"{self.user} → #{self.ticket_id}"


class TicketLink(models.Model):
    """ "Related to": one row per pair, the lower id first, shown on both tickets."""

    low = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("related ticket")
        verbose_name_plural = _("related tickets")
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="link_once"),
            models.CheckConstraint(condition=models.Q(low__lt=models.F("high")), name="link_order"),
        ]
        indexes = [models.Index(fields=["high"], name="link_high")]

    def __str__(self):
        return f"#{self.low_id} ↔ #{self.high_id}"


# The kinds every site starts with (migration 0002); the names are message ids.
DEFAULT_KIND_NAMES = [gettext_noop("Problem"), gettext_noop("Suggestion")]


class ActivitySide(models.TextChoices):
    """Who wrote a ticket's last public event: the "updated" marker shows it to the other."""

    REQUESTER = "requester", _("Requester")
    HANDLER = "handler", _("Handler")
    SYSTEM = "system", _("System")


class TicketSeen(models.Model):
    """When a user last opened a ticket: one row per user and ticket, upserted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "ticket"], name="ticket_seen_once"),
        ]

    def __str__(self):
        return f"{self.user_id} #{self.ticket_id} {self.seen_at:%Y-%m-%d %H:%M}"


class SavedSearch(models.Model):
    """A filter combination of the list kept under a name: the owner's own, or shared
    with the team of one of the owner's categories."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=80)
    # The list's query string, kept to the parameters the list understands.
    query = models.CharField(max_length=1000)
    team = models.ForeignKey(
        "categories.Category",
        verbose_name=_("shared with the team of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["owner", "name"], name="saved_search_owner"),
            models.Index(fields=["team", "name"], name="saved_search_team"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tickets:saved_search", args=[self.pk])
