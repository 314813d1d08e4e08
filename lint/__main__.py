"""``python -m lint`` runs the contentlint command line."""

from lint.cli import main

raise SystemExit(main())
