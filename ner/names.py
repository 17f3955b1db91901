"""Name, organisation and place vocabularies for the contact-centre augmentation.

Given names and surnames per naming tradition (Faker's ``id_ID`` lists are mostly Javanese and
Arabic-Indonesian, so the others are listed here), and the banks, wallets, shops, couriers and
places that customers name in the same breath as people. Beside the lists, larger pools of
names (``NamePool``): every Faker locale's, and those of the people in the training news.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

JAVANESE_GIVEN = """Sukirman Suparmi Wahyudi Bambang Joko Slamet Sutrisno Sri Tri Dwi Eko Budi Agus
Sugeng Sumarni Suyatno Parjo Paijo Tukiyem Wagiman Ngatini Sumini Harjono Darmaji Waluyo Kasiyem
Yuli Endah Rahayu Wulan Sekar Ayu Puspita Retno Dyah Wahyu Heru Teguh Setyo Rudi Hadi Widodo
Mulyono Sarmini Painem Surip Giyanto Triyono Sunardi Legiman Prapto Ngadiman Sarwono""".split()
JAVANESE_FAMILY = """Kuncoro Setiawan Prasetyo Wibowo Purnomo Santoso Susanto Nugroho Hartono
Suryono Wijayanto Kusumo Handayani Lestari Utami Pratiwi Susilo Raharjo Sasongko Mangunkusumo
Hadiwijoyo Suryadi Prabowo Darmawan Wicaksono Saputro Cahyono Hidayat Sulistyo Widiyanto""".split()
SUNDANESE_GIVEN = """Asep Ujang Cecep Dadang Euis Nining Yayan Ade Iis Entin Dede Cucu Nenden Neneng
Ujang Jajang Enjang Atep Engkus Oman Aan Deden Wawan Kokom Imas Lilis Yanti Tatang Ayi Usep
Ikin Mamat Encep Agan Ela""".split()
SUNDANESE_FAMILY = """Sumarna Hidayat Permana Sukmana Kusnadi Ruhiyat Suryana Sopandi Rukmana
Wiradinata Kartasasmita Somantri Sutisna Supriatna Hermawan Mulyana Setiadi Gunadi Rustandi
Kurniawan Sudrajat Saepudin Hendrayana Nurjaman""".split()
BALINESE_PREFIX = """I Wayan|Ni Wayan|I Made|Ni Made|I Nyoman|Ni Nyoman|I Ketut|Ni Ketut|I Putu|Ni Putu|
I Gede|Ni Luh|Ni Luh Putu|I Gusti Ngurah|I Gusti Ayu|Anak Agung|A.A. Gede|Gusti Ayu|Ida Bagus|
Ida Ayu|Komang|Kadek|Putu|Gede|Made|Wayan|Ketut|Nyoman""".replace("\n", "").split("|")
BALINESE_NAME = """Sudarsana Artawan Suardana Widiantari Sukerta Astawa Mahendra Wirawan Dharma
Adnyana Arsana Budiarta Darmayasa Jaya Suastika Yasa Wiguna Mertha Sanjaya Pradnyani Suwitri
Ariani Sri Dewi Rai Oka Arya Wibawa Swastika Sumerta""".split()
BATAK_GIVEN = """Togar Poltak Ucok Butet Rajamin Tiur Horas Sahat Tigor Maruli Bonar Rosmauli
Lamhot Martua Tumpal Hotma Ruth Monang Parulian Saut Rinto Sondang Lasma Mangasi Jonggi""".split()
BATAK_FAMILY = """Hutapea Simatupang Siregar Nasution Sitorus Panjaitan Hutagalung Sinaga
Tampubolon Situmorang Lubis Harahap Pardede Manurung Simanjuntak Pasaribu Silalahi Napitupulu
Sihombing Hasibuan Damanik Saragih Purba Ginting Tarigan Sembiring Siahaan Marpaung Nainggolan
Simbolon Gultom Sianturi Batubara Pohan Dalimunthe Rangkuti""".split()
CHINESE_GIVEN = """Jessica Kevin Hendra Felicia Steven Yohanes William Ivan Michael Vincent Jennifer
Stella Cindy Aldo Jonathan Ricky Sandy Wendy Lily Mei Ling Lie Hok Liong Hian Siu Fenny Meiliana
Rudy Johan Hendrik Yenny Lydia Angeline Gavin Nathaniel Jesslyn Calvin Winda Sherly Budi""".split()
CHINESE_FAMILY = """Tjandra Wijaya Gunawan Tanoto Halim Tanujaya Hartono Salim Lim Tan Liem Kwee
Oei Gozali Sutanto Tjahjadi Widjaja Kusuma Setiadi Santoso Chandra Hidayat Tjoa Goh Ong Lie
Tanuwijaya Sugianto Susanto Hermanto Tanzil Winata Kurniawan Wonggo Liman Djojo""".split()
BUGIS_GIVEN = """Andi Baso Tenri Daeng Syamsuddin Arsyad Haeruddin Nurdin Ilham Muhammad Sitti
Hasanuddin Jufri Rahman Nurhayati Husain Kamaruddin Sudirman Asri Amir Jumriani Idris Fitriani
Mappanyukki Patongai Karaeng Tenriola Sulaiman Anwar Irwan""".split()
BUGIS_FAMILY = """Mattalatta Pawelloi Tenri Baso Mappasessu Rahim Ambo Mallarangeng Pananrangi
Syahrir Lamba Tahir Mattulada Sompa Latif Opu Pallawa Pabottingi Parenrengi""".split()
MINANG_ARABIC = """Syamsuddin Zulkifli Fauzi Ahmad Muhammad Abdullah Rizki Fadli Hafiz Nurul Siti
Aisyah Fatimah Khadijah Zainab Hasan Husein Usman Umar Ali Ridwan Yusuf Ibrahim Ismail Syahrul
Syafri Chairul Datuk Rangkayo Afrizal Yulianis Roslaini Efendi Rahmat Hidayatullah Habibie
Zulfikar Nasrullah Khairunnisa Salsabila Annisa Azzahra Alfarizi Rasyid Anwar""".split()
EASTERN = """Yohanis Markus Petrus Paulus Frans Agustinus Maria Yosefina Theresia Matheus Frederik
Pattinama Pattimura Latuconsina Tuhumury Leimena Sahetapy Wattimena Rumbiak Mandacan Wenda
Kogoya Lopulalan Manuputty Tanamal Rumere Pakage Sondakh Lumintang Rondonuwu Tumbelaka Wowor
Kaunang Supit Pangemanan Mamahit Sumampouw""".split()

# Banks and payment apps customers name next to account numbers: ORGANIZATION, never PERSON.
BANKS = """BCA|BRI|BNI|Mandiri|Bank Mandiri|Bank Jago|Jago|SeaBank|SEABANK|Jenius|CIMB Niaga|
Danamon|Permata|PermataBank|BSI|Bank Syariah Indonesia|BTN|OCBC|OCBC NISP|Maybank|Allo Bank|blu|
blu BCA Digital|Bank DKI|Bank Jatim|Bank BJB|BJB|Bank Mega|Panin|UOB|Bank Neo Commerce|Neobank|
Line Bank|Krom|Superbank|Bank Raya|BPD Bali|Bank Sumut|Bank Nagari|Muamalat|Bank Muamalat|
BTPN|Digibank|Livin|Livin by Mandiri|BRImo|myBCA|KlikBCA|wondr""".replace("\n", "").split("|")
BRANDS = """OVO|GoPay|DANA|ShopeePay|LinkAja|Tokopedia|Shopee|Lazada|Bukalapak|Blibli|Traveloka|
tiket.com|Gojek|Grab|Telkomsel|Indosat|IM3|XL|XL Axiata|Smartfren|IndiHome|by.U|Tri|Axis|PLN|
PDAM|BPJS Kesehatan|BPJS Ketenagakerjaan|Pegadaian|Akulaku|Kredivo|Home Credit|Adira|Adira Finance|
FIF|Indodana|Kredit Pintar|JNE|J&T|J&T Express|SiCepat|AnterAja|Pos Indonesia|Ninja Xpress|
Lion Parcel|Wahana|Garuda|Garuda Indonesia|Lion Air|Citilink|KAI|Alfamart|Indomaret|Pertamina|
Samsung|Oppo|Xiaomi|Vivo|Astra|Honda|Yamaha|Prudential|Allianz|AXA Mandiri|Manulife|
Bibit|Ajaib|Pluang|Flip|Kitabisa|Halodoc|Alodokter|Ruangguru|Zalora|Sociolla|Netflix|Spotify|
Google|Apple|Microsoft|Facebook|Instagram|WhatsApp|Telegram|TikTok|Visa|Mastercard""".replace(
    "\n", "").split("|")
PLACES = """Jakarta|Jakarta Selatan|Jakarta Timur|Bandung|Surabaya|Medan|Semarang|Yogyakarta|Jogja|
Makassar|Palembang|Bekasi|Depok|Tangerang|Tangerang Selatan|Bogor|Malang|Solo|Denpasar|Bali|
Batam|Pekanbaru|Padang|Manado|Ambon|Jayapura|Kupang|Mataram|Pontianak|Banjarmasin|Balikpapan|
Samarinda|Palu|Kendari|Gorontalo|Jambi|Bengkulu|Lampung|Bandar Lampung|Cirebon|Tasikmalaya|
Sukabumi|Karawang|Cikarang|Purwokerto|Tegal|Kudus|Jepara|Magelang|Klaten|Sidoarjo|Gresik|Kediri|
Jember|Banyuwangi|Madiun|Blitar|Probolinggo|Pasuruan|Serang|Cilegon|Garut|Cianjur|Subang|
Sumedang|Kuningan|Majalengka|Indramayu|Pati|Rembang|Wonosobo|Gianyar|Tabanan|Singaraja|Kuta|
Ubud|Sleman|Bantul|Cibubur|Cilandak|Kemang|Menteng|Kelapa Gading|Pluit|Tebet|Cawang|Ciputat|
Pamulang|BSD|Serpong|Bintaro|Sunter|Jatinegara|Pasar Minggu|Kebayoran|Cengkareng|Singapura|
Malaysia|Kuala Lumpur|Jawa Barat|Jawa Tengah|Jawa Timur|Sumatera Utara|Sulawesi Selatan|
Kalimantan Timur|NTT|NTB|Papua|Aceh|Riau|Banten|DKI|Indonesia|London|Sydney|Tokyo|Hong Kong|
Taiwan|Arab Saudi|Mekkah|Jeddah""".replace("\n", "").split("|")


@dataclass(frozen=True)
class NamePool:
    """Given names and surnames of one naming tradition."""

    given: list[str]
    family: list[str]


_LATIN_NAME_RE = re.compile(r"[A-Z][a-z]+(?:['-][A-Za-z][a-z]+)?")


def faker_pools(common_words: set[str]) -> dict[str, NamePool]:
    """Every Faker locale's Latin-script given names and surnames: 32,000 names of 86 locales.

    News and chat name people from everywhere; the more of their names the model has read
    as names, the fewer it leaves readable. Words that are ordinary words more often than
    names (``common_words``: "bang", "grace", "will") are left out.
    """
    pools = {}
    for locale, provider in _person_providers():
        given = _names(provider, _GIVEN, common_words)
        family = _names(provider, ("last_names",), common_words)
        if given and family:
            pools[locale] = NamePool(given, family)
    return pools


def given_name_locales() -> Counter:
    """How many Faker locales list each (lowercase, Latin-script) given name."""
    counts = Counter()
    for _, provider in _person_providers():
        counts.update(name.lower() for name in _names(provider, _GIVEN, set()))
    return counts


_GIVEN = ("first_names", "first_names_male", "first_names_female")


def _person_providers():
    import importlib
    import pkgutil

    from faker.providers import person

    for module in pkgutil.iter_modules(person.__path__):
        yield module.name, importlib.import_module(f"{person.__name__}.{module.name}").Provider


def corpus_pool(spans: list[list[str]], common_words: set[str]) -> NamePool:
    """The names people carry in the training news: first words given, last words surnames."""
    def keep(word: str) -> bool:
        return len(word) > 2 and word.isalpha() and word.lower() not in common_words

    given = sorted({span[0].capitalize() for span in spans if keep(span[0])})
    family = sorted({span[-1].capitalize() for span in spans if len(span) > 1 and keep(span[-1])})
    return NamePool(given, family)


def _names(provider, attributes: tuple[str, ...], common_words: set[str]) -> list[str]:
    found = set()
    for attribute in attributes:
        value = getattr(provider, attribute, ())
        if isinstance(value, (dict, list, tuple)):  # some locales weight names in a dict
            found |= {name for name in value if isinstance(name, str)
                      and _LATIN_NAME_RE.fullmatch(name) and name.lower() not in common_words}
    return sorted(found)
