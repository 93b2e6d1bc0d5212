"""The analyst role's least-privilege checks (R4 of the reliability campaign): each check tries or
inspects one thing an analyst must not be able to do, as that role, on a live warehouse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from warehouse.db import one_value

ANALYST_ROLE = "analyst"


@dataclass(frozen=True, slots=True)
class SecurityCheck:
    name: str
    passed: bool
    detail: str


def _refused(conn: psycopg.Connection, sql: str) -> tuple[bool, str]:
    """Run ``sql`` as the analyst role; True when PostgreSQL refuses it."""
    try:
        with conn.transaction():
            conn.execute(f"SET LOCAL ROLE {ANALYST_ROLE}")
            conn.execute(sql)
            raise _AllowedError
    except _AllowedError:
        return False, f"allowed: {sql}"
    except psycopg.errors.InsufficientPrivilege as error:
        return True, str(error).splitlines()[0]


class _AllowedError(Exception):
    """The statement ran: the role may do what it must not."""


def _no_temp(conn: psycopg.Connection) -> tuple[bool, str]:
    refused, detail = _refused(conn, "CREATE TEMP TABLE smuggled (x int)")
    privilege = one_value(
        conn.execute("SELECT has_database_privilege(%s, current_database(), 'TEMPORARY')", (ANALYST_ROLE,))
    )
    return refused and not privilege, detail


def _no_connect_elsewhere(conn: psycopg.Connection) -> tuple[bool, str]:
    allowed = [
        name
        for (name,) in conn.execute(
            "SELECT datname FROM pg_database WHERE datallowconn AND datname <> current_database()"
            " AND datname IN ('postgres', 'template1') AND has_database_privilege(%s, oid, 'CONNECT')",
            (ANALYST_ROLE,),
        )
    ]
    return not allowed, f"CONNECT on {allowed}" if allowed else "no CONNECT on postgres, template1"


def _no_security_definer(conn: psycopg.Connection) -> tuple[bool, str]:
    functions = [
        name
        for (name,) in conn.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc AS p"
            " JOIN pg_namespace AS n ON n.oid = p.pronamespace"
            " WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        )
    ]
    return not functions, f"SECURITY DEFINER: {functions}" if functions else "none"


def _no_writes(conn: psycopg.Connection) -> tuple[bool, str]:
    writable = [
        name
        for (name,) in conn.execute(
            "SELECT c.oid::regclass::text FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace"
            " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND c.relkind IN ('r', 'v', 'm', 'p')"
            " AND has_table_privilege(%s, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')",
            (ANALYST_ROLE,),
        )
    ]
    return not writable, f"writable: {writable}" if writable else "no write privilege on any relation"


CHECKS: dict[str, Callable[[psycopg.Connection], tuple[bool, str]]] = {
    "analyst cannot create temporary objects": _no_temp,
    "analyst cannot connect to other databases": _no_connect_elsewhere,
    "no SECURITY DEFINER functions": _no_security_definer,
    "analyst cannot read base tables": lambda conn: _refused(conn, "SELECT count(*) FROM public.articles"),
    "analyst cannot read the quarantine": lambda conn: _refused(
        conn, "SELECT count(*) FROM public.quarantine"
    ),
    "analyst cannot write through views": _no_writes,
    "analyst cannot create in schema public": lambda conn: _refused(
        conn, "CREATE TABLE public.smuggled (x int)"
    ),
    "analyst cannot create in schema analyst": lambda conn: _refused(
        conn, "CREATE VIEW analyst.smuggled AS SELECT 1"
    ),
}


def analyst_security_checks(conn: psycopg.Connection) -> list[SecurityCheck]:
    """Every check, as the analyst role over ``conn`` (a superuser or the warehouse owner's session)."""
    results = []
    for name, check in CHECKS.items():
        passed, detail = check(conn)
        results.append(SecurityCheck(name, passed, detail))
    conn.commit()
    return results
