"""Every area reads its settings with warehouse.env: blank means the default, values are typed and a bad
value names its variable."""

import pytest

from warehouse.env import EnvReader, SettingError


@pytest.mark.parametrize(
    ("environ", "read", "expected"),
    [
        ({}, lambda env: env.integer("N", 5, minimum=1), 5),
        ({"N": "  "}, lambda env: env.integer("N", 5, minimum=1), 5),
        ({"N": " 7 "}, lambda env: env.integer("N", 5, minimum=1), 7),
        ({"OLD": "3"}, lambda env: env.integer("N", 5, formerly="OLD"), 3),
        ({"N": "4", "OLD": "3"}, lambda env: env.integer("N", 5, formerly="OLD"), 4),
        ({"X": "0.25"}, lambda env: env.number("X", 1.0), 0.25),
        ({"B": "Yes"}, lambda env: env.flag("B", False), True),
        ({"B": "off"}, lambda env: env.flag("B", True), False),
        ({"S": " text "}, lambda env: env.string("S", "default"), "text"),
        ({}, lambda env: env.optional_string("S"), None),
        (
            {"N": "0"},
            lambda env: env.integer("N", 5, minimum=1),
            SettingError("N=0 is below the minimum of 1"),
        ),
        (
            {"OLD": "x"},
            lambda env: env.integer("N", 5, formerly="OLD"),
            SettingError("OLD='x' is not a whole"),
        ),
        ({"X": "-1"}, lambda env: env.number("X", 1.0), SettingError("X=-1.0 must not be negative")),
        ({"X": "lots"}, lambda env: env.number("X", 1.0), SettingError("X='lots' is not a number")),
        ({"B": "maybe"}, lambda env: env.flag("B", False), SettingError("B='maybe' is not a yes/no value")),
    ],
)
def test_typed_reading(environ, read, expected):
    env = EnvReader(environ)
    if isinstance(expected, SettingError):
        with pytest.raises(SettingError) as error:
            read(env)
        assert str(expected) in str(error.value)
    else:
        assert read(env) == expected


def test_the_process_environment_is_read_when_none_is_given(monkeypatch):
    monkeypatch.setenv("NEWS_TEST_ENV_READER", "12")
    assert EnvReader().integer("NEWS_TEST_ENV_READER", 1) == 12
