"""Whether the list pages' HTML is the same before and after a change, but for whitespace.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench \\
        .venv/bin/python bench/list_html.py --save /tmp/list-before
    # ... change the code ...
    DATABASE_URL=... .venv/bin/python bench/list_html.py --compare /tmp/list-before

Renders the list and search pages that each demo role opens (member, union member,
responsible, supervisor; in Turkish, English and Persian) through Django's test client
on a database filled by `seed_bulk` (list_bench.py), the clock stopped at one instant so
that "due in 2 h" reads the same on both runs. Writes each page to a file, or compares
each with the file saved before and prints the first difference; exits 1 on any.
Whitespace runs count as one space, and none between tags; CSRF tokens and the
signatures of the paging tokens are masked.
The database must not change between the two runs (only sessions are added).
"""

import argparse
import datetime
import difflib
import os
import re
import sys
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x1y2z3" * 10)
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402

USERS = ("oda", "bursa", "kapasite", "tesk")
URLS = (
    "/tickets/",
    "/tickets/?page=2",
    "/tickets/?status=&sort=-priority",
    "/tickets/?sort=organisation&page=3",
    "/tickets/?q=prod+kodlari",
    "/tickets/?q=zzqqxx",
    "/tickets/?view=open",
    "/tickets/?view=updated",
    "/tickets/?view=mine",
    "/tickets/?status=waiting&priority=high&created_from=2025-01-01",
    "/tickets/?status=bogus&category=x",
)
LANGUAGES = ("tr", "en", "fa")
FROZEN = datetime.datetime(2026, 12, 3, 9, 30, tzinfo=datetime.UTC)


def normalised(html: str) -> str:
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*', r"\1-", html)
    # The paging tokens are signed with the time of signing.
    html = re.sub(r"((?:after|before)=[\w-]*)%3A[^&\"]*", r"\1%3A-", html)
    html = re.sub(r"\s+", " ", html)
    return re.sub(r">\s+<", "><", html).strip()


def pages():
    """(file name, normalised HTML) of each page."""
    for username in USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for language in LANGUAGES:
            for number, url in enumerate(URLS):
                response = client.get(url, headers={"accept-language": language})
                assert response.status_code in (200, 400), (username, url, response.status_code)
                name = f"{username}-{language}-{number:02d}.html"
                yield (
                    name,
                    f"{response.status_code} {url}\n" + normalised(response.content.decode()),
                )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path, help="write the pages to this folder")
    action.add_argument("--compare", type=Path, help="compare the pages with this folder's")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    differ = 0
    with mock.patch("django.utils.timezone.now", return_value=FROZEN):
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
        for name, html in pages():
            if args.save:
                (args.save / name).write_text(html)
                continue
            before = (args.compare / name).read_text()
            if before != html:
                differ += 1
                a, b = before.replace("><", ">\n<"), html.replace("><", ">\n<")
                diff = difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1)
                print(name, *list(diff)[2:12], sep="\n  ")
    if args.compare:
        total = len(USERS) * len(LANGUAGES) * len(URLS)
        print(f"{total - differ} of {total} pages the same, {differ} different")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
