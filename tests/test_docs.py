"""The README's layout and docs/architecture.md stay true to the tree."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _layout_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Layout", 1)[1]
    return section.split("```", 2)[1]


def _top_level_folders() -> set[str]:
    """Every folder at the top of the repository that git tracks a file in (dot-folders aside)."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return {line.split("/", 1)[0] for line in tracked.splitlines() if "/" in line and not line.startswith(".")}


def test_the_readme_layout_names_every_top_level_folder_and_no_other():
    named = set(re.findall(r"^([a-z_]+)/", _layout_block(), flags=re.MULTILINE))
    assert named == _top_level_folders()


def test_the_architecture_page_describes_every_app_and_lib():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for room in ("config", "lib", "classroom", "casework", "volunteers", "activities", "reporting", "dataio", "oversight"):
        assert f"`{room}`" in page, room
    for module in ("classroom/rules.py", "classroom/extensions.py", "tests/test_import_direction.py",
                   "tests/test_rules_in_one_place.py", "tests/test_app_sizes.py"):
        assert module in page and (ROOT / module).exists(), module
