"""Entry point of the desktop app: ``jwt-inspector [TOKEN]`` and ``python -m inspector``.

Hidden option for benchmarks and smoke tests: ``--smoke-exit`` (or the environment variable
``JWT_INSPECTOR_SMOKE_EXIT=1``) quits as soon as the first inspection is shown in the window,
printing ``first-inspection-shown <seconds since main()>`` to standard error, then
``launch-phases`` with the milliseconds since ``main()`` at which each launch step ended
(``benchmarks/bench_launch.py`` prints their medians).

Only what the first frame needs is imported up front. On Linux the first inspection runs in
a child forked before Qt is imported (so the codec and ``cryptography`` load on another core
while the window is built); elsewhere the worker thread imports the codec.
"""

from __future__ import annotations

import faulthandler
import gc
import os
import sys
import time

SMOKE_ENV = "JWT_INSPECTOR_SMOKE_EXIT"
#: The signing tools (edit mode, key generator) are added this long after the first result.
TOOLS_DELAY_MS = 400
#: The application's id: its desktop entry's name, and the icon's.
APP_ID = "jwt-inspector"
USAGE = (
    "usage: jwt-inspector [TOKEN]\n"
    "       jwt-inspector --install-desktop-entry\n\n"
    "Opens the JWT Inspector window; TOKEN (optional) is put in the editor instead of the\n"
    "example.\n\n"
    "--install-desktop-entry  add JWT Inspector to the desktop's application menu: copies\n"
    "                         jwt-inspector.desktop to ~/.local/share/applications/ and its\n"
    "                         icon to ~/.local/share/icons/hicolor/ (or under $XDG_DATA_HOME),\n"
    "                         prints what it wrote, and exits without opening the window.\n"
)


def main(argv: list[str] | None = None) -> int:
    try:  # a native crash (Qt, a driver) leaves a Python traceback on standard error
        faulthandler.enable()
    except (AttributeError, OSError, RuntimeError, ValueError):
        pass  # no usable standard error (a windowed app on some platforms)
    # Python's automatic garbage collection stays off for the app's lifetime: it would run
    # in whichever thread allocates, and destroy Qt objects there. After the first frame
    # the GUI thread collects on a timer instead (inspector.ui.gui_thread); until then
    # nothing is collected (launch makes long-lived objects only; collecting among them
    # found nothing and cost ~6 ms). Restored when main returns (tests, embedding).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if gc_was_enabled:
            gc.enable()


def _main(argv: list[str] | None) -> int:
    started = time.perf_counter()
    phases: list[tuple[str, float]] = []

    def phase(name: str) -> None:
        phases.append((name, time.perf_counter() - started))

    args = list(sys.argv[1:] if argv is None else argv)
    smoke = os.environ.get(SMOKE_ENV, "") not in ("", "0")
    if "--smoke-exit" in args:
        smoke = True
        args.remove("--smoke-exit")
    if any(a in ("-h", "--help") for a in args):
        sys.stdout.write(USAGE)
        return 0
    if args == ["--install-desktop-entry"]:
        from inspector.ui import desktop_entry

        return desktop_entry.main()
    token = " ".join(args) if args else None
    # Qt aborts with a misleading message when its platform plugin cannot load a library:
    # say which one is missing, and its package, instead (about half a millisecond here).
    from inspector.ui import platform_check

    problem = platform_check.startup_problem() or platform_check.display_problem()
    if problem is not None:
        sys.stderr.write(problem + "\n")
        return 1
    phase("platform-checked")

    # Start the first inspection in a forked child before Qt is loaded: importing the codec
    # then runs on another core while this process imports Qt and builds the window.
    # The Qt-free job module (named tuples, pickle, json) is needed on both sides, so it is
    # imported once, before the fork; imported after Qt, every module's source would also
    # be read by PySide's import hook (its ``__feature__`` check). So are the standard
    # modules the codec needs that importing Qt brings in here a moment later anyway: the
    # child then has them for free (~12 ms less work on the other core, which this
    # machine's two cores feel), and this process does no more than before.
    import base64  # noqa: F401
    import inspect  # noqa: F401
    import ipaddress  # noqa: F401
    import pathlib  # noqa: F401
    import urllib.parse  # noqa: F401

    from inspector.core.options import InspectOptions
    from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN
    from inspector.ui.jobs import InspectionRequest, first_inspection_bytes
    from inspector.ui.prefork import fork_worker

    phase("job-module")

    # The same request the window makes for its first inspection (its defaults): the
    # window adopts the child's answer only when the inputs match (InspectOptions.same_inputs).
    # The options module is the one codec module loaded here (with ``dataclasses``): about
    # 3 ms measured, since the window needs the class for its first request anyway.
    first = InspectionRequest(
        generation=0,
        text=EXAMPLE_TOKEN if token is None else token,
        options=InspectOptions(key=EXAMPLE_SECRET if token is None else None, now=time.time()),
    )

    def _first_inspection() -> bytes:  # runs in the child
        return first_inspection_bytes(first)

    child = fork_worker(_first_inspection)
    # The window's Qt-free modules (its state, its menus as data): imported here, while the
    # child works, rather than by the window after Qt, when PySide's import hook would read
    # their source too (~1.5 ms measured in the first frame otherwise).
    import inspector.ui.actions
    import inspector.ui.state  # noqa: F401
    from inspector.ui import pyside_hook

    phase("forked")

    from PySide6.QtWidgets import QApplication

    # PySide's import hook then reads the source of every module imported (about 40 for the
    # window): answered from the files' bytes instead, 4.5-10 ms less (see pyside_hook).
    pyside_hook.install()
    phase("qt-imported")

    from inspector.ui.theme import new_application

    app = QApplication.instance() or new_application(sys.argv[0] if sys.argv else "jwt-inspector")
    assert isinstance(app, QApplication)
    app.setApplicationName("JWT Inspector")
    app.setApplicationDisplayName("JWT Inspector")
    # Before the first window exists: docks match windows to the desktop entry by it (the
    # Wayland app id). The icon itself is set after the first frame (window.finish_setup).
    app.setDesktopFileName(APP_ID)
    phase("application")

    from inspector.ui.jobs import ForkedInspection
    from inspector.ui.window import InspectorWindow

    phase("window-module")

    forked = None
    if child is not None:
        forked = ForkedInspection(child[0], child[1], first)
    window = InspectorWindow(token=token, forked=forked)
    phase("window-built")
    if smoke:

        def _shown(_inspection: object) -> None:
            window.repaint()
            phase("shown")
            sys.stderr.write(f"first-inspection-shown {time.perf_counter() - started:.3f}\n")
            sys.stderr.write(
                "launch-phases " + " ".join(f"{n}={t * 1000:.1f}" for n, t in phases) + "\n"
            )
            sys.stderr.flush()
            window.close()
            app.quit()

        window.inspection_shown.connect(_shown)
    window.show()
    # The signing tools are not part of the first frame: add them once it has been shown.
    from PySide6.QtCore import QTimer

    def _install_tools() -> None:
        from inspector.ui.edit_panel import install_signing_tools

        install_signing_tools(window)

    def _install_safety_nets() -> None:
        from inspector.ui.crash_dialog import install_crash_dialog
        from inspector.ui.gui_thread import FREEZE_AFTER_MS, install_gui_thread_policy

        install_gui_thread_policy(app, freeze_after_ms=FREEZE_AFTER_MS)  # GUI-thread gc
        install_crash_dialog(app, window)  # uncaught exceptions shown, not fatal

    def _after_first_result(_shown: object) -> None:
        window.inspection_shown.disconnect(_after_first_result)
        # Late enough for the first frame to be painted first (a 0 ms timer can run before).
        QTimer.singleShot(TOOLS_DELAY_MS, _install_safety_nets)
        QTimer.singleShot(TOOLS_DELAY_MS, _install_tools)

    window.inspection_shown.connect(_after_first_result)
    if window.shown is not None:
        _after_first_result(window.shown)
    if smoke and window.shown is not None:
        # The first result was already shown while the window was built.
        QTimer.singleShot(0, lambda: _shown(window.shown))
    return int(app.exec())
