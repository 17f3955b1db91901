"""Payment data: card number, CVV, expiry and bank account recognizers.

Each table holds (text, expected span texts); "detected" means a result scored at or above
the engine's 0.5 threshold.
"""
from __future__ import annotations

import pytest

from recognizers.bank_account_recognizer import BankAccountRecognizer
from recognizers.card_cvv_recognizer import CardCvvRecognizer
from recognizers.card_expiry_recognizer import CardExpiryRecognizer
from recognizers.credit_card_recognizer import CreditCardRecognizer
from tests.support import detected, detected_results


def detected_starts(recognizer, text: str) -> list[int]:
    return [r.start for r in detected_results(recognizer, text)]


@pytest.fixture(scope="module")
def card():
    return CreditCardRecognizer()


@pytest.fixture(scope="module")
def cvv():
    return CardCvvRecognizer()


@pytest.fixture(scope="module")
def expiry():
    return CardExpiryRecognizer()


@pytest.fixture(scope="module")
def account():
    return BankAccountRecognizer()


# --- CREDIT_CARD ----------------------------------------------------------------------------

CARD_CASES = [
    # Luhn-valid, known issuers, no context
    ("4532015112830366", ["4532015112830366"]),  # Visa 16
    ("4012888888881", ["4012888888881"]),  # Visa 13
    ("4222222222222222224", ["4222222222222222224"]),  # Visa 19
    ("5555555555554444", ["5555555555554444"]),  # Mastercard 5x
    ("2221000000000009", ["2221000000000009"]),  # Mastercard 2-series
    ("378282246310005", ["378282246310005"]),  # Amex 15
    ("3530111333300000", ["3530111333300000"]),  # JCB
    ("36227206271667", ["36227206271667"]),  # Diners 14
    ("6011000000000004", ["6011000000000004"]),  # Discover
    # any grouping
    ("4532 0151 1283 0366", ["4532 0151 1283 0366"]),
    ("4532-0151-1283-0366", ["4532-0151-1283-0366"]),
    ("4532.0151.1283.0366", ["4532.0151.1283.0366"]),
    ("5555 5555 5555 4444", ["5555 5555 5555 4444"]),
    ("3782 822463 10005", ["3782 822463 10005"]),  # Amex 4-6-5
    ("3782-822463-10005", ["3782-822463-10005"]),
    # with context
    ("kartu kredit saya 4532 0151 1283 0366", ["4532 0151 1283 0366"]),
    ("card number: 4532-0151-1283-0366", ["4532-0151-1283-0366"]),
    ("amex 3782 822463 10005", ["3782 822463 10005"]),
    ("JCB 3530 1113 3330 0000", ["3530 1113 3330 0000"]),
    ("nomor kartu 4532015112830366, cvv 123", ["4532015112830366"]),
    # Luhn-invalid
    ("4532015112830367", []),
    ("kartu kredit 5555 5555 5555 4445", []),
    ("amex 3782 822463 10006", []),
    # Luhn-valid but no known issuer prefix
    ("9000000000000001", []),
    ("0123456789012347", []),
    ("1000000000000008", []),
    ("card 7000 0000 0000 0005", []),
    # wrong length (Luhn-valid)
    ("401288888886", []),  # 12 digits
    ("40000000000000000002", []),  # 20 digits
    # glued into a longer digit run by dashes or dots
    ("12-4532015112830366", []),
    ("4532015112830366-12", []),
    ("4532-0151-1283-0366-12", []),
    ("99-4532-0151-1283-0366", []),
    ("4532.0151.1283.0366.1", []),
    # a NIK from Jawa Timur (35…) that happens to pass Luhn looks like a JCB card
    ("nik 3578011508900001", []),
    ("pesanan aku 438763782736040 udah dikirim blm?", []),  # an order number, Luhn by chance
]


@pytest.mark.parametrize("text, expected", CARD_CASES)
def test_credit_card(card, text, expected):
    assert detected(card, text) == expected


# --- CARD_CVV and CARD_EXPIRY ---------------------------------------------------------------

CVV_CASES = [
    ("cvv 123", ["123"]),
    ("cvc: 4321", ["4321"]),
    ("kode keamanan 123", ["123"]),
    ("CVV saya 987 ya", ["987"]),
    ("kode cvv nya 456", ["456"]),
    ("angka di belakang kartu 789", ["789"]),
    ("security code is 0421", ["0421"]),
    ("cvv 123 exp 0927", ["123"]),
    ("exp 0927 cvv 123", ["123"]),
    ("exp 09/27 cvc 321", ["321"]),
    # no cue
    ("123", []),
    ("tolong kirim 123 ke saya", []),
    ("exp 0927", []),
    # prices and times near no cue
    ("harga 250 ribu", []),
    ("Rp 12.500", []),
    ("jam 1230", []),
    ("pukul 09.30", []),
    # wrong length
    ("cvv 12", []),
    ("cvv 12345", []),
    ("cvv 1 2 3 4 5", []),
    # a second number in the cue's window is taken for a CVV too
    ("cvv nya 123 ya kak, total 250", ["123"]),
    # an answer at the start of its line is read with the whole turn before it
    ("agent: CVV itu 3 angka di belakang kartu kak. Tapi jangan dikirim ke sini ya\n"
     "customer: oh yg 731 itu ya?", ["731"]),
    ("agent: CVV itu 3 angka di belakang kartu kak. Tapi jangan dikirim ke sini ya\n"
     "customer: oke kak, nanti saya masukkan sendiri di web, totalnya 250 ya", []),
]

EXPIRY_CASES = [
    ("exp 09/27", ["09/27"]),
    ("berlaku sampai 12/2027", ["12/2027"]),
    ("masa berlaku 0927", ["0927"]),
    ("valid thru 1/28", ["1/28"]),
    ("exp date: 12/27", ["12/27"]),
    ("expired 09-2027", ["09-2027"]),
    ("berlaku hingga 09 / 27", ["09 / 27"]),
    ("tgl exp 0128", ["0128"]),
    ("kadaluarsa 03/29", ["03/29"]),
    ("cvv 123 exp 0927", ["0927"]),
    ("exp 0927 cvv 123", ["0927"]),
    # no cue
    ("09/27", []),
    ("0927", []),
    ("cvv 1225", []),
    # prices and times near no cue
    ("harga 12.500", []),
    ("jam 09.30", []),
    ("Rp 1.250", []),
    ("tanggal 12/05/2024", []),
    # month 13 / 00
    ("exp 13/27", []),
    ("masa berlaku 1327", []),
    ("exp 00/27", []),
    # a time right after "berlaku sampai" reads as MM.YY
    ("promo berlaku sampai jam 10.30", []),
]


@pytest.mark.parametrize("text, expected", CVV_CASES)
def test_cvv(cvv, text, expected):
    assert detected(cvv, text) == expected


@pytest.mark.parametrize("text, expected", EXPIRY_CASES)
def test_expiry(expiry, text, expected):
    assert detected(expiry, text) == expected


@pytest.mark.parametrize(
    "text, cvv_spans, expiry_spans",
    [
        ("cvv 123 exp 0927", ["123"], ["0927"]),
        ("exp 0927 cvv 123", ["123"], ["0927"]),
        ("cvc 4321, valid thru 12/28", ["4321"], ["12/28"]),
        ("masa berlaku 1226 kode keamanan 1226", ["1226"], ["1226"]),
        # both asked for together, answered in order, timestamps in between
        ("masa berlaku dan CVV? Pelanggan: 09/28, 145 atuh", ["145"], ["09/28"]),
        ("expiry and CVV? [12:08] Customer: 04/30 and 352", ["352"], ["04/30"]),
        ("exp 12/27 [10:02] total 150", [], ["12/27"]),
        # cues typed in a hurry: a letter too many or too few
        ("securitty code nya 734 kak, masa beerlaku 06/32", ["734"], ["06/32"]),
        ("kode keamnan 123", ["123"], []),
        ("the security uh code on the back 030 thank you", ["030"], []),
        ("berlaku sampai bulan 2 tahun 26 dan cvv", [], ["bulan 2 tahun 26"]),
        # but a different word one letter away is no cue: "berlalu" (passed)
        ("sudah berlalu 12/27", [], []),
    ],
)
def test_cvv_and_expiry_not_swapped(cvv, expiry, text, cvv_spans, expiry_spans):
    assert detected(cvv, text) == cvv_spans
    assert detected(expiry, text) == expiry_spans
    # each number goes to its nearest cue: no position is reported as both
    assert not set(detected_starts(cvv, text)) & set(detected_starts(expiry, text))


# --- BANK_ACCOUNT ---------------------------------------------------------------------------

ACCOUNT_CASES = [
    ("rekening 1234567890", ["1234567890"]),
    ("no rek 1234567890", ["1234567890"]),
    ("no. rek: 123-456-7890", ["123-456-7890"]),
    ("norek 1234567890", ["1234567890"]),
    ("nomor rekening saya 0123 4567 89", ["0123 4567 89"]),
    ("account number 1234567890", ["1234567890"]),
    ("a.c. 1234567890", ["1234567890"]),
    ("a/c 1234567890", ["1234567890"]),
    ("rek BCA 1234567890", ["1234567890"]),
    ("transfer ke BRI 0123 0102 3456 503", ["0123 0102 3456 503"]),
    ("BNI 0123456789", ["0123456789"]),
    ("Mandiri 1230004567890", ["1230004567890"]),
    ("CIMB Niaga 800123456700", ["800123456700"]),
    ("BCA a.n. Budi 1234567890", ["1234567890"]),
    # the cue after the number
    ("1234567890 (BCA)", ["1234567890"]),
    ("1234567890 a.n. Budi (BCA)", ["1234567890"]),
    # 8 and 16 digits are the bounds
    ("rekening 12345678", ["12345678"]),
    ("rekening 1234567890123456", ["1234567890123456"]),
    # no cue
    ("1234567890", []),
    ("tolong dicek 1234567890", []),
    # wrong length
    ("rekening 1234567", []),
    ("rekening 12345678901234567", []),
    # money near "rekening"
    ("rekening Rp 25.000.000", []),
    ("transfer Rp 25.000.000 ke rekening", []),
    ("kirim ke rekening 25.000.000", []),
    ("rekening saya, total Rp 25.000.000", []),
    ("bayar ke BCA jam 09.30", []),
    # a nearer cue of another entity takes the number
    ("rekening saya, hp 081234567890", []),
    # money written without dots still looks like an account number
    ("transfer 25000000 ke rekening", []),
    ("saldo rekening Rp 25.000.000", []),
    ("transfer Rp 1.234.567 ke rekening", []),
    # an account typed in dotted groups is no amount
    ("ke ocbc aja 430.258.048.298", ["430.258.048.298"]),
    ("ditransfer ke BNI 571. 792.7882. Terima kasih", ["571. 792.7882"]),
    ("BRImo 724401731933861", ["724401731933861"]),
    # asked for in one turn, answered after the name in the next
    ("nomor rekening dan nama? Pelanggan: Dwi Galih Pohan 2767035750 dwi.pohan22@x.go.id",
     ["2767035750"]),
    ("nomor rekening? [10:02] Pelanggan: tiket 12 dulu ya, 2767035750", []),  # not the first number
    # an order number with "rekening" only after it is still an order number
    ("refund untuk pesanan 16173191556 katanya ke rekening", []),
    ("refund ke 1234567890 rekening BCA ya", ["1234567890"]),
    # digits inside codes and timestamps are no accounts
    ("Refund Order No: INV/20241126/MPL/9756055590 Bank: Bank BCA", []),
    ("[22/03/24 19.34.07] RS Permata Ibu Care", []),
    ("Endah Pakpahan PermataBank (6160897493)", ["6160897493"]),
]


@pytest.mark.parametrize("text, expected", ACCOUNT_CASES)
def test_bank_account(account, text, expected):
    assert detected(account, text) == expected
