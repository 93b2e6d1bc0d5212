"""Python processes in the project, as a user or a worker starts them: ``python <args>`` from the project
root with the project on ``PYTHONPATH`` and the caller's variables added to this process's environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from warehouse.paths import PROJECT_ROOT


def python_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **(env or {})}


def python_process(args: Sequence[str], env: Mapping[str, str], **kwargs: Any) -> subprocess.Popen:
    """``python <args>`` started in the background."""
    return subprocess.Popen([sys.executable, *args], cwd=PROJECT_ROOT, env=python_environment(env), **kwargs)


def run_python(
    args: Sequence[str],
    env: Mapping[str, str] | None = None,
    *,
    stdin: str | bytes = b"",
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``python <args>`` run to its end; ``stdin`` is sent as is (bytes) or as UTF-8 (text), the output
    comes back as UTF-8 text."""
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=python_environment(env),
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return subprocess.CompletedProcess(
        completed.args, completed.returncode, completed.stdout.decode(), completed.stderr.decode()
    )
