"""Regenerate docs/report.png: the HTML report on fixtures/, as an editor sees it after pressing j twice.

    .venv/bin/python docs/make_screenshot.py

Needs Debian's chromium (/usr/bin/chromium) and the dev extras (playwright).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, "-m", "lint", "check", "fixtures/", "--exit-zero", "--quiet",
                        "--format", "html", "--output", f"{out}/report.html"], cwd=REPO, check=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1150}, device_scale_factor=1)
            page.goto(Path(out, "report.html").as_uri())
            page.wait_for_selector("body[data-ready=true]")
            page.keyboard.press("j")
            page.keyboard.press("j")
            page.locator(".finding.current .rule-button").click()
            page.evaluate("() => window.scrollTo(0, 0)")
            page.screenshot(path=str(REPO / "docs/report.png"))
            browser.close()


if __name__ == "__main__":
    main()
