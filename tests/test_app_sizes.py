"""The house stays balanced: no app of ours holds more than 40% of the application code.

Application code is every ``.py`` file of our apps, of ``lib`` (the domain-free helpers) and of
``config``, migrations excluded (tests
live apart, under ``tests/``). Lines are counted as they stand, blank lines and comments included,
the way ``wc -l`` counts them.
"""

import pathlib

from django.apps import apps
from django.conf import settings

LARGEST_SHARE = 0.40


def _our_packages() -> list[pathlib.Path]:
    base = pathlib.Path(settings.BASE_DIR)
    ours = [pathlib.Path(config.path) for config in apps.get_app_configs()
            if pathlib.Path(config.path).is_relative_to(base) and pathlib.Path(config.path).parent == base]
    return sorted({*ours, base / "lib", base / "config"})


def _lines(package: pathlib.Path) -> int:
    return sum(len(path.read_text(encoding="utf-8").splitlines())
               for path in package.rglob("*.py") if "migrations" not in path.relative_to(package).parts)


def test_our_apps_are_the_ones_the_layout_names():
    names = {package.name for package in _our_packages()}
    assert names == {"config", "lib", "classroom", "casework", "volunteers", "activities", "reporting", "dataio", "oversight"}


def test_no_app_holds_more_than_forty_percent_of_the_application_code():
    sizes = {package.name: _lines(package) for package in _our_packages()}
    total = sum(sizes.values())
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] <= LARGEST_SHARE * total, (
        f"{largest} holds {sizes[largest]} of {total} lines ({sizes[largest] / total:.0%}): {sizes}")
