"""``python -m enclaves.checks``: see :mod:`enclaves.checks.cli`."""

from .cli import main

raise SystemExit(main())
