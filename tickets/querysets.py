from django.db import models


class TicketQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The tickets `user` may see: the one rule behind every page, download and export.

        Everyone sees the tickets they filed or were assigned. A member also sees
        the tickets of their organisation and of every organisation below it; a
        responsible, their categories' tickets (not their organisation's: they are
        the confederation's staff); a supervisor sees all. Anyone else, nothing.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_supervisor:
            return self.all()
        from accounts.models import Organisation, Role
        from categories.models import Category

        rule = models.Q(requester=user) | models.Q(assignee=user)
        rule |= models.Q(category__in=Category.objects.filter(responsibles=user).values("pk"))
        if user.role == Role.MEMBER and user.organisation_id:
            subtree = Organisation.objects.filter(path__startswith=user.organisation.path)
            rule |= models.Q(organisation__in=subtree.values("pk"))
        return self.filter(rule)

    def with_relations(self):
        """What a list row shows, in the same query."""
        return self.select_related("organisation", "category", "kind", "assignee", "requester")
