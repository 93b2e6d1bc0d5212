"""The docker compose stack's secrets: generate them once into ``.env``, and put the database passwords
into the connection URLs at container start, URL-encoded.

``python3 -m pipeline.deploy_env init`` writes ``.env`` from ``.env.example`` with a fresh random value
for every secret (stdlib only: it runs before anything is installed). Every Airflow component must share
the JWT secret, the API secret key and the Fernet key, or tasks fail with "Invalid auth token".

Compose files cannot URL-encode, so docker-compose.yml writes each URL without its password and passes
the password in its own variable; the image's entry point (``python -m pipeline.deploy_env exec --
/entrypoint``) inserts ``quote(password)`` into the URL and drops the bare password from the
environment. A password may therefore hold ``@``, ``:``, ``/`` or ``%``.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import secrets
import sys
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from pathlib import Path
from urllib.parse import quote

from warehouse.paths import PROJECT_ROOT


def _password() -> str:
    return secrets.token_urlsafe(24)


def _fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


# The .env variables ``init`` fills with fresh random values.
GENERATED_SECRETS: dict[str, Callable[[], str]] = {
    "AIRFLOW_DB_PASSWORD": _password,
    "NEWS_DB_PASSWORD": _password,
    "AIRFLOW_ADMIN_PASSWORD": _password,
    "AIRFLOW_JWT_SECRET": _password,
    "AIRFLOW_API_SECRET_KEY": _password,
    "AIRFLOW_FERNET_KEY": _fernet_key,
}

# URL variable -> the variable holding its password (docker-compose.yml writes the URL without one).
URL_PASSWORDS: dict[str, str] = {
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "AIRFLOW_DB_PASSWORD",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": "AIRFLOW_DB_PASSWORD",
    "AIRFLOW_CONN_NEWS_DB": "NEWS_DB_PASSWORD",
}

_ASSIGNMENT = re.compile(r"^#? ?([A-Z][A-Z0-9_]*)=(.*)$")


class DeployEnvError(RuntimeError):
    """The environment cannot be completed as docker-compose.yml describes it."""


def generated_env_file(example: str) -> str:
    """``.env.example``'s text with every generated secret set (uncommented) to a fresh value."""
    lines = []
    for line in example.splitlines():
        match = _ASSIGNMENT.match(line)
        if match and match.group(1) in GENERATED_SECRETS:
            lines.append(f"{match.group(1)}={GENERATED_SECRETS[match.group(1)]()}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def with_url_passwords(environ: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Insert each password (URL-encoded) into its URLs, then drop the bare password variables."""
    for url_variable, password_variable in URL_PASSWORDS.items():
        if url_variable in environ and password_variable in environ:
            environ[url_variable] = url_with_password(environ[url_variable], environ[password_variable])
    for password_variable in set(URL_PASSWORDS.values()):
        environ.pop(password_variable, None)
    return environ


def url_with_password(url: str, password: str) -> str:
    scheme, separator, rest = url.partition("://")
    user, at, host = rest.partition("@")
    if not separator or not at or not user or ":" in user:
        raise DeployEnvError(
            f"expected a URL like scheme://user@host/database without a password, got {redact(url)!r}"
        )
    return f"{scheme}://{user}:{quote(password, safe='')}@{host}"


def redact(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def missing_secrets(environ: Mapping[str, str]) -> list[str]:
    return [name for name in GENERATED_SECRETS if not environ.get(name)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m pipeline.deploy_env", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="write .env with fresh random secrets from .env.example")
    init.add_argument("--env-file", type=Path, default=PROJECT_ROOT / ".env")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    run = commands.add_parser("exec", help="insert the URL-encoded passwords, then exec the command")
    run.add_argument("argv", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command == "init":
        if args.env_file.exists() and not args.force:
            print(f"{args.env_file} exists; keeping it (--force replaces it)", file=sys.stderr)
            return 1
        example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
        args.env_file.write_text(generated_env_file(example), encoding="utf-8")
        args.env_file.chmod(0o600)
        print(f"wrote {args.env_file} with fresh secrets: {', '.join(GENERATED_SECRETS)}")
        return 0
    command = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    if not command:
        parser.error("exec needs a command")
    os.execvpe(command[0], command, dict(with_url_passwords(dict(os.environ))))
    return 127


if __name__ == "__main__":
    sys.exit(main())
