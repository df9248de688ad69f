"""The deflection rule's one hook into filing: tickets know nothing of the knowledge base."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from tickets.models import Ticket

from . import services


@receiver(post_save, sender=Ticket, dispatch_uid="kb_mark_filed")
def ticket_filed(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.mark_filed(instance.requester)
