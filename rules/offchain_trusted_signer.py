"""Signatures from an admin-set signer authorize actions."""
from __future__ import annotations

import re

from inspector.rules import Rule
from inspector.findings import Severity
from inspector.vocabulary import CapabilityName, Category

_SIGNER = re.compile(r"signer|validator|verifier|attest|oracle", re.I)


class OffchainTrustedSigner(Rule):
    id = "offchain-trusted-signer"
    category = Category.OFF_CHAIN
    severity = Severity.MEDIUM
    weight = 15
    title = "Trusted off-chain signer"
    rationale = (
        "Mints, claims or actions go through when a signature from a stored signer checks out. The "
        "decision is made off chain by whoever holds that signing key, and whoever can set the signer "
        "decides who that is."
    )
    remediation = "Use several independent signers with a threshold, publish them, and put changes behind a timelock."
    references = ("https://eips.ethereum.org/EIPS/eip-712",)

    def check(self, facts):
        for contract in facts.contracts:
            signers = sorted(n for n, t in contract.state_variables.items() if _SIGNER.search(n) and t.startswith("address"))
            if not signers:
                continue
            setters = sorted({e.function for e in contract.entry_points for c in e.capabilities if c.name == CapabilityName.SET_SIGNER})
            for entry in contract.entry_points:
                if not entry.verifies_signature or not entry.capabilities:
                    continue
                powers = ", ".join(sorted({c.name.replace("_", " ") for c in entry.capabilities}))
                set_by = f"; set through {', '.join(setters)}" if setters else ""
                yield self.finding(
                    contract,
                    f"{contract.name}.{entry.function} acts ({powers}) on a signature from '{signers[0]}'{set_by}",
                    entry=entry, capabilities=entry.capabilities, principal=signers[0],
                )
