"""A governor or a voting token exists, yet critical powers are held by keys outside governance."""
from __future__ import annotations

from inspector.chain.accounts import short
from inspector.facts.queries import is_voting_token
from inspector.findings import Severity
from inspector.rules import Rule
from inspector.rules.governance import anchor, describe_power
from inspector.vocabulary import MONEY_OR_CODE, AccountKind, CapabilityName, Category

# What the vote should decide: supply, code, pausing, funds, and who holds power
CRITICAL = MONEY_OR_CODE | {CapabilityName.CHANGE_OWNER, CapabilityName.GRANT_ROLE}
_SHOWN = 5  # powers listed in the message; the rest are counted


class GovernanceDecorative(Rule):
    id = "governance-decorative"
    category = Category.GOVERNANCE
    severity = Severity.HIGH
    weight = 35
    title = "Governance is decorative: critical powers are held outside the vote"
    rationale = (
        "A governor and a voting token say that holders decide. When minting, upgrading, pausing, moving funds or "
        "handing over ownership or roles is held by a key the governor does not control (an EOA, a multisig, a kept "
        "admin role), the vote decides nothing that matters: whoever holds that key does. A timelock's open executor "
        "runs only what governance scheduled and is not such a key."
    )
    remediation = ("Hand every critical power to the governor's timelock (owner, roles, proxy admin) and renounce the "
                   "keys that kept them, or say plainly that the project is run by those keys.")
    references = ("https://arxiv.org/abs/2505.07828", "https://l2beat.com/stages")

    def check(self, facts):
        if self.chain is None:
            return
        governors = {s.governor.lower(): s for s in self.chain.governors}
        own = {a.lower() for s in self.chain.governors for a in (s.governor, s.timelock) if a}
        tokens = [d for c in facts.contracts if is_voting_token(c) for d in self.chain.deployments_of(c.name)]
        if not governors and not tokens:
            return
        outside = []
        for power in self.chain.powers:
            if power.capability not in CRITICAL or power.contract.lower() in own:
                continue
            keys = [k for k in power.keys if k.kind != AccountKind.RENOUNCED and k.address.lower() not in governors]
            if keys:
                outside.append((power, keys))
        if not outside:
            return
        subjects = [*(s.governor for s in self.chain.governors), *(d.address for d in tokens)]
        contract = anchor(facts, self.chain, (*subjects, *(p.contract for p, _ in outside)))
        if contract is None:
            return
        what = "; ".join(f"{describe_power(self.chain, p)} held by {', '.join(self._key(k) for k in keys)}"
                         for p, keys in outside[:_SHOWN])
        more = f"; and {len(outside) - _SHOWN} more" if len(outside) > _SHOWN else ""
        voting = (f"the governor at {short(self.chain.governors[0].governor)}" if self.chain.governors
                  else f"the voting token at {short(tokens[0].address)}")
        holders = dict.fromkeys(self._key(k) for _, keys in outside for k in keys)
        yield self.finding(contract, f"{voting} does not decide what matters: {what}{more}",
                           principal=str(outside[0][1][0].address), holder="; ".join(holders))

    def _key(self, key) -> str:
        account = self.chain.account(key.address)
        return account.describe() if account is not None else f"{key.label or key.kind} {short(key.address)}"
