"""Resources are found from the editable install and from a plain (non-editable) install."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = (
    "import json, inspector, inspector.resources as r\n"
    "names = r.names()\n"
    "print(json.dumps({'root': str(r.root()), 'pkg': inspector.__file__, 'names': names,"
    " 'sample': len(r.read_text(names[0]))}))\n"
)


def _probe(python: str, cwd: Path, env: dict[str, str] | None = None) -> dict:
    import json

    r = subprocess.run([python, "-c", PROBE], capture_output=True, text=True, cwd=cwd, env=env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_resource_lookup_guards_paths():
    from inspector import resources

    for bad in ("/etc/passwd", "../pyproject.toml", "a/../../x", ""):
        with pytest.raises(ValueError, match="relative paths"):
            resources.path(bad)
    with pytest.raises(ValueError, match="known:"):
        resources.path("no-such-file.json")


def test_resources_found_from_the_source_tree_install(tmp_path):
    info = _probe(sys.executable, tmp_path)
    assert Path(info["root"]) == ROOT / "resources"
    assert info["names"], "resources/ is empty"
    assert "jwt-inspector.desktop" in info["names"]
    assert "icons/jwt-inspector.svg" in info["names"]


@pytest.mark.slow
def test_resources_found_from_a_built_wheel(tmp_path):
    wheel_dir = tmp_path / "wheel"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0 and "hatchling" in r.stderr:
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "-q",
                "-w",
                str(wheel_dir),
                str(ROOT),
            ],
            capture_output=True,
            text=True,
        )
    assert r.returncode == 0, r.stderr
    (wheel,) = wheel_dir.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        packed = {n for n in zf.namelist() if n.startswith("inspector/_resources/")}
    expected = {
        "inspector/_resources/" + p.relative_to(ROOT / "resources").as_posix()
        for p in (ROOT / "resources").rglob("*")
        if p.is_file()
    }
    assert packed == expected
    # The desktop entry and every icon size, which --install-desktop-entry copies.
    desktop = {"inspector/_resources/jwt-inspector.desktop"} | {
        f"inspector/_resources/icons/jwt-inspector-{n}.png"
        for n in (16, 24, 32, 48, 64, 128, 256, 512)
    }
    assert desktop | {"inspector/_resources/icons/jwt-inspector.svg"} <= packed
    # Install it like `pip install .` would (no deps: the probe needs only the stdlib).
    target = tmp_path / "site"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1"}
    info = _probe(sys.executable, tmp_path, env)
    assert Path(info["pkg"]).is_relative_to(target)
    assert Path(info["root"]) == target / "inspector" / "_resources"
    assert sorted(info["names"]) == sorted(
        p.relative_to(ROOT / "resources").as_posix()
        for p in (ROOT / "resources").rglob("*")
        if p.is_file()
    )
