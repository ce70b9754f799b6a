"""Suppression comments in Solidity sources.

    // inspector-disable-next-line RULE-ID[, RULE-ID...]   the next line of code
    // inspector-disable RULE-ID                          from here to the end of the file,
    // inspector-enable RULE-ID                           or up to here

With no id a comment covers every rule; text after ` -- ` is a reason and is ignored.
A finding is suppressed when its file:line is covered. Findings inside dependencies
(node_modules, lib/) are reported at the dependency's file, which the user cannot edit, so
a disable-next-line comment above a contract's declaration also covers every finding
about that contract, wherever the finding points.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from inspector.facts.model import ContractFacts
from inspector.findings import Finding
from inspector.sources.lexer import strip_comments

_DIRECTIVE = re.compile(r"^//\s*inspector-(disable-next-line|disable|enable)(?=\s|$)(.*)$")


@dataclass(frozen=True)
class Directive:
    line: int  # where the comment is
    kind: str  # disable-next-line | disable | enable
    rules: frozenset[str]  # empty: every rule
    target: int = 0  # for disable-next-line: the line of code it covers

    def names(self, rule: str) -> bool:
        return not self.rules or rule in self.rules


@dataclass(frozen=True)
class Suppressed:
    """A finding a comment silenced, and the comment: scope is `line` (disable-next-line
    above the finding), `file` (a disable region) or `contract` (disable-next-line above
    the declaration of the finding's contract)."""

    finding: Finding
    file: str
    line: int
    scope: str


def parse(source: str) -> tuple[Directive, ...]:
    """The directives in one source text, in line order."""
    lines = source.splitlines()
    code = strip_comments(source).splitlines()
    found: list[Directive] = []
    for number, (text, bare) in enumerate(zip(lines, code), start=1):
        start = next((i for i, (a, b) in enumerate(zip(text, bare)) if a != b), None)
        match = _DIRECTIVE.match(text[start:]) if start is not None else None
        if match is None:
            continue
        ids = match.group(2).split(" -- ", 1)[0]
        rules = frozenset(part for part in re.split(r"[,\s]+", ids) if part)
        target = 0
        if match.group(1) == "disable-next-line":
            # the next line with code on it: a doc comment between the two does not count
            target = next((n for n in range(number + 1, len(code) + 1) if code[n - 1].strip()), 0)
        found.append(Directive(number, match.group(1), rules, target))
    return tuple(found)


def covering(directives: Iterable[Directive], rule: str, line: int, next_line_only: bool = False) -> Directive | None:
    """The directive that silences `rule` at `line`, if any."""
    region = None
    for directive in directives:
        if directive.kind == "disable-next-line":
            if directive.target == line and directive.names(rule):
                return directive
        elif not next_line_only and directive.line <= line and directive.names(rule):
            region = directive if directive.kind == "disable" else None
    return region


def suppress(findings: Iterable[Finding], contracts: Iterable[ContractFacts],
             sources: dict[str, str]) -> tuple[list[Finding], list[Suppressed]]:
    """Split findings into those that stand and those a comment silences. `sources` maps
    the file names findings and facts use to the source text."""
    parsed: dict[str, tuple[Directive, ...]] = {}

    def directives(file: str) -> tuple[Directive, ...]:
        if file not in parsed:
            parsed[file] = parse(sources[file]) if file in sources else ()
        return parsed[file]

    declarations: dict[str, list[tuple[str, int]]] = {}
    for contract in contracts:
        declarations.setdefault(contract.name, []).append((contract.file, contract.line))
    kept: list[Finding] = []
    silenced: list[Suppressed] = []
    for finding in findings:
        hit = covering(directives(finding.file), finding.rule, finding.line) if finding.line else None
        if hit is not None:
            silenced.append(Suppressed(finding, finding.file, hit.line, "line" if hit.kind == "disable-next-line" else "file"))
            continue
        for file, line in declarations.get(finding.contract, []):
            hit = covering(directives(file), finding.rule, line, next_line_only=True)
            if hit is not None:
                silenced.append(Suppressed(finding, file, hit.line, "contract"))
                break
        else:
            kept.append(finding)
    return kept, silenced
