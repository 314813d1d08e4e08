"""Page-hygiene rules: scrape residue, blank lines, HTML entities and duplicate paragraphs."""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import FIXTURES, lint_json, run_cli, write

SEED_000 = "what-are-the-key-changes-in-the-bone-marrow-associated-with-leukemia-pathophysiology.md"
SEED_001 = "how-does-organ-infiltration-present-in-leukemia.md"
SEED_002 = "gard-bone-marrow-necrosis.txt"
SEED_003 = "spun-leukemia-metastasis.txt"
SEED_004 = "leukemia-overview-patient-organisations.txt"


def findings(tmp_path: Path, capsys: pytest.CaptureFixture[str], rule: str, content: str | bytes,
             name: str = "page.txt") -> list[dict[str, Any]]:
    write(tmp_path, name, content)
    _, result = lint_json(tmp_path, capsys, "--select", rule)
    found: list[dict[str, Any]] = result["findings"]
    return found


def seed(tmp_path: Path, capsys: pytest.CaptureFixture[str], rule: str, name: str) -> list[dict[str, Any]]:
    return findings(tmp_path, capsys, rule, (FIXTURES / name).read_bytes(), name)


# --- scrape residue -------------------------------------------------------------------------------------------


def test_seed_002_residue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = seed(tmp_path, capsys, "boilerplate/scrape-residue", SEED_002)
    spans = {(f["line"], f["column"], f["excerpt"]) for f in found}
    assert {(1, 1, "Your browser does not support javascript"), (1, 45, "Search for gard here"),
            (1, 65, "Search for news-and-events here"), (7, 1, "Print friendly version"),
            (15, 1, "See Disclaimer regarding information on this site"),
            (68, 1, "See Disclaimer regarding information on this site")} <= spans


def test_seed_004_residue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = seed(tmp_path, capsys, "boilerplate/scrape-residue", SEED_004)
    assert [(f["line"], f["column"], f["end_column"], f["excerpt"]) for f in found] == [
        (1, 1, 20, "Continue to content")]
    assert found[0]["fix"]["safe"] is False  # deleting a line is for --unsafe-fixes


@pytest.mark.parametrize("name", [SEED_000, SEED_001, SEED_003])
def test_articles_have_no_residue(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert seed(tmp_path, capsys, "boilerplate/scrape-residue", name) == []


RESIDUE = [
    ("Skip to main content", "Skip to main content"),
    ("Jump to navigation", "Jump to navigation"),
    ("Toggle navigation", "Toggle navigation"),
    ("You are here: Home > Conditions > Anemia", "You are here:"),
    ("Home | Conditions | Anemia", None),  # a breadcrumb with content words is left alone
    ("* Print", "Print"),
    ("Printer-friendly version", "Printer-friendly version"),
    ("Share on Facebook  Share on Twitter", "Share on Facebook"),
    ("Email this page", "Email this page"),
    ("This website uses cookies to improve your experience.", "This website uses cookies"),
    ("Accept all cookies", "Accept all cookies"),
    ("Cookie settings", "Cookie settings"),
    ("Please enable JavaScript to view this page.", "Please enable JavaScript"),
    ("Your browser does not support the video tag.", "Your browser does not support the video tag"),
    ("Was this page helpful?", "Was this page helpful"),
    ("Back to top", "Back to top"),
    ("© 2024 Example Health. All rights reserved.", "All rights reserved"),
    ("Sign up for our newsletter", "Sign up for our newsletter"),
    ("Privacy Policy | Terms of Use | Contact Us", "Privacy Policy"),  # a row of links, each residue
    ("  Home · About Us · Sitemap", "Home"),
    ("Privacy Policy | Conditions | Contact Us", None),  # a row with a content word
    ("Yes No", "Yes No"),  # the buttons under "Was this page helpful?"
]


@pytest.mark.parametrize(("line", "excerpt"), RESIDUE, ids=[r[0] for r in RESIDUE])
def test_typical_site_residue(line: str, excerpt: str | None, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    found = findings(tmp_path, capsys, "boilerplate/scrape-residue", f"Anemia\n\n{line}\n\nAnemia is common.\n")
    assert [f["excerpt"] for f in found][:1] == ([excerpt] if excerpt else [])


@pytest.mark.parametrize("prose", [
    "Most people recover at home after a transfusion.",
    "Print the food diary and bring it to your next visit.",
    "Share your worries with your doctor.",
    "Cookies and cakes are low in iron.",
    "Research for this leaflet was funded by a charity.",  # "search for ... here" must not match inside words
    "Skip meals less often; menu planning helps.",
    "Lie on your back to top up the drip.",
])
def test_ordinary_prose_is_not_residue(prose: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert findings(tmp_path, capsys, "boilerplate/scrape-residue", f"Anemia\n\n{prose}\n") == []


def test_residue_list_is_extended_in_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "contentlint.toml",
          '[rules."boilerplate/scrape-residue"]\nextend = ["[site menu]", "= back to menu", "~ rate (?:us|this)"]\n')
    found = findings(tmp_path, capsys, "boilerplate/scrape-residue",
                     "Back to menu\n\nAnemia is common. Rate us!\n")
    assert [(f["excerpt"], f["details"]["kind"]) for f in found] == [("Back to menu", "site menu"),
                                                                      ("Rate us", "site menu")]


def test_builtin_residue_can_be_switched_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "contentlint.toml", '[rules."boilerplate/scrape-residue"]\nbuiltin = false\n')
    assert findings(tmp_path, capsys, "boilerplate/scrape-residue", "Skip to main content\n") == []


def test_an_invalid_residue_pattern_is_a_configuration_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "contentlint.toml", '[rules."boilerplate/scrape-residue"]\nextend = ["~ share (on"]\n')
    write(tmp_path, "page.txt", "Anemia\n")
    code, _, err = run_cli(["check", str(tmp_path), "--root", str(tmp_path)], capsys)
    assert code == 2
    assert "extend" in err and "invalid regular expression" in err


# --- blank lines ----------------------------------------------------------------------------------------------


def test_seed_003_blank_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = seed(tmp_path, capsys, "boilerplate/blank-lines", SEED_003)
    assert [(f["line"], f["message"]) for f in found] == [
        (67, "4 blank lines in a row (at most 2)"), (70, "2 blank lines at the end of the file")]


@pytest.mark.parametrize("name", [SEED_000, SEED_001, SEED_002, SEED_004])
def test_seeds_without_excess_blank_lines(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert seed(tmp_path, capsys, "boilerplate/blank-lines", name) == []


def test_blank_line_fix_keeps_crlf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "page.txt", b"One\r\n\r\n \r\n\t\r\n\r\nTwo\r\n\r\n\r\n")
    lint_json(tmp_path, capsys, "--select", "boilerplate/blank-lines", "--fix")
    assert path.read_bytes() == b"One\r\n\r\n \r\nTwo\r\n"


def test_blank_lines_in_front_matter_and_before_the_text_are_not_counted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "---\ntitle: x\nanswer: |\n  a\n\n\n\n\n  b\n---\n\n\n\n\nText.\n"
    assert findings(tmp_path, capsys, "boilerplate/blank-lines", text, "page.md") == []


def test_max_consecutive_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "contentlint.toml", '[rules."boilerplate/blank-lines"]\nmax-consecutive = 1\n')
    found = findings(tmp_path, capsys, "boilerplate/blank-lines", "One\n\n\nTwo\n")
    assert [(f["line"], f["message"]) for f in found] == [(3, "2 blank lines in a row (at most 1)")]


# --- HTML entities --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [SEED_000, SEED_001, SEED_002, SEED_003, SEED_004])
def test_seeds_have_no_stray_entity(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert seed(tmp_path, capsys, "boilerplate/html-entity", name) == []  # incl. the lone &nbsp; convention


ENTITIES = [
    ("iron &amp; folate", "&amp;", "iron & folate", True),
    ("5&nbsp;mg", "&nbsp;", "5\xa0mg", True),
    ("it&#8217;s", "&#8217;", "it’s", True),
    ("it&#x2019;s", "&#x2019;", "it’s", True),
    ("&quot;iron&quot;", "&quot;", '"iron"', True),  # quotes are fine in a text file
    ("&lt;b&gt;", "&lt;", "&lt;b&gt;", False),  # would become a tag: left for --unsafe-fixes
    ("&amp;copy; sign", "&amp;", "&amp;copy; sign", False),  # would become an entity again
]


@pytest.mark.parametrize(("text", "entity", "fixed", "safe"), ENTITIES, ids=[e[0] for e in ENTITIES])
def test_entities_and_the_safety_of_their_fix(text: str, entity: str, fixed: str, safe: bool,
                                              tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "page.txt", f"Note: {text}\n")
    found = findings(tmp_path, capsys, "boilerplate/html-entity", f"Note: {text}\n")
    assert found[0]["excerpt"] == entity and found[0]["fix"]["safe"] is safe
    lint_json(tmp_path, capsys, "--select", "boilerplate/html-entity", "--fix")
    assert path.read_text(encoding="utf-8") == f"Note: {fixed}\n"  # the text after the safe fixes


def test_a_reference_that_names_no_character_gets_no_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # HTML decodes NUL, surrogates and numbers past U+10FFFF to U+FFFD: writing that would lose the reference
    text = "a &#0; b &#xD800; c &#1114112; d &#65533; e &#xfffd;\n"
    path = write(tmp_path, "page.txt", text)
    found = findings(tmp_path, capsys, "boilerplate/html-entity", text)
    assert [(f["excerpt"], f["fix"] is None) for f in found] == [
        ("&#0;", True), ("&#xD800;", True), ("&#1114112;", True), ("&#65533;", False), ("&#xfffd;", False)]
    lint_json(tmp_path, capsys, "--select", "boilerplate/html-entity", "--fix", "--unsafe-fixes")
    assert path.read_text(encoding="utf-8") == "a &#0; b &#xD800; c &#1114112; d \ufffd e \ufffd\n"


def test_entities_in_front_matter_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = ("---\ntitle: Iron &amp; folate\nquestion: >-\n    &amp; more &#35;1 &quot;x&quot;\n"
            "url: /a?b=1&amp;c=2\n---\n\n&nbsp;\n")
    found = findings(tmp_path, capsys, "boilerplate/html-entity", text, "page.md")
    assert [(f["line"], f["excerpt"], f["fix"]["safe"]) for f in found] == [
        (2, "&amp;", True),  # inside the value
        (4, "&amp;", False),  # at the start of a value: a YAML anchor
        (4, "&#35;", False),  # "#" could start a comment
        (4, "&quot;", False), (4, "&quot;", False),
    ]  # url is not prose; the lone &nbsp; after the front matter is the publishing convention


def test_an_unsafe_fix_in_front_matter_never_makes_it_unreadable(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # each decoded character below ended a string, or made a key, in its YAML style: --unsafe-fixes wrote it
    text = ('---\ntitle: "a &#92; b"\nquestion: x &#58; y\nanswer: \'it&#39;s\'\n'
            'seo:\n  page_description: "a &#58; b"\n---\nBody.\n')
    path = write(tmp_path, "page.md", text)
    found = findings(tmp_path, capsys, "boilerplate/html-entity", text, "page.md")
    assert [(f["field"], f["fix"] is None) for f in found] == [
        ("title", True), ("question", True), ("answer", True), ("seo.page_description", False)]
    lint_json(tmp_path, capsys, "--select", "boilerplate/html-entity", "--fix", "--unsafe-fixes")
    assert path.read_text(encoding="utf-8") == text.replace('"a &#58; b"', '"a : b"')


def test_entities_in_urls_code_and_unknown_names_are_left_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "See https://example.org/?a=1&amp;b=2 and `&amp;` and &notanentity; and AT&T;\n"
    assert findings(tmp_path, capsys, "boilerplate/html-entity", text, "page.md") == []


# --- duplicate paragraphs -------------------------------------------------------------------------------------


def test_seed_002_repeats_its_disclaimer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = seed(tmp_path, capsys, "boilerplate/duplicate-paragraph", SEED_002)
    assert [(f["line"], f["column"], f["details"]["first_line"]) for f in found] == [(68, 1, 15)]


def test_repeats_ignore_case_spacing_and_punctuation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paragraph = "Iron deficiency is the most common cause of anemia in children and in women."
    text = f"{paragraph}\n\nOther text that is long enough to count as a paragraph here.\n\n" \
           f"{paragraph.upper().replace(' ', '  ').rstrip('.')}!\n"
    found = findings(tmp_path, capsys, "boilerplate/duplicate-paragraph", text)
    assert [(f["line"], f["details"]["first_line"]) for f in found] == [(5, 1)]


def test_headings_and_short_lines_may_repeat(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = ("What is the typical prognosis (chance of recovery) of people with bone marrow necrosis?\n\n"
            "Last updated: 4/8/2010\n\n"
            "What is the typical prognosis (chance of recovery) of people with bone marrow necrosis?\n\n"
            "Last updated: 4/8/2010\n")
    assert findings(tmp_path, capsys, "boilerplate/duplicate-paragraph", text) == []


def test_paragraphs_of_different_fields_are_not_compared(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sentence = "Anemia means your blood has too few healthy red blood cells to carry oxygen."
    text = f"---\ntitle: Anemia\nseo:\n  page_description: {sentence}\nanswer: {sentence}\n---\n"
    assert findings(tmp_path, capsys, "boilerplate/duplicate-paragraph", text, "page.md") == []


@given(st.text("ab .!…\"'”’)]?-", max_size=12))
def test_a_paragraph_ends_a_sentence_as_the_closing_pattern_says(text: str) -> None:
    from rules import boilerplate

    expected = re.search(r"[.!…][\"'”’)\]]*$", text) is not None
    assert boilerplate._ends_sentence(f"x\n{text}\ny", 2, 2 + len(text)) == expected


_RESIDUE_PIECES = ["Skip to content", "skip", " to ", "content", "hereSkip", "SKIP TO CONTENT", "share this page",
                   "Share", " this ", "page", "\n", " ", "3here", "Search for gard here", "update your browser",
                   "print-friendly version", "é", "µg", "ß", "ſkip", "your browser does not support javascript",
                   "Home", "* Log  in |", "\tPIN it\r", "Back to top", "\u212aelvin", "blog in", "»", "\xa0",
                   "You are here:", "SEARCH FOR x-y", "search for ", "Please upgrade to a newer browser", "browser",
                   "UPDATE TO A MODERN ", "please "]


@given(st.lists(st.sampled_from(_RESIDUE_PIECES), max_size=12))
def test_residue_found_by_substring_search_is_what_the_word_walk_finds(pieces: list[str]) -> None:
    from rules import boilerplate

    text = "".join(pieces)
    matcher = boilerplate.residue_matcher((), True)
    by_search = matcher.find(text)
    with patch.object(boilerplate, "foldable", lambda text: None):  # no folded text: every regex, word and line
        assert matcher.find(text) == by_search


_NEAR_PIECES = ["see our ", "SEE OUR", "shop", "x", " ", "\n", "oursshop", "our shop now", "ours", "é"]


@given(st.lists(st.sampled_from(_NEAR_PIECES), max_size=10))
def test_regexes_searched_near_their_literal_find_what_a_whole_scan_finds(pieces: list[str]) -> None:
    """Bounded regexes are searched only around their longest literal; others (lookaround, unbounded) whole."""
    from rules import boilerplate

    text = "".join(pieces)
    matcher = boilerplate.residue_matcher(("~ (?:see )?our\\s(?:shop|store)", "~ ours+hop", "~ our (?=shop)\\w+",
                                           "~ (?:see|x) our"), False)
    near = matcher.find(text)
    with patch.object(boilerplate, "foldable", lambda text: None):  # every regex searched over the whole text
        assert matcher.find(text) == near


def test_what_the_whole_line_shortcut_assumes_of_unicode() -> None:
    # The residue matcher skips a printable line with too many characters besides spaces without normalising
    # it: that holds if the space is the only printable whitespace and case folding never makes whitespace.
    characters = list(map(chr, range(sys.maxunicode + 1)))
    assert [c for c in characters if c.isspace() and c.isprintable() and c != " "] == []
    assert [c for c in characters if not c.isspace() and any(x.isspace() for x in c.casefold())] == []


@settings(deadline=None)
@given(st.lists(st.sampled_from([*_RESIDUE_PIECES, "x" * 30, "\t", "\u2003", "ß" * 3, "\x1f"]), max_size=14))
def test_whole_lines_skipped_unsplit_hold_no_residue(pieces: list[str]) -> None:
    from rules import boilerplate

    text = "".join(pieces)
    matcher = boilerplate.residue_matcher((), True)
    every_line_normalised = dataclasses.replace(matcher, longest_line=sys.maxsize)
    assert matcher.find(text) == every_line_normalised.find(text)


def test_each_link_of_a_row_of_residue_is_reported_and_the_row_deleted(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    found = findings(tmp_path, capsys, "boilerplate/scrape-residue",
                     "Anemia\n\nAnemia is common.\n\nPrivacy Policy | Terms of Use | Contact Us\n")
    assert [(f["line"], f["column"], f["excerpt"]) for f in found] == [
        (5, 1, "Privacy Policy"), (5, 18, "Terms of Use"), (5, 33, "Contact Us")]
    assert found[0]["fix"]["description"] == "delete the line"
