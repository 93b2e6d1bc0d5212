"""docker-compose.yml's services as local processes: the environment each container would get (the
image's ``ENV`` lines, then the service's ``environment`` after compose's ``${...}`` interpolation from
``.env``, then ``news.env``), with container paths mapped to local folders and service host names to
the local servers. Nothing else is added, so the compose file cannot drift from what is tested."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from warehouse.paths import PROJECT_ROOT

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
IMAGE_PROJECT_DIR = "/opt/news-ingest"

_VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


class ComposeError(ValueError):
    """docker compose would refuse the file with this environment."""


def interpolate(text: str, variables: Mapping[str, str]) -> str:
    """Compose's interpolation: ``$$``, ``$NAME``, ``${NAME}``, ``${NAME:-default}``, ``${NAME-default}``,
    ``${NAME:?error}`` and ``${NAME?error}``."""

    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        operator, argument = match.group(2), match.group(3) or ""
        value = variables.get(name)
        unset_or_empty = value is None or (operator in {":-", ":?"} and value == "")
        if operator in {":-", "-"} and unset_or_empty:
            return interpolate(argument, variables)
        if operator in {":?", "?"} and unset_or_empty:
            raise ComposeError(f"{name}: {argument}")
        return value or ""

    return _VARIABLE.sub(replace, text)


def _interpolated(node: object, variables: Mapping[str, str]) -> object:
    if isinstance(node, str):
        return interpolate(node, variables)
    if isinstance(node, list):
        return [_interpolated(item, variables) for item in node]
    if isinstance(node, dict):
        return {key: _interpolated(value, variables) for key, value in node.items()}
    return node


def read_env_file(text: str) -> dict[str, str]:
    variables = {}
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            variables[name.strip()] = value.strip()
    return variables


def load_compose(dotenv: Mapping[str, str]) -> dict:
    compose = _interpolated(yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8")), dotenv)
    if not isinstance(compose, dict):
        raise ComposeError(f"{COMPOSE_FILE} is not a mapping of services, volumes and networks")
    return compose


def image_environment() -> dict[str, str]:
    """The ``ENV`` lines of the Dockerfile (``ENV A=1 \\`` continuation form)."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    environment: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            for assignment in shlex.split(line[4:]):
                name, _, value = assignment.partition("=")
                environment[name] = value
    return environment


@dataclass
class LocalDeployment:
    """Where the containers' paths and host names point on this machine."""

    folder: Path
    paths: dict[str, Path]  # container path -> local folder (volumes, the image's folders)
    hosts: dict[str, str]  # "service:port/database" or "service:port" -> local replacement
    news_env: dict[str, str] = field(default_factory=dict)

    def localise(self, value: str) -> str:
        for container_path in sorted(self.paths, key=len, reverse=True):
            if value == container_path or value.startswith(container_path + "/"):
                return str(self.paths[container_path]) + value[len(container_path) :]
        for remote in sorted(self.hosts, key=len, reverse=True):
            value = value.replace(remote, self.hosts[remote])
        return value

    def service_environment(self, compose: dict, service: str) -> dict[str, str]:
        """The container's environment, before its entry point runs."""
        declared = {**image_environment(), **self.news_env}
        for name, value in (compose["services"][service].get("environment") or {}).items():
            declared[name] = "" if value is None else str(value)
        return {name: self.localise(value) for name, value in declared.items()}


def container_command(compose: dict, service: str) -> list[str]:
    command = compose["services"][service]["command"]
    parts = shlex.split(command) if isinstance(command, str) else list(command)
    # The official image's entry point runs Airflow sub-commands as `airflow <command>`.
    return parts if parts[0] in {"python", "bash"} else ["airflow", *parts]


@dataclass
class Component:
    name: str
    process: subprocess.Popen
    log: Path

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return f"--- {self.name} ({self.log}) ---\n" + "\n".join(text[-lines:])

    def stop(self, grace_seconds: float = 20) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        while self.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@dataclass
class LocalStack:
    """Starts services of the compose file as processes: each through the image's entry point
    (``python -m pipeline.deploy_env exec --``), in its own AIRFLOW_HOME and process group."""

    compose: dict
    deployment: LocalDeployment
    api_port: int
    components: list[Component] = field(default_factory=list)

    def environment(self, service: str, home: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        environment = self.deployment.service_environment(self.compose, service)
        folder = self.deployment.folder
        environment.update(
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            HOME=str(folder / "home"),
            AIRFLOW_HOME=str(folder / "homes" / home),
            **(extra or {}),
        )
        Path(environment["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
        return environment

    def start(
        self,
        service: str,
        name: str,
        extra: Mapping[str, str] | None = None,
        args: tuple[str, ...] = (),
        command: list[str] | None = None,
    ) -> Component:
        log = self.deployment.folder / "logs" / f"{name}.log"
        log.parent.mkdir(exist_ok=True)
        argv = [sys.executable, "-m", "pipeline.deploy_env", "exec", "--"]
        argv += (command or container_command(self.compose, service)) + list(args)
        with log.open("w") as output:
            process = subprocess.Popen(
                argv,
                env=self.environment(service, name, extra),
                cwd=self.deployment.folder,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        component = Component(name, process, log)
        self.components.append(component)
        return component

    def run_to_completion(self, service: str, timeout: float, command: list[str] | None = None) -> None:
        component = self.start(service, service, command=command)
        try:
            component.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            component.stop()
        self.components.remove(component)
        if component.process.returncode != 0:
            raise AssertionError(f"{service} failed\n{component.tail()}")

    def wait_for(self, description: str, condition: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            for component in self.components:
                if component.process.poll() is not None:
                    raise AssertionError(
                        f"{component.name} exited while waiting for {description}\n" + component.tail()
                    )
            time.sleep(2)
        raise AssertionError(f"timed out after {timeout} s waiting for {description}\n" + self.tails())

    def tails(self) -> str:
        return "\n".join(component.tail() for component in self.components)

    def stop(self) -> None:
        """SIGTERM to every component at once, then wait (SIGKILL after the grace period)."""
        for component in self.components:
            if component.process.poll() is None:
                os.killpg(component.process.pid, signal.SIGTERM)
        for component in reversed(self.components):
            component.stop()
