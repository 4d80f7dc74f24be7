"""The wheel a user installs carries the clinical content (an editable install could hide that)."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Build the wheel, install it alone into a fresh venv; dependencies come from this venv."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(work), ROOT],
        check=True,
        capture_output=True,
    )
    (wheel,) = work.glob("spasm_coach-*.whl")
    fresh = work / "venv"
    venv.create(fresh, with_pip=False)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(fresh / "bin" / "python"),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # The dependencies (not spasm_coach: its editable hook is a .pth, which PYTHONPATH ignores).
    env = {
        **os.environ,
        "PYTHONPATH": sysconfig.get_paths()["purelib"],
        "SPASM_COACH_HOME": str(work / "home"),
    }
    return fresh, env


def test_installed_command_reports_its_version(installed: tuple[Path, dict[str, str]]) -> None:
    from spasm_coach import __version__

    fresh, env = installed
    result = subprocess.run(
        [fresh / "bin" / "spasm-coach", "--version"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert result.stdout.strip() == f"spasm-coach {__version__}"


def test_content_loads_from_inside_the_wheel(installed: tuple[Path, dict[str, str]]) -> None:
    fresh, env = installed
    code = (
        "import spasm_coach, spasm_coach.content as c, spasm_coach.plans as p\n"
        "content = c.load_content()\n"
        "print(spasm_coach.__file__)\nprint(content.root)\n"
        "print(len(content.flags), len(content.exercises), sorted(content.routines))\n"
        "plan = p.built_in_plans(content)['recovery']\n"
        "print([stage.id for stage in plan.stages])\n"
    )
    result = subprocess.run(
        [fresh / "bin" / "python", "-c", code], capture_output=True, text=True, env=env, check=True
    )
    package_file, content_root, counts, stages = result.stdout.splitlines()
    assert package_file.startswith(str(fresh))
    assert content_root.startswith(str(fresh))
    assert counts == "31 10 ['gentle', 'getting_stronger', 'relaxation', 'standard']"
    assert stages == "['settle', 'move', 'stronger']"  # the built-in plan ships in the wheel


def test_installed_screen_works_from_the_wheel(installed: tuple[Path, dict[str, str]]) -> None:
    fresh, env = installed
    result = subprocess.run(
        [fresh / "bin" / "spasm-coach", "screen", "--json", "--yes", "major_trauma"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert '"level": "emergency"' in result.stdout
