"""Test-wide environment. This runs before any test module imports airflow or argostranslate, both
of which write into $HOME on import unless pointed elsewhere."""

import os
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_SCRATCH = Path(tempfile.mkdtemp(prefix="news-ingest-tests-"))

os.environ["AIRFLOW_HOME"] = str(_SCRATCH / "airflow")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(PROJECT_ROOT / "dags")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "True"
os.environ["ARGOS_PACKAGES_DIR"] = str(_SCRATCH / "argos" / "packages")
os.environ["XDG_DATA_HOME"] = str(_SCRATCH / "xdg-data")
os.environ["XDG_CACHE_HOME"] = str(_SCRATCH / "xdg-cache")
os.environ["XDG_CONFIG_HOME"] = str(_SCRATCH / "xdg-config")
os.environ["NEWS_DATA_URI"] = str(_SCRATCH / "data")
