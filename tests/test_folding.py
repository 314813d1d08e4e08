"""rules._folding: substring tests in lower-cased text stand exactly for case-insensitive regex matches."""

from __future__ import annotations

import re
import string

from hypothesis import given
from hypothesis import strategies as st

from rules import _folding
from rules._folding import Vocabulary, foldable, required_literals


def test_the_odd_characters_are_all_that_ignorecase_matches_with_ascii_letters_unlike_lower() -> None:
    everything = "".join(chr(c) for c in range(128, 0x110000) if not 0xD800 <= c < 0xE000)
    matched = {m.group() for m in re.finditer("[a-z]", everything, re.IGNORECASE)}
    assert {c for c in matched if not c.lower().isascii()} == set(_folding._IGNORECASE_ODD)


_PIECES = ["a", "b", "A", "K", "\u212a", "k", "ß", "ſ", "ı", "İ", "µ", "ς", " ", "é", "ǅ", "ﬁ", "s", "i"]


@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.text(string.ascii_letters, min_size=1, max_size=3))
def test_a_word_is_in_the_folded_text_exactly_where_the_regex_matches(pieces: list[str], word: str) -> None:
    text = "".join(pieces)
    folded = foldable(text)
    if folded is None:
        return
    assert len(folded) == len(text)
    for at in range(len(text)):
        regex = re.compile(re.escape(word), re.IGNORECASE).match(text, at) is not None
        assert regex == folded.startswith(word.lower(), at)
        assert (text[at : at + len(word)].casefold() == word.casefold()) == folded.startswith(word.lower(), at)


def test_texts_that_fold_their_own_way_are_not_foldable() -> None:
    assert foldable("Straße") is None and foldable("ſkip") is None and foldable("İstanbul") is None
    assert foldable("Ménière, 5 µg, Σίσυφος") == "ménière, 5 µg, σίσυφος"


def test_required_literals_are_the_literal_runs_every_match_holds() -> None:
    assert required_literals(r"(?:please )?(?:upgrade|update) (?:to a |your )browser") == ["up", " ", "browser"]
    assert required_literals(r"search for [\w-]+ here") == ["search for ", " here"]
    assert required_literals(r"(?x) a b") == ["ab"]
    assert required_literals(r"\w+|x") == []


def test_vocabulary_finds_the_long_words_a_text_holds_and_assumes_the_short_ones() -> None:
    vocabulary = Vocabulary(["browser", "cookies", "to", "the", "page"])
    assert vocabulary.present("please update your browser today") == {"browser", "to", "the"}
    assert vocabulary.present("a pagecookies") == {"page", "cookies", "to", "the"}  # substrings, overlapping
    assert Vocabulary(["to"]).present("nothing") == {"to"}
    assert Vocabulary([]).present("anything") == set()
