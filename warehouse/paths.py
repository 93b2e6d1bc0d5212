"""The checkout's root, which every path the code finds in the project (``sql/``, ``dags/``, ``var/``,
``.env``) starts from. Standard library only: ``pipeline.deploy_env`` imports it before anything is
installed."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
