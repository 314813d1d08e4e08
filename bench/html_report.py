"""Benchmark of the HTML report at corpus scale: file size, render time, and time to first paint in chromium.

    .venv/bin/python bench/html_report.py                  # 20,000 documents, 100,000 findings
    .venv/bin/python bench/html_report.py --docs 2000      # a quicker run

It writes synthetic articles (front matter with a long one-line answer, as in the real corpus) to a temporary
content root, builds a result with findings at real positions in them and readability metrics, renders the
report as `contentlint check --format html` would, and opens it from disk in Debian's chromium to read the
browser's own first-contentful-paint, the report's `report-ready` mark (summary, table and filters drawn),
and the time a rule filter, a text search and a `j` keypress take. Figures go to stdout and to
bench/results/html_report.json. Timings belong here, not in pytest.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from lint import registry  # noqa: E402
from lint.reporters import ReportContext, html_format  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
WORDS = ("leukemia", "marrow", "cells", "blood", "patients", "treatment", "doctors", "symptoms", "infection",
         "platelets", "anemia", "fatigue", "diagnosis", "chemotherapy", "transfusion", "spleen", "liver", "lymph",
         "nodes", "fever", "bruising", "bleeding", "therapy", "risk")
RULES = [("readability/sentence-length", "warning", "sentence has {n} words; aim for 25 or fewer"),
         ("grammar/agreement", "warning", "'{w}' does not agree with its subject"),
         ("paraphrase/tortured-phrase", "error", "'{w} {v}' looks like a spun phrase"),
         ("schema/description-length", "warning", "seo.page_description is {n} characters; expected 50-160"),
         ("encoding/mojibake", "error", "'{w}' looks like text decoded with the wrong codec"),
         ("links/numbering-gap", "error", "related_article{n} follows related_article1"),
         ("boilerplate/filler", "info", "'{w}' adds nothing here")]


def article(rng: random.Random, number: int) -> str:
    sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))).capitalize() + "."
                 for _ in range(rng.randint(8, 20))]
    answer = " ".join(sentences)
    return (f"---\n_schema: default\nid: {number + 1}\ndate: 2025-01-30\ntitle: What is topic {number}?\n"
            f"seo:\n  title: QuickTakes | Health Studies\n  page_description: >-\n    {sentences[0]}\n"
            f"question: >-\n    What is topic {number}?\nanswer: >-\n    {answer}\nsubject: Health Studies\n"
            f"file_name: doc-{number:05}.md\n---\n\n{sentences[-1]}\n")


def findings_for(rng: random.Random, path: str, text: str, count: int) -> list[dict[str, Any]]:
    lines = text.split("\n")
    answer_line = next(i for i, line in enumerate(lines) if line.startswith("answer:")) + 1
    prose = lines[answer_line]
    result = []
    for _ in range(count):
        rule, severity, template = RULES[rng.randrange(len(RULES))]
        start = rng.randrange(4, max(5, len(prose) - 40))
        end = start + rng.randint(3, 40)
        word = prose[start:end].split(" ")[0] or "x"
        result.append({
            "path": path, "rule": rule, "category": rule.split("/")[0], "severity": severity,
            "message": template.format(n=rng.randint(2, 60), w=word, v=rng.choice(WORDS)),
            "line": answer_line + 1, "column": start + 1, "end_line": answer_line + 1, "end_column": end + 1,
            "field": "answer", "excerpt": prose[start:end], "suggestion": rng.choice([None, word.upper()]),
            "fixable": False, "fix": None, "details": {}})
    return sorted(result, key=lambda f: (f["line"], f["column"], f["rule"]))


def build(root: Path, docs: int, per_doc: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    files, findings = [], []
    for number in range(docs):
        path = f"content/doc-{number:05}.md"
        text = article(rng, number)
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
        mine = findings_for(rng, path, text, per_doc)
        findings += mine
        grade = round(rng.gauss(10, 2.5), 1)
        files.append({"path": path, "schema": "default", "findings": len(mine),
                      "metrics": {"readability": {"grade": grade, "target": 8, "metric": "flesch-kincaid",
                                                  "audience": "patients"}}})
    by_severity = {level: sum(f["severity"] == level for f in findings) for level in ("error", "warning", "info")}
    by_rule: dict[str, int] = {}
    for item in findings:
        by_rule[item["rule"]] = by_rule.get(item["rule"], 0) + 1
    return {"version": 1, "tool": {"name": "contentlint", "version": "bench"}, "findings": findings,
            "files": files, "summary": {"files": docs, "findings": len(findings), "by_severity": by_severity,
                                        "by_rule": dict(sorted(by_rule.items()))}}


def measure(report: Path) -> dict[str, float]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        started = time.perf_counter()
        page.goto(report.as_uri(), timeout=120_000)
        page.wait_for_selector("body[data-ready=true]", timeout=120_000)
        wall = time.perf_counter() - started
        timing = page.evaluate("""() => ({
            fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
            ready: performance.getEntriesByName('report-ready')[0]?.startTime ?? null,
            dcl: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? null,
            heap: performance.memory ? performance.memory.usedJSHeapSize : null})""")
        figures = {"first_contentful_paint_ms": timing["fcp"], "report_ready_ms": timing["ready"],
                   "dom_content_loaded_ms": timing["dcl"], "open_wall_s": round(wall, 2),
                   "js_heap_mb": round(timing["heap"] / 1e6, 1) if timing["heap"] else None}
        rule_value = page.eval_on_selector("#filter-rule option:nth-child(2)", "o => o.value")
        figures["rule_filter_ms"] = _timed(page, lambda: page.select_option("#filter-rule", value=rule_value))
        page.select_option("#filter-rule", value="")
        figures["text_search_ms"] = _timed(page, lambda: page.evaluate(
            "() => { const i = document.getElementById('filter-text'); i.value = 'marrow';"
            " i.dispatchEvent(new Event('input')); }"), settle="() => document.querySelector('#match-count')"
            ".textContent !== window.__before")
        figures["next_finding_ms"] = _timed(page, lambda: page.keyboard.press("j"))
        browser.close()
    return figures


def _timed(page: Any, action: Any, settle: str | None = None) -> float:
    page.evaluate("() => { window.__before = document.querySelector('#match-count').textContent; }")
    started = time.perf_counter()
    action()
    if settle:
        page.wait_for_function(settle, timeout=60_000)
    page.evaluate("() => new Promise(requestAnimationFrame)")  # until the next frame is painted
    return round((time.perf_counter() - started) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--findings-per-doc", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        result = build(root, args.docs, args.findings_per_doc)
        started = time.perf_counter()
        out = io.StringIO()
        html_format.render(result, out, ReportContext(root=root, rules=registry.all_rules()))
        render_s = time.perf_counter() - started
        report = root / "report.html"
        report.write_text(out.getvalue(), encoding="utf-8")
        figures: dict[str, Any] = {"documents": args.docs, "findings": len(result["findings"]),
                                   "html_bytes": report.stat().st_size, "render_s": round(render_s, 2)}
        figures |= measure(report)
    print(json.dumps(figures, indent=2))
    results = REPO / "bench/results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "html_report.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
