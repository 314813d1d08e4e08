"""The shared tokenisation: sentences and words of a document's prose, with their places in the file."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from lint.document import Document, ProseField
from lint.positions import MappedText
from lint.tokens import _ABBREVIATIONS, _split, sentences, word_texts, words_of

from .conftest import FIXTURES


def test_sentences_split_on_punctuation_paragraphs_and_headings() -> None:
    doc = Document.from_bytes("a.txt", b"Overview\n\nDr. Smith saw e.g. anemia. It is common!\nNext line here.\n")
    assert [s.text for s in sentences(doc)] == [
        "Overview", "Dr. Smith saw e.g. anemia.", "It is common!", "Next line here."]


def test_a_hand_wrapped_sentence_is_one_sentence_and_list_items_and_headings_stay_apart() -> None:
    """Prose wrapped at 72 columns was a sentence per line: long sentences went unseen, phrases across a line
    break too. A line break wraps when the line before ends in a lowercase letter or a comma and the next line
    starts with one, and no markup was removed at either line's start."""
    page = b"Anemia is a lack of red\nblood cells, and it causes\nfatigue (tiredness).\nOverview\nNext line\n"
    assert [s.text for s in sentences(Document.from_bytes("a.txt", page))] == [
        "Anemia is a lack of red\nblood cells, and it causes\nfatigue (tiredness).", "Overview", "Next line"]
    assert [s.text for s in sentences(Document.from_bytes("a.txt", b"It is low in vitamin\n(B12) levels.\n"))] == [
        "It is low in vitamin\n(B12) levels."]
    body = (b"---\ntitle: x\n---\nSymptoms include\n- fatigue\n- fever\n\n## causes of anemia\niron is low in\n"
            b"> quoted text\n")
    assert [s.text for s in sentences(Document.from_bytes("a.md", body)) if s.field.name == "body"] == [
        "Symptoms include", "fatigue", "fever", "causes of anemia", "iron is low in", "quoted text"]


def test_a_markdown_paragraph_reads_on_across_its_lines_whatever_the_next_line_starts_with() -> None:
    """CommonMark renders a paragraph's lines as one: in a markdown body a wrapped line before a capital or a
    digit does not end the sentence (it does in a text page, whose headings and menu lines have no markup). A
    hard line break (two spaces), a setext underline, a heading or a list item still end it."""
    text = (b"Anemia is treated with\nChemotherapy in\n2019 and\n(rarely) with surgery.\nSee a doctor  \n"
            b"Mayo Clinic\nTitle\n=====\n## Causes\nIron is low\n- Fever\n")
    assert [s.text for s in sentences(Document.from_bytes("a.md", text))] == [
        "Anemia is treated with\nChemotherapy in\n2019 and\n(rarely) with surgery.", "See a doctor",
        "Mayo Clinic\nTitle", "Causes", "Iron is low", "Fever"]
    assert [s.text for s in sentences(Document.from_bytes("a.txt", text))][:3] == [
        "Anemia is treated with", "Chemotherapy in", "2019 and\n(rarely) with surgery."]
    assert [s.text for s in sentences(Document.from_bytes("a.markdown", b"---\nanswer: x\n---\nA wrapped\nLine\n"))
            if s.field.name == "body"] == ["A wrapped\nLine"]


def test_chinese_and_japanese_full_stops_end_sentences_without_a_space() -> None:
    doc = Document.from_bytes("a.txt", "白血病是一种癌症。它影响血液！「骨髄」です？次".encode())
    assert [s.text for s in sentences(doc)] == ["白血病是一种癌症。", "它影响血液！", "「骨髄」です？", "次"]


def test_sentence_positions_map_into_folded_yaml() -> None:
    path = FIXTURES / "how-does-organ-infiltration-present-in-leukemia.md"
    doc = Document.from_bytes(path.name, path.read_bytes())
    target = next(s for s in sentences(doc) if s.text.startswith("Hereâ€™s how"))
    start, _ = target.file_span()
    position = doc.lines.position(start)
    assert (position.line, position.column) == (21, 252)
    word = target.words[0]
    assert word.text == "Hereâ"  # the mojibake splits the word: a job for the encoding rules
    _, word_end = target.field.text.file_span(word.start, word.end)
    assert doc.lines.position(word_end - 1).column == 256


_PROSE_PIECES = ["Dr.", " ", "\n", "\n\n", "e.g.", "word", "don’t", "well-being", "end.", "Yes!", "“Quote.”", " \n ",
                 "U.S.", "(see 1.5 mg)", "a.", "é", "’", "'", "-", "…", "Ha?!", "\t", "x_y", "3rd"]


@given(st.lists(st.sampled_from(_PROSE_PIECES), max_size=30))
def test_each_word_of_the_text_is_in_one_sentence_with_its_offsets(pieces: list[str]) -> None:
    text = "".join(pieces)
    doc = Document.from_bytes("a.txt", text.encode())
    for field in doc.prose:
        found = [s for s in sentences(doc) if s.field is field]
        assert [w for s in found for w in s.words] == words_of(field.text.text)
        assert [w for s in found for w in s.texts] == word_texts(field.text.text)
        assert all(s.texts == tuple(w.text for w in s.words) for s in found)


# The splitter as first written: sentence ends found by a simpler regex, each full stop then checked in Python
# for an abbreviation before it (and each line break for a hand-wrapped line), and each piece's words found on
# their own. The shared splitter must cut the same sentences, with the same words.
_REFERENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|[。！？]+[」』）]*|\n\s*\n|\n(?=\s*\S)")
_REFERENCE_WORD_BEFORE_DOT = re.compile(r"([A-Za-z.]+)\Z")  # (with "$", "a\n. b" was no end)


def _reference_split(text: str, markdown: bool) -> list[tuple[int, int, tuple[str, ...]]]:
    found: list[tuple[int, int, tuple[str, ...]]] = []

    def add(start: int, end: int) -> None:
        chunk = text[start:end]
        words = word_texts(chunk)
        if words:
            start += len(chunk) - len(chunk.lstrip())
            found.append((start, start + len(chunk.strip()), tuple(words)))

    start = 0
    for match in _REFERENCE_END.finditer(text):
        line, after = text[start : match.start()], text[match.end() :].lstrip(" \t")
        before = line.rstrip(" \t\r")
        if match.group() == "\n" and before and after and (
                (not markdown and (before[-1].islower() or before[-1] == ",") and (after[0].islower()
                                                                                   or after[0] == "("))
                or (markdown and not line.rstrip("\r").endswith("  ")
                    and (before[-1].isalnum() or before[-1] in ",;:)]%'\"’”")
                    and (after[0].isalnum() or after[0] in "([\"“'‘"))):
            continue  # a line break inside a sentence wrapped by hand (in a markdown paragraph: any that reads on)
        if match.group().startswith("."):
            word = _REFERENCE_WORD_BEFORE_DOT.search(text, max(0, match.start() - 12), match.start())
            token = word.group(1).lower().rstrip(".") if word else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        add(start, match.end())
        start = match.end()
    add(start, len(text))
    return found


_SPLIT_PIECES = [*_PROSE_PIECES, "。", "！", "？", "」", "白血病",
                 "etc.", "Etc..", "x.dr.", "DR.", "Mrs.", "i.e.", "I.E.", "K.", "\u212a.", "ſt.",
                 "no.", "No.!", "abc.def.", "approx.", ".", "..", "?", ")", "”", " ", " ", "\n", "\u2028", "a", "Z"]


@given(st.lists(st.sampled_from(_SPLIT_PIECES), max_size=40), st.booleans())
def test_sentences_are_those_of_the_reference_splitter(pieces: list[str], markdown: bool) -> None:
    text = "".join(pieces)
    field = ProseField("body", MappedText.slice_of(text, 0, len(text)), markdown)
    assert [(s.start, s.end, s.texts) for s in _split(field)] == _reference_split(text, markdown)


@given(st.text(alphabet=st.sampled_from([*"ab_Z9 '’-.\n", "é", "ß", "٣", "\u0301", "‿", "·"]), max_size=40))
def test_words_are_those_of_the_one_word_regex(text: str) -> None:
    # Texts without "_" are tokenised by a faster regex (\w for [^\W_]); both must give the same words
    words = re.findall(r"[^\W_]+(?:[’'\-][^\W_]+)*", text)
    assert word_texts(text) == words
    assert [w.text for w in words_of(text)] == words
    field = ProseField("body", MappedText.slice_of(text, 0, len(text)))
    assert [w for s in _split(field) for w in s.texts] == words


@given(st.lists(st.sampled_from(["Dr.", " ", "\n", "\n\n", "e.g.", "white", "platelets", "don’t", "well-being", "end.",
                                 "Yes!", "“Quote.”", "U.S.", "(1.5 mg)", "a.", "é", "’", "'", "-", "…", "x_y", ",",
                                 "3rd", "\t", "Ha?!", "strong growths"]), max_size=30))
def test_a_sentences_words_are_the_fields_words_in_its_span(pieces: list[str]) -> None:
    """Sentence.words tokenises the sentence's own text (rules ask for a few sentences' offsets): the same
    Tokens as tokenising its whole field, since no word spans a sentence's bounds."""
    doc = Document.from_bytes("a.txt", "".join(pieces).encode())
    for sentence in sentences(doc):
        field_words = words_of(sentence.field.text.text)
        assert list(sentence.words) == [w for w in field_words if sentence.start <= w.start and w.end <= sentence.end]
        assert [w.text for w in sentence.words] == list(sentence.texts)
