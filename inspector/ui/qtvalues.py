"""The few ``Qt`` namespace values the first frame needs, as plain names and integers.

The first time any member of PySide6's ``Qt`` namespace is touched (``Qt.Orientation``,
``Qt.AlignmentFlag``, a method returning ``Qt.ColorScheme``...), PySide 6.11 builds Python
enum classes for the whole namespace at once: 93 enums, about 25 ms here, a fifth of the
entire launch of a minimal PySide6 window. So the widgets shown in the first frame are set up
without it: enum properties are set through Qt's property system by the name of the value
(``setProperty("orientation", "Vertical")``: by name, not number, as converting a number to
the enum costs ~1.3 ms the first time), and item data roles, plain ``int`` in Qt's API, as
numbers. Code that runs after the first frame uses ``Qt.…`` as usual.

The same goes for anything PySide must build to choose between overloads: a widget created
as ``QSplitter(parent)`` is first tried against ``QSplitter(Qt.Orientation)``, and
``QPushButton(text, parent)`` against ``QPushButton(QIcon, text)``, which builds the class
being tested for. So such widgets are created with keyword arguments (``parent=...``), and
colours reach painters and text formats as brushes (``theme.solid_brush``).

``tests/ui/test_qtvalues.py`` checks each value against the real enum, that setting them has
the enum's effect, and that launching the window does not build the namespace.
"""

from __future__ import annotations

#: ``Qt.Orientation.Vertical`` (the ``orientation`` property of a splitter).
VERTICAL = "Vertical"
#: ``Qt.TextInteractionFlag.TextSelectableByMouse`` (a label's ``textInteractionFlags``).
TEXT_SELECTABLE_BY_MOUSE = "TextSelectableByMouse"
#: ``Qt.TextFormat.PlainText`` (a label's ``textFormat``).
PLAIN_TEXT = "PlainText"
#: ``Qt.ItemDataRole.UserRole`` and ``Qt.ItemDataRole.AccessibleTextRole`` (item data roles
#: are plain ``int`` in Qt's API).
USER_ROLE = 0x100
ACCESSIBLE_TEXT_ROLE = 11
#: ``Qt.ItemDataRole.DecorationRole`` (an item's icon, given as a pixmap).
DECORATION_ROLE = 1
