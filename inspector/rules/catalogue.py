"""The rule catalogue: rules are classes, one per file, with their metadata beside their
condition over the facts (as Slither's detectors are). The built-in catalogue is the
`rules/` folder; users add folders of their own with --rules."""
from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, Iterable

from inspector.config import Config, Thresholds
from inspector.errors import ConfigError
from inspector.facts.model import Capability, ContractFacts, EntryPoint, Facts
from inspector.facts.queries import describe_all, principal_of, privileged_uses
from inspector.findings import Evidence, Finding, Severity
from inspector.rules.governance import Governance
from inspector.vocabulary import Category, Confidence

# Slither's own detectors, when asked for, report under this category (not a rule's)
SLITHER_CATEGORY = Category.SLITHER
if TYPE_CHECKING:  # the chain stage's value: `inspector rules` and the command line's checks load no chain code
    from inspector.chain.facts import ChainFacts

CATEGORIES = tuple(c for c in Category if c != SLITHER_CATEGORY)


class Rule:
    id: ClassVar[str]
    category: ClassVar[str]
    severity: ClassVar[Severity]
    confidence: ClassVar[str] = Confidence.HIGH
    weight: ClassVar[int]  # points the score may take away for it (0-100 scale per axis)
    title: ClassVar[str]
    rationale: ClassVar[str]
    remediation: ClassVar[str]
    references: ClassVar[tuple[str, ...]] = ()
    # The contract kinds the rule is about (facts.kinds: "multisig", "timelock", ...): it is
    # given only those contracts. Empty: every deployable contract.
    applies_to: ClassVar[frozenset[str]] = frozenset()
    # What the project's configuration sets; run_rules hands each scan's to configure().
    thresholds: Thresholds = Thresholds()
    # What the chain says, when the scan read one: run_rules sets both before check().
    chain: ChainFacts | None = None
    governance: Governance = Governance()

    def configure(self, config: Config) -> None:
        """Called before check() with the scan's configuration. Rules read
        `self.thresholds`; a rule that needs more of the configuration overrides this."""
        self.thresholds = config.thresholds

    def observe(self, chain: ChainFacts | None) -> None:
        """Called before check() with the chain facts of the scan (None without a chain):
        `self.governance` answers from the chain where it was read, from the code otherwise."""
        self.chain = chain
        self.governance = Governance(chain)

    def applies(self, contract: ContractFacts) -> bool:
        return not contract.abstract and (not self.applies_to or bool(self.applies_to & set(contract.kinds)))

    def check(self, facts: Facts) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        contract: ContractFacts,
        message: str,
        entry: EntryPoint | None = None,
        capabilities: Iterable[Capability] = (),
        principal: str = "",
        severity: Severity | None = None,
        confidence: str | None = None,
        variable: str = "",
        subject: str = "",
        holder: str = "",
    ) -> Finding:
        """A finding of this rule at an entry point, a state variable's declaration, or the
        contract, with the capabilities' lines as evidence. A finding about the whole contract
        says what it is about (`subject`: findings.ADMIN_ROLE, ITSELF, UPGRADE), so that a
        chain scan can name who holds that. A rule that read the holder from the chain itself
        (the governance rules: a delegate's votes) gives it as `holder`. On a contract read
        from bytecode alone every rule's finding is of low confidence and says "bytecode only"."""
        if contract.bytecode_only:  # no source: what the bytecode shows, said as such
            confidence, message = Confidence.LOW, f"{message} (bytecode only)"
        file, line = (entry.file, entry.line) if entry else (contract.file, contract.line)
        if variable and variable in contract.variable_lines:
            file, line = contract.variable_lines[variable]  # a finding about a variable points at its declaration
        return Finding(
            rule=self.id,
            category=self.category,
            severity=severity if severity is not None else self.severity,
            confidence=confidence or self.confidence,
            contract=contract.name,
            function=entry.function if entry else "",
            file=file,
            line=line,
            message=message,
            evidence=tuple(Evidence(c.file, c.line, f"{c.name}: {c.detail}") for c in capabilities),
            principal=principal,
            subject=subject,
            holder=holder,
        )

    @classmethod
    def validate(cls, origin: Path) -> None:
        missing = [a for a in ("id", "category", "severity", "weight", "title", "rationale", "remediation") if not hasattr(cls, a)]
        if missing:
            raise ConfigError(f"rule {cls.__name__} in {origin} lacks {', '.join(missing)}", "give every rule its metadata")
        if cls.category not in CATEGORIES:
            raise ConfigError(f"rule {cls.id} in {origin} has unknown category '{cls.category}'", f"use one of {', '.join(CATEGORIES)}")


class PrivilegedCapabilityRule(Rule):
    """A rule that fires wherever a privileged principal, outside the contract's own
    governance flow, can exercise one of `capabilities`: the rule supplies the metadata and
    the verb of its message, the condition is shared."""

    capabilities: ClassVar[frozenset[str]]
    verb: ClassVar[str]  # "pause the contract", "move funds out"

    def spared(self, capability: Capability) -> bool:
        """A use of the capability the rule leaves out (a rule overrides it)."""
        return False

    def check(self, facts: Facts) -> Iterable[Finding]:
        for contract, entry, capability, guards in privileged_uses(facts, set(self.capabilities), self.governance.governs):
            if self.spared(capability):
                continue
            yield self.finding(
                contract,
                f"{describe_all(guards)} can {self.verb} through {contract.name}.{entry.function}"
                f"{self.governance.contradicted(guards, contract)}",
                entry=entry, capabilities=(capability,), principal=principal_of(guards),
            )


def builtin_rules_dir() -> Path:
    """rules/ beside the package in a checkout (and an editable install); in an installed
    wheel, the copy setup.cfg's data_files puts under the environment's share/."""
    checkout = Path(__file__).resolve().parents[2] / "rules"
    return checkout if checkout.is_dir() else Path(sys.prefix) / "share" / "inspector" / "rules"


def _load_file(path: Path) -> list[type[Rule]]:
    module_name = f"inspector_rules_{abs(hash(str(path.resolve())))}_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"cannot load rule file {path}", "rule files are Python modules")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # a user's rule file may be broken in any way
        raise ConfigError(f"rule file {path} failed to load: {exc}", "fix the rule file") from exc
    return [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, Rule) and obj is not Rule and obj.__module__ == module_name
    ]


def load_rules(extra_dirs: Iterable[Path] = ()) -> list[Rule]:
    rules: dict[str, Rule] = {}
    for folder in (builtin_rules_dir(), *extra_dirs):
        if not folder.is_dir():
            raise ConfigError(f"rule folder {folder} does not exist", "pass a folder of rule files to --rules")
        for path in sorted(folder.glob("*.py")):
            if path.name.startswith("_"):
                continue
            for cls in _load_file(path):
                cls.validate(path)
                if cls.id in rules and folder == builtin_rules_dir():
                    raise ConfigError(f"rule id {cls.id} is defined twice", "rule ids must be unique")
                rules[cls.id] = cls()
    return sorted(rules.values(), key=lambda r: r.id)


def select_rules(rules: list[Rule], only: Iterable[str] = (), excluded: Iterable[str] = ()) -> list[Rule]:
    """The rules to run: all, or only those named, less those excluded. An unknown id is an
    error, so that a typo does not silently switch a rule off."""
    known = {r.id for r in rules}
    for rule_id in (*only, *excluded):
        if rule_id not in known:
            raise ConfigError(f"no rule '{rule_id}'", "run 'inspector rules' for the list")
    only, excluded = set(only), set(excluded)
    return [r for r in rules if (not only or r.id in only) and r.id not in excluded]


def run_rules(rules: Iterable[Rule], facts: Facts, config: Config = Config(), chain: ChainFacts | None = None) -> list[Finding]:
    """Every rule's findings, with the configuration's thresholds and severity overrides and
    the chain's facts when a chain was read. Each rule sees the contracts it applies to; an
    abstract contract (or a base whose constructor is internal) is never deployed as it is:
    its code is reported where a deployable contract inherits it. An override replaces
    whatever severity the rule chose, so the project has the last word."""
    findings = []
    for rule in rules:
        rule.configure(config)
        rule.observe(chain)
        findings += rule.check(replace(facts, contracts=tuple(c for c in facts.contracts if rule.applies(c))))
    overrides = {rule: Severity.parse(name) for rule, name in config.severity_overrides.items()}
    findings = [replace(f, severity=overrides[f.rule]) if f.rule in overrides else f for f in findings]
    return sorted(set(findings), key=Finding.sort_key)
