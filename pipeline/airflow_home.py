"""The project-local Airflow home of ``./run main`` and ``./run ui`` (``var/airflow``).

Its ``airflow.cfg`` holds absolute paths (the SQLite database, the project's ``dags/``), the example
DAGs off, and one JWT secret and API secret key for every component, so that the plain ``airflow``
CLI works on it exactly as the README writes it (``AIRFLOW_HOME=var/airflow .venv/bin/airflow ...``,
a relative home) and ``airflow standalone``'s components accept each other's task tokens. Keys a user
set in the file are kept.
"""

from __future__ import annotations

import configparser
import secrets
from pathlib import Path

from warehouse.db import (
    AIRFLOW_CONNECTION_VARIABLE,
    WAREHOUSE_CONN_ID,
    configured_by,
    database_url,
    libpq_uri_from_connection,
)
from warehouse.paths import PROJECT_ROOT

DAGS_FOLDER = PROJECT_ROOT / "dags"


def managed_settings(home: Path, dags_folder: Path = DAGS_FOLDER) -> dict[str, dict[str, str]]:
    home = home.resolve()
    return {
        "core": {"dags_folder": str(dags_folder.resolve()), "load_examples": "False"},
        "database": {"sql_alchemy_conn": f"sqlite:///{home / 'airflow.db'}"},
        "api_auth": {"jwt_secret": secrets.token_urlsafe(32)},
        "api": {"secret_key": secrets.token_urlsafe(32)},
    }


def write_airflow_cfg(home: Path, dags_folder: Path = DAGS_FOLDER) -> Path:
    """Create or complete ``home/airflow.cfg``; returns its path."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "airflow.cfg"
    config = configparser.ConfigParser(interpolation=None)
    config.read(path, encoding="utf-8")
    changed = not path.exists()
    for section, options in managed_settings(home, dags_folder).items():
        if not config.has_section(section):
            config.add_section(section)
        for option, value in options.items():
            if not config.has_option(section, option):
                config.set(section, option, value)
                changed = True
    if changed:
        with path.open("w", encoding="utf-8") as handle:
            config.write(handle)
        path.chmod(0o600)
    return path


def migrate_and_register_dags() -> None:
    """Migrate Airflow's metadata database and store the DAGs in it, so ``airflow dags list`` and
    ``airflow dags trigger`` know them before any scheduler or DAG processor has run."""
    from airflow.dag_processing.bundles.base import unpack_bundle_version
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import BundleDagBag, sync_bag_to_db
    from airflow.utils.db import initdb
    from airflow.utils.session import create_session

    initdb()
    manager = DagBundlesManager()
    with create_session() as session:
        manager.sync_bundles_to_db(session=session)
    for bundle in manager.get_all_dag_bundles():
        bundle.initialize()
        bag = BundleDagBag(bundle.path, bundle_path=bundle.path, bundle_name=bundle.name)
        if bag.import_errors:
            raise RuntimeError(f"the DAG files do not import: {bag.import_errors}")
        version, version_data = unpack_bundle_version(bundle.get_current_version(), bundle)
        with create_session() as session:
            sync_bag_to_db(
                bag, bundle.name, bundle_version=version, version_data=version_data, session=session
            )


def warehouse_connection_url(default_url: str) -> str:
    """The warehouse as the tasks will see it: the Airflow connection ``news_db``. When neither the
    environment nor the metadata database defines it, it is created in the metadata database (where
    the UI and ``airflow connections`` can change it) from ``default_url``."""
    from airflow.models.connection import Connection
    from airflow.utils.session import create_session

    if configured_by() == AIRFLOW_CONNECTION_VARIABLE:
        return database_url()
    with create_session() as session:
        connection = session.query(Connection).filter(Connection.conn_id == WAREHOUSE_CONN_ID).one_or_none()
        if connection is None:
            connection = Connection(conn_id=WAREHOUSE_CONN_ID, uri=default_url)
            session.add(connection)
        return libpq_uri_from_connection(connection)
