"""The document model: decoding, front-matter splitting, prose extraction."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lint import prose
from lint.document import Document, ProseOptions


def test_bom_and_crlf_are_accepted() -> None:
    doc = Document.from_bytes("a.md", b"\xef\xbb\xbf---\r\ntitle: Hi\r\n---\r\nBody text.\r\n")
    assert doc.has_bom
    assert doc.data == {"title": "Hi"}
    assert doc.body.text.strip() == "Body text."


def test_invalid_utf8_becomes_replacement_characters_with_byte_offsets() -> None:
    doc = Document.from_bytes("a.txt", "héllo\n".encode() + b"x\xff\xfey")
    assert doc.text == "héllo\nx\ufffd\ufffdy"
    (error,) = doc.decode_errors
    assert (error.offset, error.length, error.byte_offset, error.data) == (7, 2, 8, b"\xff\xfe")


def test_front_matter_not_closed_is_reported_not_parsed() -> None:
    doc = Document.from_bytes("a.md", b"---\ntitle: x\nno closing fence\n")
    assert doc.front_matter is not None
    assert not doc.front_matter.block.closed


def test_malformed_yaml_keeps_yaml_line_and_column() -> None:
    doc = Document.from_bytes("a.md", b"---\ntitle: ok\nanswer: [unclosed\n---\n")
    fm = doc.front_matter
    assert fm is not None and fm.problem is not None
    assert doc.lines.position(fm.problem.offset).line >= 3


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    doc = Document.from_bytes("bomb.md", ("---\n" + "\n".join(lines) + "\n---\n").encode())
    fm = doc.front_matter
    assert fm is not None and fm.problem is not None
    assert "alias" in fm.problem.message


def test_python_tags_are_not_constructed() -> None:
    doc = Document.from_bytes("a.md", b"---\nx: !!python/object/apply:os.system ['echo hi']\n---\n")
    fm = doc.front_matter
    assert fm is not None and fm.problem is not None
    assert "python/object" in fm.problem.message


def test_prose_drops_markup_and_honours_paragraph_escape() -> None:
    text = ("---\ntitle: T\nanswer: >-\n    Intro text.\\n\\n1. **Bold item**: see [the guide](https://x.org/a) "
            "at https://example.com now.\n---\n&nbsp;\n")
    doc = Document.from_bytes("a.md", text.encode(), prose_options=ProseOptions(fields=("answer",)))
    (answer,) = doc.prose
    assert answer.text.text == "Intro text.\n\nBold item: see the guide at  now."
    # "Bold" still maps to its place in the file
    offset = answer.text.offsets[answer.text.text.index("Bold")]
    assert text[offset:].startswith("Bold item")


def test_plain_text_is_all_prose() -> None:
    doc = Document.from_bytes("a.txt", b"Continue to content\n\nLeukemia is a cancer.[1]\n")
    (body,) = doc.prose
    assert body.name == "body"
    assert body.text.text == "Continue to content\n\nLeukemia is a cancer.\n"


_MARKUP_PIECES = ["text ", "\n", "# ", "- ", "1. ", "> ", "**", "_", "*", "`code`", "```\nx\n```", "<b>", "</b>",
                  "<!-- c -->", "[link](u)", "![alt](i.png)", "[1]", "https://x.org/a", "www.x.org", "http",
                  "&amp;", "&#8217;", "|", "h", "w", "word_", " ~~~", "\n\n", "\t", " ", "+ ", "\u0663. ", "\r\n",
                  "~~~\n", "#", "12) "]


@given(st.lists(st.sampled_from(_MARKUP_PIECES), max_size=25))
def test_markup_found_from_candidate_starts_is_what_a_full_scan_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert [(m.span(), m.lastgroup) for m in prose._markup(text)] == \
           [(m.span(), m.lastgroup) for m in prose._MARKUP.finditer(text)]
