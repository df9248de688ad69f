import json

from django.core.management import call_command

from accounts.tests.factories import UserFactory
from categories.tests.factories import CategoryFactory
from kb.models import Article


def test_seed_kb_creates_its_articles_once_and_the_clerk_finds_the_capacity_one(
    client, member, settings
):
    settings.DEBUG = True
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    for name in ("Kapasite Raporu", "Yerli Malı Belgesi", "Bilgi İşlem – Teknik"):
        CategoryFactory(name=name)
    call_command("seed_kb")
    call_command("seed_kb")
    assert Article.objects.count() == 4
    client.force_login(member)
    results = json.loads(client.get("/kb/suggest/", {"q": "kapasite raporu prod kodu"}).content)
    assert results["results"][0]["url"] == "/kb/kapasite-raporu-prod-kodu/?from=suggest"
    client.logout()
    persian = client.get("/kb/darkhast-poshtibani/", HTTP_ACCEPT_LANGUAGE="fa")
    assert "ثبت درخواست پشتیبانی" in persian.text


def test_seed_kb_bulk_writes_searchable_articles_up_to_the_number_asked(db, settings):
    settings.DEBUG = True
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    CategoryFactory(name="Kapasite Raporu")
    CategoryFactory(name="Yerli Malı Belgesi")
    call_command("seed_kb", bulk=12)
    call_command("seed_kb", bulk=15)
    generated = Article.objects.filter(slug__startswith="generated-")
    assert generated.count() == 15
    assert set(generated.values_list("visibility", flat=True)) == {"public", "members", "internal"}
    assert not generated.filter(search_text="").exists()
