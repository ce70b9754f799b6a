"""Slither's own detectors, on request (`--slither-detectors`), reported under their own
ids (`slither:<check>`) beside the governance rules. They run on the Slither object the
scan already built, so they cost their analysis time and no compilation."""
from __future__ import annotations

import inspect
import logging

from slither import Slither
from slither.detectors import all_detectors
from slither.detectors.abstract_detector import AbstractDetector, classification_txt

from inspector.findings import Evidence, Finding, Severity
from inspector.vocabulary import Category

_SEVERITY = {"High": Severity.HIGH, "Medium": Severity.MEDIUM, "Low": Severity.LOW,
             "Informational": Severity.INFO, "Optimization": Severity.INFO}


def _detectors() -> list[type[AbstractDetector]]:
    found = (getattr(all_detectors, name) for name in dir(all_detectors))
    return [d for d in found if inspect.isclass(d) and issubclass(d, AbstractDetector) and d is not AbstractDetector]


def detector(check: str) -> type[AbstractDetector] | None:
    """The detector class behind a `slither:<check>` finding, for reports that describe
    the check (SARIF rules); None for a check this Slither does not have."""
    return next((d for d in _detectors() if d.ARGUMENT == check), None)


def severity_of(detector_class: type[AbstractDetector]) -> Severity:
    return _SEVERITY.get(classification_txt[detector_class.IMPACT], Severity.INFO)


def _where(element: dict) -> tuple[str, int]:
    mapping = element.get("source_mapping") or {}
    lines = mapping.get("lines") or [0]
    return mapping.get("filename_used") or mapping.get("filename_relative") or "", lines[0]


def _ancestry(element: dict):
    """The element and its parents (a variable's function, a function's contract)."""
    while element:
        yield element
        element = (element.get("type_specific_fields") or {}).get("parent") or {}


def _contract_of(element: dict) -> str:
    return next((e.get("name", "") for e in _ancestry(element) if e.get("type") == "contract"), "")


def _function_of(element: dict) -> str:
    return next(((e.get("type_specific_fields") or {}).get("signature", e.get("name", ""))
                 for e in _ancestry(element) if e.get("type") == "function"), "")


def run_detectors(slither: Slither, targets: set[str], display) -> list[Finding]:
    """Findings of every Slither detector whose first element lies in a target file.
    `display` maps a source unit name to the path reports show."""
    logging.getLogger("Detectors").setLevel(logging.ERROR)
    for detector in _detectors():
        slither.register_detector(detector)
    findings = []
    for results in slither.run_detectors():
        for result in results:
            elements = result.get("elements") or []
            if not elements:
                continue
            file, line = _where(elements[0])
            if file not in targets:
                continue
            function = _function_of(elements[0])
            findings.append(Finding(
                rule=f"slither:{result['check']}",
                category=Category.SLITHER,
                severity=_SEVERITY.get(result.get("impact"), Severity.INFO),
                confidence=str(result.get("confidence", "medium")).lower(),
                contract=_contract_of(elements[0]),
                function=function,
                file=display(file),
                line=line,
                message=" ".join(result.get("description", "").split()),
                evidence=tuple(Evidence(display(_where(e)[0]), _where(e)[1], e.get("name", "")) for e in elements[1:4]),
            ))
    return findings
