"""The shapes explorer answers must have (JSON Schema), checked before any value is used.

One schema per answer: Etherscan's envelope and its getsourcecode item, the standard-JSON
input Etherscan wraps in `{{…}}` (and its older multi-file form), Sourcify v2's lookup and
error answers. Unknown keys are allowed (explorers add fields); the types and forms of the
keys inspector reads are not negotiable. A mismatch is one short line naming where it is.
"""
from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

_DIGITS = {"anyOf": [{"type": "string", "pattern": r"^[0-9]{0,9}$"}, {"type": "integer", "minimum": 0, "maximum": 10 ** 9}]}
_FLAG = {"anyOf": [{"type": "string", "pattern": r"^(0|1|true|false|True|False|)$"}, {"type": "boolean"},
                   {"type": "integer", "enum": [0, 1]}]}
_COMPILER = {"type": "string", "pattern": r"^[A-Za-z0-9.+:\-]{0,80}$"}
_NAME = {"type": "string", "pattern": r"^[A-Za-z0-9_$]{0,200}$"}
_ADDRESS = {"type": "string", "pattern": r"^(0x[0-9a-fA-F]{40})?$"}

SOURCES = {
    "type": "object", "minProperties": 1,
    "additionalProperties": {"type": "object", "required": ["content"], "properties": {"content": {"type": "string"}}},
}
SETTINGS = {
    "type": "object",
    "properties": {
        "optimizer": {"type": "object", "properties": {"enabled": {"type": "boolean"},
                                                       "runs": {"type": "integer", "minimum": 0, "maximum": 2 ** 32 - 1}}},
        "evmVersion": {"type": "string", "pattern": r"^[A-Za-z0-9]{1,40}$"},
        "viaIR": {"type": "boolean"},
        "remappings": {"type": "array", "items": {"type": "string", "pattern": r"^[^\x00-\x1f]*=[^\x00-\x1f]*$"}},
    },
}
STANDARD_JSON = {
    "type": "object", "required": ["sources"],
    "properties": {"language": {"type": "string"}, "sources": SOURCES, "settings": SETTINGS},
}
# the older multi-file form: {"A.sol": {"content": …}} or {"sources": {…}}
MULTI_FILE = {"anyOf": [{"type": "object", "required": ["sources"], "properties": {"sources": SOURCES}}, SOURCES]}

ETHERSCAN_ENVELOPE = {
    "type": "object", "required": ["status", "result"],
    "properties": {"status": {"type": ["string", "integer"]}, "message": {"type": "string"}},
}
ETHERSCAN_SOURCE = {
    "type": "object", "required": ["result"],
    "properties": {"result": {"type": "array", "minItems": 1, "items": {
        "type": "object", "required": ["SourceCode"],
        "properties": {
            "SourceCode": {"type": "string"}, "ABI": {"type": "string"}, "ContractName": _NAME, "CompilerVersion": _COMPILER,
            "OptimizationUsed": _FLAG, "Runs": _DIGITS, "OptimizationRuns": _DIGITS,
            "EVMVersion": {"type": "string", "pattern": r"^[A-Za-z0-9]{0,40}$"}, "Library": {"type": "string"},
            "Proxy": _FLAG, "IsProxy": _FLAG, "Implementation": _ADDRESS,
        },
    }}},
}

SOURCIFY_ERROR = {"type": "object", "properties": {"customCode": {"type": "string"}, "message": {"type": "string"}}}
SOURCIFY_CONTRACT = {
    "type": "object", "required": ["match"],
    "properties": {
        "match": {"type": ["string", "null"]},
        "compilation": {"type": "object", "properties": {
            "language": {"type": "string"}, "name": _NAME, "compilerVersion": _COMPILER,
            "fullyQualifiedName": {"type": "string"}, "compilerSettings": SETTINGS}},
        "stdJsonInput": STANDARD_JSON,
        "sources": SOURCES,
        "proxyResolution": {"type": "object", "properties": {
            "isProxy": {"type": "boolean"},
            "implementations": {"type": "array", "items": {"type": "object", "properties": {"address": _ADDRESS}}}}},
    },
}

_VALIDATORS: dict[int, Draft202012Validator] = {}


class Malformed(ValueError):
    """An answer that does not have its shape; the message is one short line."""


def check(value: Any, schema: dict, what: str) -> Any:
    """`value` unchanged when it has the shape `schema` gives, else Malformed."""
    validator = _VALIDATORS.setdefault(id(schema), Draft202012Validator(schema))
    error = best_match(validator.iter_errors(value))
    if error is not None:
        raise Malformed(f"{what} {_where(error)} {_wrong(error)}")
    return value


def _where(error: ValidationError) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{quote(str(p), 60)}" for p in error.absolute_path)
    return f"at {path.lstrip('.')}" if path else "as a whole"


def _wrong(error: ValidationError) -> str:
    rule = error.validator
    if rule == "type":
        expected = error.validator_value
        return f"is not {' or '.join(expected) if isinstance(expected, list) else expected}"
    if rule == "required":
        return f"lacks {next((k for k in error.validator_value if k not in (error.instance or {})), 'a field')}"
    if rule in ("minItems", "minProperties"):
        return "is empty"
    if rule == "anyOf":
        return "has neither of the accepted forms"
    return "is not in the accepted form"


def quote(text: str, limit: int = 120) -> str:
    """Text from outside as it may be shown: control characters escaped, one line, bounded."""
    shown = repr(text[:limit])[1:-1]
    return shown + ("…" if len(text) > limit else "")
