"""Helpers for the deployment profiles' tests: seeding, users, posting the form."""

import io

from django.core.management import call_command

from accounts.models import User
from categories.models import Category
from tickets.models import ParentRecord


def seed(*profiles):
    for profile in profiles:
        call_command("seed_demo", "--profile", profile, stdout=io.StringIO())


def user(username):
    return User.objects.select_related("organisation").get(username=username)


def unit(name):
    return Category.objects.get(name=name)


def case(number):
    return ParentRecord.objects.get(number=number)


def post_ticket(client, category, kind, **extra):
    data = {
        "category": category.pk,
        "kind": kind,
        "priority": "medium",
        "subject": "Тема обращения",
        "description": "Текст обращения.",
        **extra,
    }
    return client.post("/tickets/new/", data, HTTP_ACCEPT_LANGUAGE="en")
