"""Numbers sent in pieces, with speaker labels and timestamps between the pieces."""
from __future__ import annotations

import pytest

from recognizers.split_number_recognizer import SplitNumberRecognizer


def detected(text: str) -> list[tuple[str, str]]:
    recognizer = SplitNumberRecognizer()
    return [(r.entity_type, text[r.start : r.end])
            for r in recognizer.analyze(text, recognizer.supported_entities)]


CARD = [("CREDIT_CARD", piece) for piece in ("4431", "9849", "1061", "7014")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Customer: 4431 9849 Customer: 1061 7014 Agent: ok", CARD),
        ("[15:08] Pelanggan: 4431 9849\n[15:09] Pelanggan: 1061 7014", CARD),
        ("nomor kartunya? Nasabah: 4431 9849 😊 Nasabah: 1061 7014", CARD),
        ("4431-9849 eh 1061-7014", [("CREDIT_CARD", "4431-9849"), ("CREDIT_CARD", "1061-7014")]),
        ("Pelanggan: 0896 Pelanggan: 2896-1600 Pelanggan: ok",
         [("PHONE_NUMBER", "0896"), ("PHONE_NUMBER", "2896-1600")]),
        ("nik 317405\n450990\n0003", [("ID_NIK", "317405"), ("ID_NIK", "450990"), ("ID_NIK", "0003")]),
        # pieces that join into nothing valid
        ("Customer: 1 Customer: 2 Customer: 3", []),
        ("Customer: 4431 9849 Customer: 1061 7015", []),  # Luhn fails
        ("harga 150 000, total 2 item", []),
        # timestamps and dates between or around the pieces are not digits of the number
        ("[10/03/26 15.49] Rina: 0812 [10/03/26 15.50] Rina: 3456 7890",
         [("PHONE_NUMBER", "0812"), ("PHONE_NUMBER", "3456"), ("PHONE_NUMBER", "7890")]),
        # a form with several labels is no chat, and codes are no pieces
        ("Order No: TKL-2505-315914 Bank: BRI Account No: 123", []),
        # a real sentence between the pieces breaks the chain
        ("kode 0812 sudah saya kirim tadi pagi ke alamat 3456 7890", []),
    ],
)
def test_split_numbers(text, expected):
    assert detected(text) == expected
