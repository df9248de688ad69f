"""Who may read which article: one QuerySet method, used by every page and the suggestions."""

from django.db import models
from django.db.models import Q

from categories.selectors import handles_tickets, team_category_ids


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public to anyone; members' to the signed-in; internal to handlers; a draft to
        its writers (its category's team and its author) and supervisors."""
        if not user.is_authenticated or not user.is_active:
            return self.filter(visibility="public")
        if user.is_supervisor:
            return self.all()
        readable = ["public", "members"]
        if not handles_tickets(user):
            # Whoever left every team reads what any member reads, their own drafts no more.
            return self.filter(visibility__in=readable)
        readable.append("internal")
        return self.filter(
            Q(visibility__in=readable)
            | Q(category_id__in=team_category_ids(user))
            | Q(created_by=user)
        )
