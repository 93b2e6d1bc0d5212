"""Where the FLORES-200 Vietnamese-English data of the tests and benchmarks lives. It is read in place,
never copied into the project: ``NEWS_FLORES_DIR`` when set, else ``shared/data/flores-vi-en`` beside
the checkout (the layout of the development machines and CI)."""

from __future__ import annotations

import os
from pathlib import Path

from warehouse.paths import PROJECT_ROOT

_BESIDE_CHECKOUT = PROJECT_ROOT.parent / "shared" / "data" / "flores-vi-en"


def flores_dir() -> Path:
    """The FLORES folder (it may not exist: callers check for the files they need and skip)."""
    configured = os.environ.get("NEWS_FLORES_DIR")
    return Path(configured) if configured else _BESIDE_CHECKOUT
