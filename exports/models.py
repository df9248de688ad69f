"""An export too large for one request, built by a worker into a file."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


def file_path(instance, filename):
    return f"exports/{uuid.uuid4().hex}.csv"


class Export(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    # The list's query string: the export holds what the list showed with it, read again
    # through the user's visibility when it is built.
    query = models.TextField(blank=True, max_length=4000)
    language = models.CharField(max_length=10, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=file_path, blank=True, max_length=200)
    # A builder that died leaves its claim; past this time another builder takes over.
    leased_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="export_by_user"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(state__in=["queued", "running"]),
                name="export_pending",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M} {self.state}"

    @property
    def percent(self) -> int:
        if self.state == State.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
