"""One account holds more than half of a governor's delegated votes: it decides every vote."""
from __future__ import annotations

from inspector.chain.accounts import short
from inspector.findings import Severity
from inspector.rules import Rule
from inspector.rules.governance import anchor
from inspector.vocabulary import Category


class GovernanceMajorityHolder(Rule):
    id = "governance-majority-holder"
    category = Category.GOVERNANCE
    severity = Severity.HIGH
    weight = 30
    title = "One account holds the majority of the votes"
    rationale = (
        "A governor counts delegated votes. When one account holds more than half of them, it passes or defeats every "
        "proposal alone: the vote is a formality, and the system is as decentralised as that one account. The votes are "
        "read from the token's checkpoints (DelegateVotesChanged) at the scanned block, not from balances."
    )
    remediation = ("Spread the voting power (vesting, distribution, delegation to independent delegates) before governance "
                   "holds critical powers, or raise the quorum and add a veto (a guardian, a security council) meanwhile.")
    references = ("https://arxiv.org/abs/2505.07828", "https://docs.openzeppelin.com/contracts/5.x/governance")

    def check(self, facts):
        if self.chain is None:
            return
        for state in self.chain.governors:
            votes = state.votes
            largest = votes.largest if votes is not None else None
            if largest is None or largest[1] * 2 <= votes.total:
                continue
            contract = anchor(facts, self.chain, (state.governor, state.token or "", *(p.contract for p in state.powers_reachable)))
            if contract is None:
                continue
            delegate, held = largest
            account = self.chain.account(delegate)
            who = account.describe() if account is not None else f"account {short(delegate)}"
            of_supply = f" ({held / votes.supply:.1%} of the supply)" if votes.supply else ""
            token = self.chain.deployed_at(state.token)
            yield self.finding(
                contract,
                f"{who} holds {held / votes.total:.1%} of the delegated votes{of_supply} of "
                f"{token.contract.name + ' ' if token is not None else ''}{short(state.token)}: alone it decides every vote "
                f"of the governor at {short(state.governor)}",
                principal=delegate, holder=who)
