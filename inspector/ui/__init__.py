"""The desktop window (PySide6). The only package that imports Qt; it shows core results.

**The thread rule: no Qt object is ever destroyed off the GUI thread.** Qt objects (QObjects
and widgets, and the value types that point into them, such as a ``QTextCursor``) are made on
the GUI thread and must die there; a Qt object destroyed in a worker while the GUI thread
uses its neighbours is a crash that comes once in many runs (``Fatal Python error:
Segmentation fault`` in a thread that is "Garbage-collecting"). Two things could do it, and
both are designed out (:mod:`inspector.ui.gui_thread`):

1. *Python's cyclic garbage collector* runs in whichever thread happens to allocate when a
   threshold trips, and frees the Qt objects held by the garbage it finds there. So
   automatic collection is off for the app's lifetime, and the GUI thread collects on a
   timer instead (:func:`~inspector.ui.gui_thread.install_gui_thread_policy`, called by
   :func:`inspector.ui.app.main` after the first frame and by ``tests/ui/conftest.py`` on
   pytest-qt's application). Nothing in this package turns automatic collection back on,
   nor calls ``gc.collect`` off the GUI thread.
2. *A worker dropping the last reference* to something that holds a Qt object. So work off
   the GUI thread goes through :class:`~inspector.ui.gui_thread.Jobs`: a job is a plain
   callable over plain data (strings, numbers, named tuples, the codec's frozen results),
   its runnable holds nothing Qt, and it reports through one relay object that lives as
   long as the application. Results are plain data too. Nothing a worker touches may own,
   or be, a Qt object, and no worker emits on an object the GUI side could delete.

Also: an exception that escapes a slot or a job is shown by
:mod:`inspector.ui.crash_dialog` (scrubbed of token and key text) and the window stays
usable.

Modules that run before Qt is loaded (:mod:`~inspector.ui.prefork`, :mod:`~inspector.ui.jobs`,
:mod:`~inspector.ui.render`, :mod:`~inspector.ui.example`) import no Qt at all, so this
package's ``__init__`` imports nothing.
"""
