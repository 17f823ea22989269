"""Help > About: what JWT Inspector is, its licences, and the versions a bug report needs
(the app, Python, Qt, PySide6, cryptography, orjson, the operating system and Qt's platform), with
a button that copies them as plain text."""

from __future__ import annotations

import platform

from PySide6.QtCore import Qt, Slot, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector import __version__
from inspector.ui.theme import monospace_font

#: What the app is, under its name.
DESCRIPTION = (
    "Paste a token: see it decoded, verified and explained. Works offline: tokens and keys "
    "never leave this window and are never saved."
)
LICENCES = (
    "JWT Inspector is released under the MIT licence. Built with Qt and PySide6 "
    "(LGPL-3.0), pyca/cryptography (Apache-2.0 or BSD-3-Clause) and orjson (Apache-2.0 or "
    "MIT)."
)
#: The icon's size in the dialog, in device-independent pixels.
ICON_PX = 64


def version_report() -> str:
    """The versions, one ``name: value`` per line, as pasted into a bug report."""
    import cryptography
    import orjson
    from PySide6 import __version__ as pyside_version

    app = QGuiApplication.instance()
    qt_platform = QGuiApplication.platformName() if app is not None else "(no application)"
    lines = [
        f"JWT Inspector: {__version__}",
        f"Python: {platform.python_version()} ({platform.python_implementation()})",
        f"Qt: {qVersion()} (runtime)",
        f"PySide6: {pyside_version}",
        f"cryptography: {cryptography.__version__}",
        f"orjson: {orjson.__version__}",
        f"OS: {platform.platform()}",
        f"Qt platform: {qt_platform}",
    ]
    return "\n".join(lines)


class AboutDialog(QDialog):
    """The About box; :attr:`versionsEdit` holds :func:`version_report`'s text (selectable),
    :attr:`copyButton` copies it to the clipboard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About JWT Inspector")

        self.iconLabel = QLabel()
        self.iconLabel.setObjectName("aboutIcon")
        icon = QGuiApplication.windowIcon()
        if not icon.isNull():
            self.iconLabel.setPixmap(icon.pixmap(ICON_PX, ICON_PX))
        self.titleLabel = QLabel(f"<b>JWT Inspector {__version__}</b>")
        self.titleLabel.setObjectName("aboutTitle")
        font = self.titleLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.titleLabel.setFont(font)
        self.descriptionLabel = QLabel(DESCRIPTION)
        self.descriptionLabel.setObjectName("aboutDescription")
        self.descriptionLabel.setWordWrap(True)
        self.licenceLabel = QLabel(LICENCES)
        self.licenceLabel.setObjectName("aboutLicences")
        self.licenceLabel.setWordWrap(True)

        self.versionsEdit = QPlainTextEdit(version_report())
        self.versionsEdit.setObjectName("aboutVersions")
        self.versionsEdit.setReadOnly(True)
        self.versionsEdit.setAccessibleName("Versions, for bug reports")
        self.versionsEdit.setFont(monospace_font())
        self.versionsEdit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        lines = self.versionsEdit.blockCount()
        metrics = self.versionsEdit.fontMetrics()
        self.versionsEdit.setFixedHeight(metrics.lineSpacing() * (lines + 1) + 12)
        self.versionsEdit.setMinimumWidth(metrics.horizontalAdvance("M") * 60)

        self.copyButton = QPushButton("&Copy versions")
        self.copyButton.setObjectName("aboutCopyButton")
        self.copyButton.clicked.connect(self._on_copy_button_clicked)
        self.closeButton = QPushButton("Close")
        self.closeButton.setObjectName("aboutCloseButton")
        self.closeButton.setDefault(True)
        self.closeButton.clicked.connect(self.close)
        self.statusLabel = QLabel("")
        self.statusLabel.setObjectName("aboutStatus")
        self.statusLabel.setProperty("role", "muted")

        heading = QHBoxLayout()
        heading.setSpacing(16)
        heading.addWidget(self.iconLabel, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.addWidget(self.titleLabel)
        titles.addWidget(self.descriptionLabel)
        heading.addLayout(titles, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.statusLabel, 1)
        buttons.addWidget(self.copyButton)
        buttons.addWidget(self.closeButton)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(heading)
        layout.addWidget(self.licenceLabel)
        layout.addWidget(QLabel("Versions (for bug reports):"))
        layout.addWidget(self.versionsEdit)
        layout.addLayout(buttons)

    def text(self) -> str:
        """The versions as copied."""
        return self.versionsEdit.toPlainText()

    def bring_up(self) -> AboutDialog:
        """Show the dialog, or raise it when it is already open (perhaps behind the window)."""
        if self.isVisible():
            self.raise_()
        else:
            self.show()
        self.activateWindow()
        return self

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.statusLabel.setText("Copied.")
