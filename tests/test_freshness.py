"""freshness/stale: labelled dates and the front-matter date, read in the usual formats, against an injectable
today."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import freshness

from .conftest import FIXTURES, lint_json, write

SEED_002 = "gard-bone-marrow-necrosis.txt"
TODAY = "2026-11-24"


def stale(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, name: str = "page.txt",
          options: str = "") -> list[dict[str, Any]]:
    write(tmp_path, "contentlint.toml", f'[rules."freshness/stale"]\ntoday = {TODAY}\n{options}')
    write(tmp_path, name, content)
    _, result = lint_json(tmp_path, capsys, "--select", "freshness/stale")
    found: list[dict[str, Any]] = result["findings"]
    return found


def test_seed_002_is_stale_once_for_its_five_identical_dates(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (finding,) = stale(tmp_path, capsys, (FIXTURES / SEED_002).read_bytes(), SEED_002)
    assert (finding["line"], finding["column"], finding["end_column"]) == (32, 1, 23)
    assert finding["excerpt"] == "Last updated: 4/8/2010"
    assert finding["details"] == {"date": "2010-04-08", "age_days": 6074, "lines": [32, 37, 49, 54, 59]}
    assert "16 years old" in finding["message"] and "4 more lines (37, 49, 54, 59)" in finding["message"]


@pytest.mark.parametrize(("written", "date"), [
    ("4/8/2010", "2010-04-08"),
    ("04/08/2010", "2010-04-08"),
    ("2010-04-08", "2010-04-08"),
    ("2010/04/08", "2010-04-08"),
    ("April 8, 2010", "2010-04-08"),
    ("Apr. 8, 2010", "2010-04-08"),
    ("April 8th, 2010", "2010-04-08"),
    ("8 April 2010", "2010-04-08"),
    ("8 Apr 2010", "2010-04-08"),
    ("Sept. 3, 2012", "2012-09-03"),
    ("March 2015", "2015-03-01"),
    ("8.4.2010", "2010-04-08"),  # dotted dates are day first
    ("25/12/2010", "2010-12-25"),  # a first number over 12 can only be a day
    ("4/8/10", "2010-04-08"),
    ("04/2010", "2010-04-01"),
    ("2010", "2010-12-31"),  # a year alone: its last day, at the latest
])
def test_date_formats(written: str, date: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (finding,) = stale(tmp_path, capsys, f"Anemia\n\nLast reviewed: {written}\n")
    assert finding["details"]["date"] == date
    assert finding["excerpt"] == f"Last reviewed: {written}"


@pytest.mark.parametrize("line", [
    "Page last reviewed: 12 March 2015",
    "Content last updated on 2015-03-12",
    "Medically reviewed on March 12, 2015",
    "Updated: 2015-03-12",
    "LAST MODIFIED - 12 March 2015",
    "**Last updated:** 12 March 2015",
    "last_reviewed: 2015-03-12",
    "Medically reviewed by Dr. Jane Roe, MD on March 12, 2015",
    "Content last updated 2015.",
])
def test_labels(line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert len(stale(tmp_path, capsys, f"Anemia\n\n{line}\n")) == 1


@pytest.mark.parametrize("line", [
    "4. Janssens AM. Cancer. 2000; http://www.ncbi.nlm.nih.gov/pubmed/10760751. Accessed 4/8/2010.",
    "Published 12 March 2015 in a journal.",
    "The study ran from 2001-01-01 to 2003-12-31.",
    "Last updated: 2/30/2010",  # not a calendar date
    "Last updated: Smarch 3, 2010",  # not a month
    "Last updated: 2025-06-01",  # recent
    "Last updated: 2027-01-01",  # in the future
    "Researchers reviewed 2000 medical records.",  # a number, not a year of review
    "The panel reviewed by hand the 1999 guidance on iron.",  # no "on <date>" after the name
])
def test_not_stale(line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert stale(tmp_path, capsys, f"Anemia\n\n{line}\n") == []


def test_day_first_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (finding,) = stale(tmp_path, capsys, "Last updated: 4/8/2010\n", options="day-first = true\n")
    assert finding["details"]["date"] == "2010-08-04"


def test_max_age_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Last updated: 2025-06-01\n"
    # (each configuration in its own directory: configurations are cached per directory for the run)
    assert stale(tmp_path / "a", capsys, text, options="max-age-years = 1\n")[0]["details"]["date"] == "2025-06-01"
    assert stale(tmp_path / "b", capsys, text, options="max-age-years = 2\n") == []


def test_distinct_dates_each_get_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Last updated: 4/8/2010\n\nLast updated: 2012-01-05\n\nLast updated: April 8, 2010\n"
    found = stale(tmp_path, capsys, text)
    assert [(f["line"], f["details"]["lines"]) for f in found] == [(1, [1, 5]), (3, [3])]


def test_front_matter_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "---\ntitle: Anemia\ndate: 2019-05-02\n---\n\nLast updated: 2019-05-02\n"
    found = stale(tmp_path, capsys, text, "page.md")
    assert [(f["line"], f["column"], f["field"], f["excerpt"]) for f in found] == [
        (3, 7, "date", "2019-05-02"), (6, 1, None, "Last updated: 2019-05-02")]
    assert found[0]["message"].startswith("front-matter date 2019-05-02 is 7 years old")


@pytest.mark.parametrize("date", ["2025-01-30", "'not a date'", "[2019, 5]"])
def test_a_recent_or_unreadable_front_matter_date_is_not_stale(
        date: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert stale(tmp_path, capsys, f"---\ntitle: Anemia\ndate: {date}\n---\n", "page.md") == []


def test_today_defaults_to_the_current_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "page.txt", "Last updated: 1999-01-01\n\nLast updated: 2999-01-01\n")
    _, result = lint_json(tmp_path, capsys, "--select", "freshness/stale")
    assert [f["details"]["date"] for f in result["findings"]] == ["1999-01-01"]


def test_a_date_repeated_on_many_lines_names_ten_of_them_and_details_all(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (finding,) = stale(tmp_path, capsys, "\n\n".join(["Last updated: 2010-01-01"] * 13))
    assert finding["message"].endswith("on 12 more lines (3, 5, 7, 9, 11, 13, 15, 17, 19, 21, ...)")
    assert finding["details"]["lines"] == list(range(1, 26, 2))


def test_findings_depend_on_the_day_unless_today_is_fixed() -> None:
    assert freshness.Stale.cache_scope(freshness.StaleOptions()) == datetime.date.today().isoformat()
    assert freshness.Stale.cache_scope(freshness.StaleOptions(today=datetime.date(2026, 11, 24))) == ""


_LABEL_PIECES = ["Last updated: ", "last_updated:", "LAST REVIEWED ", "Page last reviewed on ", "updated", "-updated ",
                 "content ", "4/8/2010", " ", "\n", "**Last updated:** ", "reviewed", "ſ", "ß", "Date last reviewed",
                 "xlast updated ", "Review date: 2011-02-03"]


@given(st.lists(st.sampled_from(_LABEL_PIECES), max_size=10))
def test_labels_found_from_their_first_words_are_those_a_full_scan_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert [m.span() for m in freshness._labels_in(text)] == \
           [m.span() for m in freshness._label_pattern().finditer(text)]
