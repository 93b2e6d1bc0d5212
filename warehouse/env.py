"""Typed reading of settings from environment variables, shared by every area's settings dataclass
(``warehouse.settings``, ``translate.settings``, ``pipeline.settings``): the same parsing, the same
blank-means-default rule and the same error messages everywhere. Nothing here imports a driver.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


class SettingError(ValueError):
    """An environment variable holds a value the program cannot use."""


@dataclass(frozen=True, slots=True)
class EnvReader:
    """Reads one environment (``os.environ`` unless given). A blank or unset variable means the
    default. ``formerly`` names a variable's previous name, still read when the new one is unset."""

    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)

    def is_set(self, name: str) -> bool:
        return name in self.environ

    def raw(self, name: str, formerly: str | None = None) -> tuple[str, str]:
        """(the variable actually read, its stripped value; "" when neither name is set)."""
        value = self.environ.get(name, "").strip()
        if not value and formerly:
            old = self.environ.get(formerly, "").strip()
            if old:
                return formerly, old
        return name, value

    def string(self, name: str, default: str, *, formerly: str | None = None) -> str:
        return self.raw(name, formerly)[1] or default

    def optional_string(self, name: str, *, formerly: str | None = None) -> str | None:
        return self.raw(name, formerly)[1] or None

    def integer(self, name: str, default: int, *, minimum: int = 0, formerly: str | None = None) -> int:
        used, raw = self.raw(name, formerly)
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise SettingError(f"{used}={raw!r} is not a whole number") from None
        if value < minimum:
            raise SettingError(f"{used}={value} is below the minimum of {minimum}")
        return value

    def number(
        self, name: str, default: float, *, minimum: float = 0.0, formerly: str | None = None
    ) -> float:
        used, raw = self.raw(name, formerly)
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise SettingError(f"{used}={raw!r} is not a number") from None
        if value < minimum:
            qualifier = "must not be negative" if minimum == 0 else f"is below the minimum of {minimum}"
            raise SettingError(f"{used}={value} {qualifier}")
        return value

    def flag(self, name: str, default: bool, *, formerly: str | None = None) -> bool:
        used, raw = self.raw(name, formerly)
        if not raw:
            return default
        if raw.lower() in TRUE_WORDS:
            return True
        if raw.lower() in FALSE_WORDS:
            return False
        raise SettingError(
            f"{used}={raw!r} is not a yes/no value (use one of {', '.join(TRUE_WORDS + FALSE_WORDS)})"
        )
