from django.core.mail import send_mail


def test_mail_reaches_the_local_smtp_server(smtp_server):
    send_mail("Konu ışık", "Gövde İnegöl", "helpdesk@example.org", ["oda@example.org"])

    [message] = smtp_server.messages
    assert message["Subject"] == "Konu ışık"
    assert message["To"] == "oda@example.org"
    assert "İnegöl" in message.get_content()
