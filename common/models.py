from django.db import models


class Version(models.Model):
    """A token that changes, in the same transaction, whenever what `name` names changes
    (common/versions.py): a process that keeps a copy compares tokens, not the data."""

    # Not data but a mark of it: a restore's own saves give it a new value.
    BACKED_UP = False

    name = models.CharField(max_length=50, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self):
        return self.name
