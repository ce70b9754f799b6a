"""The rules stage: the catalogue of rules (one class per file under the top-level `rules/`
folder, and the folders a user passes to --rules) run over the facts. Rule files import
what they build on from here: `from inspector.rules import Rule`."""
from inspector.rules.catalogue import PrivilegedCapabilityRule, Rule

__all__ = ["PrivilegedCapabilityRule", "Rule"]
