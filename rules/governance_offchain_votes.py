"""A token that carries votes, with no on-chain governor anywhere in the control graph."""
from __future__ import annotations

from inspector.chain.accounts import short
from inspector.facts.queries import is_voting_token
from inspector.findings import Severity
from inspector.rules import Rule
from inspector.vocabulary import Category


class GovernanceOffchainVotes(Rule):
    id = "governance-offchain-votes"
    category = Category.GOVERNANCE
    severity = Severity.INFO
    weight = 0
    title = "Votes counted off chain: nothing on chain carries them out"
    rationale = (
        "A token with delegation and checkpoints (ERC20Votes, Comp) can be voted with on chain, but when no governor "
        "anywhere in the scanned system counts those votes, the vote happens off chain (a Snapshot space, a forum) and "
        "whoever holds the system's keys decides whether to carry it out. Read on chain only: a scan of sources cannot "
        "know which governor, if any, is deployed."
    )
    remediation = ("Say where the votes are counted and who executes them; to make them binding, give the system's "
                   "powers to an on-chain governor's timelock.")
    references = ("https://arxiv.org/abs/2505.07828", "https://docs.snapshot.box/")

    def check(self, facts):
        if self.chain is None or self.chain.governors:
            return
        for contract in facts.contracts:
            if not is_voting_token(contract):
                continue
            for deployment in self.chain.deployments_of(contract.name):
                yield self.finding(contract, f"{contract.name} at {short(deployment.address)} carries votes, yet no on-chain "
                                             "governor is in the scanned system: votes are counted off chain; nothing on chain "
                                             "carries them out")
