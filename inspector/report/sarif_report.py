"""SARIF 2.1.0, for code-scanning UIs (GitHub code scanning, editors' SARIF viewers): one
run whose driver describes every rule that ran, from the catalogue, and one result per
finding. Paths are relative to the scan root (`%SRCROOT%`), which is the working
directory the scan ran in, so that GitHub can place results on the repository's files."""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

from inspector import __version__
from inspector.rules.catalogue import SLITHER_CATEGORY, Rule
from inspector.report import json_report
from inspector.findings import Finding, Severity
from inspector.result import ScanResult

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
ROOT = "%SRCROOT%"
SLITHER_PREFIX = "slither:"

LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note", Severity.INFO: "note"}
# GitHub code scanning ranks a rule tagged "security" by this number (a CVSS-like string):
# over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "3.0", Severity.INFO: "1.0"}


@dataclass(frozen=True)
class _Descriptor:
    """What SARIF says about a rule: a catalogue rule's metadata, or the same fields made up
    for a check outside the catalogue (Slither's detectors)."""

    id: str
    category: str
    severity: Severity
    confidence: str
    weight: int
    title: str
    rationale: str
    remediation: str
    references: tuple[str, ...]

    @classmethod
    def of_rule(cls, rule: Rule) -> "_Descriptor":
        return cls(rule.id, rule.category, rule.severity, rule.confidence, rule.weight, rule.title, rule.rationale,
                   rule.remediation, tuple(rule.references))

    @classmethod
    def of_finding(cls, finding: Finding) -> "_Descriptor":
        """Slither's detectors carry their own wiki text; weight 0 because the score's
        weights come from the catalogue only."""
        if not finding.rule.startswith(SLITHER_PREFIX):
            return cls._unknown(finding)
        # Slither is loaded only for its own findings: a report of a scan without them never needs it
        from inspector.facts.slither_detectors import detector, severity_of

        found = detector(finding.rule.removeprefix(SLITHER_PREFIX))
        if found is None:
            return cls._unknown(finding)
        return cls(finding.rule, SLITHER_CATEGORY, severity_of(found), finding.confidence, 0, found.HELP,
                   found.WIKI_DESCRIPTION.strip() or found.HELP, found.WIKI_RECOMMENDATION.strip() or "See the reference.",
                   (found.WIKI,) if found.WIKI else ())

    @classmethod
    def _unknown(cls, finding: Finding) -> "_Descriptor":
        """A check nothing describes: its own id stands for its title."""
        return cls(finding.rule, finding.category, finding.severity, finding.confidence, 0, finding.rule,
                   f"Findings of {finding.rule}.", "Review the finding.", ())


def _name(rule_id: str) -> str:
    """SARIF's rule name is an identifier for people: admin-key-single-owner -> AdminKeySingleOwner."""
    return "".join(part.capitalize() for part in rule_id.replace(":", "-").replace("_", "-").split("-") if part)


def _rule(descriptor: _Descriptor) -> dict:
    references = descriptor.references
    text = descriptor.remediation + ("\n\nReferences:\n" + "\n".join(f"- {r}" for r in references) if references else "")
    markdown = descriptor.remediation + ("\n\n**References**\n\n" + "\n".join(f"- <{r}>" for r in references) if references else "")
    data = {
        "id": descriptor.id,
        "name": _name(descriptor.id),
        "shortDescription": {"text": descriptor.title},
        "fullDescription": {"text": descriptor.rationale},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL[descriptor.severity]},
        "properties": {
            "category": descriptor.category,
            "weight": descriptor.weight,
            "tags": ["security", descriptor.category],
            "precision": descriptor.confidence,
            "security-severity": SECURITY_SEVERITY[descriptor.severity],
        },
    }
    if references:
        data["helpUri"] = references[0]
    return data


def _descriptors(result: ScanResult) -> list[_Descriptor]:
    """The rules that ran, then one made-up rule per other id the findings use."""
    descriptors = [_Descriptor.of_rule(r) for r in result.rules]
    known = {d.id for d in descriptors}
    for finding in result.findings:
        if finding.rule not in known:
            known.add(finding.rule)
            descriptors.append(_Descriptor.of_finding(finding))
    return descriptors


class _Locator:
    """Turns a finding's file into a URI under the scan root. A dependency is named by its
    import path (`@openzeppelin/...`); it is looked up in the node_modules folders above the
    targets, as Node resolves it, so that the URI names the file that was analysed."""

    def __init__(self, root: Path, targets: tuple[str, ...]) -> None:
        self.root = root.resolve()
        folders: list[Path] = []
        for target in targets:
            path = (self.root / target).resolve()
            if not path.exists() or not path.is_relative_to(self.root):
                continue  # a deployed contract (CHAIN:0x...) or a target outside the root
            folder = path if path.is_dir() else path.parent
            folders += [folder, *(p for p in folder.parents if p.is_relative_to(self.root))]
        self.node_modules = [f / "node_modules" for f in dict.fromkeys(folders) if (f / "node_modules").is_dir()]

    def artifact(self, file: str) -> dict:
        path = Path(file)
        if path.is_absolute():
            resolved = path.resolve()
            if not resolved.is_relative_to(self.root):
                return {"uri": resolved.as_uri()}
            path = resolved.relative_to(self.root)
        elif not (self.root / path).is_file():
            found = next((m / path for m in self.node_modules if (m / path).is_file()), None)
            if found is not None:
                path = found.relative_to(self.root)
        return {"uri": quote(path.as_posix(), safe="/@"), "uriBaseId": ROOT}

    def location(self, file: str, line: int) -> dict:
        physical: dict = {"artifactLocation": self.artifact(file)}
        if line > 0:  # 0 is "line unknown"; SARIF lines start at 1
            physical["region"] = {"startLine": line}
        return {"physicalLocation": physical}


def _result(finding: Finding, index: int, locator: _Locator) -> dict:
    location = locator.location(finding.file, finding.line)
    if finding.contract:
        qualified = f"{finding.contract}.{finding.function}" if finding.function else finding.contract
        location["logicalLocations"] = [{"fullyQualifiedName": qualified, "kind": "function" if finding.function else "type"}]
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "relatedLocations": [
            {"id": n, **locator.location(e.file, e.line), "message": {"text": e.note}}
            for n, e in enumerate(finding.evidence, start=1)
        ],
        # the finding's id is built from what it is about, not its line: it survives edits above it
        "partialFingerprints": {"inspectorFindingId/v1": finding.id},
        "properties": {
            "severity": str(finding.severity),
            "confidence": finding.confidence,
            "contract": finding.contract,
            "function": finding.function,
            "principal": finding.principal,
            "holder": finding.holder,
        },
    }


def _information_uri() -> str | None:
    try:
        return metadata.metadata("inspector").get("Home-page")
    except metadata.PackageNotFoundError:
        return None


def document(result: ScanResult, root: Path | None = None) -> dict:
    """The SARIF log; `root` is the folder finding paths are relative to (the scan's
    working directory)."""
    descriptors = _descriptors(result)
    index = {d.id: n for n, d in enumerate(descriptors)}
    locator = _Locator(root or Path.cwd(), result.targets)
    driver = {"name": "inspector", "version": __version__, "semanticVersion": __version__,
              "rules": [_rule(d) for d in descriptors]}
    information_uri = _information_uri()
    if information_uri:
        driver["informationUri"] = information_uri
    run: dict = {
        "tool": {"driver": driver},
        "results": [_result(f, index[f.rule], locator) for f in result.findings],
        "properties": {"targets": list(result.targets)},
    }
    if result.skipped:
        run["invocations"] = [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [
                {"level": "warning", "message": {"text": f"skipped {target}: {why}"}} for target, why in result.skipped
            ],
        }]
    if result.score is not None:
        run["properties"]["score"] = json_report.score_document(result.score)
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: ScanResult, colour: bool = False, root: Path | None = None) -> str:  # colour: a terminal's
    return json.dumps(document(result, root), indent=2) + "\n"
