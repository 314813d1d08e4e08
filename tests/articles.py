"""A valid Q&A article to build test documents from (ids 960001-960999 belong to these tests)."""

from __future__ import annotations

TEMPLATE = """---
_schema: default
id: {id}
date: 2025-01-30
title: {title}
article_title: {title}
date_format: MMM DD, YYYY
post_on_text: Posted on
seo:
  title: QuickTakes | Health Studies
  page_description: >-
    {description}
  page_keywords: >-
    anemia, red blood cells, iron, fatigue
author: QuickTakes
question: >-
    {title}
answer: >-
    Anemia is a condition in which your blood has fewer healthy red blood cells than normal.
subject: Health Studies
file_name: {stem}.md
url: /learn/health-studies/questions/{stem}
score: -1.0
---

{body}"""

DESCRIPTION = "Anemia means your blood has too few healthy red blood cells to carry the oxygen your body needs."


def article(article_id: int, stem: str, title: str = "What is anemia?", description: str = DESCRIPTION,
            body: str = "&nbsp;\n") -> str:
    assert 960001 <= article_id <= 960999, "ids of the adoption tests"
    return TEMPLATE.format(id=article_id, stem=stem, title=title, description=description, body=body)
