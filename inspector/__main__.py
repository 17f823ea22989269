"""``python -m inspector`` opens the window (an optional token argument pre-fills it)."""

from inspector.ui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
