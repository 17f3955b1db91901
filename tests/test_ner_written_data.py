"""Hand-written NER training lines (``ner/written/``): labels found, names swapped, data valid."""
from __future__ import annotations

import json
import random

import pytest

from ner import written
from ner.augment import INDONESIAN, NameMaker
from ner.names import NamePool


@pytest.mark.parametrize("row, expected", [
    ({"text": "a.n. Budi Santoso, tf ke BCA", "people": ["Budi Santoso"], "orgs": ["BCA"]},
     [("Budi Santoso", "PERSON"), ("BCA", "ORGANIZATION")]),
    # every mention, whole words only: not the "dewi" inside "dewinta"
    ({"text": "dewi / iya / dewi aja, bukan dewinta", "people": ["dewi"]},
     [("dewi", "PERSON"), ("dewi", "PERSON")]),
    # the longer of two overlapping labels: a hospital named after a person is no person
    ({"text": "kontrol di RSUP Dr. Sardjito sama dr Sardjito Wibowo",
      "people": ["Sardjito", "Sardjito Wibowo"], "orgs": ["RSUP Dr. Sardjito"]},
     [("RSUP Dr. Sardjito", "ORGANIZATION"), ("Sardjito Wibowo", "PERSON")]),
    ({"text": "kirim ke Jl. Gatot Subroto no 5", "places": ["Jl. Gatot Subroto"], "people": []},
     [("Jl. Gatot Subroto", "LOCATION")]),
])
def test_labelled_spans(row, expected):
    spans = written.labelled_spans(row)
    assert [(row["text"][start:end], label) for start, end, label in spans] == expected


@pytest.mark.parametrize("text, name", [
    ("halo pak budi santoso ya / iya", "budi santoso"),
    ("A.N. BUDI SANTOSO, ke BCA", "BUDI SANTOSO"),
    ("Salam, Budi Santoso (BCA)", "Budi Santoso"),
])
def test_renamed_lines_keep_labels_aligned_and_case(text, name):
    start = text.index(name)
    org = text.find("BCA")
    spans = [(start, start + len(name), "PERSON")]
    spans = sorted(spans + ([(org, org + 3, "ORGANIZATION")] if org >= 0 else []))
    maker = NameMaker(random.Random(1), {INDONESIAN: NamePool(["Zorbl"], ["Quaxley"])})
    for seed in range(10):
        new_text, new_spans = written.renamed((text, spans), maker, random.Random(seed))
        labelled = {label: new_text[s:e] for s, e, label in new_spans}
        assert labelled["PERSON"] != name
        assert labelled.get("ORGANIZATION", "BCA") == "BCA"
        assert new_text.replace(labelled["PERSON"], name) == text
        if name.islower():
            assert labelled["PERSON"].islower()
        if name.isupper():
            assert labelled["PERSON"].isupper()


def test_every_tenth_line_of_each_file_is_dev(tmp_path):
    lines = [json.dumps({"text": f"line {i}", "people": []}) for i in range(25)]
    (tmp_path / "a.jsonl").write_text("\n".join(lines), "utf-8")
    (tmp_path / "b.jsonl").write_text("\n".join(lines[:5]), "utf-8")
    dev = [example[0] for is_dev, example in written.read(tmp_path) if is_dev]
    assert dev == ["line 0", "line 10", "line 20", "line 0"]


def test_the_written_data_names_people_and_look_alikes():
    rows = list(written.rows())
    naming = sum(bool(row["people"]) for *_, row in rows)
    assert len(rows) >= 1000
    assert len(rows) / 2 <= naming < len(rows) * 0.9  # and lines that name nobody


def test_every_listed_string_stands_in_its_line_as_whole_words():
    def found(text: str, key: str, value: str) -> bool:
        spans = written.labelled_spans({"text": text, key: [value]})
        return value in {text[start:end] for start, end, _ in spans}

    missing = [f"{name}:{number + 1} {key}" for name, number, row in written.rows()
               for key in written.LABELS for value in row.get(key, [])
               if not found(row["text"], key, value)]
    assert not missing
