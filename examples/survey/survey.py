"""A researcher's survey: token systems of thirteen shapes on a local chain, compared on
inspector's three axes by `inspector survey`.

    python examples/survey/survey.py [--out DIR] [--workers N]

starts anvil (examples/deployed-system's Devnet), compiles this folder's contracts through
inspector's own pipeline, deploys every system below, writes DIR/SYSTEMS.csv, runs
`inspector survey DIR/SYSTEMS.csv --out DIR --rpc URL --holders --project examples/survey`,
stops anvil and prints where the scorecard and the leaderboard are. It opens nothing.
DIR is examples/survey/out unless told.

Each system, its targets, and what the survey should find (the power that weighs most, and
who holds it):

- founder-mint: an Ownable token whose founder (an EOA) mints without limit. Mint: one
  key, no delay; stage 0.
- multisig-owned: the same token owned by a Safe 1.4.1, 2-of-3 (token, Safe). Mint: a
  2-of-3 multisig, no delay.
- short-timelock-upgradeable: an owner-mintable token behind a TransparentUpgradeableProxy
  whose ProxyAdmin, and the token itself, a TimelockController of 1 hour owns; one EOA
  proposes, anyone executes, the admin role renounced (proxy, timelock). Upgrade and mint:
  the timelock, after 1 hour, which leaves no exit window.
- decorative-governor: a DaoToken (ERC20Votes) spread over 5 delegates, a Governor and a
  7-day timelock, while an EOA owns the mintable token (governor, votes, token). Mint: one
  key, no delay; the governor reaches none of it (governance-decorative).
- whale-governance: the same, the timelock owning the token, but one delegate holds 60% of
  the supply (governor, votes, timelock, token). Mint: that one account, after 7 days
  (governance-majority-holder).
- healthy-governor: votes spread over 20 delegates of 4% each, a 7-day timelock (admin
  renounced) owning the token (governor, votes, timelock, token). Mint: on-chain
  governance after 7 days; stage 1.
- hasty-governor: three delegates of 30% each and a 1-day timelock. Mint: on-chain
  governance with no exit window (2 delegates win a vote), after 1 day.
- bridged-token: an AccessControl token whose MINTER_ROLE a bridge contract holds; the
  bridge mints whatever its relayer (an EOA) reports, and the deployer keeps the admin role
  (token, bridge). Mint: the relayer, through the bridge; granting roles: the deployer.
- oracle-reward: a reward token minting at the rate a Chainlink-style feed reports; the feed's
  answer is written by an EOA, the owner picks the feed, a distributor pays out (token,
  feed). Off-chain: the feed; mint: the distributor; the oracle: the owner.
- renounced-fixed: a fixed supply, minted once, its owner renounced. No power holder: the
  best score of the survey.
- freezable-stablecoin: a minter, a pauser and a blacklister, each an EOA. Mint, pause and
  freeze: one key each, no delay.
- fee-on-transfer: a fee on every transfer, set by the owner (an EOA) with no ceiling, paid
  to the owner. Fee: one key, no delay, uncapped.
- uups-eoa: a UUPS token behind an ERC1967Proxy whose owner, an EOA, upgrades it. Upgrade:
  one key, no delay.
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
E18 = 10**18
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

    def governed(self, shares: list[int], delay: int, timelock_owns: bool):
        new, send = self.chain.new, self.chain.send
        votes = new("DaoToken", self.deployer)  # 10,000,000 votes to the deployer
        for holder, share in zip(self.delegates, shares):
            send(votes.functions.transfer(holder, share * 100_000 * E18))
            send(votes.functions.delegate(holder), holder)
        timelock = new("TimelockController", delay, [], [ZERO], self.deployer)
        governor = new("DaoGovernor", votes.address, timelock.address)
        send(timelock.functions.grantRole(timelock.functions.PROPOSER_ROLE().call(), governor.address))
        send(timelock.functions.renounceRole(timelock.functions.DEFAULT_ADMIN_ROLE().call(), self.deployer))
        token = new("MintableToken", timelock.address if timelock_owns else self.deployer)
        return (governor, votes, timelock, token) if timelock_owns else (governor, votes, token)

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
    parser = argparse.ArgumentParser(description="Deploy token systems of thirteen shapes on anvil and survey them.")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="the survey's folder (default: examples/survey/out)")
    parser.add_argument("--workers", type=int, help="local Dask workers (the survey's default unless told)")
    args = parser.parse_args()
    out = args.out.resolve()
    with Devnet(accounts=ACCOUNTS) as devnet:
        systems = deploy(devnet.url)
        write_systems(out / "SYSTEMS.csv", systems)
        print(f"deployed {len(systems)} systems ({sum(map(len, systems.values()))} targets) on {devnet.url}", flush=True)
        code = subprocess.run(survey_command(out / "SYSTEMS.csv", out, devnet.url, args.workers)).returncode
    if code == 2:
        return code
    print(f"scorecard:   {out / 'scorecard.csv'}\n             {out / 'scorecard.parquet'}\n"
          f"leaderboard: {out / 'index.html'}\nreports:     {out / 'reports'}")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
