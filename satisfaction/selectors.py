"""Reads: a ticket's answer for its page, and ratings grouped for the dashboard."""

from django.db.models import Avg, Count

from .models import Survey


def for_ticket(ticket) -> Survey | None:
    return Survey.objects.filter(ticket=ticket).first()


def ratings(tickets, *, by: str, top: int) -> list[tuple]:
    """(id, name, answers, average rating) per category or assignee of `tickets`' answered
    surveys, most answered first; the assignee's name is their full name or username."""
    if by == "category":
        names = ("ticket__category__name",)
    elif by == "assignee":
        names = (
            "ticket__assignee__first_name",
            "ticket__assignee__last_name",
            "ticket__assignee__username",
        )
    else:
        raise ValueError(by)
    rows = (
        Survey.objects.filter(rating__isnull=False, ticket__in=tickets.order_by().values("pk"))
        .values_list(f"ticket__{by}_id", *names)
        .annotate(answers=Count("id"), average=Avg("rating"))
        .order_by("-answers", f"ticket__{by}_id")[:top]
    )
    result = []
    for key, *parts, answers, average in rows:
        # An assignee's full name, else their username; a category's name.
        name = " ".join(parts[:2]).strip() or parts[-1] or ""
        result.append((key, name, answers, round(float(average), 2)))
    return result
