import factory

from accounts.models import Organisation, OrganisationKind, Role, User
from categories.models import Category
from tickets import search
from tickets.models import Priority, Ticket, TicketKind


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Oda {n}")
    kind = OrganisationKind.CHAMBER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER
    password = factory.django.Password("demo12345")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Category {n}")


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
