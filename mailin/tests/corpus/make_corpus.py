# ruff: noqa: E501, E402 - message text is as long as the clients write it
"""Wrote mailin/tests/corpus/*.eml once: real-world shapes, as each client sends them.

Kept to show how each file was made; run it from this folder with the venv's python
to write them again."""

import base64
import io
import quopri
from email.header import Header
from pathlib import Path

out = Path(".")


def b64(data: bytes) -> str:
    s = base64.b64encode(data).decode()
    return "\n".join(s[i : i + 76] for i in range(0, len(s), 76))


def qp(text: str, charset: str) -> str:
    return quopri.encodestring(text.encode(charset)).decode("ascii")


def w(name, text: str, encoding="ascii"):
    (out / name).write_bytes(text.replace("\n", "\r\n").encode(encoding))


# A tiny PNG and a PDF, as a phone or a scanner would attach them.
from PIL import Image

buf = io.BytesIO()
Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, "PNG")
PNG = buf.getvalue()
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# 1. Outlook (Windows), Turkish in windows-1254, quoted-printable, with its header block quote.
plain = (
    "Merhaba,\n\nKapasite raporumuzun onayı hâlâ görünmüyor. Yardımcı olabilir misiniz?\n\n"
    "Saygılarımla,\nAyşe Öztürk\n\n"
    "________________________________\n"
    "Kimden: Yardım Masası <helpdesk@example.org>\n"
    "Gönderildi: 3 Aralık 2026 Perşembe 10:00\n"
    "Kime: oda@example.org\n"
    "Konu: [#1] Kayıt\n\nEski ileti metni.\n"
)
html = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1254">'
    '<style>p.MsoNormal{margin:0cm;}</style></head><body lang="TR"><div class="WordSection1">'
    '<p class="MsoNormal">Merhaba,</p><p class="MsoNormal">Kapasite raporumuzun onayı hâlâ görünmüyor. Yardımcı olabilir misiniz?</p>'
    '<p class="MsoNormal">Saygılarımla,<br>Ayşe Öztürk</p></div></body></html>'
)
w(
    "outlook_tr_windows1254.eml",
    f"""Received: from EUR03-AM7-obe.outbound.protection.outlook.com (mail-am7eur03on2100.outbound.protection.outlook.com [40.107.105.100])
	by mx.example.org (Postfix) with ESMTPS id 4QxYz12AbCz9sWn
	for <helpdesk@example.org>; Thu, 3 Dec 2026 10:12:44 +0300 (+03)
Return-Path: <oda@example.org>
From: =?windows-1254?Q?Ay=FEe_=D6zt=FCrk?= <oda@example.org>
To: =?windows-1254?Q?Yard=FDm_Masas=FD?= <helpdesk@example.org>
Subject: =?windows-1254?Q?Kapasite_raporu_onay=FD_g=F6r=FCnm=FCyor?=
Thread-Topic: =?windows-1254?Q?Kapasite_raporu_onay=FD_g=F6r=FCnm=FCyor?=
Thread-Index: AdomXk3l8bq0dS0wQUmZrZ0r2m0mXg==
Date: Thu, 3 Dec 2026 07:12:40 +0000
Message-ID: <AM7PR03MB6547D1E0A2B34C7F9E1B2C3DA4B9A@AM7PR03MB6547.eurprd03.prod.outlook.com>
Accept-Language: tr-TR, en-US
Content-Language: tr-TR
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
Content-Type: multipart/alternative;
	boundary="_000_AM7PR03MB6547D1E0A2B34C7F9E1B2C3DA4B9AAM7PR03MB6547eurp_"
MIME-Version: 1.0

--_000_AM7PR03MB6547D1E0A2B34C7F9E1B2C3DA4B9AAM7PR03MB6547eurp_
Content-Type: text/plain; charset="windows-1254"
Content-Transfer-Encoding: quoted-printable

{qp(plain, "windows-1254")}
--_000_AM7PR03MB6547D1E0A2B34C7F9E1B2C3DA4B9AAM7PR03MB6547eurp_
Content-Type: text/html; charset="windows-1254"
Content-Transfer-Encoding: quoted-printable

{qp(html, "windows-1254")}
--_000_AM7PR03MB6547D1E0A2B34C7F9E1B2C3DA4B9AAM7PR03MB6547eurp_--
""",
)

# 2. Gmail: a reply to one of our notices, UTF-8 base64, quote attribution wrapped over
# two lines, a PDF with an RFC 2231 Turkish file name. IN-REPLY-TO is set by the tests.
plain = (
    "Tamam, belgeyi ekte gönderiyorum.\n\n"
    "On Thu, 3 Dec 2026 at 10:00, Yardım Masası <helpdesk@example.org>\nwrote:\n\n"
    "> ##- Lütfen yanıtınızı bu satırın üstüne yazın -##\n> Ticket #1 eski metin\n"
)
html = (
    '<div dir="ltr">Tamam, belgeyi ekte gönderiyorum.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
    'On Thu, 3 Dec 2026 at 10:00, Yardım Masası &lt;<a href="mailto:helpdesk@example.org">helpdesk@example.org</a>&gt; wrote:<br></div>'
    '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Ticket #1 eski metin</blockquote></div>'
)
w(
    "gmail_reply_pdf.eml",
    f"""Delivered-To: helpdesk@example.org
Return-Path: <muhendis@example.org>
MIME-Version: 1.0
References: IN-REPLY-TO
In-Reply-To: IN-REPLY-TO
From: Mehmet Demir <muhendis@example.org>
Date: Thu, 3 Dec 2026 10:31:07 +0300
Message-ID: <CAF=kq3mXh7GQ+ZV1mPzX5oL8iTn2o7_dk0=Yb9fLhZ1Q@mail.gmail.com>
Subject: Re: SUBJECT
To: =?UTF-8?B?WWFyZMSxbSBNYXNhc8Sx?= <helpdesk@example.org>
Content-Type: multipart/mixed; boundary="000000000000a1b2c3060d1e2f3a"

--000000000000a1b2c3060d1e2f3a
Content-Type: multipart/alternative; boundary="000000000000a1b2c1060d1e2f38"

--000000000000a1b2c1060d1e2f38
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: base64

{b64(plain.encode())}
--000000000000a1b2c1060d1e2f38
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: base64

{b64(html.encode())}
--000000000000a1b2c1060d1e2f38--
--000000000000a1b2c3060d1e2f3a
Content-Type: application/pdf; name="=?UTF-8?B?WWVybGkgTWFsxLEgQmVsZ2VzaS5wZGY=?="
Content-Disposition: attachment; filename*=UTF-8''Yerli%20Mal%C4%B1%20Belgesi.pdf
Content-Transfer-Encoding: base64
X-Attachment-Id: f_lq1w2e3r0

{b64(PDF)}
--000000000000a1b2c3060d1e2f3a--
""",
)

# 3. Thunderbird: Russian in KOI8-R, 8bit, format=flowed, a "-- " signature.
plain = (
    "Здравствуйте!\n\nНе работает загрузка отчёта о мощности, \nошибка 500 после отправки формы.\n\n"
    "-- \nИван Петров\nИнженер\n"
)
(out / "thunderbird_ru_koi8r.eml").write_bytes(
    (
        f"""Return-Path: <musavir@example.org>
Message-ID: <7c1f2a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b@example.org>
Date: Thu, 3 Dec 2026 10:40:12 +0300
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: ru
To: helpdesk@example.org
From: {Header("Иван Петров", "koi8-r").encode()} <musavir@example.org>
Subject: {Header("Не работает загрузка отчёта", "koi8-r").encode()}
Content-Type: text/plain; charset=KOI8-R; format=flowed
Content-Transfer-Encoding: 8bit

""".replace("\n", "\r\n")
    ).encode("ascii")
    + plain.replace("\n", "\r\n").encode("koi8-r")
)

# 4. Apple Mail: an HTML reply with an inline photo (multipart/related), UTF-8 QP.
plain = "Ekran görüntüsü aşağıda.\n\nOn 3 Dec 2026, at 10:00, Yardım Masası <helpdesk@example.org> wrote:\n\n> Eski metin\n"
html = (
    '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
    '<body style="overflow-wrap: break-word;"><div>Ekran görüntüsü aşağıda.</div><div><img src="cid:3F0A1B2C-4D5E@example.org" alt="ekran.png"></div>'
    '<div><br><blockquote type="cite"><div>On 3 Dec 2026, at 10:00, Yardım Masası wrote:</div><div>Eski metin</div></blockquote></div></body></html>'
)
w(
    "apple_mail_inline_image.eml",
    f"""Return-Path: <oda@example.org>
From: Ali Kaya <oda@example.org>
Content-Type: multipart/alternative;
	boundary="Apple-Mail=_8E1F6B5A-2C3D-4E5F-9A0B-1C2D3E4F5A6B"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))
Subject: =?utf-8?Q?Ekran_g=C3=B6r=C3=BCnt=C3=BCs=C3=BC?=
Date: Thu, 3 Dec 2026 10:45:00 +0300
Message-Id: <5A1B2C3D-4E5F-6A7B-8C9D-0E1F2A3B4C5D@example.org>
To: helpdesk@example.org
X-Mailer: Apple Mail (2.3774.600.62)

--Apple-Mail=_8E1F6B5A-2C3D-4E5F-9A0B-1C2D3E4F5A6B
Content-Transfer-Encoding: quoted-printable
Content-Type: text/plain;
	charset=utf-8

{qp(plain, "utf-8")}
--Apple-Mail=_8E1F6B5A-2C3D-4E5F-9A0B-1C2D3E4F5A6B
Content-Type: multipart/related;
	type="text/html";
	boundary="Apple-Mail=_1F2E3D4C-5B6A-7980-A1B2-C3D4E5F6A7B8"

--Apple-Mail=_1F2E3D4C-5B6A-7980-A1B2-C3D4E5F6A7B8
Content-Transfer-Encoding: quoted-printable
Content-Type: text/html;
	charset=utf-8

{qp(html, "utf-8")}
--Apple-Mail=_1F2E3D4C-5B6A-7980-A1B2-C3D4E5F6A7B8
Content-Transfer-Encoding: base64
Content-Disposition: inline;
	filename=ekran.png
Content-Type: image/png;
	x-unix-mode=0644;
	name="ekran.png"
Content-Id: <3F0A1B2C-4D5E@example.org>

{b64(PNG)}
--Apple-Mail=_1F2E3D4C-5B6A-7980-A1B2-C3D4E5F6A7B8--

--Apple-Mail=_8E1F6B5A-2C3D-4E5F-9A0B-1C2D3E4F5A6B--
""",
)

# 5. Exchange's out-of-office answer to one of our notices.
w(
    "auto_reply_exchange.eml",
    """Return-Path: <oda@example.org>
From: Ali Kaya <oda@example.org>
To: helpdesk@example.org
Subject: Automatic reply: [#1] Ticket #1 was filed
Date: Thu, 3 Dec 2026 10:50:00 +0300
Message-ID: <8f9e7d6c5b4a@EX01.example.org>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
X-MS-Exchange-Inbox-Rules-Loop: oda@example.org
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
MIME-Version: 1.0

I am out of the office until Monday.
""",
)

# 6. A bounce: Postfix's delivery status notification, empty return path.
w(
    "bounce_postfix.eml",
    """Return-Path: <>
Date: Thu, 3 Dec 2026 10:55:01 +0300 (+03)
From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: helpdesk@example.org
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4QxZ0b1C2d.1733212501/mx.example.org"
Message-Id: <20261203075501.4QxZ0b1C2d@mx.example.org>

This is a MIME-encapsulated message.

--4QxZ0b1C2d.1733212501/mx.example.org
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<gone@example.net>: host mx.example.net said: 550 5.1.1 User unknown

--4QxZ0b1C2d.1733212501/mx.example.org
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Arrival-Date: Thu,  3 Dec 2026 10:55:00 +0300 (+03)

Final-Recipient: rfc822; gone@example.net
Action: failed
Status: 5.1.1

--4QxZ0b1C2d.1733212501/mx.example.org
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: helpdesk@example.org
To: gone@example.net
Subject: [#1] Ticket #1 was filed

--4QxZ0b1C2d.1733212501/mx.example.org--
""",
)

# 7. Gmail's inline forward: the forwarded text is what the ticket is about.
plain = (
    "Bu mesajı size iletiyorum, sistemde kayıt görünmüyor.\n\n"
    "---------- Forwarded message ---------\nFrom: Zeynep Ak <zeynep@example.net>\n"
    "Date: Wed, 2 Dec 2026 at 16:20\nSubject: Dolaşım belgesi\nTo: <muhendis@example.org>\n\n"
    "Dolaşım belgesi başvurumuz 3 gündür bekliyor.\n"
)
w(
    "gmail_forwarded.eml",
    f"""Return-Path: <muhendis@example.org>
MIME-Version: 1.0
From: Mehmet Demir <muhendis@example.org>
Date: Thu, 3 Dec 2026 11:00:00 +0300
Message-ID: <CAF=fw3mXh7GQ+ZV1mPzX5oL8iTn2o7_dk0=Yb9fLhZ2R@mail.gmail.com>
Subject: Fwd: =?UTF-8?Q?Dola=C5=9F=C4=B1m_belgesi?=
To: helpdesk@example.org
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{qp(plain, "utf-8")}""",
)

# 8. Persian in windows-1256 (an old Outlook in Iran), with an RFC 2047 subject.
# windows-1256 has no Persian yeh: Persian Windows wrote the Arabic one (U+064A).
plain = "سلام\nدرخواست تمديد مهلت پرونده را دارم.\nبا تشکر\n"
subject_1256 = "".join(f"={b:02X}" for b in "درخواست تمديد".encode("windows-1256"))
(out / "outlook_fa_windows1256.eml").write_bytes(
    (
        f"""Return-Path: <fa_expert@example.org>
From: fa_expert@example.org
To: helpdesk@example.org
Subject: =?windows-1256?Q?{subject_1256.replace(chr(32), "_")}?=
Date: Thu, 3 Dec 2026 11:05:00 +0330
Message-ID: <000501db4565$a1b2c3d4$e5f6a7b8$@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset="windows-1256"
Content-Transfer-Encoding: 8bit
X-Mailer: Microsoft Outlook 14.0

""".replace("\n", "\r\n")
    ).encode("ascii")
    + plain.replace("\n", "\r\n").encode("windows-1256")
)

# 9. Japanese in ISO-2022-JP (7bit), as Japanese mail clients still send.
(out / "iso2022jp.eml").write_bytes(
    (
        f"""Return-Path: <oda@example.org>
From: oda@example.org
To: helpdesk@example.org
Subject: {Header("報告書について", "iso-2022-jp").encode()}
Date: Thu, 3 Dec 2026 11:10:00 +0900
Message-ID: <20261203111000.jp01@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: 7bit

""".replace("\n", "\r\n")
    ).encode("ascii")
    + "こんにちは、報告書が開きません。\r\n".encode("iso-2022-jp")
)

# 10. HTML only, with what must never survive: script, handlers, a style block.
w(
    "html_only_script.eml",
    """Return-Path: <muhendis@example.org>
From: muhendis@example.org
To: helpdesk@example.org
Subject: HTML only
Date: Thu, 3 Dec 2026 11:15:00 +0300
Message-ID: <html-only-1@example.org>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head><style>body{color:red}</style><script>alert('x')</script></head>
<body><p onclick="steal()">Birinci paragraf &amp; devamı.</p><p>İkinci <b>kalın</b> satır<br>üçüncü</p>
<img src=x onerror="alert(1)"><a href="javascript:alert(1)">bağlantı</a></body></html>
""",
    "utf-8",
)

# 11. A mailing list's message.
w(
    "mailing_list.eml",
    """Return-Path: <list-bounces@lists.example.net>
From: someone@example.net
To: announce@lists.example.net
Subject: [announce] New release
Date: Thu, 3 Dec 2026 11:20:00 +0300
Message-ID: <list-1@example.net>
List-Id: Announcements <announce.lists.example.net>
List-Unsubscribe: <mailto:announce-leave@lists.example.net>
Precedence: list
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

A new release.
""",
)

# 12. A zip bomb: a small archive that unpacks to 200 MB of zeros.
import zipfile

zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("zeros.bin", b"\0" * (200 * 1024 * 1024))
w(
    "zip_bomb.eml",
    f"""Return-Path: <oda@example.org>
From: oda@example.org
To: helpdesk@example.org
Subject: Rapor arşivi
Date: Thu, 3 Dec 2026 11:25:00 +0300
Message-ID: <zip-bomb-1@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="zzz"

--zzz
Content-Type: text/plain; charset=utf-8

Arşiv ekte.
--zzz
Content-Type: application/zip; name="rapor.zip"
Content-Disposition: attachment; filename="rapor.zip"
Content-Transfer-Encoding: base64

{b64(zbuf.getvalue())}
--zzz--
""",
    "utf-8",
)
