"""Build hook: bundle the folders beside app/ into the package, catalogs compiled.

content/, handbooks/, translations/ and migrations/ stay at the top of the checkout (where
editors and `manage.py` expect them); a wheel has no such place, so they are copied into
app/_bundled/ in the build, and app/config.py reads them there when no checkout is around.
The metadata lives in setup.cfg."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = ("content", "handbooks", "translations", "migrations")
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", ".*")


class BuildWithBundledFolders(build_py):
    """build_py, then the top-level folders copied into app/_bundled with compiled catalogs."""

    def run(self) -> None:
        # build/lib/ of an in-tree build would otherwise keep files deleted from app/ since
        shutil.rmtree(Path(self.build_lib) / "app", ignore_errors=True)
        super().run()
        target = Path(self.build_lib) / "app" / "_bundled"
        for name in BUNDLED:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(HERE / name, target / name, ignore=LEFT_OUT)
        compile_catalogs(target / "translations")

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        """Also list the bundled files, so every installer records (and removes) them."""
        bundled = Path(self.build_lib) / "app" / "_bundled"
        extra = [str(path) for path in bundled.rglob("*") if path.is_file()]
        return super().get_outputs(include_bytecode) + extra


def compile_catalogs(folder: Path) -> None:
    """Write messages.mo beside every messages.po, fuzzy entries left out (as pybabel does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in sorted(folder.glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as source:
            catalog = read_po(source)
        with po_path.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog)


setup(cmdclass={"build_py": BuildWithBundledFolders})
