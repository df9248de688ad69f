"""What account pages read."""

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Organisation, User


def user_for_login(identifier: str) -> User | None:
    """The user a sign-in name means: a username (exactly, else ignoring case) or an
    e-mail address. One query; None when nobody, or more than one, matches."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    candidates = list(
        User.objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))[:5]
    )
    for match in (
        lambda user: user.username == identifier,
        lambda user: user.username.lower() == identifier.lower(),
        lambda user: user.email.lower() == identifier.lower(),
    ):
        found = [user for user in candidates if match(user)]
        if len(found) == 1:
            return found[0]
    return None


@dataclass
class DirectoryRow:
    organisation: Organisation
    depth: int
    members: int


def organisation_directory() -> list[DirectoryRow]:
    """Every organisation in tree order (children by name under their parent), with
    its active member count. One query, whatever the size of the tree."""
    organisations = list(
        Organisation.objects.annotate(
            member_total=Count("members", filter=Q(members__is_active=True))
        ).order_by("name_key", "pk")
    )
    children: dict[int | None, list[Organisation]] = {}
    for organisation in organisations:
        children.setdefault(organisation.parent_id, []).append(organisation)
    rows: list[DirectoryRow] = []
    # Iterative depth-first walk: a deep tree must not hit Python's recursion limit.
    stack = [(organisation, 0) for organisation in reversed(children.get(None, []))]
    while stack:
        organisation, depth = stack.pop()
        rows.append(DirectoryRow(organisation, depth, organisation.member_total))
        stack.extend((child, depth + 1) for child in reversed(children.get(organisation.pk, [])))
    return rows
