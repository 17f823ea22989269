"""``python -m inspector.cli`` is ``jwt-inspector-cli``."""

from inspector.cli import main

raise SystemExit(main())
