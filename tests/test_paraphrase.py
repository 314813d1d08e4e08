"""paraphrase/*: tortured phrases found by lexicon and reverse spinning, spun documents, and what stays quiet."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lint.document import Document
from lint.rule import CheckContext
from lint.tokens import sentences
from rules import paraphrase

from .conftest import FIXTURES, lint_json, run_cli, write

SEED = FIXTURES / "spun-leukemia-metastasis.txt"
CLEAN_SEEDS = [p.name for p in sorted(FIXTURES.glob("*.*")) if p.is_file() and p != SEED]
SEED_PHRASES = [
    ("white platelets", "white blood cells"), ("focal sensory system", "central nervous system"),
    ("central tangible framework", "central nervous system"), ("Grip Atoms", "Adhesion molecules"),
    ("bond particles", "adhesion molecules"),
    ("foundational microorganism transplantation", "stem cell transplantation"),
    ("immature microorganism transplantation", "stem cell transplantation"),
    ("unfortunate visualization", "poor prognosis"), ("lymph center points", "lymph nodes"),
    ("serious lymphoblastic leukemia", "acute lymphoblastic leukemia"),
    ("tenacious lymphocytic leukemia", "chronic lymphocytic leukemia"), ("strong growths", "solid tumors"),
    ("designated treatment", "targeted therapy"), ("organ brokenness", "organ dysfunction"),
]


def findings(text: str, name: str = "page.txt", **options: Any) -> list[dict[str, Any]]:
    """Run the analysis on a text and return the tortured phrases as dicts (no CLI round trip)."""
    doc = Document.from_bytes(name, text.encode("utf-8"))
    ctx = CheckContext(options=paraphrase.ParaphraseOptions(**options))
    return [{"start": v.start, "end": v.end, "text": doc.text[v.start : v.end], "suggestion": v.suggestion,
             "details": v.details} for v in paraphrase.TorturedPhrase().check(doc, ctx)]


def lint_seed(name: str, select: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """Lint one top-level fixture with the fixtures directory as content root."""
    _, out, _ = run_cli(["check", str(FIXTURES / name), "--root", str(FIXTURES), "--format", "json",
                         "--jobs", "1", "--select", select], capsys)
    result: dict[str, Any] = json.loads(out)
    return result


def analysis(text: str) -> paraphrase.Analysis:
    doc = Document.from_bytes("page.txt", text.encode("utf-8"))
    return paraphrase.document_analysis(doc, CheckContext(options=paraphrase.ParaphraseOptions()))


# -- seeds


def test_seed_003_names_the_spun_phrases_with_their_terms_at_exact_spans() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = {(f["start"], f["end"]): f["suggestion"] for f in findings(text, SEED.name)}
    right = 0
    for phrase, intended in SEED_PHRASES:
        start = text.index(phrase)
        if found.get((start, start + len(phrase))) == intended:
            right += 1
    assert right >= 12, f"{right} of {len(SEED_PHRASES)}"


def test_seed_003_is_a_spun_document(capsys: pytest.CaptureFixture[str]) -> None:
    [finding] = lint_seed(SEED.name, "paraphrase/spun-document", capsys)["findings"]
    assert finding["details"]["score"] > 5
    assert "future headings" in finding["details"]["marks"]
    assert len(finding["details"]["top_phrases"]) == 5


@pytest.mark.parametrize("name", CLEAN_SEEDS)
def test_clean_seeds_give_no_paraphrase_finding(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint_seed(name, "paraphrase", capsys)["findings"] == []


# -- precision: correct medical prose stays quiet

QUIET = [
    "Acute lymphoblastic leukemia is the most common childhood cancer.",
    "Leukemia cells can enter the central nervous system.",
    "Solid tumors spread through the blood and the lymph.",
    "Targeted therapy blocks the signals that cancer cells need.",
    "Ultrasound uses sound waves to make pictures of the organs.",
    "There is strong evidence that exercise lowers blood pressure.",
    "A serious infection needs treatment in hospital.",
    "Your primary care doctor can refer you to a specialist.",
    "Changes in the white matter show up on MRI.",
    "Imatinib, metformin, atorvastatin and amoxicillin are common drugs.",
    "People with type 2 diabetes, chronic kidney disease or heart failure need regular blood tests.",
    "Radiation therapy and stem cell transplantation are options for some patients with lymphoma.",
    "Severe pain, high fever and shortness of breath are warning signs.",
    "The poor prognosis of relapsed disease has improved with new drugs.",
]


@pytest.mark.parametrize("sentence", QUIET)
def test_correct_medical_prose_is_quiet(sentence: str) -> None:
    assert findings(sentence) == []


def test_a_real_term_of_the_users_stays_quiet() -> None:
    text = "A transient ischemic assault is the name of our support group."
    assert findings(text)  # found by reverse spinning
    assert findings(text, terms=["transient ischemic assault"]) == []


# -- recall beyond the lexicon


@pytest.mark.parametrize(("text", "phrase", "intended"), [
    ("Some patients have a transient ischemic assault before a stroke.", "transient ischemic assault",
     "transient ischemic attack"),
    ("Use the pinnacle stream meter every morning.", "pinnacle stream meter", "peak flow meter"),
    ("Follow your asthma activity plan every day.", "asthma activity plan", "asthma action plan"),
])
def test_reverse_spinning_finds_phrases_that_no_list_names(text: str, phrase: str, intended: str) -> None:
    assert all(phrase.split()[0] not in e.phrase for e in paraphrase.read_lexicon())
    [finding] = findings(text)
    assert (finding["text"].lower(), finding["suggestion"]) == (phrase, intended)
    assert finding["details"]["source"] == "thesaurus"
    assert 0 < finding["details"]["confidence"] < 1


def test_suggestion_keeps_the_texts_number_and_capitals() -> None:
    [finding] = findings("Grip Atoms hold cells together.")
    assert finding["suggestion"] == "Adhesion molecules"
    [finding] = findings("Doctors found transient ischemic assaults in two patients.")
    assert finding["suggestion"] == "transient ischemic attacks"


def test_a_users_lexicon_entry_is_found() -> None:
    text = "The doctor checked the ticker rhythm."
    assert findings(text) == []
    [finding] = findings(text, lexicon={"ticker rhythm": "heart rhythm"})
    assert (finding["text"], finding["suggestion"], finding["details"]["confidence"]) == (
        "ticker rhythm", "heart rhythm", paraphrase.LEXICON_CONFIDENCE)


def test_options_come_from_the_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "page.txt", "The doctor checked the ticker rhythm.\n")
    write(tmp_path, "contentlint.toml",
          '[rules."paraphrase/tortured-phrase"]\nlexicon = { "ticker rhythm" = "heart rhythm" }\n')
    _, result = lint_json(tmp_path, capsys, "--select", "paraphrase/tortured-phrase")
    assert [(f["excerpt"], f["suggestion"]) for f in result["findings"]] == [("ticker rhythm", "heart rhythm")]


def test_context_lifts_weak_candidates_only_in_a_spun_document() -> None:
    weak = "Doctors use a blood examination to find the virus."
    assert findings(weak) == []
    spun = (f"{weak} White platelets fight infection, the focal sensory system controls the body, and an "
            "unfortunate visualization follows organ brokenness.")
    assert "blood examination" in [f["text"] for f in findings(spun)]
    assert analysis(spun).spun


@pytest.mark.parametrize("term_after", [True, False])
def test_the_real_term_counts_as_evidence_within_an_articles_length_only(term_after: bool) -> None:
    """A document that also writes the real term makes a candidate stronger; in a long page every common term
    occurs somewhere (the clean prose of the dev split as one page: 9 false positives, none as articles)."""
    candidate, term = "These hormonal shifts can lead to changes in sleep.", "Teens go through hormonal changes."
    filler = "The nurse wrote the visit down in the chart. "  # nine words (the term ends its sentence: both edges)

    def found(words_apart: int) -> list[str]:
        gap = filler * ((words_apart - 9) // 9)
        text = f"{candidate}\n\n{gap}\n\n{term}" if term_after else f"{term}\n\n{gap}\n\n{candidate}"
        return [f["suggestion"] for f in findings(text)]

    assert found(paraphrase.CONTEXT_WORDS - 50) == ["hormonal changes"]
    assert found(paraphrase.CONTEXT_WORDS + 50) == []


def test_a_spun_article_inside_a_long_page_is_a_spun_passage() -> None:
    """Over the whole page its evidence is too thin for the page's length: the passage is judged on its own, and
    the weaker candidates are reported inside it only."""
    article = SEED.read_text(encoding="utf-8")
    clean = "\n\n".join((FIXTURES / name).read_text(encoding="utf-8") for name in CLEAN_SEEDS) * 4
    page = f"{clean}\n\n{article}\n\n{clean}"
    alone, inside = analysis(article), analysis(page)
    assert inside.words > 10 * alone.words and inside.spun
    start = page.index(article)
    spans = [c.sentence.field.text.file_span(c.start, c.end) for c in inside.phrases]
    assert all(start <= a and b <= start + len(article) for a, b in spans)  # nothing in the clean text around
    for c in alone.phrases:  # each phrase found alone is found inside the page (its span may differ by a word)
        a, b = c.sentence.field.text.file_span(c.start, c.end)
        assert any(x < start + b and start + a < y for x, y in spans), c.text
    assert not analysis(f"{clean}\n\n{clean}").phrases
    doc = Document.from_bytes("page.txt", page.encode("utf-8"))
    [verdict] = paraphrase.SpunDocument().check(doc, CheckContext(options=paraphrase.ParaphraseOptions()))
    assert start <= verdict.start < start + len(article) and "spun from here" in verdict.message
    assert page[verdict.start - 1] == "\n" and page[verdict.start : verdict.end] in article.splitlines()
    [alone_verdict] = paraphrase.SpunDocument().check(Document.from_bytes("a.txt", article.encode("utf-8")),
                                                      CheckContext(options=paraphrase.ParaphraseOptions()))
    assert alone_verdict.start == 0 and "spun:" in alone_verdict.message


def test_one_spun_phrase_does_not_make_a_spun_document() -> None:
    result = analysis("Leukemia starts in white platelets in the bone marrow. " * 3 + "Treatment works well.")
    assert result.phrases and not result.spun


# -- language and bad input


def test_non_english_text_is_skipped_with_an_info_finding() -> None:
    text = ("La leucemia es un cáncer de los glóbulos blancos. Las células salen de la médula ósea y viajan por "
            "la sangre hasta el hígado, el bazo y los ganglios linfáticos del cuerpo humano.")
    doc = Document.from_bytes("es.txt", text.encode("utf-8"))
    ctx = CheckContext(options=paraphrase.ParaphraseOptions())
    assert list(paraphrase.TorturedPhrase().check(doc, ctx)) == []
    [info] = list(paraphrase.NotEnglish().check(doc, ctx))
    assert info.details["english_ratio"] < 0.6


@pytest.mark.parametrize("text", ["", "   \n\n  ", "123 456 789", "—", "a" * 20000, "word " * 30000,
                                  "white platelets " * 2000])
def test_bad_input_does_not_raise(text: str) -> None:
    findings(text)
    analysis(text)


def test_a_50000_word_document_is_checked() -> None:
    paragraph = (FIXTURES / "gard-bone-marrow-necrosis.txt").read_text(encoding="utf-8")
    text = "\n\n".join([paragraph] * (2 * 50000 // len(paragraph.split())))
    result = analysis(text)
    assert result.words >= 50000
    assert not result.spun and result.phrases == []


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_is_handled(text: str) -> None:
    findings(text)


# -- the pieces


def test_lemmas_meet_on_one_key() -> None:
    lemmatizer = paraphrase.thesaurus().lemmatizer
    assert lemmatizer.key("tumors") == lemmatizer.key("tumor") == "tumor"
    assert lemmatizer.key("Leukemias") == "leukemia"
    assert "element" in lemmatizer.bases("elements")


WORDS = ("blood", "cells", "the", "lymphoblastic", "well-being", "white blood", "zzzz", "platelets", "growths",
         "leukemia", "stem", "microorganism", "tumor", "x-ray", "of", "focal", "sensory", "system")


def plain_base_score(wn: paraphrase.Thesaurus, source: str, all_swaps: tuple[paraphrase.Swap, ...]) -> float:
    """base_score as first written, one generator per test: the one-pass version must give the same bits."""
    swaps = [s for s in all_swaps if s[paraphrase.CODE] != "="]
    kept = [s for s in all_swaps if s[paraphrase.CODE] == "="]

    def rare(word: str) -> bool:
        return (wn.frequency(word) or 0) < paraphrase.RARE

    if any(s[paraphrase.CODE] == "u" for s in swaps) and not any(rare(s[paraphrase.TEXT]) for s in kept):
        return 0.0
    score = (len(kept) + sum(paraphrase.CLOSENESS[s[paraphrase.CODE]] for s in swaps)) / len(all_swaps)
    if source in ("wordnet", "health"):
        score -= 0.1 if kept else 0.3
    if len(swaps) == 1 and len(all_swaps) == 2:
        score -= 0.3
    if not kept and any(s[paraphrase.CODE] in paraphrase.LOOSE for s in swaps):
        score -= 0.15
    if not kept and all((wn.frequency(s[paraphrase.TEXT]) or 0) >= paraphrase.COMMON for s in swaps):
        score -= 0.15
    if any(rare(s[paraphrase.TEXT]) for s in kept):
        score += 0.1
    for swap in swaps:
        spun, real = wn.frequency(swap[paraphrase.TEXT]), wn.frequency(swap[paraphrase.UNIT])
        if spun is not None and real is not None and spun + 5 < real:
            score += 0.05
    return score


@given(st.sampled_from(("wordnet", "health", "built-in", "lexicon", "user")),
       st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(tuple(paraphrase.CLOSENESS))),
                min_size=1, max_size=5))
def test_base_score_in_one_pass_is_the_plain_formula_to_the_bit(source: str, swaps: list[tuple[str, str, str]]) -> None:
    wn = paraphrase.thesaurus()
    all_swaps = tuple((at, text, unit, code) for at, (text, unit, code) in enumerate(swaps))
    assert paraphrase.base_score(wn, source, all_swaps) == plain_base_score(wn, source, all_swaps)


@given(st.one_of(st.sampled_from(WORDS), st.text(alphabet="abcdehimnorstxyz", max_size=12)),
       st.sampled_from(("", "s", "es", "ies", "ses", "ches", "men", "ed", "ing", "er", "est", "ness")))
def test_the_lemmatizer_s_suffix_filter_skips_only_words_no_rule_fits(stem: str, suffix: str) -> None:
    """Rules are tried only on a word with one of their suffixes: the same bases as trying every rule."""
    lemmatizer = paraphrase.thesaurus().lemmatizer
    word = stem + suffix
    found = [word] if word in lemmatizer.lemmas else []
    if word in lemmatizer.exceptions:
        found.append(lemmatizer.exceptions[word])
    for rules in (paraphrase.NOUN_RULES, paraphrase.VERB_RULES, paraphrase.ADJ_RULES):
        for end, ending in rules:
            if word.endswith(end) and len(word) > len(end) + 1:
                base = word[: -len(end)] + ending
                if base in lemmatizer.lemmas and base not in found:
                    found.append(base)
    assert lemmatizer._bases(word) == (tuple(found) or (word,))


@settings(max_examples=50)
@given(st.sampled_from(WORDS))
def test_neighbours_and_followers_read_in_c_are_the_slices_of_the_index(word: str) -> None:
    payload = gzip.decompress((paraphrase.DATA / "index.bin.gz").read_bytes())
    wn = paraphrase.Thesaurus(paraphrase.read_sections(payload))  # fresh: nothing remembered
    i = wn.position(word)
    near = {} if i < 0 else {wn.names[wn._near_names[j]]: wn._near_codes[j]
                             for j in range(wn._near_at[i], wn._near_at[i + 1])}
    followers = () if i < 0 else tuple(wn.names[wn._next_names[j]] for j in range(wn._next_at[i], wn._next_at[i + 1]))
    assert list(wn.near(word).items()) == list(near.items()) and wn.followers(word) == followers


@given(st.one_of(st.sampled_from((*WORDS, "breathed", "Heart", "ACE", "in", "take", "blood vessel")),
                 st.text(alphabet="abcdehilmnorstuy -", max_size=12)))
def test_a_words_flags_read_without_building_dictionaries_are_the_dictionaries_truth(word: str) -> None:
    """info() tests starts, follows and phrase starts on key views and index slices (no dictionary built for a
    new word): the same answers as the dictionaries ``_starts`` and ``followers`` build."""
    detector = paraphrase._detector((), (), paraphrase.NO_TERMS)
    info = detector.info(word)
    assert info.starts == bool(detector._starts(info.key, info.reach))
    bases = detector.lemmatizer.bases(info.surface)
    for candidate in (*bases, info.surface):
        assert detector._has_followers(candidate) == bool(detector.followers(candidate))
    firsts = tuple(filter(detector.followers, dict.fromkeys((*bases, info.surface))))
    assert info.phrase_firsts == firsts
    assert list(info.phrase_seconds) == list(dict.fromkeys(w for f in firsts for w in detector.followers(f)))


@given(st.lists(st.lists(st.one_of(st.sampled_from((*WORDS, "x\udc80y", "3", "HIV", "Tumors", "ölçü")),
                                  st.text(min_size=1, max_size=8)), min_size=1, max_size=8), max_size=6))
def test_sentence_columns_give_what_the_words_attributes_give(texts: list[list[str]]) -> None:
    """Sentences read their words' serials, keys, steps and English codes as columns transposed from one row per
    word: the same as reading each attribute of each word, for the pair flags, the language share and the text of
    keys that tells whether a document also uses a real term."""
    detector = paraphrase._detector((), (), paraphrase.NO_TERMS)
    infos = [detector.infos(words) for words in texts]
    columns = [detector.columns(words) for words in infos]
    for words, (serials, keys, steps, english) in zip(infos, columns, strict=True):
        assert serials == tuple(i.serial for i in words) and keys == tuple(i.key for i in words)
        assert all(a is i.steps for a, i in zip(steps, words, strict=True))
        assert english == tuple(2 if i.alpha and i.known else 1 if i.alpha else 0 for i in words)
    alpha = [i for words in infos for i in words if i.alpha]
    assert paraphrase.english_ratio(c[3] for c in columns) == (
        len(alpha), sum(i.known for i in alpha) / len(alpha) if alpha else 1.0)
    assert paraphrase.key_text(columns) == "\n".join(f" {' '.join(i.key for i in words)} " for words in infos)


@settings(max_examples=60)
@given(st.sampled_from(("white", "focal", "serious", "strong", "blood", "heart", "designated", "immature", "lymph",
                        "stem", "central", "poor", "high", "early")),
       st.sampled_from(("platelets", "sensory", "growths", "cells", "treatment", "visualization", "center", "attack",
                        "pressure", "tumors", "nervous", "system", "microorganism", "stage", "disease")))
def test_the_states_after_two_words_are_every_term_start_and_second_unit_in_reach(word: str, after: str) -> None:
    """_first_two finds the states by set intersections in C: the same states, in the same order, as trying
    every second unit in reach (sorted) with every start in reach (in its order) that a term continues with it."""
    detector = paraphrase._detector((), (), paraphrase.NO_TERMS)
    here, there = detector.infos([word, after])
    expected = []
    for _, unit, reach in here.steps:
        starts = {u: c for u, c in reach.items() if u in detector.trie}
        seconds = {t for s in starts for t in detector.trie[s] if t != paraphrase.END}
        for _, unit2, reach2 in there.steps:
            for second in sorted(seconds & set(reach2)):
                code2 = reach2[second]
                for start, code in starts.items():
                    loose = (code in paraphrase.LOOSE) + (code2 in paraphrase.LOOSE)
                    if second in detector.trie[start] and loose <= 1:
                        expected.append((detector.trie[start][second], 2,
                                         ((0, unit, start, code), (1, unit2, second, code2)), loose,
                                         code != "=" or code2 != "="))
    detector._two_memo.clear()
    assert detector._first_two([here.steps, there.steps], 0) == expected


def test_forms_with_the_same_base_forms_share_their_step_and_phrase_steps_their_content() -> None:
    """Walks are remembered by the identity of step lists: equal content must be one object."""
    detector = paraphrase.Detector()
    tumor, tumors, cells = detector.infos(["tumor", "tumors", "cells"])
    assert tumor.steps is tumors.steps and tumor.reach is tumors.reach and tumor.steps is not cells.steps
    first = detector.infos(["they", "breathed", "in", "air"])
    second = detector.infos(["they", "breathed", "in", "smoke"])
    keys = [i.key for i in first], [i.key for i in second]
    one, two = detector._steps(first, keys[0], 1), detector._steps(second, keys[1], 1)
    assert len(one) > 1 and one is two


def test_the_thesaurus_links_spinner_swaps_to_term_words() -> None:
    detector = paraphrase._detector((), (), paraphrase.NO_TERMS)
    assert detector.reach("hazard")["risk"] in "sp"
    assert detector.reach("platelets")["blood cell"] == "p"
    assert detector.reach("tumors")["tumor"] == "="
    assert paraphrase.thesaurus().common_bigram("strong", "evidence")


def test_the_index_answers_from_flat_arrays() -> None:
    wn = paraphrase.thesaurus()
    assert "tumor" in wn.lemmas and "tumors" not in wn.lemmas and "white blood cell" not in wn.lemmas
    assert "white blood cell" in wn.phrases and "white platelets" not in wn.phrases
    assert "blood" in wn.followers("white") and wn.followers("zzzz") == ()
    assert wn.near("hazard")["risk"] == "s" and wn.near("zzzz") == {}
    assert (wn.zipf("the") or 0) > (wn.zipf("blood") or 0) > 0 and wn.zipf("zzzz") is None
    assert wn.frequency("white blood") == min(wn.zipf("white") or 0, wn.zipf("blood") or 0)


def test_a_lone_surrogate_is_looked_up_like_any_word() -> None:
    """A YAML "\\udc80" escape reaches the prose as a lone surrogate: looking it up must not raise."""
    wn = paraphrase.thesaurus()
    assert wn.position("x\udc80y") == -1 and wn.zipf("\udc80") is None and not wn.common_bigram("a\udc80", "b")
    detector = paraphrase._detector((), (), paraphrase.NO_TERMS)
    assert [i.known for i in detector.infos(["white", "x\udc80y", "platelets"])] == [True, False, True]


def test_the_index_format_round_trips(tmp_path: Path) -> None:
    """The build writes what the run time reads: sections, vocabulary keys, neighbour and follower slices."""
    from array import array

    from bench.build_wordnet_index import Index, write_index

    index = Index(lemmas={"tumor", "growth", "solid"}, phrases={"solid tumor", "solid state"},
                  exceptions={"tumours": "tumor"}, terms={"solid tumors": ("solid", "tumor")},
                  health_terms={"hip fracture": ("hip", "fracture")},
                  neighbours={"growth": ["tumor:h"], "strong": ["solid:s"], "hard": ["solid:m", "tumor:t"]},
                  zipf={"tumor": 35, "growth": 45, "strong": 50}, bigrams=array("I", [1, 5]),
                  health_bigrams=array("I"))
    write_index(tmp_path / "index.bin.gz", index.sections())
    wn = paraphrase.Thesaurus(paraphrase.read_sections(gzip.decompress((tmp_path / "index.bin.gz").read_bytes())))
    assert "growth" in wn.lemmas and "strong" not in wn.lemmas and "solid tumor" in wn.phrases
    assert wn.near("hard") == {"solid": "m", "tumor": "t"} and list(wn.near("hard")) == ["solid", "tumor"]
    assert wn.near("growth") == {"tumor": "h"} and wn.near("tumor") == {}
    assert wn.followers("solid") == ("state", "tumor") and wn.followers("tumor") == ()
    assert wn.zipf("strong") == 50 and wn.zipf("solid") is None
    assert wn.lemmatizer.key("tumours") == "tumor" and wn.wordnet_terms == (("solid tumors", ("solid", "tumor")),)
    assert wn.health_terms == (("hip fracture", ("hip", "fracture")),)
    with pytest.raises(ValueError, match="not a contentlint paraphrase index"):
        paraphrase.read_sections(b"something else")


def test_the_index_term_keys_are_the_lemmatizer_s() -> None:
    """The WordNet terms' word keys are worked out at build time: they must be what the run time would make."""
    wn = paraphrase.thesaurus()
    assert all(tuple(wn.lemmatizer.keys(text)) == keys for text, keys in (*wn.wordnet_terms, *wn.health_terms))


def test_medquad_terms_broaden_the_vocabulary_beyond_the_built_in_list() -> None:
    """Terms of any topic MedQuAD covers are spin targets: "hip fracture" is in neither terms.txt nor WordNet,
    and in a document that is spun as a whole its spun form is reported with it."""
    wn = paraphrase.thesaurus()
    health = {text for text, _ in wn.health_terms}
    assert {"hip fracture", "chronic obstructive pulmonary disease", "muscle stiffness"} <= health
    assert "hip fracture" not in paraphrase.read_terms() and "hip fracture" not in dict(wn.wordnet_terms)
    assert not health & {"heart attack discharge", "inherited disorder caused", "affect blood"}  # not noun phrases
    text = ("A fall can cause a hip crack. Doctors check for white platelets and lymph center points, and the "
            "unfortunate visualization worries families. In any case, designated treatment helps.")
    assert ("hip crack", "hip fracture") in {(f["text"], f["suggestion"]) for f in findings(text)}
    assert not findings("After the fall she had a hip crack and spent a week in hospital.")


def test_a_bulk_term_that_is_a_real_term_and_a_word_beside_it_is_not_reported_alone() -> None:
    """"red blood cells drops" reads as the lab term "red blood cell casts" with "drops" swapped; but "red blood
    cells" is a real term of its own and the word beside it most likely plain English."""
    detector = paraphrase._detector((), (), paraphrase.NO_TERMS)
    doc = Document.from_bytes("page.txt", b"The red blood cells drops were seen.")
    sentence = sentences(doc)[0]
    found = [c for c in detector.candidates(sentence, detector.infos(sentence.texts))
             if c.term.source == "health" and c.text == "red blood cells drops"]
    assert found and max(c.confidence for c in found) >= paraphrase.DEFAULT_THRESHOLD
    assert all(paraphrase._extends_term(detector, c) for c in found)
    assert not findings("When the count of red blood cells drops, people feel tired.")


def test_the_data_files_are_consistent() -> None:
    lemmatizer = paraphrase.thesaurus().lemmatizer
    intended = {" ".join(lemmatizer.keys(e.intended)) for e in paraphrase.read_lexicon()}
    spun = {" ".join(lemmatizer.keys(e.phrase)) for e in paraphrase.read_lexicon()}
    assert not intended & spun
    assert all(m.kind in ("connective", "heading") for m in paraphrase.read_marks())
    terms = paraphrase.read_terms()
    assert len(terms) == len(set(terms)) and all(" " in t or "-" in t for t in terms)


def test_terms_repeated_in_the_corpus_titles_are_real_terms(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    for root in (tmp_path / "on", tmp_path / "off"):
        for n, title in enumerate(("Transient ischemic assault: our support group",
                                   "Living after a transient ischemic assault")):
            write(root, f"t{n}.md", f'---\ntitle: "{title}"\nid: {920100 + n}\n---\n\nText.\n')
        write(root, "page.txt", "Members had a transient ischemic assault last year.\n")
    write(tmp_path / "off", "contentlint.toml", '[rules."paraphrase/tortured-phrase"]\ncorpus-titles = false\n')
    select = ("--select", "paraphrase/tortured-phrase")
    assert lint_json(tmp_path / "on", capsys, *select)[1]["findings"] == []
    found = lint_json(tmp_path / "off", capsys, *select)[1]["findings"]
    assert {f["path"] for f in found} == {"page.txt", "t0.md", "t1.md"}


def test_term_starts_depend_on_the_word_form_not_only_its_lemma() -> None:
    """Two forms of one lemma ("changes", "change") reach different terms; a memo keyed by the lemma alone
    made the answer depend on which form a worker met first (and so on the hash seed and the shard)."""
    from rules.paraphrase import NO_TERMS, _detector

    detector = _detector((), (), NO_TERMS)
    first_form = {"genetic": "s"}
    second_form = {"white": "s", "genetic": "s"}
    starts_first = detector._starts("change", first_form)
    starts_second = detector._starts("change", second_form)
    assert list(starts_first.items()) == [(u, c) for u, c in first_form.items() if u in detector.trie]
    assert list(starts_second.items()) == [(u, c) for u, c in second_form.items() if u in detector.trie]


def test_findings_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Set iteration order changes with PYTHONHASHSEED: results (and so the cache and shard merges) must not."""
    import os
    import subprocess
    import sys

    outputs = set()
    for seed in ("0", "1", "2", "3"):
        completed = subprocess.run(
            [sys.executable, "-m", "lint", "check", str(SEED), "--root", str(FIXTURES), "--select", "paraphrase",
             "--format", "json", "--no-cache", "--exit-zero"],
            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True)
        outputs.add(completed.stdout)
    assert len(outputs) == 1


def test_results_do_not_depend_on_what_the_detector_remembers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Word pairs and walks are remembered across documents and forgotten past a bound: a fresh detector, one
    that has read other documents first, and one that forgets before every document must agree."""

    def phrases(detector: paraphrase.Detector) -> list[tuple[int, int, str, float]]:
        doc = Document.from_bytes(SEED.name, SEED.read_bytes())
        analysis = paraphrase.analyse(doc, detector, paraphrase.Settings())
        return [(c.start, c.end, paraphrase.suggestion(c), c.confidence) for c in analysis.phrases]

    fresh = phrases(paraphrase.Detector())
    assert len(fresh) >= 12
    busy = paraphrase.Detector()
    for name in CLEAN_SEEDS:
        paraphrase.analyse(Document.from_bytes(name, (FIXTURES / name).read_bytes()), busy, paraphrase.Settings())
    assert phrases(busy) == fresh
    assert busy._walk_memo and busy._pair_flags
    assert "necrosis" in busy._info and "necrosis" in busy.wn.memos()[0]  # a clean seed's word, not seed 003's
    pair_bound = paraphrase.PAIR_MEMO
    monkeypatch.setattr(paraphrase, "PAIR_MEMO", 0)  # pairs and walks forgotten before each document, words kept
    assert phrases(busy) == fresh
    assert "necrosis" in busy._info and "necrosis" in busy.wn.memos()[0]
    alone = paraphrase.Detector()
    phrases(alone)
    assert len(busy._pair_flags) == len(alone._pair_flags)  # seed 003's pairs only: the others were forgotten
    monkeypatch.setattr(paraphrase, "PAIR_MEMO", pair_bound)
    monkeypatch.setattr(paraphrase, "WORD_MEMO", 0)  # what it remembers per word, too, forgotten each time
    assert phrases(busy) == fresh
    assert "necrosis" not in busy._info and "necrosis" not in busy.wn.memos()[0]
    assert phrases(busy) == fresh
    monkeypatch.setattr(paraphrase, "PAIR_MEMO", 0)
    forgetful = paraphrase.Detector()
    assert phrases(forgetful) == fresh
    assert phrases(forgetful) == fresh  # the second run starts from emptied memos


def test_common_english_swaps_count_in_spun_documents_only() -> None:
    """ "substance misuse" is ordinary English (its word pairs are common), so alone it stays quiet; in a document
    that is spun as a whole, a well-explained swap of common words is reported as a supporting finding."""
    sentence = "\n\nMany patients also struggle with substance misuse during treatment.\n"
    assert findings("Leukemia care is long." + sentence) == []
    spun = findings(SEED.read_text(encoding="utf-8") + sentence)
    [found] = [f for f in spun if f["text"] == "substance misuse"]
    assert found["suggestion"] == "substance abuse"
    assert found["details"]["confidence"] < paraphrase.DEFAULT_THRESHOLD


def test_us_spellings_are_words_as_often_as_their_british_forms() -> None:
    """The frequency list spells British; "unfavorable" missing from it was taken for a typo, which the detector
    never reports as a swap."""
    wn = paraphrase.thesaurus()
    for us, british in (("unfavorable", "unfavourable"), ("tumor", "tumour"), ("leukemia", "leukaemia"),
                        ("anemia", "anaemia"), ("esophagus", "oesophagus")):
        assert wn.zipf(us) is not None
        assert wn.zipf(us) == wn.zipf(british)
    [finding] = findings("Unfavorable impacts of the drug include nausea and headaches.")
    assert finding["suggestion"] == "Adverse effects"


def test_british_forms_of_us_spellings() -> None:
    from bench.build_wordnet_index import british_forms

    assert {"unfavourable"} <= british_forms("unfavorable")
    assert {"anaemia"} <= british_forms("anemia")
    assert {"paediatric"} <= british_forms("pediatric")
    assert {"centre"} <= british_forms("center")
    assert {"hospitalisation"} <= british_forms("hospitalization")
    assert british_forms("lung") == set()


def test_the_thesaurus_tells_broader_from_narrower_swaps() -> None:
    wn = paraphrase.thesaurus()
    assert wn.near("leukemia")["cancer"] == "n"  # the text word is narrower: a kind of cancer
    assert wn.near("growth")["tumor"] == "h"  # broader: the spinner's "strong growths"


def test_a_noun_two_hyponym_steps_away_is_a_loose_swap_that_counts_in_spun_documents_only() -> None:
    """"chemistry" is a kind of natural science, a kind of science: a spinner's thesaurus may list it as one."""
    assert paraphrase.thesaurus().near("science")["chemistry"] == "t"
    phrase = "Depression may come from changes in cerebrum science."
    assert findings(phrase) == []
    spun = (f"{phrase} White platelets fight infection, the focal sensory system controls the body, and an "
            "unfortunate visualization follows organ brokenness.")
    assert ("cerebrum science", "brain chemistry") in [(f["text"], f["suggestion"]) for f in findings(spun)]


def test_a_known_phrase_inside_a_longer_term_is_reported_as_that_term() -> None:
    """"aviation route" is in the lexicon ("airway"); with "upper" kept beside it the spinner wrote "upper airway"."""
    found = findings("Sleep apnea happens when the upper aviation route closes during sleep.")
    assert [(f["text"], f["suggestion"]) for f in found] == [("upper aviation route", "upper airway")]
    found = findings("Sleep apnea narrows the aviation route during sleep.")
    assert [(f["text"], f["suggestion"]) for f in found] == [("aviation route", "airway")]


def test_a_past_participle_of_a_term_stands_for_its_verb_s_swaps() -> None:
    """WordNet lists "acquired" as an adjective of its own; a spinner swaps it as the verb ("gained")."""
    assert "acquired" in paraphrase.thesaurus().near("gain")
    [finding] = findings("Hospital gained infections are common in intensive care units.")
    assert (finding["text"], finding["suggestion"]) == ("Hospital gained infections", "Hospital-acquired infections")


def test_corpus_terms_are_kept_for_the_next_run_while_the_titles_stay(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from lint.corpus import CorpusEntry, CorpusIndex

    def corpus(*titles: str) -> CorpusIndex:
        index = CorpusIndex()
        for number, title in enumerate(titles):
            index.add(CorpusEntry(f"a{number}.md", number, f"/q/a{number}", f"a{number}.md", title, "X"))
        return index

    def terms(index: CorpusIndex) -> paraphrase.TermSet:
        paraphrase._CORPUS_TERMS.clear()  # a new run
        return paraphrase.corpus_terms(CheckContext(options=paraphrase.ParaphraseOptions(), corpus=index,
                                                    settings={"cache_dir": tmp_path / "cache"}))

    titles = ("Iron deficiency anaemia in children", "Iron deficiency anaemia in adults", "Bone marrow tests")
    computed = terms(corpus(*titles))
    assert "iron deficiency" in computed and (tmp_path / "cache" / paraphrase.CORPUS_TERMS_FILE).is_file()
    counted: list[int] = []
    real = paraphrase._count_terms
    monkeypatch.setattr(paraphrase, "_count_terms", lambda titles: counted.append(1) or real(titles))
    assert terms(corpus(*titles)) == computed and counted == []  # same titles: read back
    assert "bone marrow" in terms(corpus(*titles, "Bone marrow biopsy")) and counted == [1]  # a title changed
    (tmp_path / "cache" / paraphrase.CORPUS_TERMS_FILE).write_text("{not json", encoding="utf-8")
    assert terms(corpus(*titles)) == computed and counted == [1, 1]  # a damaged file: counted again
    assert terms(corpus(*titles)) == computed and counted == [1, 1]
    monkeypatch.setattr(paraphrase, "code_digest", lambda directory: "other code")
    assert terms(corpus(*titles)) == computed and counted == [1, 1, 1]  # written by other code: counted again


@settings(max_examples=300, deadline=None)
@given(st.sets(st.text(max_size=12), max_size=30), st.lists(st.text(max_size=12), max_size=10))
def test_a_term_set_answers_as_the_set_of_its_strings(texts: set[str], others: list[str]) -> None:
    """The corpus's terms are held as hashes: membership is the strings' (and equal sets are one cache key)."""
    terms = paraphrase.TermSet(texts)
    assert len(terms) == len(texts)
    assert all(text in terms for text in texts)
    assert [other in terms for other in others] == [other in texts for other in others]
    assert terms == paraphrase.TermSet(sorted(texts)) and hash(terms) == hash(paraphrase.TermSet(list(texts)))
    assert 1 not in terms and terms != paraphrase.TermSet([*texts, "x" * 13])  # longer than any text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Future Headings", "The Rudiments of Care", "  Future Headings:", "In any case,",
                                 "text. Future Headings", "", "\r", " ", "a line.", "Future Headings!"]),
                max_size=8))
def test_headings_are_tried_at_line_starts_as_finditer_would_find_them(lines: list[str]) -> None:
    """The heading marks are matched at each line's start only: the same matches as finditer's search."""
    heading = paraphrase._mark_patterns()[1]
    text = "\n".join(lines)
    expected = [m.span(1) for m in heading.finditer(text)]
    assert [m.span(1) for m in paraphrase._line_matches(heading, text)] == expected



def test_mesh_and_symptom_ontology_names_are_spin_targets() -> None:
    """MeSH's subject names with a health word ("Wrist Fractures", not "Independent Living") and the Symptom
    Ontology's names ("loss of height": a noun, "of", a noun) are health terms, in the singular; a rare WordNet
    word missing from the frequency list ("tallness") is a dictionary word that a spinner swaps in, not a typo."""
    health = {text for text, _ in paraphrase.thesaurus().health_terms}
    assert {"wrist fracture", "spinal fracture", "loss of height"} <= health
    assert "independent living" not in health
    text = ("Bone loss leads to a wrist break or a spinal crack, and to a loss of tallness over the years. In "
            "any case, white platelets and lymph center points tell of an unfortunate visualization.")
    found = {(f["text"], f["suggestion"]) for f in findings(text)}
    assert {("wrist break", "wrist fracture"), ("loss of tallness", "loss of height")} <= found
    # one word swapped in a two-word bulk term is reported in a document spun as a whole only
    assert not findings("Over the years she had a wrist break that healed slowly.")


def test_curated_names_are_read_as_noun_phrases(tmp_path: Path) -> None:
    import zipfile

    from bench.build_wordnet_index import MESH_CSV, NounPhrase, Synset, mesh_names, name_terms, obo_names

    wheel = tmp_path / "mesh.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(MESH_CSV, "id,scheme,subject\n1,MeSH,\"Anemia, Hemolytic\"\n2,MeSH,Wrist Fractures\n"
                                   "3,MeSH,\"Leukemia, Myeloid, Acute\"\n")
    assert list(mesh_names(wheel)) == ["Hemolytic Anemia", "Wrist Fractures"]
    obo = tmp_path / "symp.obo"
    obo.write_text('format-version: 1.2\n\n[Term]\nid: S:1\nname: loss of height\nsynonym: "height loss" EXACT []\n'
                   'synonym: "shrinking" RELATED []\n\n[Term]\nid: S:2\nname: stooping\nis_obsolete: true\n\n'
                   '[Typedef]\nid: part_of\nname: part of\n', encoding="utf-8")
    assert list(obo_names(obo)) == ["loss of height", "height loss"]
    (tmp_path / "cntlist.rev").write_text("take%2:40:00:: 1 40\n", encoding="utf-8")
    nouns = ("anemia", "fracture", "wrist", "height", "loss", "take", "tremor")
    synsets = {("n", str(i)): Synset("n", "state", [w]) for i, w in enumerate(nouns)}
    synsets["a", "x"] = Synset("a", "all", ["hemolytic"])
    lemmatizer = paraphrase.Lemmatizer(frozenset((*nouns, "hemolytic")), {})
    noun_phrase = NounPhrase(tmp_path, synsets, lemmatizer)
    names = ["Hemolytic Anemia", "Wrist Fractures", "loss of height", "Tremor (finding)", "take fracture",
             "loss of the height", "tremor"]
    assert name_terms(names, noun_phrase) == {"hemolytic anemia", "wrist fracture", "loss of height"}
