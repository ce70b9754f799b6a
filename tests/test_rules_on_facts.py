"""Rules on hand-built facts and chain facts: no compiler, no chain. What the chain says
(ChainFacts) decides governance where it was read; the code's names decide elsewhere."""
from __future__ import annotations

import pytest

from inspector.chain.accounts import Account
from inspector.chain.edges import Edge
from inspector.chain.facts import ChainFacts
from inspector.chain.graph import ControlGraph, Deployment
from inspector.config import Config
from inspector.facts.model import Capability, ContractFacts, EntryPoint, Facts, Guard
from inspector.rules import Rule
from inspector.rules.catalogue import load_rules, run_rules
from inspector.rules.governance import Basis, Governance
from inspector.vocabulary import EdgeKind

TOKEN, EOA, TIMELOCK, SAFE, WEAK_SAFE, ADMIN_CONTRACT = (f"0x{n:040x}" for n in (0xA1, 0xE0A, 0x7111, 0x5AFE, 0x1AFE, 0xC0))
NAMED = Guard("owner", "timelockAdmin")
OWNER = Guard("owner", "_owner")
UPGRADE = "upgradeTo(address)"


def _token(guard: Guard, kinds=("upgradeable",), name="Token") -> ContractFacts:
    upgrade = Capability("upgrade", "_implementation", "Token.sol", 12)
    return ContractFacts(name, "Token.sol", 3, kinds, (EntryPoint(UPGRADE, name, "Token.sol", 10, (guard,), (upgrade,)),))


def _chain(contract: ContractFacts, guard: Guard, holder: Account, *more: Account, edges=()) -> ChainFacts:
    graph = ControlGraph(nodes={a.address: a for a in (holder, *more)}, edges=list(edges))
    graph.guard_holders[(TOKEN, guard)] = (holder.address,)
    return ChainFacts("anvil", 1, graph, (Deployment(contract, TOKEN, TOKEN),), ())


def _rules(*ids: str) -> list[Rule]:
    return [r for r in load_rules() if r.id in ids]


def _found(rules, contract, chain):
    return sorted((f.rule, f.contract, f.function, f.principal) for f in run_rules(rules, Facts((contract,)), Config(), chain))


EOA_ACCOUNT = Account(EOA, "eoa", "EOA")
TIMELOCK_ACCOUNT = Account(TIMELOCK, "timelock", "TimelockController", delay=2 * 86400)


def test_a_name_decides_only_where_the_chain_was_not_read():
    token = _token(NAMED)
    # from the code alone, a variable named like a timelock is governance
    assert Governance().verdict(NAMED, token).governed and Governance().verdict(NAMED, token).basis is Basis.CODE
    # on chain it holds an EOA: a key, and the verdict says where it comes from
    verdict = Governance(_chain(token, NAMED, EOA_ACCOUNT)).verdict(NAMED, token)
    assert (verdict.governed, verdict.basis, verdict.holders) == (False, Basis.CHAIN, ("EOA 0x0000…0e0a",))
    assert Governance(_chain(token, NAMED, EOA_ACCOUNT)).contradicted((NAMED,), token) == (
        " (on chain 'timelockAdmin' is EOA 0x0000…0e0a, not a timelock or governor)")
    # an owner the chain shows to be a timelock is governance, whatever its name
    owned = _token(OWNER)
    assert not Governance().governs(OWNER, owned)
    assert Governance(_chain(owned, OWNER, TIMELOCK_ACCOUNT)).verdict(OWNER, owned).basis is Basis.CHAIN
    assert Governance(_chain(owned, OWNER, TIMELOCK_ACCOUNT)).governs(OWNER, owned)


def test_a_contract_is_followed_to_its_owner_and_an_unknown_one_leaves_the_code_its_answer():
    owned = _token(OWNER)
    admin = Account(ADMIN_CONTRACT, "contract", "contract")
    by_timelock = _chain(owned, OWNER, admin, TIMELOCK_ACCOUNT, edges=[Edge(TIMELOCK, ADMIN_CONTRACT, EdgeKind.OWNER, "")])
    by_eoa = _chain(owned, OWNER, admin, EOA_ACCOUNT, edges=[Edge(EOA, ADMIN_CONTRACT, EdgeKind.OWNER, "")])
    assert Governance(by_timelock).governs(OWNER, owned)
    assert not Governance(by_eoa).governs(OWNER, owned)
    unknown = Governance(_chain(_token(NAMED), NAMED, admin))
    assert unknown.verdict(NAMED, _token(NAMED)).basis is Basis.CODE and unknown.governs(NAMED, _token(NAMED))
    # a guard the chain could not read: the code's answer
    unread = _chain(owned, OWNER, EOA_ACCOUNT)
    unread.graph.guard_holders.clear()
    assert Governance(unread).verdict(OWNER, owned).basis is Basis.CODE


@pytest.mark.parametrize("holder, expected", [
    (EOA_ACCOUNT, [("admin-key-single-owner", "Token", UPGRADE, "timelockAdmin"),
                   ("timelock-bypass", "Token", UPGRADE, "timelockAdmin"),
                   ("upgrade-no-timelock", "Token", UPGRADE, "timelockAdmin")]),
    (TIMELOCK_ACCOUNT, []),
    (None, []),  # no chain read: the name stands
])
def test_upgrade_rules_read_governance_from_the_chain(holder, expected):
    token = _token(NAMED)
    chain = _chain(token, NAMED, holder) if holder is not None else None
    assert _found(_rules("admin-key-single-owner", "timelock-bypass", "upgrade-no-timelock"), token, chain) == expected


def test_multisig_threshold_is_the_chains():
    safe = ContractFacts("Safe", "Safe.sol", 1, ("multisig",), (), standards={"multisig": "Safe"}, values={"threshold": "1"})
    rules = _rules("multisig-low-threshold")
    # from code: the singleton's literal first threshold
    assert [f.message for f in run_rules(rules, Facts((safe,)), Config())] == [
        "Safe.threshold starts at 1, under the minimum threshold of 2: one owner acts alone"]
    # on chain the wallet is 2-of-3: nothing to report; 1-of-2: both minimums missed
    for (m, n), said in (((2, 3), []), ((1, 2), ["Safe at 0x0000…00a1 is 1-of-2 on chain: a threshold under the minimum of 2 "
                                                  "(any one owner acts alone); 2 owners, under the minimum of 3"])):
        wallet = Account(TOKEN, "multisig", "Safe", threshold=m, owners=[f"0x{i:040x}" for i in range(1, n + 1)])
        chain = ChainFacts("anvil", 1, ControlGraph(nodes={TOKEN: wallet}), (Deployment(safe, TOKEN, TOKEN),), ())
        assert [f.message for f in run_rules(rules, Facts((safe,)), Config(), chain)] == said
    # a wallet holding another contract's power, through the contract it owns
    token = _token(OWNER)
    weak = Account(WEAK_SAFE, "multisig", "Safe", threshold=1, owners=[EOA, TIMELOCK])
    admin = Account(ADMIN_CONTRACT, "contract", "contract")
    chain = _chain(token, OWNER, admin, weak, edges=[Edge(WEAK_SAFE, ADMIN_CONTRACT, EdgeKind.OWNER, "")])
    [held] = run_rules(rules, Facts((token,)), Config(), chain)
    assert (held.function, held.principal, held.message) == (
        UPGRADE, "_owner", "'_owner', which Token.upgradeTo(address) needs, is held on chain by Safe 1-of-2 0x0000…1afe: a "
                           "threshold under the minimum of 2 (any one owner acts alone); 2 owners, under the minimum of 3")


def test_timelock_admin_kept_is_silent_only_where_every_address_shows_it_renounced():
    timelock = ContractFacts("TimelockController", "T.sol", 1, ("timelock",), (), constructor_grants=(("DEFAULT_ADMIN_ROLE", "deployer"),))
    rules = _rules("timelock-admin-kept")
    assert [f.rule for f in run_rules(rules, Facts((timelock,)), Config())] == ["timelock-admin-kept"]

    def chain(*admins_by_address):
        nodes = {address: Account(address, "timelock", "TimelockController", delay=60, details={"admins": admins})
                 for address, admins in admins_by_address}
        return ChainFacts("anvil", 1, ControlGraph(nodes=nodes), tuple(Deployment(timelock, a, a) for a, _ in admins_by_address), ())

    assert run_rules(rules, Facts((timelock,)), Config(), chain((TIMELOCK, [TIMELOCK]))) == []
    assert [f.rule for f in run_rules(rules, Facts((timelock,)), Config(), chain((TIMELOCK, [TIMELOCK]), (TOKEN, [TOKEN, EOA])))] == [
        "timelock-admin-kept"]
    # the admins were not read (another kind of timelock): the code's warning stands
    unread = chain((TIMELOCK, []))
    del unread.graph.nodes[TIMELOCK].details["admins"]
    assert [f.rule for f in run_rules(rules, Facts((timelock,)), Config(), unread)] == ["timelock-admin-kept"]


def test_rules_are_given_only_the_contracts_they_apply_to():
    token, timelock = _token(OWNER), ContractFacts("TL", "T.sol", 1, ("timelock",), ())
    seen = []

    class Probe(Rule):
        id, category, severity, weight, title, rationale, remediation = "probe", "timelock", None, 0, "", "", ""
        applies_to = frozenset({"timelock"})

        def check(self, facts):
            seen.extend(c.name for c in facts.contracts)
            return []

    run_rules([Probe()], Facts((token, timelock)), Config())
    assert seen == ["TL"]


def test_a_timelock_delay_read_on_chain_replaces_the_codes_but_not_its_floor():
    timelock = ContractFacts("Timelock", "T.sol", 1, ("timelock",), (), values={"delay": "1 hours", "MINIMUM_DELAY": "0"})
    rules = _rules("timelock-short-delay")
    found = lambda chain=None: [(f.severity.name, f.message) for f in run_rules(rules, Facts((timelock,)), Config(), chain)]  # noqa: E731
    assert found() == [("HIGH", "Timelock.MINIMUM_DELAY is 0 (0 hours), under the 48-hour threshold"),
                       ("MEDIUM", "Timelock.delay is 1 hours (1 hour), under the 48-hour threshold")]

    def chain(seconds):
        account = Account(TIMELOCK, "timelock", "Timelock", delay=seconds)
        return ChainFacts("anvil", 1, ControlGraph(nodes={TIMELOCK: account}), (Deployment(timelock, TIMELOCK, TIMELOCK),), ())

    # the chain shows 2 days now: only the floor, which lets a later change go to zero, is left
    assert found(chain(2 * 86400)) == [("HIGH", "Timelock.MINIMUM_DELAY is 0 (0 hours), under the 48-hour threshold")]
    assert found(chain(5400)) == [
        ("HIGH", "Timelock.MINIMUM_DELAY is 0 (0 hours), under the 48-hour threshold"),
        ("MEDIUM", "Timelock at 0x0000…7111 waits 90 minutes on chain, under the 48-hour threshold")]
    assert ("HIGH", "Timelock at 0x0000…7111 waits no time on chain, under the 48-hour threshold") in found(chain(0))


def _governed(holder_votes, keys):
    """A governor (its token and timelock) whose votes `holder_votes` are, beside a token whose
    mint has `keys`; both contracts deployed, read on chain by hand."""
    from inspector.chain.governors import GovernorState
    from inspector.chain.paths import Power
    from inspector.chain.votes import VotingPower

    governor = ContractFacts("Gov", "G.sol", 1, ("governor",), ())
    mint = Capability("mint", "_mint", "Token.sol", 12)
    token = ContractFacts("Token", "Token.sol", 3, ("token",), (EntryPoint("mint(address,uint256)", "Token", "Token.sol", 10, (OWNER,), (mint,)),))
    power = Power(TOKEN, "mint", "mint(address,uint256)", keys)
    votes = VotingPower("0x" + "70" * 20, holder_votes, 100, "DelegateVotesChanged logs")
    state = GovernorState(GOVERNOR, votes.token, TIMELOCK, 4, 0, 1, 5, "blocks", votes, tuple(p for p in (power,) if any(k.address == GOVERNOR for k in keys)), 1)
    graph = ControlGraph(nodes={SAFE: Account(SAFE, "multisig", "Safe", threshold=2, owners=["0x1", "0x2", "0x3"]),
                                EOA: EOA_ACCOUNT, GOVERNOR: Account(GOVERNOR, "governor", "Governor")})
    chain = ChainFacts("anvil", 1, graph, (Deployment(governor, GOVERNOR, GOVERNOR), Deployment(token, TOKEN, TOKEN)), (power,),
                       governors=(state,))
    return Facts((governor, token)), chain


GOVERNOR = f"0x{0x60:040x}"


def test_a_majority_holder_the_graph_knows_is_named_by_what_it_is():
    from inspector.chain.paths import Key

    facts, chain = _governed(((SAFE, 70), (EOA, 30)), (Key(GOVERNOR, "governor", "Governor", 0),))
    found = [(f.rule, f.contract, f.principal, f.holder, f.message) for f in run_rules(_rules("governance-majority-holder"), facts, Config(), chain)]
    assert found == [("governance-majority-holder", "Gov", SAFE, "Safe 2-of-3 0x0000…5afe",
                      "Safe 2-of-3 0x0000…5afe holds 70.0% of the delegated votes (70.0% of the supply) of 0x7070…7070: "
                      "alone it decides every vote of the governor at 0x0000…0060")]
    # half is not more than half
    facts, chain = _governed(((SAFE, 50), (EOA, 50)), (Key(GOVERNOR, "governor", "Governor", 0),))
    assert run_rules(_rules("governance-majority-holder"), facts, Config(), chain) == []


def test_decorative_counts_keys_outside_the_governor_but_not_renounced_ones():
    from inspector.chain.paths import Key

    rules = _rules("governance-decorative")
    governed = (Key(GOVERNOR, "governor", "Governor", 86400),)
    facts, chain = _governed(((SAFE, 40), (EOA, 60)), governed + (Key("0x" + "00" * 19 + "01", "renounced", "", 0),))
    assert run_rules(rules, facts, Config(), chain) == []
    facts, chain = _governed(((SAFE, 40), (EOA, 60)), governed + (Key(EOA, "eoa", "EOA", 0),))
    [finding] = run_rules(rules, facts, Config(), chain)
    assert (finding.contract, finding.principal, finding.holder, finding.message) == (
        "Gov", EOA, "EOA 0x0000…0e0a",
        "the governor at 0x0000…0060 does not decide what matters: mint on Token 0x0000…00a1 (mint(address,uint256)) "
        "held by EOA 0x0000…0e0a")
