"""The words of generated tickets: mostly Turkish, some Russian and Persian.

Data, not interface: nothing here goes through the catalogues, as with the names an
admin types. Templates name their slots (`{ref}`, `{firm}`, ...); each slot is drawn
from the caller's random generator when a template first asks for it.
"""

import random

# Which language a ticket is written in, and how often (per cent).
LANGUAGES = (("tr", 90), ("ru", 5), ("fa", 5))

CITIES = [
    # The demo's unions first, then the provinces by plate number.
    "Bursa", "Ankara", "Adana", "Adıyaman", "Afyonkarahisar", "Ağrı", "Amasya", "Antalya",
    "Artvin", "Aydın", "Balıkesir", "Bilecik", "Bingöl", "Bitlis", "Bolu", "Burdur",
    "Çanakkale", "Çankırı", "Çorum", "Denizli", "Diyarbakır", "Edirne", "Elazığ", "Erzincan",
    "Erzurum", "Eskişehir", "Gaziantep", "Giresun", "Gümüşhane", "Hakkari", "Hatay",
    "Isparta", "Mersin", "İstanbul", "İzmir", "Kars", "Kastamonu", "Kayseri", "Kırklareli",
    "Kırşehir", "Kocaeli", "Konya", "Kütahya", "Malatya", "Manisa", "Kahramanmaraş",
    "Mardin", "Muğla", "Muş", "Nevşehir", "Niğde", "Ordu", "Rize", "Sakarya", "Samsun",
    "Siirt", "Sinop", "Sivas", "Tekirdağ", "Tokat", "Trabzon", "Tunceli", "Şanlıurfa",
    "Uşak", "Van", "Yozgat", "Zonguldak", "Aksaray", "Bayburt", "Karaman", "Kırıkkale",
    "Batman", "Şırnak", "Bartın", "Ardahan", "Iğdır", "Yalova", "Karabük", "Kilis",
    "Osmaniye", "Düzce",
]  # fmt: skip

TRADES = [
    "Berberler", "Kuaförler", "Terziler", "Fırıncılar", "Lokantacılar", "Şoförler",
    "Bakkallar", "Kasaplar", "Demirciler", "Marangozlar", "Mobilyacılar", "Kahveciler",
    "Manavlar", "Elektrikçiler", "Tesisatçılar", "Oto Tamirciler", "Kaportacılar",
    "Lastikçiler", "Boyacılar", "Ayakkabıcılar", "Saraçlar", "Kuyumcular", "Fotoğrafçılar",
    "Matbaacılar", "Pastacılar", "Tatlıcılar", "Köfteciler", "Kebapçılar", "Büfeciler",
    "Çiçekçiler", "Gözlükçüler", "Saatçiler", "Kırtasiyeciler", "Züccaciyeciler",
    "Nalburlar", "Camcılar", "Döşemeciler", "Halıcılar", "Tuhafiyeciler", "Konfeksiyoncular",
    "Minibüsçüler", "Servisçiler", "Taksiciler", "Çilingirler", "Kunduracılar",
]  # fmt: skip

FIRST_NAMES = [
    "Ahmet", "Mehmet", "Mustafa", "Ali", "Hüseyin", "Hasan", "İbrahim", "İsmail", "Osman",
    "Yusuf", "Murat", "Ömer", "Ramazan", "Halil", "Süleyman", "Abdullah", "Mahmut", "Recep",
    "Fatma", "Ayşe", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Şerife", "Zehra",
    "Sultan", "Hanife", "Merve", "Özlem", "Gülsüm", "Esra", "Büşra", "Derya", "Şükrü",
    "Çağlar", "Gökhan", "Ümit", "İlknur", "Işıl", "Duygu", "Tuğba", "Serkan", "Burak",
]  # fmt: skip
LAST_NAMES = [
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
    "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan",
    "Şimşek", "Polat", "Özcan", "Korkmaz", "Çakır", "Erdoğan", "Yavuz", "Can", "Acar",
    "Şen", "Aktaş", "Güler", "Yalçın", "Güneş", "Bozkurt", "Bulut", "Keskin", "Ünal",
    "Turan", "Gül", "Özer", "İnce", "Işık", "Uçar", "Tekin", "Coşkun", "Güzel", "Akgül",
]  # fmt: skip

_FIRM_WORDS = [
    "Yıldız", "Güven", "Anadolu", "Ege", "Marmara", "Doğuş", "Kardeşler", "Akdeniz", "Özgür",
    "Birlik", "Başak", "Çınar", "Deniz", "Ekin", "Toros", "Uludağ", "Karadeniz", "Selçuklu",
]  # fmt: skip
_FIRM_KINDS = ["Mobilya", "Gıda", "Tekstil", "Otomotiv", "Ambalaj", "Makine", "İnşaat", "Metal"]
_FIRM_FORMS = ["Ltd. Şti.", "A.Ş.", "San. ve Tic. Ltd. Şti.", "Kollektif Şti."]

SLOTS = {
    "ref": lambda rng: f"{rng.randint(2022, 2026)}/{rng.randint(1000, 99999)}",
    "prod": lambda rng: (
        f"{rng.randint(10, 99)}{rng.randint(10, 99)}.{rng.randint(10, 99)}.{rng.randint(10, 99)}"
    ),
    "gtip": lambda rng: (
        f"{rng.randint(1000, 9999)}.{rng.randint(10, 99)}.{rng.randint(10, 99)}."
        f"{rng.randint(10, 99)}.00"
    ),
    "firm": lambda rng: (
        f"{rng.choice(_FIRM_WORDS)} {rng.choice(_FIRM_KINDS)} {rng.choice(_FIRM_FORMS)}"
    ),
    "days": lambda rng: str(rng.randint(2, 21)),
    "n": lambda rng: str(rng.randint(2, 400)),
    "percent": lambda rng: str(rng.randint(20, 95)),
    "code": lambda rng: str(rng.randint(400, 599)),
    "serial": lambda rng: f"{rng.choice('ABCDEFGHKMNPRSTZ')}{rng.randint(100000, 999999)}",
    "amount": lambda rng: f"{rng.randint(150, 9500)},{rng.randint(0, 99):02d} TL",
}

# Subjects and description sentences of each category's tickets, in Turkish. The keys
# are the names of the categories `directory` creates; any other category is "general".
PROBLEMS = {
    "Kapasite Raporu": [
        "Kapasite Raporu Prod Kodları",
        "Kapasite raporunda eksik prod kodları",
        "Kapasite raporu onayı bekliyor",
        "Kapasite raporu yenileme başvurusu açılmıyor",
        "Kapasite raporunda makine listesi hatalı",
        "Kapasite raporu ekspertiz tarihi değiştirilemiyor",
        "Kapasite raporu ücreti iki kez tahsil edildi",
        "Kapasite raporunda üretim miktarı düzeltmesi",
        "Mühendis imzası kapasite raporuna eklenemiyor",
        "Kapasite raporu PDF çıktısı alınamıyor",
        "Kapasite raporunda hammadde sarfiyatı yanlış hesaplanıyor",
    ],
    "Yerli Malı Belgesi": [
        "Yerli malı belgesi başvurusu reddedildi",
        "Yerlilik oranı hesaplaması hatalı",
        "Yerli malı belgesi süre uzatımı",
        "YMB başvurusunda GTİP kodu seçilemiyor",
        "Yerli malı belgesi onaylandı ama görünmüyor",
        "Yerli malı belgesinde firma unvanı yanlış",
        "Yerli malı belgesi için maliyet tablosu yüklenemiyor",
    ],
    "Dolaşım Belgesi": [
        "A.TR dolaşım belgesi onayı gecikti",
        "EUR.1 belgesi basımında hizalama hatası",
        "Dolaşım belgesinde ihracatçı bilgisi hatalı",
        "Dolaşım belgesi iptal talebi",
        "Dolaşım belgesi seri numarası sistemde yok",
        "EUR.MED belgesi başvurusu yapılamıyor",
    ],
    "Basılı Evrak / Stok": [
        "İstenilen belge satışı yapılmamıştır.",
        "Basılı evrak siparişi ulaşmadı",
        "Stok bilgisi güncel değil",
        "Faturadaki adet ile stok uyuşmuyor",
        "Ustalık belgesi formu tükendi",
        "Basılı evrak iadesi sisteme işlenmedi",
        "Kargo ile gelen koli eksik çıktı",
        "Seri numaraları atlanmış evrak",
    ],
    "Bilgi İşlem – Teknik": [
        "E-imza ile giriş yapılamıyor",
        "Şifre sıfırlama e-postası gelmiyor",
        "Sistem çok yavaş açılıyor",
        "Rapor ekranında hata kodu {code} alınıyor",
        "Yazıcı çıktısı bozuk geliyor",
        "MERSİS entegrasyonu çalışmıyor",
        "ESBİS'e bağlanılamıyor",
        "Kullanıcı hesabı kilitlendi",
        "Yeni personel için kullanıcı tanımlanması",
        "Excel'e aktarımda Türkçe karakterler bozuluyor",
        "Mobil uygulamada oturum kapanıyor",
    ],
    "Esnaf Sicil": [
        "Sicil kaydı güncellenmedi",
        "Terkin işlemi sisteme yansımadı",
        "Sicil tasdiknamesi alınamıyor",
        "Adres değişikliği sicile işlenmedi",
        "Meslek kodu değişikliği onay bekliyor",
        "Mükerrer sicil kaydı",
    ],
    "Mesleki Eğitim ve Belgelendirme": [
        "Ustalık belgesi başvurusu sonuçlanmadı",
        "Kalfalık sınav sonucu görünmüyor",
        "Usta öğretici belgesi onayı",
        "Belge üzerindeki T.C. kimlik numarası hatalı",
        "Sınav takvimi sisteme girilemiyor",
        "Denklik başvurusu evrakı eksik görünüyor",
    ],
    "Aidat ve Mali İşler": [
        "Aidat borcu hatalı görünüyor",
        "Tahsilat makbuzu kesilemiyor",
        "Banka entegrasyonunda mükerrer ödeme",
        "Yıl sonu mali tablolar aktarılamıyor",
        "Birlik payı hesaplaması yanlış",
        "Geciken ödemeler listesi boş geliyor",
    ],
    "general": [
        "Başvuru durumu hakkında bilgi",
        "Sistemde kayıt bulunamıyor",
        "Belge talebi",
        "İşlem onay bekliyor",
        "Hatalı kayıt düzeltmesi",
    ],
}

DETAILS = {
    "Kapasite Raporu": [
        "{firm} firmasına ait kapasite raporu düzenlenirken {prod} prod kodu sistemde bulunamıyor.",
        "Kapasite raporu doldurulurken mühendislik prod kodları için sisteme giriş "
        "yapılırken prod kodları eksik olarak yer almaktadır.",
        "{ref} sayılı rapor {days} gündür onay bekliyor.",
        "Makine listesinde {n} kalem görünmesi gerekirken yalnızca bir kısmı listeleniyor.",
        "Ekspertiz mühendisi raporu imzaladı ancak durum hâlâ taslak görünüyor.",
        "Üretim kapasitesi yıllık {n} adet olarak girildiği halde raporda farklı çıkıyor.",
    ],
    "Yerli Malı Belgesi": [
        "{firm} için yaptığımız başvuruda yerlilik oranı %{percent} hesaplandı, "
        "maliyet tablosuna göre daha yüksek olmalı.",
        "{gtip} GTİP kodu listede çıkmıyor.",
        "{ref} numaralı belge başvurusu gerekçe gösterilmeden reddedilmiş.",
        "Belgenin süresi {days} gün sonra doluyor; uzatma ekranı açılmıyor.",
    ],
    "Dolaşım Belgesi": [
        "{serial} seri numaralı belge sistemde kayıtlı görünmüyor.",
        "{firm} adına düzenlenen belgede ihracatçı adresi eski kalmış.",
        "Gümrük idaresi belgeyi kabul etmedi; onay kaşesi eksik görünüyor.",
        "Basım sırasında alanlar kayıyor, yazıcı ayarları değişmedi.",
    ],
    "Basılı Evrak / Stok": [
        "Birlikten istenen basılı evrakların satışı sistemde görünmüyor; stok bilgisi "
        "güncel değil.",
        "{ref} numaralı siparişimiz {days} gün önce yola çıktığı halde ulaşmadı.",
        "Faturada {n} adet yazıyor, sistemdeki stok farklı.",
        "{serial} ile başlayan seri numaraları atlanmış.",
        "Gelen kolide {n} adet form eksik çıktı.",
    ],
    "Bilgi İşlem – Teknik": [
        "Online işlemler sayfasında e-imza ile giriş yaparken 'sertifika bulunamadı' "
        "hatası alıyorum.",
        "Sayfa açılırken {code} hata kodu veriyor.",
        "Sabah saatlerinde sistem {n} saniyeden uzun sürede açılıyor.",
        "Tarayıcı önbelleğini temizledim, farklı bilgisayardan denedim; sonuç aynı.",
        "Şifremi sıfırlamak istiyorum ancak e-posta gelmiyor, gereksiz klasörünü de kontrol ettim.",
        "Dışa aktarılan dosyada ş, ğ, ı harfleri bozuk görünüyor.",
    ],
    "Esnaf Sicil": [
        "{ref} sayılı karar sicile işlenmemiş görünüyor.",
        "Üyemizin adres değişikliği {days} gün önce bildirildi.",
        "Tasdikname ekranı boş geliyor.",
        "Aynı üye için iki ayrı sicil kaydı açılmış.",
    ],
    "Mesleki Eğitim ve Belgelendirme": [
        "{ref} numaralı başvuru {days} gündür değerlendirme aşamasında.",
        "Sınav sonuçları ilan edildiği halde adayların sonucu görünmüyor.",
        "Belge üzerinde adayın bilgileri hatalı basılmış.",
        "Eğitim saatleri toplamı {n} olmasına rağmen eksik görünüyor.",
    ],
    "Aidat ve Mali İşler": [
        "Üyemizin {amount} tutarındaki ödemesi iki kez tahsil edilmiş.",
        "Makbuz ekranında kaydet dediğimizde hata veriyor.",
        "{ref} dönemine ait birlik payı yanlış hesaplanmış.",
        "Bankadan gelen tahsilat dosyası içeri aktarılamıyor.",
    ],
    "general": [
        "{ref} numaralı işlemimiz hakkında bilgi rica ederiz.",
        "Konu ile ilgili {days} gündür dönüş alamadık.",
        "Kaydı sistemde bulamıyoruz.",
    ],
}

SUGGESTIONS = [
    "{topic} ekranına toplu yükleme eklenmesi",
    "{topic} işlemlerinde durumun SMS ile bildirilmesi",
    "{topic} için örnek doldurulmuş form yayınlanması",
    "{topic} sayfasına arama kutusu eklenmesi",
    "{topic} raporlarının Excel olarak indirilebilmesi",
    "{topic} başvurularında e-imza zorunluluğunun kaldırılması",
]
SUGGESTION_DETAILS = [
    "Her ay onlarca kaydı tek tek girmek zorunda kalıyoruz.",
    "Üyelerimiz işlemin hangi aşamada olduğunu sürekli telefonla soruyor.",
    "Diğer birliklerle görüştük, aynı ihtiyaç onlarda da var.",
    "Bu değişiklik odalarımızın iş yükünü ciddi ölçüde azaltacaktır.",
]
CONTEXT = [
    "Üyemiz {firm} adına işlem yapılmaktadır.",
    "Konu acil olup üyemiz mağdur durumdadır.",
    "Ekran görüntüsü ektedir.",
    "Daha önce de benzer bir sorun yaşanmıştı.",
    "Sorun dün öğleden sonra başladı.",
    "İlgili evrak no: {ref}.",
    "",
    "",
]
CLOSINGS = [
    "Gereğinin yapılmasını rica ederiz.",
    "Bilgilerinize arz ederim.",
    "Yardımlarınız için şimdiden teşekkürler.",
    "Desteğinizi rica ederiz.",
    "İyi çalışmalar.",
    "",
]

# Russian and Persian tickets: generic ones, whatever the category.
FOREIGN = {
    "ru": {
        "subjects": [
            "Не удаётся войти с электронной подписью",
            "Ошибка при формировании отчёта о мощности",
            "Не приходит письмо для сброса пароля",
            "Сертификат происхождения не отображается",
            "Предложение: массовая загрузка документов",
            "Неверный код товара в заявке",
            "Система работает очень медленно",
        ],
        "details": [
            "При входе появляется сообщение «сертификат не найден».",
            "Заявка {ref} ожидает подтверждения уже {days} дней.",
            "Код {gtip} отсутствует в списке.",
            "Проверили в другом браузере, результат тот же.",
            "Просим помочь как можно скорее.",
            "Скриншот во вложении.",
        ],
        "handler": [
            "Здравствуйте! Мы проверяем ваш запрос.",
            "Исправление внесено, проверьте, пожалуйста.",
            "Передали вопрос техническим специалистам.",
        ],
        "member": [
            "Спасибо, проверил — всё работает.",
            "Проблема сохраняется, ошибка та же.",
            "Добавил скриншот, посмотрите, пожалуйста.",
        ],
        "info": [
            "Пришлите, пожалуйста, номер заявки и скриншот ошибки.",
            "Уточните, с какого компьютера вы входите.",
        ],
        "resolution": [
            "Код добавлен в справочник, заявку можно подавать.",
            "Сертификат обновлён, вход работает.",
            "Ошибка исправлена в новой версии.",
        ],
        "reopen": ["Ошибка появилась снова.", "Проблема не решена."],
    },
    "fa": {
        "subjects": [
            "ورود با امضای الکترونیکی ممکن نیست",
            "خطا در صدور گواهی ظرفیت",
            "ایمیل بازیابی رمز عبور نمی‌رسد",
            "گواهی مبدأ در سامانه نمایش داده نمی‌شود",
            "پیشنهاد: بارگذاری گروهی اسناد",
            "کد کالا در درخواست اشتباه است",
            "سامانه بسیار کند است",
        ],
        "details": [
            "هنگام ورود پیام «گواهی یافت نشد» نمایش داده می‌شود.",
            "درخواست {ref} از {days} روز پیش در انتظار تأیید است.",
            "کد {gtip} در فهرست نیست.",
            "با مرورگر دیگری هم امتحان کردیم، نتیجه همان است.",
            "لطفاً هر چه زودتر رسیدگی کنید.",
            "تصویر صفحه پیوست شده است.",
        ],
        "handler": [
            "سلام، درخواست شما در حال بررسی است.",
            "اصلاح انجام شد، لطفاً بررسی کنید.",
            "موضوع به کارشناسان فنی ارجاع شد.",
        ],
        "member": [
            "متشکرم، بررسی کردم و درست شد.",
            "مشکل همچنان باقی است.",
            "تصویر صفحه را اضافه کردم.",
        ],
        "info": [
            "لطفاً شماره درخواست و تصویر خطا را ارسال کنید.",
            "لطفاً بفرمایید از کدام رایانه وارد می‌شوید.",
        ],
        "resolution": [
            "کد به فهرست اضافه شد و می‌توانید درخواست را ثبت کنید.",
            "گواهی به‌روزرسانی شد و ورود انجام می‌شود.",
            "خطا در نسخه جدید برطرف شد.",
        ],
        "reopen": ["خطا دوباره ظاهر شد.", "مشکل حل نشده است."],
    },
}

# What the two sides write on a Turkish ticket.
TURKISH = {
    "handler": [
        "Talebiniz incelenmektedir, en kısa sürede dönüş yapılacaktır.",
        "Gerekli düzenleme yapılmıştır, kontrol edebilir misiniz?",
        "Konu ilgili birime iletilmiştir.",
        "Sistemde yaptığımız kontrolde kaydınız görünmektedir; sayfayı yenileyerek tekrar "
        "deneyiniz.",
        "{ref} numaralı kayıt üzerinde çalışıyoruz.",
        "Yazılım güncellemesi sonrası sorun giderilecektir.",
    ],
    "member": [
        "Teşekkürler, kontrol ettim.",
        "Sorun devam ediyor, aynı hatayı alıyoruz.",
        "Bilgi için teşekkür ederiz, bekliyoruz.",
        "Ekran görüntüsünü ekledim.",
        "Üyemiz tekrar aradı, konu acildir.",
    ],
    "info": [
        "Lütfen oda sicil numaranızı ve hata ekranının görüntüsünü iletiniz.",
        "İlgili faturanın bir örneğini ekler misiniz?",
        "Hangi tarayıcıyı kullandığınızı belirtir misiniz?",
        "İşlemi hangi kullanıcı ile yaptığınızı bildiriniz.",
        "{ref} numaralı evrakın aslını yükleyiniz.",
    ],
    "answer": [
        "İstenen bilgiler ektedir.",
        "Sicil numaramız {n}, ekran görüntüsü ektedir.",
        "Chrome kullanıyoruz, sürüm güncel.",
        "Fatura ektedir.",
    ],
    "note": [
        "Yazılım ekibine iletildi.",
        "Benzer kayıt {ref}, aynı çözüm uygulanabilir.",
        "Üye telefonla arandı, bilgi verildi.",
        "Veritabanında kayıt düzeltilecek, yarın kontrol edilecek.",
        "Birlik ile görüşüldü.",
    ],
    "resolution": [
        "Gerekli çalışma yapılmış olup eksik prod kodları tamamlanmış ve sisteme "
        "tanımlanmış olup sorununuz çözülmüştür.",
        "Kaydınız düzeltilmiştir.",
        "Sorun giderilmiştir, iyi çalışmalar dileriz.",
        "Talebiniz doğrultusunda işlem tamamlanmıştır.",
        "Belgeniz onaylanmıştır.",
    ],
    "adopted": [
        "Öneriniz değerlendirilmek üzere yazılım planına alınmıştır.",
        "Öneriniz için teşekkür ederiz; bir sonraki sürümde yer alacaktır.",
        "Öneriniz ilgili kurula iletilmiştir.",
    ],
    "reopen": [
        "Sorun tekrar ortaya çıktı.",
        "Düzeltme yapılmamış, aynı hata devam ediyor.",
        "Belge hâlâ görünmüyor.",
    ],
    "redirect": [
        "Konu sizin biriminizle ilgili.",
        "Yanlış kategoride açılmış.",
        "",
    ],
}

# Documents: (name template, content type, whether it is an image, typical size in bytes).
DOCUMENTS = [
    ("ekran_goruntusu.png", "image/png", True, 180_000),
    ("hata.jpg", "image/jpeg", True, 240_000),
    ("fatura_{n}.pdf", "application/pdf", False, 90_000),
    ("kapasite_raporu.pdf", "application/pdf", False, 600_000),
    ("imza_sirkuleri.pdf", "application/pdf", False, 350_000),
    ("stok_listesi.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     False, 45_000),
    ("dilekce.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     False, 30_000),
    ("maliyet_tablosu.xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False, 60_000),
]  # fmt: skip


class _Slots(dict):
    """Draws a slot's value the first time a template names it."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key):
        value = self[key] = SLOTS[key](self.rng)
        return value


def fill(rng: random.Random, template: str) -> str:
    return template.format_map(_Slots(rng)) if "{" in template else template


def language(rng: random.Random) -> str:
    codes, weights = zip(*LANGUAGES, strict=True)
    return rng.choices(codes, weights)[0]


def topic(category_name: str) -> str:
    return category_name if category_name in PROBLEMS else "general"


def ticket(rng: random.Random, topic: str, lang: str, suggestion: bool) -> tuple[str, str]:
    """A subject and a description."""
    if lang != "tr":
        words = FOREIGN[lang]
        subject = fill(rng, rng.choice(words["subjects"]))
        details = rng.sample(words["details"], 2)
        return subject, " ".join(fill(rng, d) for d in details)
    if suggestion:
        subject = rng.choice(SUGGESTIONS).format(topic=topic if topic != "general" else "Sistem")
        parts = rng.sample(SUGGESTION_DETAILS, 2)
    else:
        subject = fill(rng, rng.choice(PROBLEMS[topic]))
        parts = rng.sample(DETAILS[topic], min(2, len(DETAILS[topic])))
    parts += [rng.choice(CONTEXT), rng.choice(CLOSINGS)]
    return subject, " ".join(fill(rng, p) for p in parts if p)


def said(rng: random.Random, lang: str, what: str) -> str:
    """What one side writes: `handler`, `member`, `info`, `answer`, `note`, `resolution`,
    `adopted` (a suggestion's), `reopen` or `redirect`. Handlers' internal notes and
    redirects are always Turkish."""
    if lang != "tr":
        what = {"answer": "member", "adopted": "resolution"}.get(what, what)
    words = FOREIGN[lang] if lang != "tr" and what in FOREIGN[lang] else TURKISH
    return fill(rng, rng.choice(words[what]))


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def document(rng: random.Random) -> tuple[str, str, bool, int]:
    """A document's name, content type, whether it is an image, and its size."""
    name, content_type, is_image, size = rng.choice(DOCUMENTS)
    return fill(rng, name), content_type, is_image, int(size * rng.uniform(0.2, 3))
