"""The compose stack's secrets: generated once, shared by the components that sign or check tokens,
given only to the containers that need them, and URL-encoded into the connection URLs."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import unquote, urlsplit

import pytest

from pipeline.deploy_env import (
    GENERATED_SECRETS,
    DeployEnvError,
    generated_env_file,
    url_with_password,
    with_url_passwords,
)
from tests.deploy.compose_local import ComposeError, interpolate, load_compose, read_env_file
from warehouse.paths import PROJECT_ROOT

EXAMPLE = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
AIRFLOW_COMPONENTS = ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer")

# service -> the secrets its container receives, and no others.
EXPECTED_SECRETS = {
    "postgres": {"AIRFLOW_DB_PASSWORD"},
    "warehouse-db": {"NEWS_DB_PASSWORD"},
    "redis": set(),
    "airflow-init": {"AIRFLOW_DB_PASSWORD", "AIRFLOW_FERNET_KEY", "AIRFLOW_ADMIN_PASSWORD"},
    "warehouse-init": {"NEWS_DB_PASSWORD"},
    "airflow-apiserver": {
        "AIRFLOW_DB_PASSWORD",
        "AIRFLOW_FERNET_KEY",
        "AIRFLOW_JWT_SECRET",
        "AIRFLOW_API_SECRET_KEY",
    },
    "airflow-scheduler": {"AIRFLOW_DB_PASSWORD", "AIRFLOW_FERNET_KEY", "AIRFLOW_JWT_SECRET"},
    "airflow-dag-processor": {"AIRFLOW_DB_PASSWORD", "AIRFLOW_FERNET_KEY", "AIRFLOW_JWT_SECRET"},
    "airflow-triggerer": {
        "AIRFLOW_DB_PASSWORD",
        "AIRFLOW_FERNET_KEY",
        "AIRFLOW_JWT_SECRET",
        "AIRFLOW_API_SECRET_KEY",
    },
    "airflow-worker": {"NEWS_DB_PASSWORD", "AIRFLOW_API_SECRET_KEY"},
}


@pytest.fixture(scope="module")
def dotenv() -> dict[str, str]:
    return read_env_file(generated_env_file(EXAMPLE))


def test_init_generates_every_secret_fresh_and_a_valid_fernet_key(dotenv):
    from cryptography.fernet import Fernet

    again = read_env_file(generated_env_file(EXAMPLE))
    for name in GENERATED_SECRETS:
        assert len(dotenv[name]) >= 32, name
        assert dotenv[name] != again[name], name
    token = Fernet(dotenv["AIRFLOW_FERNET_KEY"].encode()).encrypt(b"connection password")
    assert Fernet(dotenv["AIRFLOW_FERNET_KEY"].encode()).decrypt(token) == b"connection password"
    # Everything else in .env.example is kept as it is.
    assert generated_env_file(EXAMPLE).count("\n") == EXAMPLE.count("\n")


def test_init_writes_env_once(tmp_path):
    target = tmp_path / ".env"
    command = [sys.executable, "-m", "pipeline.deploy_env", "init", "--env-file", str(target)]
    first = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False, timeout=60)
    assert first.returncode == 0, first.stderr
    written = target.read_text(encoding="utf-8")
    assert set(GENERATED_SECRETS) <= set(read_env_file(written))
    assert target.stat().st_mode & 0o077 == 0
    second = subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False, timeout=60
    )
    assert second.returncode == 1
    assert "exists" in second.stderr
    assert target.read_text(encoding="utf-8") == written


def test_compose_refuses_to_start_without_the_generated_secrets():
    with pytest.raises(
        ComposeError,
        match=r"(AIRFLOW_JWT_SECRET|AIRFLOW_API_SECRET_KEY|AIRFLOW_FERNET_KEY): .*pipeline\.deploy_env init",
    ):
        load_compose(read_env_file(EXAMPLE))


@pytest.mark.parametrize("service", sorted(EXPECTED_SECRETS))
def test_each_container_receives_only_the_secrets_it_needs(dotenv, service):
    compose = load_compose(dotenv)
    received = {str(value) for value in (compose["services"][service].get("environment") or {}).values()}
    given = {name for name in GENERATED_SECRETS if any(dotenv[name] in value for value in received)}
    assert given == EXPECTED_SECRETS[service]


def test_the_components_share_one_jwt_secret_api_key_and_fernet_key(dotenv):
    compose = load_compose(dotenv)
    for service in AIRFLOW_COMPONENTS:
        environment = compose["services"][service]["environment"]
        assert environment["AIRFLOW__API_AUTH__JWT_SECRET"] == dotenv["AIRFLOW_JWT_SECRET"], service
        assert environment["AIRFLOW__CORE__FERNET_KEY"] == dotenv["AIRFLOW_FERNET_KEY"], service
    for service in ("airflow-apiserver", "airflow-worker", "airflow-triggerer"):
        environment = compose["services"][service]["environment"]
        assert environment["AIRFLOW__API__SECRET_KEY"] == dotenv["AIRFLOW_API_SECRET_KEY"], service
    # The psycopg metadata URL needs the psycopg async driver beside it (else Airflow wants asyncpg).
    scheduler = compose["services"]["airflow-scheduler"]["environment"]
    assert scheduler["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg://")
    assert scheduler["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"].startswith("postgresql+psycopg_async://")


@pytest.mark.parametrize("password", ["p@ss:w/rd", "100%#?&=", "ünï cödé", "plain"])
def test_the_entry_point_url_encodes_passwords_into_the_connection_urls(dotenv, password):
    dotenv = {**dotenv, "AIRFLOW_DB_PASSWORD": password, "NEWS_DB_PASSWORD": password[::-1]}
    compose = load_compose(dotenv)
    worker = with_url_passwords(
        {k: str(v) for k, v in compose["services"]["airflow-worker"]["environment"].items()}
    )
    scheduler = with_url_passwords(
        {k: str(v) for k, v in compose["services"]["airflow-scheduler"]["environment"].items()}
    )

    news_db = urlsplit(worker["AIRFLOW_CONN_NEWS_DB"])
    assert (news_db.username, unquote(news_db.password), news_db.hostname, news_db.path) == (
        "news",
        password[::-1],
        "warehouse-db",
        "/news_ingest",
    )
    metadata = urlsplit(scheduler["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    assert (metadata.username, unquote(metadata.password), metadata.hostname) == (
        "airflow",
        password,
        "postgres",
    )
    # The bare passwords do not stay in the process environment.
    assert "NEWS_DB_PASSWORD" not in worker
    assert "AIRFLOW_DB_PASSWORD" not in scheduler


def test_a_url_that_already_has_a_password_is_refused():
    with pytest.raises(DeployEnvError, match="without a password"):
        url_with_password("postgres://news:old@warehouse-db/news_ingest", "new")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${A}-${B:-fallback}-$$-${C-x}", "1-fallback-$-"),
        ("${EMPTY:-d}|${EMPTY-d}", "d|"),
    ],
)
def test_the_local_compose_interpolation_follows_compose(text, expected):
    assert interpolate(text, {"A": "1", "EMPTY": "", "C": ""}) == expected
