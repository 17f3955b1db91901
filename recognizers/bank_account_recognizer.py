"""Bank account numbers: 8-16 digits next to an account cue or an Indonesian bank's name."""
from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer, digits_regex

BANK_NAMES = [
    "bca", "bri", "bni", "mandiri", "cimb", "cimb niaga", "niaga", "bsi", "btn", "permata",
    "danamon", "ocbc", "ocbc nisp", "maybank", "panin", "mega", "btpn", "jenius", "jago",
    "bank jago", "seabank", "bank", "bjb", "bpd", "muamalat", "sinarmas", "uob", "hsbc",
    "citibank", "dbs", "permatabank", "brimo", "livin", "mybca", "klikbca", "wondr", "octo",
    "digibank", "blu", "line bank", "neobank", "allo bank",
]
# Round amounts: "25.000.000" (thousands grouped with dots) or "25000000". Other dotted
# groups ("430.258.048.298") are account numbers; an exact amount has "Rp" before it, a
# competing cue.
_MONEY = re.compile(r"\d{1,3}(?:\.\d{3})*\.000|\d+0000")


class BankAccountRecognizer(ContextPatternRecognizer):
    ENTITY = "BANK_ACCOUNT"
    PATTERNS = [Pattern("Account number (8-16 digits)", digits_regex(8, 16), 0.2)]
    CONTEXT = [
        "rekening", "rek", "no rek", "norek", "no. rek", "nomor rekening", "rekeningnya",
        "account", "acct", "acc", "a/c", "a.c", "account number", "transfer ke", "tf ke",
        "ditransfer", *BANK_NAMES,
    ]
    # Asked for in one turn, answered in the next, often after the name: the first number
    # after the cue is the account.
    CONTEXT_BEFORE = 100
    CONTEXT_AFTER = 20
    CONTEXT_BOOST = 0.6
    FIRST_NUMBER_ONLY = True
    COMPETING_CONTEXT = [
        "hp", "telp", "wa", "whatsapp", "nik", "ktp", "kk", "npwp", "bpjs", "kartu", "card", "cvv",
        "rp", "idr", "harga", "total", "saldo", "tiket", "ticket", "order", "pesanan", "resi",
        "invoice", "booking", "transaksi", "referensi", "reference", "otp", "pin", "kode",
    ]

    def invalidate_result(self, pattern_text: str) -> bool:
        return bool(_MONEY.fullmatch(pattern_text))
