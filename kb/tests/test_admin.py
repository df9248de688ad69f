from accounts.tests.factories import UserFactory


def test_the_admin_lists_articles_revisions_and_votes_and_changes_no_history(client, write):
    article = write()
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for url in (
        "/admin/kb/article/",
        f"/admin/kb/article/{article.pk}/change/",
        "/admin/kb/revision/",
        "/admin/kb/vote/",
    ):
        assert client.get(url).status_code == 200, url
    revision = article.revisions.get()
    assert (
        client.post(f"/admin/kb/revision/{revision.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert article.revisions.count() == 1
