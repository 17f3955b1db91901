"""Indonesian identity numbers: NIK, KK, NPWP, BPJS and passport recognizers.

Each table holds (text, expected span texts); "detected" means a result scored at or above
the engine's 0.5 threshold.
"""
from __future__ import annotations

import pytest

from recognizers.id_bpjs_recognizer import IdBpjsRecognizer
from recognizers.id_kk_recognizer import IdKkRecognizer
from recognizers.id_nik_recognizer import IdNikRecognizer
from recognizers.id_npwp_recognizer import IdNpwpRecognizer
from recognizers.id_passport_recognizer import IdPassportRecognizer
from tests.support import detected


@pytest.fixture(scope="module")
def nik():
    return IdNikRecognizer()


@pytest.fixture(scope="module")
def kk():
    return IdKkRecognizer()


@pytest.fixture(scope="module")
def npwp():
    return IdNpwpRecognizer()


@pytest.fixture(scope="module")
def bpjs():
    return IdBpjsRecognizer()


@pytest.fixture(scope="module")
def passport():
    return IdPassportRecognizer()


# --- ID_NIK -------------------------------------------------------------------------------

NIK_CASES = [
    # valid, no context
    ("3174011508900001", ["3174011508900001"]),
    ("1101010101000001", ["1101010101000001"]),  # Aceh, 1 Jan 2000
    ("9471021201990004", ["9471021201990004"]),  # Papua
    ("6501012902000005", ["6501012902000005"]),  # 29 February
    # women: day of birth + 40
    ("3273024505850003", ["3273024505850003"]),  # 45 = 5th
    ("3174015508900002", ["3174015508900002"]),  # 55 = 15th
    ("6501016902000005", ["6501016902000005"]),  # 69 = 29 February
    ("3174017108900001", ["3174017108900001"]),  # 71 = 31st
    # any grouping
    ("3174 0115 0890 0001", ["3174 0115 0890 0001"]),
    ("3174.0115.0890.0001", ["3174.0115.0890.0001"]),
    ("3174-0115-0890-0001", ["3174-0115-0890-0001"]),
    ("317401 150890 0001", ["317401 150890 0001"]),
    # with context
    ("NIK saya 3174011508900001", ["3174011508900001"]),
    ("nik: 3174 0115 0890 0001 ya kak", ["3174 0115 0890 0001"]),
    ("no KTP 3174.0115.0890.0001", ["3174.0115.0890.0001"]),
    ("e-KTP: 3273024505850003", ["3273024505850003"]),
    ("nomor induk kependudukan 3273024505850003", ["3273024505850003"]),
    ("my national id is 3174011508900001", ["3174011508900001"]),
    # two numbers typed one after the other
    ("3174011508900001 3273024505850003", ["3174011508900001", "3273024505850003"]),
    ("nik 3174011508900001, hp 081234567890", ["3174011508900001"]),
    # invalid structure
    ("nik 9974011508900001", []),  # province 99
    ("nik 2074011508900001", []),  # province 20
    ("nik 3100011508900001", []),  # regency 00
    ("nik 3174001508900001", []),  # district 00
    ("nik 3174011513900001", []),  # month 13
    ("nik 3174011500900001", []),  # month 00
    ("nik 3174010008900001", []),  # day 00
    ("nik 3174013208900001", []),  # day 32
    ("nik 3174013104900001", []),  # 31 April
    ("nik 3174014008900001", []),  # day 40 (neither a man's nor a woman's day)
    ("nik 3174017208900001", []),  # day 72 = woman's 32nd
    ("nik 3174011508900000", []),  # serial 0000
    # wrong length
    ("nik 317401150890001", []),  # 15 digits
    ("nik 31740115089000012", []),  # 17 digits
    # glued into a longer run by dashes or dots
    ("12-3174011508900001", []),
    ("3174-0115-0890-0001-99", []),
    ("3174.0115.0890.0001.5", []),
    # look-alikes
    ("Rp 3.174.011.508", []),
    ("order 31740115089", []),
]


@pytest.mark.parametrize("text, expected", NIK_CASES)
def test_nik(nik, text, expected):
    assert detected(nik, text) == expected


# --- NIK versus KK: the nearest cue decides ------------------------------------------------

# (text, NIK spans, KK spans); 3174011508900001 is a valid NIK, so only the cue tells them apart.
NIK_KK_CASES = [
    ("no KK 3174011508900001", [], ["3174011508900001"]),
    ("kartu keluarga: 3174 0115 0890 0001", [], ["3174 0115 0890 0001"]),
    ("NIK saya, no KK 3174011508900001", [], ["3174011508900001"]),
    ("KK saya, NIK 3174011508900001", ["3174011508900001"], []),
    ("no kk 3174010101100003 dan nik 3174011508900001", ["3174011508900001"], ["3174010101100003"]),
    ("NIK 3174011508900001, KK 3174010101100003", ["3174011508900001"], ["3174010101100003"]),
    ("3174011508900001", ["3174011508900001"], []),
    # Chat "kk" is also "kakak" (the polite "you"): read as a KK cue, it takes the number.
    pytest.param(
        "Mohon info NIK kk: 3174011508900001", ["3174011508900001"], [],
        marks=pytest.mark.xfail(strict=True, reason="'kk' = kakak reads as a KK cue"),
    ),
]


@pytest.mark.parametrize("text, nik_spans, kk_spans", NIK_KK_CASES)
def test_nik_or_kk_by_nearest_cue(nik, kk, text, nik_spans, kk_spans):
    assert detected(nik, text) == nik_spans
    assert detected(kk, text) == kk_spans


# --- ID_KK ----------------------------------------------------------------------------------

KK_CASES = [
    ("no KK 3174010101100003", ["3174010101100003"]),
    ("nomor KK: 3174-0101-0110-0003", ["3174-0101-0110-0003"]),
    ("kk saya 3174 0101 0110 0003", ["3174 0101 0110 0003"]),
    ("Kartu Keluarga 3174.0101.0110.0003", ["3174.0101.0110.0003"]),
    ("family card number 3273020101150007", ["3273020101150007"]),
    # without context
    ("3174010101100003", []),
    ("nomor 3174010101100003", []),
    ("NIK 3174010101100003", []),
    # invalid structure
    ("no kk 9974010101100003", []),  # province 99
    ("no kk 3100010101100003", []),  # regency 00
    ("no kk 317401010110003", []),  # 15 digits
    ("no kk 31740101011000031", []),  # 17 digits
]


@pytest.mark.parametrize("text, expected", KK_CASES)
def test_kk(kk, text, expected):
    assert detected(kk, text) == expected


# --- ID_NPWP --------------------------------------------------------------------------------

NPWP_CASES = [
    # the dotted layout stands alone
    ("01.234.567.8-901.234", ["01.234.567.8-901.234"]),
    ("npwp: 01.234.567.8-901.234", ["01.234.567.8-901.234"]),
    ("NPWP perusahaan 09.876.543.2-101.000 ya", ["09.876.543.2-101.000"]),
    ("01.234.567.8.901.234", ["01.234.567.8.901.234"]),
    # plain 15 digits need a cue
    ("npwp 012345678901234", ["012345678901234"]),
    ("nomor pokok wajib pajak 012345678901234", ["012345678901234"]),
    ("tax id 01-234-567-8-901-234", ["01-234-567-8-901-234"]),
    ("012345678901234", []),
    ("nomor 012345678901234", []),
    ("nik 012345678901234", []),
    # 16 digits (the NIK form) with an npwp cue
    ("NPWP saya 3174011508900001", ["3174011508900001"]),
    ("npwp: 3174 0115 0890 0001", ["3174 0115 0890 0001"]),
    ("3174011508900001", []),
    # invalid structure and look-alikes
    ("01.234.567.8-901.2345", []),  # one digit too many
    ("1.234.567.8-901.234", []),  # one digit short
    ("npwp 12345678901234", []),  # 14 digits
    ("npwp 12345678901234567", []),  # 17 digits
    ("Rp 12.345.678", []),
]


@pytest.mark.parametrize("text, expected", NPWP_CASES)
def test_npwp(npwp, text, expected):
    assert detected(npwp, text) == expected


# --- ID_BPJS --------------------------------------------------------------------------------

BPJS_CASES = [
    ("bpjs 0001234567890", ["0001234567890"]),
    ("no BPJS Kesehatan saya 0001234567890", ["0001234567890"]),
    ("kartu KIS 0001234567890", ["0001234567890"]),
    ("nomor peserta JKN-KIS: 0001 2345 6789 0", ["0001 2345 6789 0"]),
    ("jkn 1234567890123", ["1234567890123"]),
    ("BPJS: 0001-2345-6789-0", ["0001-2345-6789-0"]),
    # without context, only the 000 prefix that BPJS cards carry is enough
    ("0001234567890", ["0001234567890"]),
    ("no bjps sy 0006 1939 7453 3", ["0006 1939 7453 3"]),
    ("1234567890123", []),
    ("nomor 1234567890123", []),
    # wrong length
    ("bpjs 000123456789", []),  # 12 digits
    ("bpjs 00012345678901", []),  # 14 digits
    # the cue belongs to a nearer, different number
    ("bpjs sudah aktif, rekening 1234567890123", []),
]


@pytest.mark.parametrize("text, expected", BPJS_CASES)
def test_bpjs(bpjs, text, expected):
    assert detected(bpjs, text) == expected


# --- ID_PASSPORT ----------------------------------------------------------------------------

PASSPORT_CASES = [
    ("paspor B1234567", ["B1234567"]),
    ("passport number: X 123456", ["X 123456"]),
    ("paspor saya a b 1234567", ["a b 1234567"]),
    ("nomor paspor AB1234567", ["AB1234567"]),
    ("passport number yeah it's c 5406468", ["c 5406468"]),  # not "s c 5406468"
    # other countries' layouts, right after the cue
    ("PASSPORT 746111355, PHONE +886997375448", ["746111355"]),
    ("passport LH0AVTDR8, phone", ["LH0AVTDR8"]),
    ("Passport no: P5397880J Nationality: Filipino", ["P5397880J"]),
    ("passport saya hilang kemarin", []),
    ("paspsort no c5696262 buat booking", ["c5696262"]),  # typo in the cue
    ("passport number and full name please. Customer: X3790347 - Cakrawangsa", ["X3790347"]),
    ("my passport, after renewal, the new one is C4358865. Booking ref", ["C4358865"]),
    ("Nationality: Malaysian • Passport No.: K3943490A", ["K3943490A"]),
    ("passport number? [16:21] you: it's NSU559708", ["NSU559708"]),
    ("passport saya hilang, booking ref ABC123456 ya", []),
    ("passport expired 2019, renewing now", []),
    ("passport no. C 1234567 ya", ["C 1234567"]),
    ("my passport is e12345678", ["e12345678"]),
    # no cue
    ("B1234567", []),
    ("kode booking B1234567", []),
    # look-alikes
    ("nomor paspor A1", []),
    ("paspor B1234", []),  # too short for any passport
    ("passport renewal costs 350000", []),  # not the first thing after the cue
    # not Indonesian layouts, but right after the cue they are someone's passport number
    ("paspor B12345", ["B12345"]),
    ("passport X123456789", ["X123456789"]),
    ("passport 1234567", ["1234567"]),
    ("paspor ABC1234567", ["ABC1234567"]),
]


@pytest.mark.parametrize("text, expected", PASSPORT_CASES)
def test_passport(passport, text, expected):
    assert detected(passport, text) == expected
