"""Encoding rules: mojibake found at each affected span and repaired exactly, correct text of any language left
alone, uncertain repairs reported without a fix, control and replacement characters."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-1252" codec used to make mojibake)
import pytest
from ftfy import fix_encoding_and_explain
from hypothesis import given, settings
from hypothesis import strategies as st

from lint.document import Document
from lint.rule import CheckContext, Edit, NoOptions, Rule
from lint.runner import apply_edits
from rules import encoding
from rules.encoding import FTFY_CONFIG, ControlChar, Mojibake, PossibleMojibake, ReplacementChar, mojibake

from .conftest import FIXTURES, lint_json, write

SEEDS = {
    "000": "what-are-the-key-changes-in-the-bone-marrow-associated-with-leukemia-pathophysiology.md",
    "001": "how-does-organ-infiltration-present-in-leukemia.md",
    "002": "gard-bone-marrow-necrosis.txt",
    "003": "spun-leukemia-metastasis.txt",
    "004": "leukemia-overview-patient-organisations.txt",
}

# Real sentences, each in its own language and script: none may be taken for mojibake.
SENTENCES = {
    "French": "Le médecin a prescrit un traitement à base de fer pour l’anémie de l’enfant.",
    "German": "Die Ärztin überprüft die Blutwerte, weil der Patient müde und blass ist.",
    "Spanish": "El niño tiene anemia y necesita más hierro en su alimentación diaria.",
    "Polish": "Lekarz zalecił badanie krwi, ponieważ pacjentka skarżyła się na zmęczenie.",
    "Turkish": "Doktor, hastanın kan değerlerinin düşük olduğunu söyledi ve demir önerdi.",
    "Greek": "Ο γιατρός συνέστησε εξέταση αίματος επειδή ο ασθενής ένιωθε κόπωση.",
    "Russian": "Врач рекомендовал анализ крови, потому что пациент жаловался на усталость.",
    "Vietnamese": "Bác sĩ khuyên bệnh nhân nên xét nghiệm máu vì thường xuyên mệt mỏi.",
    "Chinese": "医生建议患者进行血液检查，因为他经常感到疲劳。",
    "Japanese": "医師は、患者が疲れやすいと訴えたため血液検査を勧めた。",
}
CORRECT_TEXT = {
    "curly quotes and dashes": "The patient’s “iron-rich” diet — spinach, lentils – helps; it’s ‘fine’.",
    "&nbsp;": "Take 5&nbsp;mg daily.\n\n&nbsp;",
    "no-break spaces": "Take 5\xa0mg daily. \xa0 Rest.",
    "micrograms": "Vitamin B12: 2.4 µg a day.",
    "degrees": "Store at 2–8 °C; a fever is over 38°C.",
    "plus-minus and comparisons": "Haemoglobin 135 ± 5 g/L; eGFR ≥ 60, ≤ 90; ratio ≈ 1.",
    "Greek letters": "A β-blocker is not used in α-thalassemia; TNF-α and IFN-γ rise.",
    "names": "Ménière's disease, Sjögren's syndrome, Behçet’s disease and Waldenström macroglobulinemia.",
    "typography": "1½ cups, ¼ tsp, x², ©2024, ®, ™, … • · § ¶ † ‡",
    "Portuguese capitals": "SÃO PAULO; IRMÃ E IRMÃO; MAÇÃ É BOA.",
    "Nordic and Czech": "Øresund, Ålesund, Æble; Dvořák, Škoda, Łódź.",
    "Spanish punctuation": "¿Qué es la anemia? ¡Sí, es común!",
}


def run(rule: type[Rule], text: str) -> tuple[Document, list[Any]]:
    doc = Document.from_bytes("page.txt", text.encode("utf-8"))
    return doc, list(rule().check(doc, CheckContext(options=NoOptions())))


def repaired(text: str) -> str:
    doc, violations = run(Mojibake, text)
    fixed, _ = apply_edits(doc.text, [v.fix.edits for v in violations])
    return fixed


def encoding_findings(text: str) -> list[tuple[str, str]]:
    found = []
    for rule in (Mojibake, PossibleMojibake, ReplacementChar, ControlChar):
        doc, violations = run(rule, text)
        found += [(rule.id, doc.text[v.start : v.end]) for v in violations]
    return found


# --- the seeds ------------------------------------------------------------------------------------------------


def test_seed_001_has_exactly_one_mojibake_at_21_256(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, SEEDS["001"], (FIXTURES / SEEDS["001"]).read_bytes())
    _, result = lint_json(tmp_path, capsys, "--select", "encoding")
    (finding,) = result["findings"]
    assert finding["rule"] == "encoding/mojibake"
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (21, 256, 21, 259)
    assert finding["excerpt"] == "â€™"
    assert finding["suggestion"] == "Here’s"
    assert finding["field"] == "answer"
    assert finding["fix"]["safe"] is True
    assert finding["fix"]["edits"] == [{"line": 21, "column": 256, "end_line": 21, "end_column": 259,
                                        "content": "’"}]


@pytest.mark.parametrize("seed", ["000", "002", "003", "004"])
def test_other_seeds_have_no_encoding_finding(seed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, SEEDS[seed], (FIXTURES / SEEDS[seed]).read_bytes())
    _, result = lint_json(tmp_path, capsys, "--select", "encoding")
    assert result["findings"] == []


# --- precision ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", SENTENCES)
def test_a_real_sentence_is_not_mojibake(language: str) -> None:
    assert encoding_findings(SENTENCES[language] + "\n") == []


@pytest.mark.parametrize("kind", CORRECT_TEXT)
def test_correct_symbols_and_names_are_not_mojibake(kind: str) -> None:
    assert encoding_findings(CORRECT_TEXT[kind] + "\n") == []


def test_only_lines_that_may_hold_mojibake_reach_ftfy(monkeypatch: pytest.MonkeyPatch) -> None:
    tested: list[str] = []
    repaired: list[str] = []
    real_is_bad, real_fix = encoding.is_bad, encoding.fix_encoding_and_explain

    def counting_is_bad(text: str) -> bool:
        tested.append(text)
        return real_is_bad(text)

    def counting_fix(text: str, config: Any) -> Any:
        repaired.append(text)
        return real_fix(text, config)

    monkeypatch.setattr(encoding, "is_bad", counting_is_bad)
    monkeypatch.setattr(encoding, "fix_encoding_and_explain", counting_fix)
    assert run(Mojibake, "Plain ASCII text: dose 5 mg, 37 C.\n" * 50)[1] == []
    assert tested == [] and repaired == []
    assert run(Mojibake, "ASCII line\r\nThe café line\r\nASCII again\r\n")[1] == []
    assert tested == [] and repaired == []  # no badness pattern matches near the "é": ftfy is not asked
    assert run(Mojibake, "The café line\nThe cafÃ© line\r\nASCII\n")[1] != []
    assert tested == ["The cafÃ© line", "The café line"]  # the suspect line, then its repair (still bad?)
    assert repaired == ["The cafÃ© line", "Ã©"]  # the line, then the span alone (to explain the repair)


_LINE_PIECES = ["café", "cafÃ©", "Ã ", "Ã", "â€™", "’", " ", "\n", "\r\n", "a", "Z", "œ", "œ\n", "°", "µg", "Ð",
                "вЂ", "√©", "\xa0", "€", "ГўВЂВ", "x"]


@given(st.lists(st.sampled_from(_LINE_PIECES), max_size=40))
def test_every_line_ftfy_finds_bad_is_a_suspect_line(pieces: list[str]) -> None:
    text = "".join(pieces)
    found = list(encoding._suspect_lines(text))
    assert [start for start, _ in found] == sorted({start for start, _ in found})  # in order, each line once
    assert all((start == 0 or text[start - 1] == "\n") and line == text[start:].split("\n", 1)[0]
               for start, line in found)  # whole lines
    suspects = {start for start, _ in found}
    start = 0
    for line in text.split("\n"):
        body = line[:-1] if line.endswith("\r") else line
        if encoding.is_bad(body):
            assert start in suspects, (text, line)
        start += len(line) + 1


# --- the kinds of mojibake ------------------------------------------------------------------------------------

# (text, the span reported, the suggestion, the text after the fix)
CASES = [
    ("Hereâ€™s how", "â€™", "Here’s", "Here’s how"),  # UTF-8 read as Windows-1252
    ("Hereâ\x80\x99s how", "â\x80\x99", "Here’s", "Here’s how"),  # UTF-8 read as Latin-1 (C1 controls)
    ("not cafÃ© au lait", "Ã©", "café", "not café au lait"),  # UTF-8 read as Latin-1, Latin-1 range
    ("in Ã‚Âµg", "Ã‚Âµ", "µg", "in µg"),  # encoded twice
    ("HereÃ¢â‚¬â„¢s", "Ã¢â‚¬â„¢", "Here’s", "Here’s"),  # encoded twice, Windows-1252 both times
    ("na√Øve T cells", "√Ø", "naïve", "naïve T cells"),  # UTF-8 read as Mac Roman
    ("don\x92t", "\x92", "don’t", "don’t"),  # Windows-1252 read as Latin-1
    ("It’s â€œironâ€\x9d", "â€œironâ€\x9d", "“iron”", "It’s “iron”"),  # mixed with correct text in one line
    ("Ð’Ñ€Ð°Ñ‡ said", "Ð’Ñ€Ð°Ñ‡", "Врач", "Врач said"),  # a whole Cyrillic word
    ("37Â°C", "Â°", "37°C", "37°C"),
    ("Ã©tÃ©", "Ã©tÃ©", "été", "été"),  # two spans in one word: one finding
]


@pytest.mark.parametrize(("text", "span", "suggestion", "fixed"), CASES, ids=[c[0] for c in CASES])
def test_mojibake_is_reported_at_its_span_and_repaired(text: str, span: str, suggestion: str, fixed: str) -> None:
    doc, (violation,) = run(Mojibake, f"Note: {text}\n")
    assert doc.text[violation.start : violation.end] == span
    assert violation.suggestion == suggestion
    assert violation.fix is not None and violation.fix.safe
    assert repaired(f"Note: {text}\n") == f"Note: {fixed}\n"


# Every language through every codec mix-up, except Cyrillic read as Mac Roman, which ftfy does not detect
# (the result holds none of the sequences its heuristic knows as bad).
ROUND_TRIPS = [(codec, language) for codec in ("sloppy-windows-1252", "latin-1", "macroman", "twice")
               for language in SENTENCES if (codec, language) != ("macroman", "Russian")]


@pytest.mark.parametrize(("codec", "language"), ROUND_TRIPS)
def test_every_language_is_restored_from_its_mojibake(codec: str, language: str) -> None:
    sentence = SENTENCES[language]
    if codec == "twice":
        damaged = sentence.encode("utf-8").decode("sloppy-windows-1252")
        damaged = damaged.encode("utf-8").decode("sloppy-windows-1252")
    else:
        damaged = sentence.encode("utf-8").decode(codec)
    assert repaired(damaged + "\n") == sentence + "\n"


def test_mixed_encodings_in_one_file_each_get_their_repair() -> None:
    text = ("Le médecin: cafÃ© (Latin-1)\r\n"
            "The clinicâ€™s nurses (Windows-1252)\r\n"
            "Врач: correct Cyrillic\r\n"
            "caf√© (Mac Roman)\r\n")
    doc, violations = run(Mojibake, text)
    assert [doc.text[v.start : v.end] for v in violations] == ["Ã©", "â€™", "√©"]
    assert [doc.lines.position(v.start).line for v in violations] == [1, 2, 4]
    assert repaired(text) == text.replace("cafÃ©", "café").replace("â€™", "’").replace("caf√©", "café")


def test_a_file_that_is_entirely_mojibake_is_repaired_whole() -> None:
    original = "\n".join(SENTENCES.values()) + "\n"
    damaged = original.encode("utf-8").decode("sloppy-windows-1252")
    assert repaired(damaged) == original
    assert repaired(repaired(damaged)) == original  # nothing left to fix


def test_alignment_survives_a_repair_that_changes_ascii() -> None:
    # ftfy never does this; should it one day, the change is still located and rebuilt exactly
    assert encoding._changed_spans("abc Ã© xyz", "abd é xyz") == [(2, 6, "d é")]


# --- uncertain repairs ----------------------------------------------------------------------------------------


def test_a_lost_byte_is_possible_mojibake_without_a_fix() -> None:
    text = "Hereâ€?s how\n"
    assert run(Mojibake, text)[1] == []
    doc, (violation,) = run(PossibleMojibake, text)
    assert doc.text[violation.start : violation.end] == "â€?"
    assert violation.fix is None and violation.suggestion is None
    assert violation.details["doubt"] == "lossy"
    assert "lost a character" in violation.message


@pytest.mark.parametrize("text", ["Itâ€™s â€œnot dangerousâ€ by itself.", "He said â€œnoâ€.", "He said â€œnoâ€",
                                  "Not â€œnoâ€ â€œyesâ€™s"])
def test_a_lost_last_byte_is_possible_mojibake_and_no_repair_glues_two_words(text: str) -> None:
    """The 0x9D of "”" (a byte Windows-1252 cannot show) is often dropped: "â€" is left. ftfy reads a space after
    it as the byte A0 of "†" and glues the words ("dangerous†by"); at a line's end or before "." it leaves it,
    which made every other repair of the line doubtful and left the "â€" itself unreported."""
    _, (violation,) = run(PossibleMojibake, text + "\n")
    start = re.search("â€(?![™œ])", text).start()  # type: ignore[union-attr]
    assert (violation.start, violation.end) == (start, start + 2)
    assert violation.fix is None and violation.details["lost"] == ["‐", "”"]
    assert "lost its last byte" in violation.message and "'‐' or '”'" in violation.message
    fixed = repaired(text + "\n")  # the whole quotation marks before it are sure repairs
    assert fixed == text.replace("â€™", "’").replace("â€œ", "“") + "\n"


@pytest.mark.parametrize(("text", "fixed"), [("Take 100Â mg daily.", "Take 100\xa0mg daily."),
                                           ("Rest.Â Â Then walk.", "Rest.\xa0\xa0Then walk."),
                                           ("See MRIÂ scans", "See MRI\xa0scans")])
def test_a_no_break_space_whose_a0_became_a_space_is_repaired(text: str, fixed: str) -> None:
    """ "Â\xa0" is a no-break space read as Latin-1; ftfy repairs it, but once the A0 has become a plain space
    its badness test no longer sees the "Â"."""
    assert repaired(text + "\n") == fixed + "\n"


@pytest.mark.parametrize("text", ["ROMÂNIA ȘI SĂNĂTATEA", "„Âmbit” is a word", "Â", "costÂ"])
def test_a_capital_a_with_circumflex_that_is_no_no_break_space_is_left_alone(text: str) -> None:
    assert run(Mojibake, text + "\n")[1] == []


def test_a_space_that_stood_for_the_byte_a0_is_still_repaired_where_no_words_are_glued() -> None:
    # "†" + NBSP turned into two spaces: the repair takes one; a no-break space turned into one: it comes back
    for text, fixed in (("Smithâ€  Jones", "Smith† Jones"), ("Hereâ€™s 100Â mg daily.", "Here’s 100\xa0mg daily.")):
        assert repaired(text + "\n") == fixed + "\n"
        assert run(PossibleMojibake, text + "\n")[1] == []


def test_text_that_stays_broken_after_repair_is_possible_mojibake() -> None:
    _, (violation,) = run(PossibleMojibake, "Note: Ã¤Ã\n")
    assert violation.details["doubt"] == "unresolved"
    assert violation.fix is None and violation.suggestion == "äÃ"
    assert run(Mojibake, "Note: Ã¤Ã\n")[1] == []


def test_mojibake_that_no_codec_explains_is_possible_mojibake() -> None:
    doc, (violation,) = run(PossibleMojibake, "Note: ab\x81cd\n")  # 0x81 is undefined in Windows-1252
    assert doc.text[violation.start : violation.end] == "\x81"
    assert violation.details["doubt"] == "unexplained"
    assert "\\x81" in violation.message  # the invisible character is shown
    assert run(ControlChar, "Note: ab\x81cd\n")[1] == []  # reported once, as mojibake, not also as a control


# --- replacement and control characters -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "span"), [("Sj\ufffd\ufffdgren's syndrome", "\ufffd\ufffd"),
                                           ("the mark “\ufffd” on the page", "\ufffd")])
def test_replacement_character_in_the_text(text: str, span: str) -> None:
    doc, (violation,) = run(ReplacementChar, text + "\n")
    assert doc.text[violation.start : violation.end] == span
    assert violation.fix is None
    assert run(PossibleMojibake, text + "\n")[1] == []  # reported once


def test_undecodable_bytes_are_reported_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "notes.txt", b"caf\xe9 and Sj\xc3\xb6gren\n")
    _, result = lint_json(tmp_path, capsys, "--select", "encoding")
    assert [f["rule"] for f in result["findings"]] == ["encoding/invalid-utf8"]


CONTROL_CASES = [
    ("leu\u200bkemia", "\u200b", "leukemia", True),  # zero-width space inside a word
    ("leu\u200dkemia", "\u200d", "leukemia", True),  # zero-width joiner
    ("leu\u202ekemia", "\u202e", "leukemia", True),  # right-to-left override
    ("blood\x08 cells", "\x08", "blood cells", True),  # backspace
    ("blood\x1b cells", "\x1b", "blood cells", True),  # escape
    ("ask\ufeffabout", "\ufeff", "askabout", True),  # a byte order mark in the middle of the text
    ("one\x0ctwo", "\x0c", "one\ntwo", False),  # form feed: a line break, with --unsafe-fixes
    ("one\rtwo", "\r", "one\ntwo", False),  # lone carriage return
]


@pytest.mark.parametrize(("text", "span", "fixed", "safe"), CONTROL_CASES, ids=[repr(c[1]) for c in CONTROL_CASES])
def test_control_characters(text: str, span: str, fixed: str, safe: bool) -> None:
    doc, (violation,) = run(ControlChar, f"{text}\n")
    assert doc.text[violation.start : violation.end] == span
    assert violation.fix is not None and violation.fix.safe is safe
    assert apply_edits(doc.text, [violation.fix.edits])[0] == f"{fixed}\n"


@pytest.mark.parametrize("text", [
    "tab\tseparated\r\nCRLF line endings\r\n",
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian: the zero-width non-joiner is correct spelling
    "\u0915\u094d\u200d\u0937",  # Devanagari: a joiner inside a conjunct
    "👨\u200d👩\u200d👧 family emoji",
    "a zero-width space between words: end.\u200b Next.",
])
def test_legitimate_invisible_characters_are_fine(text: str) -> None:
    assert run(ControlChar, text + "\n")[1] == []


# --- properties -----------------------------------------------------------------------------------------------

# Text made of what mojibake is made of: ASCII, the Latin-1 and Windows-1252 ranges, Mac Roman symbols, mixed
# with real mojibake of real sentences and with arbitrary characters.
_PRONE_CHARS = [*"aeHs ’'?\t\r", *map(chr, range(0x80, 0x180)), *"€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™šœžŸ√∞"]
_PRONE = st.text(alphabet=st.sampled_from(_PRONE_CHARS), max_size=30)
_DAMAGED = st.sampled_from([s.encode("utf-8").decode("sloppy-windows-1252") for s in SENTENCES.values()])
_ANY = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
# the same with the bytes Windows-1252 cannot show dropped on the way, and a sentence with quotation marks
_LOST = st.sampled_from([s.encode("utf-8").decode("sloppy-windows-1252").replace("\x9d", "").replace("\x81", "")
                         for s in (*SENTENCES.values(), "She said “no” and “yes” to the nurse’s idea.")])
_TEXTS = st.lists(st.one_of(_PRONE, _DAMAGED, _ANY, st.just("\n")), max_size=8).map("".join)


def _words(line: str) -> list[str]:
    return [word for word in line.split(" ") if word]


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_the_spans_rebuild_ftfys_repair_of_every_line_that_keeps_its_words_apart(text: str) -> None:
    doc = Document.from_bytes("page.txt", text.encode("utf-8"))
    edits = [(Edit(r.start, r.end, r.replacement),) for r in mojibake(doc) if r.replacement is not None]
    fixed, applied = apply_edits(doc.text, edits)
    assert applied == list(range(len(edits)))
    for line, fixed_line in zip(doc.text.split("\n"), fixed.split("\n"), strict=True):
        expected = fix_encoding_and_explain(line.removesuffix("\r"), FTFY_CONFIG).text
        # (a no-break space whose A0 became a space is repaired where ftfy no longer sees it: tested above)
        if (len(_words(expected)) == len(_words(line.removesuffix("\r")))
                and not encoding._NO_BREAK_SPACE_READ_AS_LATIN1.search(line)):
            assert fixed_line == expected + ("\r" if line.endswith("\r") else "")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PRONE, _DAMAGED, _LOST, _ANY, st.just("\n")), max_size=8).map("".join))
def test_no_repair_glues_two_words(text: str) -> None:
    """A space between two characters that are not white space is kept by every repair, or turned into one."""
    doc = Document.from_bytes("page.txt", text.encode("utf-8"))
    for r in mojibake(doc):
        if r.doubt is None and r.replacement is not None:
            parting = sum(doc.text[i] == " " and not doc.text[i - 1].isspace() and not doc.text[i + 1].isspace()
                          for i in range(max(r.start, 1), min(r.end, len(doc.text) - 1)))
            assert sum(c.isspace() for c in r.replacement) >= parting, (r.original, r.replacement)


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_a_repaired_text_has_nothing_left_to_repair(text: str) -> None:
    once = repaired(text)
    if all(r.doubt is None for r in mojibake(Document.from_bytes("page.txt", text.encode("utf-8")))):
        assert run(Mojibake, once)[1] == []


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_no_encoding_rule_raises(text: str) -> None:
    encoding_findings(text)


def test_without_a_prefilter_every_non_ascii_line_is_a_suspect(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoding, "_PREFILTER", None)  # a badness regex the prefilter cannot read
    text = "ascii\nThe café line\r\nascii\nµg and ’\n"
    assert [line for _, line in encoding._suspect_lines(text)] == ["The café line\r", "µg and ’"]


@given(st.lists(st.sampled_from(["a", " ", "\r", "\n", "\r\n", "\x07", "\x85", "\ufeff", "\u200b", "é", "\x0b"]),
                max_size=30))
def test_control_scan_finds_what_the_grouped_pattern_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert [(m.span(), m.lastgroup) for m in encoding._controls(text)] == \
           [(m.span(), m.lastgroup) for m in encoding._CONTROLS.finditer(text)]
