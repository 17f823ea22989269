"""File > Open token file... and Open key file...: ask for a file, read it, hand its text to
the window. A file that cannot be read is said in the status bar, never raised.

Imported when the user first opens a file (the first frame does without the file dialog).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from inspector.ui.token_editor import read_text_file

if TYPE_CHECKING:
    from inspector.ui.window import InspectorWindow

#: How long a failure stays in the status bar.
FAILURE_MS = 8000


def ask_and_open(window: InspectorWindow, what: str) -> None:
    """Ask for a ``"token"`` or ``"key"`` file, then open it (nothing if none is chosen)."""
    opener = {"token": open_token_file, "key": open_key_file}[what]
    path = QFileDialog.getOpenFileName(window, f"Open {what} file")[0]
    if path:
        opener(window, path)


def open_token_file(window: InspectorWindow, path: str) -> None:
    """Inspect the text of the file at ``path`` (UTF-8)."""
    try:
        text = read_text_file(path)
    except (OSError, ValueError) as err:
        window.statusBar().showMessage(f"Could not read the token file: {err}", FAILURE_MS)
        return
    window.set_token_text(text)


def open_key_file(window: InspectorWindow, path: str) -> None:
    """Read the key through the one key-file reader (:func:`inspector.keysource.from_file`,
    as the CLI does): text as UTF-8 without a byte-order mark; a binary DER key or
    certificate as base64 DER; other binary content as the secret's bytes in hex."""
    from inspector.keysource import KeySourceError, from_file

    try:
        source = from_file(path)
    except KeySourceError as err:
        window.statusBar().showMessage(f"Could not read the key file: {err}", FAILURE_MS)
        return
    binary_secret = source.secret_encoding != "utf-8"
    window.set_key_text(source.text, encoding=source.secret_encoding if binary_secret else None)
