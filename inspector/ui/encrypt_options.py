"""The edit panel's "Encrypt (JWE)" option (issue 14 item 4): the signed token (sign-then-
encrypt, ``cty: "JWT"``) or the payload alone, encrypted to a recipient's key with any key
management and content encryption the decrypter reads.

The option is a check box beside the signing key's title, so the panel keeps its height
(it must fit a bottom dock at 1024x700) until it is ticked; then a row with what to encrypt,
the algorithm, the content encryption and the recipient's key (one line high) appears above
the panel's messages. The work is the
core's :func:`~inspector.core.encryption.encrypt_token`; this module reads the controls and
says why a token cannot be made (never quoting the key).
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from inspector.core.encryption import EncryptionError, encrypt_token
from inspector.core.jwa_encryption import CONTENT_ENCRYPTION, KEY_MANAGEMENT

#: The choices preselected: what the identity providers of issue 14 issue by default.
DEFAULT_ALG = "RSA-OAEP-256"
DEFAULT_ENC = "A256GCM"
#: What to encrypt (combo text -> whether the signed token is encrypted).
WHAT = {"signed token": True, "payload only": False}
#: Key management whose recipient key is a shared secret or password: the same text decrypts.
SHARED_KEY_FAMILIES = ("AESKW", "AESGCMKW", "dir", "PBES2")


class Encrypted(NamedTuple):
    """A JWE made by :meth:`EncryptOptions.encrypt`, and the key text that decrypts it
    (``None`` when only the recipient's private key does, which the panel does not have)."""

    token: str
    decryption_key: str | None
    note: str


class EncryptOptions:
    """The check box (:attr:`check`, for the key's title row) and the row it shows
    (:attr:`row`, under the Sign button)."""

    def __init__(self) -> None:
        self.check = QCheckBox("Encrypt (JWE)")
        self.check.setObjectName("encryptCheck")
        self.check.setToolTip(
            "Encrypt the token for a recipient (a JWE): the signed token inside "
            "(sign-then-encrypt, cty JWT), or the payload alone"
        )
        self.row = QWidget()
        self.row.setObjectName("encryptRow")
        self.alg_combo = QComboBox(self.row)
        self.alg_combo.setObjectName("encryptAlgCombo")
        self.alg_combo.setAccessibleName("Key management algorithm")
        self.alg_combo.addItems(list(KEY_MANAGEMENT))
        self.alg_combo.setCurrentText(DEFAULT_ALG)
        self.enc_combo = QComboBox(self.row)
        self.enc_combo.setObjectName("encryptEncCombo")
        self.enc_combo.setAccessibleName("Content encryption")
        self.enc_combo.addItems(list(CONTENT_ENCRYPTION))
        self.enc_combo.setCurrentText(DEFAULT_ENC)
        self.what_combo = QComboBox(self.row)
        self.what_combo.setObjectName("encryptWhatCombo")
        self.what_combo.setAccessibleName("What to encrypt")
        self.what_combo.addItems(list(WHAT))
        self.key_edit = QPlainTextEdit(self.row)
        self.key_edit.setObjectName("recipientKeyEdit")
        self.key_edit.setAccessibleName("Recipient's key")
        self.key_edit.setPlaceholderText("Recipient's key")
        self.key_edit.setToolTip(
            "The recipient's public key, PEM or JWK (RSA, ECDH-ES); a shared secret or oct JWK "
            "(AES key wrap, dir); a password (PBES2)"
        )
        self.key_edit.setMinimumWidth(self.key_edit.fontMetrics().horizontalAdvance("M" * 16))
        self.key_edit.setTabChangesFocus(True)
        # One line high, as tall as the combos beside it (a pasted PEM scrolls): the row sits
        # above the panel's messages, in the height a dock at 1024x700 has.
        self.key_edit.setFixedHeight(self.alg_combo.sizeHint().height())
        self.key_edit.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QHBoxLayout(self.row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        # The combos say what they are (RSA-OAEP-256, A256GCM): only the row is labelled.
        layout.addWidget(QLabel("Encrypt", self.row))
        for combo, tip in (
            (self.what_combo, "Encrypt the signed token (sign-then-encrypt) or the payload"),
            (self.alg_combo, "Key management (alg)"),
            (self.enc_combo, "Content encryption (enc)"),
        ):
            combo.setToolTip(tip)
            layout.addWidget(combo)
        layout.addWidget(self.key_edit, 1)
        self.row.hide()
        self.check.toggled.connect(self.row.setVisible)

    def tab_chain(self) -> list[QWidget]:
        """Its controls in the order the Tab key visits them."""
        return [self.check, self.what_combo, self.alg_combo, self.enc_combo, self.key_edit]

    def wanted(self) -> bool:
        return self.check.isChecked()

    def signs_first(self) -> bool:
        """Whether the signed token is encrypted (else the payload alone)."""
        return WHAT[self.what_combo.currentText()]

    def encrypt(self, plaintext: str, secret_encoding: str) -> Encrypted:
        """Encrypt ``plaintext`` (a signed token, or the payload JSON) as chosen; raises
        :class:`EncryptionError` saying why it cannot."""
        alg, enc = self.alg_combo.currentText(), self.enc_combo.currentText()
        key_text = self.key_edit.toPlainText()
        if not key_text.strip():
            raise EncryptionError("Enter the recipient's key to encrypt to.")
        header = {"cty": "JWT"} if self.signs_first() else None
        token = encrypt_token(
            plaintext, key_text, alg=alg, enc=enc, header=header, secret_encoding=secret_encoding
        )
        shared = KEY_MANAGEMENT[alg].family in SHARED_KEY_FAMILIES
        note = f"Encrypted with {alg}, {enc}."
        if not shared:
            note += " Decrypt it with the recipient's private key."
        return Encrypted(token, key_text if shared else None, note)
