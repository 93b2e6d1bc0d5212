import psycopg
import pytest

from testkit.security import analyst_security_checks


def test_every_analyst_security_check_passes_on_a_migrated_warehouse(warehouse_conn):
    failed = [check for check in analyst_security_checks(warehouse_conn) if not check.passed]
    assert failed == []


def test_analyst_has_no_temp_and_no_connect_to_other_databases(warehouse_conn):
    privileges = warehouse_conn.execute(
        "SELECT has_database_privilege('analyst', current_database(), 'TEMPORARY'),"
        " has_database_privilege('analyst', current_database(), 'CONNECT'),"
        " has_database_privilege('analyst', 'postgres', 'CONNECT'),"
        " has_database_privilege('analyst', 'template1', 'CONNECT')"
    ).fetchone()
    assert privileges == (False, True, False, False)
    warehouse_conn.execute("SET ROLE analyst")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        warehouse_conn.execute("CREATE TEMP TABLE smuggled (x int)")
    warehouse_conn.rollback()


def test_a_security_definer_function_fails_the_check(warehouse_conn):
    warehouse_conn.execute(
        "CREATE FUNCTION public.escalate() RETURNS int LANGUAGE sql SECURITY DEFINER RETURN 1"
    )
    checks = {check.name: check for check in analyst_security_checks(warehouse_conn)}
    warehouse_conn.execute("DROP FUNCTION public.escalate()")
    warehouse_conn.commit()
    assert not checks["no SECURITY DEFINER functions"].passed
    assert "escalate" in checks["no SECURITY DEFINER functions"].detail
