"""Print install_requires and the test extra of setup.cfg, one per line (for pip -r)."""

import configparser
from pathlib import Path

config = configparser.ConfigParser()
config.read(Path(__file__).resolve().parent.parent / "setup.cfg")
lines = config["options"]["install_requires"].splitlines()
lines += config["options.extras_require"]["test"].splitlines()
print("\n".join(line.strip() for line in lines if line.strip()))
