"""Airflow's ``[core] hostname_callable`` for workers that run as local processes: each container has a
host name of its own; processes on one machine take theirs from ``SMOKE_CONTAINER_HOSTNAME``."""

import os


def hostname() -> str:
    return os.environ["SMOKE_CONTAINER_HOSTNAME"]
