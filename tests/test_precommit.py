"""The pre-commit hook, as another repository would use it: `pre-commit try-repo` against this checkout.

pre-commit installs contentlint from this repository into its own environment (from the package index), so
this test is slow; it runs in `make test` all the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import FIXTURES, REPO

pytestmark = pytest.mark.slow

GOOD = FIXTURES / "rules/schema/missing-field/pass/what-is-anemia.md"
BAD = FIXTURES / "rules/schema/missing-field/fail/what-is-anemia.md"
OTHER = FIXTURES / "rules/schema/duplicate-id/pass/what-causes-anemia.md"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    pre_commit = shutil.which("pre-commit", path=str(Path(os.sys.executable).parent)) or "pre-commit"
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run([pre_commit, "try-repo", str(REPO), "contentlint", "--verbose"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900, check=False)


def test_hook_fails_on_a_bad_document_then_passes_once_fixed(tmp_path: Path) -> None:
    repo = tmp_path / "articles"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "pyproject.toml").write_text('[tool.contentlint]\nselect = ["schema"]\n')
    shutil.copy(BAD, repo / "what-is-anemia.md")
    shutil.copy(OTHER, repo / "what-causes-anemia.md")
    _git(repo, "add", ".")
    home = tmp_path / "pre-commit-home"

    failed = _try_repo(repo, home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "schema/missing-field" in failed.stdout
    assert "what-is-anemia.md" in failed.stdout

    shutil.copy(GOOD, repo / "what-is-anemia.md")
    _git(repo, "add", ".")
    passed = _try_repo(repo, home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
