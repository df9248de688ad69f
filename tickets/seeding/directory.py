"""Who files and who handles generated tickets: unions and their chambers under TESK,
a few members in each chamber, and a team of staff on every category.

Built on the demo data (`seed_demo`), and idempotent: an organisation is found by its
name and a user by their username, so running again adds only what is missing. New
rows get ids from the table's current maximum, so that the same seed on the same
database builds the same rows.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import Organisation, OrganisationKind, Role, User
from categories.models import Category
from tickets.management.commands import seed_demo
from tickets.models import TicketKind

from . import texts
from .tables import reset_sequences

# Categories beside the demo's five, so that teams and redirects have somewhere to go.
EXTRA_CATEGORIES = ["Esnaf Sicil", "Mesleki Eğitim ve Belgelendirme", "Aidat ve Mali İşler"]
# How often tickets fall in each category (relative); any other category weighs 1.
CATEGORY_WEIGHTS = {
    "Kapasite Raporu": 30,
    "Yerli Malı Belgesi": 15,
    "Dolaşım Belgesi": 10,
    "Basılı Evrak / Stok": 14,
    "Bilgi İşlem – Teknik": 18,
    "Esnaf Sicil": 6,
    "Mesleki Eğitim ve Belgelendirme": 4,
    "Aidat ve Mali İşler": 3,
}
TEAM_SIZE = 3  # generated staff per category, beside the demo's responsibles
CHAMBERS_PER_UNION = 37  # about 3,000 chambers under the 81 provinces' unions
# The demo's members file a share of the tickets too, so that their lists are full:
# one ticket in 50 is the İnegöl chamber's, as in a busy chamber.
REGULARS = {"oda": 0.02, "muhendis": 0.005, "musavir": 0.005, "bursa": 0.005, "birlik": 0.003}


def default_chambers(tickets: int) -> int:
    """About 300 tickets a chamber, between 10 and 3,000 chambers."""
    return min(3000, max(10, tickets // 300))


def union_name(city: str) -> str:
    return f"{city} Esnaf ve Sanatkarlar Odaları Birliği"


def chamber_name(city: str, trade: str, round_: int) -> str:
    district = f"{round_ + 1}. Bölge " if round_ else ""
    return f"{city} {district}{trade} Esnaf ve Sanatkarlar Odası"


@dataclass
class Cast:
    """The ids a ticket's story draws its people and categories from."""

    members: list[tuple[int, int]]  # (user, organisation) of the generated chambers' members
    regulars: list[tuple[int, int, float]]  # (user, organisation, share of the tickets)
    categories: list[tuple[int, str]]  # (id, name)
    category_weights: list[float]
    teams: dict[int, list[int]]  # category → its active responsibles
    supervisor: int  # handles a category that has no team
    problem: int
    suggestion: int
    _regular_share: float = field(init=False)

    def __post_init__(self):
        self._regular_share = sum(share for _, _, share in self.regulars)

    def requester(self, rng: random.Random) -> tuple[int, int]:
        draw = rng.random()
        if draw < self._regular_share:
            for user, organisation, share in self.regulars:
                if draw < share:
                    return user, organisation
                draw -= share
        return rng.choice(self.members)

    def category(self, rng: random.Random, other_than: int | None = None) -> tuple[int, str]:
        while True:
            chosen = rng.choices(self.categories, self.category_weights)[0]
            if chosen[0] != other_than or len(self.categories) == 1:
                return chosen

    def handler(self, rng: random.Random, category: int) -> int:
        team = self.teams.get(category)
        return rng.choice(team) if team else self.supervisor


class Builder:
    """Creates what is missing, with ids after the current maximum."""

    def __init__(self, *, seed: str, password: str, joined: datetime):
        self.seed = seed
        self.joined = joined
        # One hash for every generated user (same password), salted from the seed.
        salt = random.Random(f"{seed}:salt").choices("abcdefghijklmnopqrstuvwxyz0123456789", k=22)
        self.password = make_password(password, "".join(salt))

    @transaction.atomic
    def build(self, chambers: int) -> Cast:
        tesk = Organisation.objects.get(name=seed_demo.TESK)
        count = min(len(texts.CITIES), max(2, math.ceil(chambers / CHAMBERS_PER_UNION)))
        cities = texts.CITIES[:count]
        unions = self.organisations(
            [(union_name(city), OrganisationKind.UNION, tesk, city) for city in cities]
        )
        specs = []
        for index in range(chambers):
            # Round the unions: each gets its share of chambers, trade after trade.
            union, city = unions[index % count], cities[index % count]
            round_, trade = divmod(index // count, len(texts.TRADES))
            name = chamber_name(city, texts.TRADES[trade], round_)
            specs.append((name, OrganisationKind.CHAMBER, union, city))
        rooms = self.organisations(specs)
        members = self.members(rooms)
        teams = self.teams(tesk)
        reset_sequences([Organisation, User])
        return self.cast(members, teams)

    def organisations(self, specs) -> list[Organisation]:
        """The organisations named in `specs` (name, kind, parent, city), created if missing."""
        known = {o.name_key: o for o in Organisation.objects.all()}
        next_id = max((o.pk for o in known.values()), default=0) + 1
        found, new = [], []
        for name, kind, parent, city in specs:
            key = Organisation.key_for(name)
            if key not in known:
                known[key] = Organisation(
                    pk=next_id,
                    name=name,
                    name_key=key,
                    kind=kind,
                    parent=parent,
                    path=f"{parent.path}{next_id}/",
                    city=city,
                )
                new.append(known[key])
                next_id += 1
            found.append(known[key])
        Organisation.objects.bulk_create(new, batch_size=500)
        return found

    def users(self, specs) -> list[User]:
        """The users named in `specs` (username, organisation, role, rng), created if missing."""
        usernames = [username for username, *_ in specs]
        known = {}
        for start in range(0, len(usernames), 500):  # SQLite takes so many parameters
            chunk = usernames[start : start + 500]
            known.update((u.username, u) for u in User.objects.filter(username__in=chunk))
        next_id = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        found, new = [], []
        for username, organisation, role, rng in specs:
            if username not in known:
                first, last = texts.person(rng)
                known[username] = User(
                    pk=next_id,
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.org",
                    organisation=organisation,
                    role=role,
                    password=self.password,
                    date_joined=self.joined,
                )
                new.append(known[username])
                next_id += 1
            found.append(known[username])
        User.objects.bulk_create(new, batch_size=500)
        return found

    def members(self, chambers) -> list[User]:
        specs = []
        for index, chamber in enumerate(chambers):
            # Each chamber's own generator: its members do not depend on the others'.
            rng = random.Random(f"{self.seed}:chamber:{index}")
            for number in range(rng.choice((1, 2, 2, 3, 3, 4))):
                specs.append((f"uye{index + 1}.{number + 1}", chamber, Role.MEMBER, rng))
        return self.users(specs)

    def teams(self, tesk) -> dict[int, list[int]]:
        names = list(seed_demo.CATEGORIES) + EXTRA_CATEGORIES
        categories = [Category.objects.get_or_create(name=name)[0] for name in names]
        for index, category in enumerate(categories):
            rng = random.Random(f"{self.seed}:team:{index}")
            staff = self.users(
                [
                    (f"personel{index + 1}.{number + 1}", tesk, Role.STAFF, rng)
                    for number in range(TEAM_SIZE)
                ]
            )
            category.responsibles.add(*staff)
        teams = {category.pk: [] for category in categories}
        through = Category.responsibles.through.objects.filter(
            category__in=categories, user__is_active=True
        )
        for category_id, user_id in through.order_by("user_id").values_list(
            "category_id", "user_id"
        ):
            teams[category_id].append(user_id)
        return teams

    def cast(self, members, teams) -> Cast:
        regulars = {
            u.username: u
            for u in User.objects.filter(username__in=REGULARS, organisation__isnull=False)
        }
        categories = list(
            Category.objects.filter(pk__in=teams).order_by("pk").values_list("pk", "name")
        )
        return Cast(
            members=[(u.pk, u.organisation_id) for u in members if u.is_active],
            regulars=[
                (regulars[name].pk, regulars[name].organisation_id, share)
                for name, share in REGULARS.items()
                if name in regulars
            ],
            categories=categories,
            category_weights=[CATEGORY_WEIGHTS.get(name, 1) for _, name in categories],
            teams=teams,
            supervisor=User.objects.get(username="tesk").pk,
            problem=TicketKind.objects.get(code="problem").pk,
            suggestion=TicketKind.objects.get(code="suggestion").pk,
        )
