"""Read the project's configuration file into a Config.

Two formats, one layout: `inspector.toml` has the tables `[rules]`, `[severity]`,
`[thresholds]`, `[score]` and `[[score.councils]]`; `setup.cfg` has the same tables as
sections named `[inspector.rules]`, `[inspector.severity]`, `[inspector.thresholds]`,
`[inspector.score]`, and one `[inspector.council.0xADDRESS]` per council. In setup.cfg every
value is text: lists are separated by commas or newlines, booleans are true/false.
The working directory's `inspector.toml` wins over its `setup.cfg`; `--config FILE` names one.
Rule ids are checked against the catalogue later (`check_rule_ids`), once the user's rule
folders are loaded.
"""
from __future__ import annotations

import configparser
import math
import re
from pathlib import Path
from typing import Any, Callable

from inspector.config import Config, Council, ScoreSettings, Thresholds
from inspector.errors import ConfigError
from inspector.findings import Severity
from inspector.userfile import loads_toml, read_text, tomllib

TOML, CFG = "inspector.toml", "setup.cfg"
SECTION = "inspector"
_HINT = "see docs/configuration.md"
_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


class _Bad(ValueError):
    """A value of the wrong type or out of range; the message says what it must be."""


def _number(low: float, high: float | None = None, whole: bool = False) -> Callable[[Any, bool], float]:
    kind = "a whole number" if whole else "a number"
    bounds = f" from {low:g} to {high:g}" if high is not None else f" of at least {low:g}"

    def convert(value: Any, text: bool) -> float:
        if text and isinstance(value, str):
            try:
                value = int(value) if whole else float(value)
            except ValueError:  # also a whole number past Python's int-string conversion limit
                raise _Bad(f"must be {kind}{bounds}") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and not isinstance(value, int)):
            raise _Bad(f"must be {kind}{bounds}")
        if not math.isfinite(value):  # nan compares false with every bound, so a gate could never fail
            raise _Bad(f"must be a finite number{bounds}")
        if value < low or (high is not None and value > high):
            raise _Bad(f"must be {kind}{bounds}")
        return value if whole else float(value)

    return convert


def _boolean(value: Any, text: bool) -> bool:
    if text and isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no", "1", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    if not isinstance(value, bool):
        raise _Bad("must be true or false")
    return value


def _ids(value: Any, text: bool) -> tuple[str, ...]:
    if text and isinstance(value, str):
        return tuple(part for part in re.split(r"[,\s]+", value) if part)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad("must be a list of rule ids")
    return tuple(value)


def _severity(value: Any, text: bool) -> str:
    if not isinstance(value, str) or value.strip().upper() not in Severity.__members__:
        raise _Bad(f"must be one of {', '.join(str(s) for s in sorted(Severity, reverse=True))}")
    return value.strip().lower()


def _address(value: Any, text: bool) -> str:
    if not isinstance(value, str) or not _ADDRESS.match(value.strip()):
        raise _Bad("must be an address, 0x and 40 hex digits")
    return value.strip()


_THRESHOLDS = {
    "timelock_min_delay_hours": _number(0),
    "multisig_min_threshold": _number(1, whole=True),
    "multisig_min_owners": _number(1, whole=True),
}
_SCORE = {
    "stage1_exit_window_days": _number(0),
    "stage2_exit_window_days": _number(0),
    "council_min_members": _number(1, whole=True),
    "council_min_threshold": _number(0, 1),
    "council_min_outsiders": _number(0, 1),
}
_COUNCIL = {"address": _address, "outsiders": _number(0, whole=True), "public": _boolean}
_RULES = {"enable": _ids, "disable": _ids}
_TABLES = ("rules", "severity", "thresholds", "score")


class _Reader:
    """Converts the raw tables of one file, naming a bad key the way that file writes it."""

    def __init__(self, source: str, text: bool) -> None:
        self.source, self.text = source, text

    def where(self, table: str, key: str) -> str:
        if self.text:
            return f"'{key}' in [{SECTION}.{table}]" if table else f"'{key}' in [{SECTION}]"
        return f"'{table}.{key}'" if table else f"'{key}'"

    def table(self, table: str, raw: Any, schema: dict | Callable, label: str = "") -> dict:
        """`schema` maps each allowed key to its converter, or is one converter for any key."""
        label = label or table
        if not isinstance(raw, dict):
            raise ConfigError(f"{self.source}: {self.where('', table)} must be a table", _HINT)
        out = {}
        for key, value in raw.items():
            if isinstance(schema, dict) and key not in schema:
                raise ConfigError(f"{self.source}: unknown key {self.where(label, key)}", f"known keys: {', '.join(schema)}")
            try:
                out[key] = (schema[key] if isinstance(schema, dict) else schema)(value, self.text)
            except _Bad as exc:
                raise ConfigError(f"{self.source}: {self.where(label, key)} {exc}, not {_show(value)}", _HINT) from None
        return out


def _show(value: Any, most: int = 40) -> str:
    """The value as the file wrote it, cut short: a 5000-digit number is not a clear line."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value).bit_length() > 128:
        return "a number of more than 38 digits"
    if isinstance(value, str):
        return repr(value if len(value) <= most else value[: most - 3] + "...")
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= most else text[: most - 3] + "..."


def _build(raw: dict, source: str, text: bool) -> Config:
    reader = _Reader(source, text)
    for key in raw:
        if key not in _TABLES:
            raise ConfigError(f"{source}: unknown key {reader.where('', key)}", f"known keys: {', '.join(_TABLES)}")
    rules = reader.table("rules", raw.get("rules", {}), _RULES)
    overrides = reader.table("severity", raw.get("severity", {}), _severity)
    thresholds = Thresholds(**reader.table("thresholds", raw.get("thresholds", {}), _THRESHOLDS))
    score_raw = reader.table("score", raw.get("score", {}), lambda value, text: value)
    councils_raw = score_raw.pop("councils", [])
    score = reader.table("score", score_raw, _SCORE)
    if not isinstance(councils_raw, list):
        raise ConfigError(f"{source}: 'score.councils' must be an array of tables ([[score.councils]])", _HINT)
    councils = []
    for entry in councils_raw:
        label = f"council.{entry.get('address', '')}" if text and isinstance(entry, dict) else "score.councils"
        values = reader.table("score.councils", entry, _COUNCIL, label)
        if "address" not in values:
            raise ConfigError(f"{source}: a council in 'score.councils' lacks its address", _HINT)
        councils.append(Council(**values))
    return Config(
        enabled_rules=rules.get("enable", ()),
        disabled_rules=rules.get("disable", ()),
        severity_overrides=overrides,
        thresholds=thresholds,
        score=ScoreSettings(**score, councils=tuple(councils)),
        source=source,
    )


def _read_toml(path: Path, source: str) -> dict:
    try:
        return loads_toml(read_text(path))
    except OSError as exc:
        raise ConfigError(f"cannot read {source}: {exc.strerror}", _HINT) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source} is not valid TOML: {exc}", _HINT) from None


def _read_cfg(path: Path, source: str) -> dict | None:
    """setup.cfg's inspector sections as the nested tables inspector.toml would have, or
    None when it has none."""
    parser = configparser.ConfigParser(interpolation=None, default_section="\0none")
    parser.optionxform = str  # rule ids and keys are reported as written
    try:
        parser.read_string(read_text(path), source=source)
    except OSError as exc:
        raise ConfigError(f"cannot read {source}: {exc.strerror}", _HINT) from None
    except configparser.Error as exc:
        raise ConfigError(f"{source} cannot be parsed: {' '.join(str(exc).split())}", _HINT) from None
    raw: dict = {}
    found = False
    for section in parser.sections():
        head, dot, rest = section.partition(".")
        if head != SECTION:
            continue
        found = True
        values = dict(parser.items(section))
        if not dot:
            for key in values:
                raise ConfigError(f"{source}: unknown key '{key}' in [{SECTION}]",
                                  f"settings go in [{SECTION}.rules], [{SECTION}.severity], [{SECTION}.thresholds], [{SECTION}.score]")
        elif rest.startswith("council."):
            raw.setdefault("score", {}).setdefault("councils", []).append({"address": rest[len("council."):], **values})
        elif rest in _TABLES:
            raw.setdefault(rest, {}).update(values)
        else:
            raise ConfigError(f"{source}: unknown section [{section}]",
                              f"known sections: {', '.join(f'[{SECTION}.{t}]' for t in _TABLES)}, [{SECTION}.council.0xADDRESS]")
    return raw if found else None


def load_config(cwd: Path, explicit: Path | None = None) -> Config:
    """The configuration a scan in `cwd` uses: `explicit` (--config), else the first of
    inspector.toml and setup.cfg (with an [inspector...] section) found in `cwd`, else the
    defaults."""
    if explicit is not None:
        source = str(explicit)
        if not explicit.exists():
            raise ConfigError(f"cannot read --config {source}: no such file", "pass an inspector.toml or a setup.cfg")
        if explicit.suffix == ".toml":
            return _build(_read_toml(explicit, source), source, text=False)
        raw = _read_cfg(explicit, source)
        if raw is None:
            raise ConfigError(f"--config {source} has no [{SECTION}] section", "pass an inspector.toml, or a .cfg file with [inspector.*] sections")
        return _build(raw, source, text=True)
    if (cwd / TOML).is_file():
        return _build(_read_toml(cwd / TOML, TOML), TOML, text=False)
    if (cwd / CFG).is_file():
        raw = _read_cfg(cwd / CFG, CFG)
        if raw is not None:
            return _build(raw, CFG, text=True)
    return Config()


def check_rule_ids(config: Config, known: set[str]) -> None:
    """A misspelt rule id in the file would silently switch nothing off: refuse it."""
    named = [("rules.enable", r) for r in config.enabled_rules] + [("rules.disable", r) for r in config.disabled_rules]
    named += [("severity", r) for r in config.severity_overrides]
    for key, rule in named:
        if rule not in known:
            raise ConfigError(f"{config.source}: {key} names unknown rule '{rule}'", "run 'inspector rules' for the list")



def rule_choice(config: Config, only: tuple[str, ...], excluded: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Which rules to run, as (only, excluded) for select_rules. The command line wins: `--rule`
    names exactly what runs (the file's lists are set aside); `--exclude-rule` adds to the
    file's disable list."""
    if only:
        return only, excluded
    return config.enabled_rules, config.disabled_rules + excluded
