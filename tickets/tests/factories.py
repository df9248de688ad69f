import factory

from accounts.tests.factories import UserFactory
from categories.tests.factories import CategoryFactory
from tickets import search
from tickets.models import Priority, Ticket, TicketKind


class TicketFactory(factory.django.DjangoModelFactory):
    """A ticket row as filing leaves it (no events: use services to test behaviour)."""

    class Meta:
        model = Ticket

    requester = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda ticket: ticket.requester.organisation)
    category = factory.SubFactory(CategoryFactory)
    kind = factory.LazyFunction(lambda: TicketKind.objects.get(code="problem"))
    priority = Priority.MEDIUM
    subject = factory.Sequence(lambda n: f"Subject {n}")
    description = "Something does not work."
    search_text = factory.LazyAttribute(lambda t: search.ticket_text(t.subject, t.description))
