"""The admin sits behind the same two steps as the site."""

from .conftest import LOGIN, VERIFY, code_for, send_code, sign_in


def test_an_unverified_superuser_never_sees_the_admin(client, superuser, enrol):
    # given a superuser signed in some way other than the two steps
    enrol(superuser)
    client.force_login(superuser)

    for url in ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{superuser.pk}/change/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(f"{VERIFY}?next="), url


def test_the_unverified_session_gets_in_with_a_code(client, superuser, enrol):
    device = enrol(superuser)
    client.force_login(superuser)

    response = client.post(f"{VERIFY}?next=/admin/", {"code": code_for(device)})

    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admins_own_sign_in_sends_to_the_sites(client, db):
    response = client.get("/admin/login/?next=/admin/accounts/user/")

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=%2Fadmin%2Faccounts%2Fuser%2F"


def test_the_admins_sign_in_form_cannot_skip_the_code(client, superuser, enrol):
    enrol(superuser)

    client.post("/admin/login/", {"username": "admin", "password": "demo12345"})

    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").url == "/admin/login/?next=/admin/"


def test_a_superuser_signs_in_to_the_admin_with_both_steps(client, superuser, enrol):
    device = enrol(superuser)

    sign_in(client, "admin", next="/admin/")
    response = send_code(client, code_for(device), next="/admin/")

    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_lists_devices_without_their_secrets(client, superuser, member, enrol):
    device = enrol(member)
    own = enrol(superuser)
    sign_in(client, "admin")
    send_code(client, code_for(own))

    listing = client.get("/admin/otp_totp/totpdevice/")
    change = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")

    assert listing.status_code == change.status_code == 200
    assert "oda" in listing.content.decode()
    assert device.key not in change.content.decode()


def test_a_signed_in_member_at_the_admin_lands_on_the_site_not_in_a_loop(client, member):
    client.force_login(member)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/tickets/"
    assert len(response.redirect_chain) <= 3
