"""`pip install .` ships every package and the grammar (acli.grammar is
mapped from grammar/, so setup.cfg lists packages by hand)."""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def listed_packages() -> set[str]:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    return {p.strip() for p in cfg["options"]["packages"].split() if p.strip()}


def test_every_package_is_listed():
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "acli").rglob("__init__.py")}
    assert on_disk | {"acli.grammar"} == listed_packages()


def test_the_wheel_carries_the_grammar(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "-q", "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    wheel = next(tmp_path.glob("acli-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "acli/grammar/acli.lark" in names
    assert "acli/syntax/parser.py" in names and "acli/hosts/ovsdb.py" in names
    assert not any(n.startswith("tests/") or n.startswith("grammar/") for n in names)
