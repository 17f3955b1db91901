"""The NER model's training data: name pools and renamed copies (``ner/``, ``make model``)."""
from __future__ import annotations

import random

import pytest

from ner.augment import INDONESIAN, NameMaker
from ner.names import NamePool, corpus_pool, faker_pools
from ner.prepare import (
    TRAIN_FILES,
    international_names,
    known_words,
    renamed_copy,
    write_ordinary_indonesian_words,
)


@pytest.fixture(scope="module")
def pools():
    return faker_pools({"grace", "will"})


def test_faker_pools_span_many_locales_in_latin_script(pools):
    assert len(pools) >= 50
    names = [name for pool in pools.values() for name in pool.given + pool.family]
    assert len(names) >= 20_000
    assert all(name.isascii() and name[0].isupper() for name in names)


def test_faker_pools_leave_out_common_words(pools):
    given = {name.lower() for pool in pools.values() for name in pool.given}
    assert "grace" not in given and "will" not in given
    assert "john" in given


@pytest.mark.parametrize("spans, common, given, family", [
    ([["budi", "santoso"], ["dewi"]], set(), ["Budi", "Dewi"], ["Santoso"]),
    ([["andi", "baso", "tenri"]], set(), ["Andi"], ["Tenri"]),
    ([["pak", "joko"], ["ki", "moon"]], {"pak"}, [], ["Joko", "Moon"]),
    ([["x1", "ab"]], set(), [], []),  # digits and two-letter words are no pool names
])
def test_corpus_pool_takes_first_and_last_words(spans, common, given, family):
    assert corpus_pool(spans, common) == NamePool(given, family)


def test_name_maker_draws_from_the_pools():
    pool = NamePool(["Zorbl"], ["Quaxley"])
    maker = NameMaker(random.Random(0), {INDONESIAN: pool, "xx": pool})
    drawn = {word for _ in range(200) for word in (maker.full() + " " + maker.world()).split()}
    assert {"Zorbl", "Quaxley"} <= drawn
    assert drawn - {"Zorbl", "Quaxley"}  # and still from the lists and Faker


@pytest.mark.parametrize("words, tags", [
    (["kata", "budi", "santoso", "kemarin"], ["O", "B-PERSON", "I-PERSON", "O"]),
    (["Menurut", "Joko", ",", "Jakarta", "aman"], ["O", "B-PERSON", "O", "B-LOCATION", "O"]),
])
def test_renamed_copy_keeps_tags_aligned_and_case(words, tags):
    maker = NameMaker(random.Random(1), {INDONESIAN: NamePool(["Zorbl"], ["Quaxley"])})
    for seed in range(20):
        new_words, new_tags = renamed_copy(words, tags, maker, random.Random(seed))
        assert len(new_words) == len(new_tags)
        names = [w for w, t in zip(new_words, new_tags) if t.endswith("PERSON")]
        assert names and new_tags[new_words.index(names[0])] == "B-PERSON"
        others = [(w, t) for w, t in zip(new_words, new_tags) if not t.endswith("PERSON")]
        assert others == [(w, t) for w, t in zip(words, tags) if not t.endswith("PERSON")]
        if words[1].islower():
            assert all(name == name.lower() for name in names)


def test_foreign_names_are_written_in_latin_script():
    import regex

    maker = NameMaker(random.Random(2))
    names = [maker.world() for _ in range(400)]
    assert all(regex.fullmatch(r"[\p{Latin} .'-]+", name) for name in names), names


def test_english_negatives_are_ordinary_words_not_names(pools):
    from wordfreq import top_n_list

    from ner.prepare import english_negatives

    common = set(top_n_list("en", 20_000))
    sentences = list(english_negatives(200, random.Random(0), common))
    words = {word.lower() for sentence in sentences for word in sentence if word != "."}
    names = {name.lower() for pool in faker_pools(set()).values()
             for name in pool.given + pool.family}
    assert len(words) > 1000
    assert not words & names


def test_ordinary_words_leave_out_what_the_news_uses_in_names(tmp_path):
    news = ("kata\tO\nbudi\tB-PPL\nsantoso\tI-PPL\ndi\tO\nsidang\tO\n\n"
            "sidang\tO\nbudi\tB-PPL\nkemarin\tO\n\n")
    for name in TRAIN_FILES:
        (tmp_path / name).write_text(news, encoding="utf-8")
    out = tmp_path / "words.txt"
    write_ordinary_indonesian_words(tmp_path, out)
    words = out.read_text(encoding="utf-8").split("\n")[:-1]
    assert words == sorted(words) and all(word.isalpha() for word in words)
    assert {"sidang", "kemarin", "rumah"} <= set(words)  # news words, and frequent ones
    assert not {"budi", "santoso"} & set(words)  # names in the news
    assert not {"andreas", "regina", "brandon"} & set(words)  # given names of many countries


def test_international_names_are_no_frequent_words():
    names = international_names()
    assert {"andreas", "regina", "brandon", "lia"} <= names
    assert not {"dana", "june", "tim", "edit", "mika"} & names  # words first


def test_known_words_are_frequent_english_and_indonesian_words_but_no_names():
    words = known_words()
    assert {"bluetooth", "transfer", "rekening", "kemarin", "weather"} <= words
    assert not {"andreas", "regina", "sessegnon", "haftar"} & words
