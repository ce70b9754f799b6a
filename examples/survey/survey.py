"""A researcher's survey: thirteen token systems of distinct shapes on a local chain, compared
on inspector's three axes by `inspector survey`.

    python examples/survey/survey.py [--out DIR] [--workers N]

starts anvil (examples/deployed-system's Devnet), compiles this folder's contracts through
inspector's own pipeline, deploys every system below, writes DIR/SYSTEMS.csv, runs
`inspector survey DIR/SYSTEMS.csv --out DIR --rpc URL --holders --project examples/survey`,
stops anvil and prints where the scorecard and the leaderboard are. It opens nothing.
DIR is examples/survey/out unless told.

Each system (its targets), and what the survey finds for it: the power that takes the most
points, who holds it, and the score, grade and stage measured when this was written (the
scorecard's `strongest_power` and `strongest_power_key`):

- founder-mint (token): an Ownable token whose founder, an EOA, mints without limit and
  holds the whole supply. Mint: one key, no delay. 31.1, F, stage 0.
- multisig-owned (token, Safe): the same token owned by a Safe 1.4.1, 2-of-3, which holds
  the supply. Mint: the 2-of-3 multisig, no delay. 59.7, F, stage 0.
- short-timelock-upgradeable (proxy, timelock): an owner-mintable token behind a
  TransparentUpgradeableProxy whose ProxyAdmin, and the token itself, a TimelockController of
  1 hour owns; one EOA proposes, anyone executes, the admin role renounced. Upgrade and mint:
  that EOA, after 1 hour (timelock-short-delay, timelock-single-proposer). 17.1, F, stage 0.
- decorative-governor (governor, votes, token): a DaoToken (ERC20Votes) spread over 5
  delegates, a Governor and a 7-day timelock, while an EOA owns the mintable token. Mint: one
  key, no delay; the governor reaches none of it (governance-decorative). 35.6, F, stage 0.
- whale-governance (governor, votes, timelock, token): the timelock owns the token, but one
  delegate holds 60% of the votes. Mint: that account, after 7 days
  (governance-majority-holder). 57.9, F, stage 1.
- healthy-governor (governor, votes, timelock, token): 20 delegates of 4% each, a 7-day
  timelock (admin renounced) owning the token, both supplies spread. Every power: on-chain
  governance after 7 days. 87.8, B, stage 1 (stage 2 needs 30 days).
- hasty-governor (governor, votes, timelock, token): three delegates of 30% each and a 1-day
  timelock. Mint: on-chain governance with no exit window (2 delegates win a vote), after 1
  day. 51.8, F, stage 0.
- bridged-token (token, bridge): an AccessControl token whose MINTER_ROLE a bridge contract
  holds; the bridge mints whatever its relayer (an EOA) reports; the deployer keeps both
  admin roles. Mint: the bridge, which inspector leaves unresolved (a contract it does not
  see through: counted as one key, no delay). 38.1, F, stage 0.
- oracle-reward (token, feed): rewards minted at the rate a Chainlink-style feed reports; an
  EOA writes the feed's answer, the owner picks the feed, a distributor pays out. Mint: the
  distributor (an EOA), no delay; the off-chain axis loses the settable oracle and the feed
  (offchain-oracle). 36.3, F, stage 0.
- renounced-fixed (token): a fixed supply spread over 20 holders, its owner renounced. No
  power, nobody holding one. 100, A, stage 2.
- freezable-stablecoin (token): a minter, a pauser and a blacklister, each an EOA. Mint,
  freeze and pause: one key each, no delay (economic-freeze, economic-pausable). 21.7, F,
  stage 0.
- fee-on-transfer (token): a fee on every transfer, set by the owner (an EOA) with no
  ceiling. Fee: one key, no delay (economic-fee-settable). 64.4, D, stage 0.
- uups-eoa (proxy): a UUPS token behind an ERC1967Proxy whose owner, an EOA, upgrades it.
  Upgrade (the delegatecall of upgradeToAndCall is the upgrade's own, counted once): one
  key, no delay. 33.9, F, stage 0.
"""
from __future__ import annotations

import argparse
import csv
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "deployed-system"))
from devnet import EVM_VERSION, ZERO, Deployer, Devnet, compile_system  # noqa: E402

HOUR, DAY, WEEK = 3600, 24 * 3600, 7 * 24 * 3600
ACCOUNTS = 30  # the deployer, 20 delegates, 3 Safe owners, a relayer, a distributor, a pauser, a blacklister
# the governed systems: the delegates' shares of the votes (per cent; the deployer keeps the
# rest, undelegated), the timelock's delay, and whether the timelock (else the deployer) owns the token
GOVERNED = {
    "decorative-governor": ([20, 20, 20, 20, 15], WEEK, False),
    "whale-governance": ([60, 10, 10, 10, 5], WEEK, True),
    "healthy-governor": ([4] * 20, WEEK, True),
    "hasty-governor": ([30, 30, 30], DAY, True),
}


class _Systems:
    """Deploys each shape on one chain; each method returns the system's contracts."""

    def __init__(self, url: str) -> None:
        self.chain = Deployer(url, compile_system(HERE)[0])
        accounts = self.chain.accounts
        if len(accounts) < ACCOUNTS:
            raise RuntimeError(f"the chain has {len(accounts)} accounts; the survey needs {ACCOUNTS}")
        self.deployer, self.delegates, self.safe_owners = accounts[0], accounts[1:21], accounts[21:24]
        self.relayer, self.distributor, self.pauser, self.blacklister = accounts[24:28]

    def timelock(self, delay: int, proposers: list[str]):
        """A TimelockController anyone may execute on, its deployer's admin role renounced."""
        new, send = self.chain.new, self.chain.send
        timelock = new("TimelockController", delay, proposers, [ZERO], self.deployer)
        send(timelock.functions.renounceRole(timelock.functions.DEFAULT_ADMIN_ROLE().call(), self.deployer))
        return timelock

    def founder_mint(self):
        return (self.chain.new("MintableToken", self.deployer),)

    def multisig_owned(self):
        singleton, factory = self.chain.new("Safe"), self.chain.new("SafeProxyFactory")
        safe = self.chain.at("Safe", self.chain.safe(singleton, factory, self.safe_owners, 2, 0))
        return self.chain.new("MintableToken", safe.address), safe

    def short_timelock_upgradeable(self):
        timelock = self.timelock(HOUR, [self.deployer])
        implementation = self.chain.new("ProxiedToken")
        proxy = self.chain.new("TransparentUpgradeableProxy", implementation.address, timelock.address,
                               implementation.encode_abi("initialize", [timelock.address]))
        return proxy, timelock

    def spread(self, token, shares: list[int]) -> None:
        """Hand the delegates `shares` (per cent) of the deployer's balance of `token`."""
        balance = token.functions.balanceOf(self.deployer).call()
        for holder, share in zip(self.delegates, shares):
            self.chain.send(token.functions.transfer(holder, balance * share // 100))

    def governed(self, shares: list[int], delay: int, timelock_owns: bool):
        new, send = self.chain.new, self.chain.send
        votes = new("DaoToken", self.deployer)  # 10,000,000 votes to the deployer
        self.spread(votes, shares)
        for holder in self.delegates[:len(shares)]:
            send(votes.functions.delegate(holder), holder)
        timelock = new("TimelockController", delay, [], [ZERO], self.deployer)
        governor = new("DaoGovernor", votes.address, timelock.address)
        send(timelock.functions.grantRole(timelock.functions.PROPOSER_ROLE().call(), governor.address))
        send(timelock.functions.renounceRole(timelock.functions.DEFAULT_ADMIN_ROLE().call(), self.deployer))
        token = new("MintableToken", self.deployer)  # its supply spread as the votes are
        self.spread(token, shares)
        if not timelock_owns:
            return governor, votes, token
        send(token.functions.transferOwnership(timelock.address))
        return governor, votes, timelock, token

    def bridged_token(self):
        token = self.chain.new("RoleToken", self.deployer)
        bridge = self.chain.new("Bridge", token.address, self.relayer)
        self.chain.send(token.functions.grantRole(token.functions.MINTER_ROLE().call(), bridge.address))
        return token, bridge

    def oracle_reward(self):
        feed = self.chain.new("RewardRateFeed", 5 * 10**7)  # 0.5 reward per token staked
        return self.chain.new("RewardToken", feed.address, self.distributor), feed

    def renounced_fixed(self):
        token = self.chain.new("FixedToken", self.deployer)
        self.spread(token, [5] * 20)  # the deployer keeps none
        self.chain.send(token.functions.renounceOwnership())
        return (token,)

    def freezable_stablecoin(self):
        return (self.chain.new("Stablecoin", self.deployer, self.pauser, self.blacklister),)

    def fee_on_transfer(self):
        return (self.chain.new("FeeToken", self.deployer),)

    def uups_eoa(self):
        implementation = self.chain.new("UUPSToken")
        return (self.chain.new("ERC1967Proxy", implementation.address,
                               implementation.encode_abi("initialize", [self.deployer])),)


def deploy(url: str) -> dict[str, tuple[str, ...]]:
    """Deploy every system on the chain at `url`: system name -> its targets (`anvil:0x…`), in
    the order of the module's docstring."""
    systems = _Systems(url)
    made = {
        "founder-mint": systems.founder_mint(),
        "multisig-owned": systems.multisig_owned(),
        "short-timelock-upgradeable": systems.short_timelock_upgradeable(),
        **{name: systems.governed(*shape) for name, shape in GOVERNED.items()},
        "bridged-token": systems.bridged_token(),
        "oracle-reward": systems.oracle_reward(),
        "renounced-fixed": systems.renounced_fixed(),
        "freezable-stablecoin": systems.freezable_stablecoin(),
        "fee-on-transfer": systems.fee_on_transfer(),
        "uups-eoa": systems.uups_eoa(),
    }
    return {name: tuple(f"anvil:{contract.address}" for contract in contracts) for name, contracts in made.items()}


def write_systems(path: Path, systems: dict[str, tuple[str, ...]]) -> None:
    """SYSTEMS.csv: a `system,target` header, then one row per target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("system", "target"))
        writer.writerows((name, target) for name, targets in systems.items() for target in targets)


def survey_command(systems_csv: Path, out: Path, rpc: str, workers: int | None = None) -> list[str]:
    """`inspector survey` of SYSTEMS.csv against the chain at `rpc`, this folder's sources matched."""
    return [sys.executable, "-m", "inspector", "survey", str(systems_csv), "--out", str(out), "--rpc", rpc, "--holders",
            "--project", str(HERE), "--optimize", "--evm-version", EVM_VERSION,
            *(("--workers", str(workers)) if workers else ())]


def main() -> int:
    parser = argparse.ArgumentParser(description="Deploy thirteen token systems on anvil and survey them.")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="the survey's folder (default: examples/survey/out)")
    parser.add_argument("--workers", type=int, help="local Dask workers (the survey's default unless told)")
    args = parser.parse_args()
    out = args.out.resolve()
    with Devnet(accounts=ACCOUNTS) as devnet:
        systems = deploy(devnet.url)
        write_systems(out / "SYSTEMS.csv", systems)
        print(f"deployed {len(systems)} systems ({sum(map(len, systems.values()))} targets) on {devnet.url}", flush=True)
        code = subprocess.run(survey_command(out / "SYSTEMS.csv", out, devnet.url, args.workers)).returncode
    if code != 2:
        print(f"scorecard: {out / 'scorecard.csv'} (and .parquet); leaderboard: {out / 'index.html'}; "
              f"each system's report: {out / 'reports'}")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
