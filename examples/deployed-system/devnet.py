"""A local chain with a realistic governed system on it, for the demo and the tests.

    python examples/deployed-system/devnet.py          # start anvil, deploy, print the addresses
    python examples/deployed-system/devnet.py --wait   # ... and keep the chain up until Ctrl-C
    python examples/deployed-system/devnet.py --scan   # ... and scan every system deployed (SYSTEM_TARGETS) by address

`Devnet` starts the anvil binary shipped by the npm package @foundry-rs/anvil on a free
127.0.0.1 port and stops it (only that process) on exit. `deploy()` compiles this folder's
contracts with inspector's own pipeline (bytecode requested) and deploys:

- a Safe 1.4.1, 2-of-3, through SafeProxyFactory;
- an ERC20 behind a TransparentUpgradeableProxy whose ProxyAdmin the Safe owns;
- DaoToken (ERC20Votes) + TimelockController (2 days) + DaoGovernor, the deployer keeping
  the timelock's admin role;
- an owner-mintable token held by an EOA;
- a UUPS token behind an ERC1967Proxy;
- an UpgradeableBeacon with two BeaconProxies;
- an AccessControl token with two minters and a pauser;
- a fee collector whose operator is a private immutable (read from the deployed code);
- an EIP-1167 minimal clone of the vault implementation, owned by another account;
- an AccessControlEnumerable token (members read by enumeration) and a token whose owner
  renounced;
- a Compound-style timelock (2 days) owning a token, its pending admin set through a queued
  and executed transaction;
- the vault implementation behind an EIP-1822 proxy, a ZeppelinOS proxy and an EIP-897 proxy;
- a diamond (EIP-2535) with a loupe and two facets, owned by a second Safe, 1-of-2, with a
  module and a transaction guard;
- a second TimelockController (2 days), proposed to and executed by the first Safe, whose
  deployer, admin at deployment, renounced the admin role;
- TeamTimelock, a contract of its own over TimelockController (2 days), proposed to by an
  EOA, open to every executor, its deployer keeping the admin role.
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from web3 import Web3

HERE = Path(__file__).resolve().parent
CHAIN_ID = 31337
DELAY = 2 * 24 * 3600
# What the deployed code is compiled with: the bytecode must fit anvil's default hardfork.
EVM_VERSION = "cancun"


def anvil_binary() -> Path:
    found = sorted(HERE.glob("node_modules/@foundry-rs/anvil-*/bin/anvil"))
    if not found:
        raise SystemExit("anvil is not installed: run `npm install` in examples/deployed-system (scripts/setup does)")
    return found[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Devnet:
    """anvil on 127.0.0.1, started and stopped by us (by its PID, nothing else)."""

    def __init__(self, block_time: int | None = None, chain_id: int = CHAIN_ID, accounts: int = 10) -> None:
        self.chain_id = chain_id
        self.accounts = accounts  # funded, unlocked accounts (anvil's default is 10)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.block_time = block_time

    def __enter__(self) -> "Devnet":
        args = [str(anvil_binary()), "--host", "127.0.0.1", "--port", str(self.port), "--chain-id", str(self.chain_id),
                "--silent", "--disable-code-size-limit", "--accounts", str(self.accounts)]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        w3 = Web3(Web3.HTTPProvider(self.url, request_kwargs={"timeout": 5}))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"anvil exited: {self.process.stderr.read().decode()[-500:]}")
            try:
                if w3.eth.chain_id == self.chain_id:
                    return self
            except Exception:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("anvil did not start within 30 s")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass(frozen=True)
class Artifact:
    name: str
    unit: str
    abi: list
    bytecode: str


def compile_system(folder: Path = HERE) -> tuple[dict[str, Artifact], object]:
    """Compile a project folder's contracts (with their imports) with bytecode, through
    inspector: this folder's unless told; examples/survey compiles its own."""
    from inspector.compile.solc import compile_bundle
    from inspector.paths import cache_dir
    from inspector.sources.collect import plan_bundles
    from inspector.sources.model import CompilerSettings
    from inspector.sources.pragma import known_releases
    from inspector.sources.project import load_project
    from inspector.store import Store

    project = load_project(Path("."), folder)
    settings = CompilerSettings(optimize=True, optimize_runs=200, evm_version=EVM_VERSION)
    [bundle] = plan_bundles(project, known_releases(), settings)
    bundle = replace(bundle, outputs=("abi", "evm.bytecode.object", "evm.deployedBytecode.object",
                                      "evm.deployedBytecode.immutableReferences", "metadata"))
    store = Store(cache_dir() / "inspector.db")
    build = compile_bundle(bundle, store)
    store.close()
    artifacts = {}
    for unit, contracts in build.output["contracts"].items():
        for name, info in contracts.items():
            code = info["evm"]["bytecode"]["object"]
            if code:
                artifacts[name] = Artifact(name, unit, info["abi"], "0x" + code)
    return artifacts, bundle


ZERO = "0x" + "00" * 20


class Deployer:
    """Sends transactions and deploys compiled contracts on a chain, from its first account
    unless told."""

    def __init__(self, url: str, artifacts: dict[str, Artifact]) -> None:
        self.w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 30}))
        self.artifacts = artifacts
        self.accounts = self.w3.eth.accounts

    def send(self, call, sender: str | None = None):
        receipt = self.w3.eth.wait_for_transaction_receipt(call.transact({"from": sender or self.accounts[0]}))
        if receipt.status != 1:
            raise RuntimeError(f"transaction failed: {call}")
        return receipt

    def new(self, name: str, *args) -> object:
        artifact = self.artifacts[name]
        receipt = self.send(self.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode).constructor(*args))
        return self.w3.eth.contract(address=receipt.contractAddress, abi=artifact.abi)

    def at(self, name: str, address: str) -> object:
        return self.w3.eth.contract(address=address, abi=self.artifacts[name].abi)

    def safe(self, singleton, factory, owners: list[str], threshold: int, nonce: int) -> str:
        """A Safe proxy of `singleton` made by `factory`, set up with `owners` and `threshold`; its address."""
        setup = singleton.encode_abi("setup", [list(owners), threshold, ZERO, b"", ZERO, ZERO, 0, ZERO])
        create = factory.functions.createProxyWithNonce(singleton.address, setup, nonce)
        address = create.call({"from": self.accounts[0]})
        self.send(create)
        return address


def deploy(url: str) -> dict[str, str]:
    """Deploy the system; returns label -> address (checksummed)."""
    chain = Deployer(url, compile_system()[0])
    w3, send, new, at, accounts = chain.w3, chain.send, chain.new, chain.at, chain.accounts
    deployer, safe_owners, holder, minters, pauser = accounts[0], accounts[1:4], accounts[4], accounts[5:7], accounts[7]
    out: dict[str, str] = {}

    singleton, factory = new("Safe"), new("SafeProxyFactory")
    safe_address = chain.safe(singleton, factory, safe_owners, 2, 0)
    out.update(safe=safe_address, safe_singleton=singleton.address)

    token_impl = new("ProxiedToken")
    proxy = new("TransparentUpgradeableProxy", token_impl.address, safe_address, token_impl.encode_abi("initialize", [deployer]))
    admin_slot = "0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103"
    proxy_admin = Web3.to_checksum_address(w3.eth.get_storage_at(proxy.address, admin_slot)[-20:])
    out.update(proxied_token=proxy.address, proxied_token_impl=token_impl.address, proxy_admin=proxy_admin)

    dao_token = new("DaoToken", deployer)
    timelock = new("TimelockController", DELAY, [], [ZERO], deployer)
    governor = new("DaoGovernor", dao_token.address, timelock.address)
    for role in ("PROPOSER_ROLE", "CANCELLER_ROLE"):
        send(timelock.functions.grantRole(getattr(timelock.functions, role)().call(), governor.address))
    out.update(dao_token=dao_token.address, timelock=timelock.address, governor=governor.address)

    mintable = new("MintableToken", holder)
    # a known distribution for the holder metrics: 1,000,000 minted to `holder`, then
    # 100k, 50k and 10k to three accounts, and 40k burnt to the dead address
    for account, amount in ((minters[0], 100_000), (minters[1], 50_000), (pauser, 10_000),
                            ("0x000000000000000000000000000000000000dEaD", 40_000)):
        send(mintable.functions.transfer(account, amount * 10**18), sender=holder)
    out["mintable_token"] = mintable.address

    uups_impl = new("UUPSToken")
    uups = new("ERC1967Proxy", uups_impl.address, uups_impl.encode_abi("initialize", [holder]))
    out.update(uups_token=uups.address, uups_token_impl=uups_impl.address)

    vault_impl = new("BeaconVault")
    beacon = new("UpgradeableBeacon", vault_impl.address, deployer)
    vaults = [new("BeaconProxy", beacon.address, vault_impl.encode_abi("initialize", [deployer, limit])) for limit in (100, 200)]
    out.update(beacon=beacon.address, vault_impl=vault_impl.address, vault_a=vaults[0].address, vault_b=vaults[1].address)

    factory_1167 = new("CloneFactory")
    clone_call = factory_1167.functions.clone(vault_impl.address)
    clone_address = clone_call.call({"from": deployer})
    send(clone_call)
    send(at("BeaconVault", clone_address).functions.initialize(holder, 300))
    out["vault_clone"] = clone_address

    out["fee_collector"] = new("FeeCollector", pauser).address

    roles = new("RoleToken", deployer)
    for account in minters:
        send(roles.functions.grantRole(roles.functions.MINTER_ROLE().call(), account))
    send(roles.functions.grantRole(roles.functions.PAUSER_ROLE().call(), pauser))
    out["role_token"] = roles.address

    enumerable = new("EnumerableRoleToken", deployer)
    for account in minters:
        send(enumerable.functions.grantRole(enumerable.functions.MINTER_ROLE().call(), account))
    out["enumerable_token"] = enumerable.address

    renounced = new("MintableToken", deployer)
    send(renounced.functions.renounceOwnership())
    out["renounced_token"] = renounced.address
    compound = new("CompoundTimelock", deployer, DELAY)
    timelocked = new("MintableToken", deployer)
    send(timelocked.functions.transferOwnership(compound.address))
    # the pending admin is set as Compound's timelock sets anything: queued, then executed after the delay
    eta = w3.eth.get_block("latest")["timestamp"] + DELAY + 60
    queued = (compound.address, 0, "setPendingAdmin(address)", bytes(12) + bytes.fromhex(holder[2:]), eta)
    send(compound.functions.queueTransaction(*queued))
    w3.provider.make_request("evm_increaseTime", [DELAY + 120])
    w3.provider.make_request("evm_mine", [])
    send(compound.functions.executeTransaction(*queued))
    out.update(compound_timelock=compound.address, timelocked_token=timelocked.address)

    for label, proxy_name, owner, extra in (("vault_1822", "ProxiableProxy", holder, ()), ("vault_zos", "ZeppelinOSProxy", minters[0], ()),
                                            ("vault_897", "DelegateProxy897", pauser, (deployer,))):
        out[label] = new(proxy_name, vault_impl.address, vault_impl.encode_abi("initialize", [owner, 10]), *extra).address

    council_address = chain.safe(singleton, factory, [deployer, safe_owners[0]], 1, 1)
    council_safe = at("Safe", council_address)
    guard = new("TransactionGuard")
    # a 1-of-2 Safe executes with one owner's approval: the sender's, signature type 1
    approval = bytes(12) + bytes.fromhex(deployer[2:]) + bytes(32) + b"\x01"
    for call in (council_safe.encode_abi("setGuard", [guard.address]), council_safe.encode_abi("enableModule", [holder])):
        send(council_safe.functions.execTransaction(council_address, 0, call, 0, 0, 0, 0, ZERO, ZERO, approval))
    facets = {name: new(name) for name in ("OwnershipFacet", "MintFacet")}
    selectors = {"OwnershipFacet": ("owner()", "transferOwnership(address)"),
                 "MintFacet": ("balanceOf(address)", "totalSupply()", "mint(address,uint256)")}
    cut = [(facets[name].address, [Web3.keccak(text=s)[:4] for s in sigs]) for name, sigs in selectors.items()]
    diamond = new("Diamond", council_address, cut)
    out.update(council_safe=council_address, safe_guard=guard.address, diamond=diamond.address,
               ownership_facet=facets["OwnershipFacet"].address, mint_facet=facets["MintFacet"].address)

    settled = new("TimelockController", DELAY, [safe_address], [safe_address], deployer)
    send(settled.functions.renounceRole(settled.functions.DEFAULT_ADMIN_ROLE().call(), deployer))
    out["settled_timelock"] = settled.address
    out["team_timelock"] = new("TeamTimelock", DELAY, [holder], [ZERO]).address

    # upgrades decided by what the chain holds, not by names: an admin key beside the
    # timelock; `timelockAdmin` holding an EOA, and the same code where it holds the timelock;
    # an Ownable UUPS token whose owner is the timelock
    emergency_impl, named_impl = new("EmergencyUpgradeToken"), new("NamedTimelockToken")
    out.update(emergency_token_impl=emergency_impl.address, named_timelock_token_impl=named_impl.address)
    for label, implementation, initialize in (
            ("emergency_token", emergency_impl, emergency_impl.encode_abi("initialize", [pauser, settled.address])),
            ("named_timelock_token", named_impl, named_impl.encode_abi("initialize", [pauser])),
            ("governed_named_token", named_impl, named_impl.encode_abi("initialize", [settled.address])),
            ("timelocked_uups_token", uups_impl, uups_impl.encode_abi("initialize", [settled.address]))):
        out[label] = new("ERC1967Proxy", implementation.address, initialize).address

    out.update(deployer=deployer, holder=holder, pauser=pauser, minter_a=minters[0], minter_b=minters[1],
               safe_owner_a=safe_owners[0], safe_owner_b=safe_owners[1], safe_owner_c=safe_owners[2])
    return {label: Web3.to_checksum_address(address) for label, address in out.items()}


def deploy_contract(url: str, name: str, *args, sender: int = 0) -> str:
    """One contract of the system, deployed alone (from the devnet's account `sender`)."""
    artifact = compile_system()[0][name]
    w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 30}))
    call = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode).constructor(*args)
    receipt = w3.eth.wait_for_transaction_receipt(call.transact({"from": w3.eth.accounts[sender]}))
    return Web3.to_checksum_address(receipt.contractAddress)


# label -> the contract verified at that address
VERIFIED_AS = {
    "safe": "SafeProxy", "safe_singleton": "Safe", "proxied_token": "TransparentUpgradeableProxy",
    "proxied_token_impl": "ProxiedToken", "proxy_admin": "ProxyAdmin", "dao_token": "DaoToken",
    "timelock": "TimelockController", "governor": "DaoGovernor", "mintable_token": "MintableToken",
    "uups_token": "ERC1967Proxy", "uups_token_impl": "UUPSToken", "beacon": "UpgradeableBeacon",
    "vault_impl": "BeaconVault", "vault_a": "BeaconProxy", "vault_b": "BeaconProxy", "role_token": "RoleToken",
    "fee_collector": "FeeCollector", "enumerable_token": "EnumerableRoleToken", "renounced_token": "MintableToken",
    "compound_timelock": "CompoundTimelock", "timelocked_token": "MintableToken", "vault_1822": "ProxiableProxy",
    "vault_zos": "ZeppelinOSProxy", "vault_897": "DelegateProxy897", "council_safe": "SafeProxy",
    "safe_guard": "TransactionGuard", "diamond": "Diamond", "ownership_facet": "OwnershipFacet", "mint_facet": "MintFacet",
    "settled_timelock": "TimelockController", "team_timelock": "TeamTimelock",
    "emergency_token": "ERC1967Proxy", "emergency_token_impl": "EmergencyUpgradeToken", "named_timelock_token": "ERC1967Proxy",
    "named_timelock_token_impl": "NamedTimelockToken", "governed_named_token": "ERC1967Proxy", "timelocked_uups_token": "ERC1967Proxy",
}


def verified_sources(addresses: dict[str, str]) -> dict[str, tuple[str, str, dict[str, str], dict]]:
    """address -> (contract name, unit, sources, settings): what an explorer would hold for
    each deployed contract, verified with the exact standard-JSON input it was built from."""
    artifacts, bundle = compile_system()
    data = bundle.standard_json()
    sources = {name: entry["content"] for name, entry in data["sources"].items()}
    settings = {k: v for k, v in data["settings"].items() if k != "outputSelection"}
    return {addresses[label]: (name, artifacts[name].unit, sources, settings) for label, name in VERIFIED_AS.items()}


# Every system deploy() makes, as an auditor would list it: each token and the proxy it sits
# behind, each timelock, the governor, the Safes, the ProxyAdmin, the beacon and the proxies
# following it, the clone, the diamond, the renounced token. `--scan` scans all of them.
SYSTEM_TARGETS = (
    "safe", "proxied_token", "proxy_admin", "dao_token", "timelock", "governor", "mintable_token", "uups_token",
    "beacon", "vault_a", "vault_b", "vault_clone", "fee_collector", "role_token", "enumerable_token",
    "renounced_token", "compound_timelock", "timelocked_token", "vault_1822", "vault_zos", "vault_897",
    "council_safe", "safe_guard", "diamond", "settled_timelock", "team_timelock", "emergency_token",
    "named_timelock_token", "governed_named_token", "timelocked_uups_token",
)
# What deploy() returns that is no system of its own, and why it is not a target
NOT_TARGETS = {
    **dict.fromkeys(("safe_singleton",), "the code behind both Safes: analysed through each Safe's proxy"),
    **dict.fromkeys(("proxied_token_impl", "uups_token_impl", "vault_impl", "emergency_token_impl", "named_timelock_token_impl"),
                    "an implementation: analysed behind the proxies that run it"),
    **dict.fromkeys(("ownership_facet", "mint_facet"), "a facet of the diamond: analysed through the diamond"),
    **dict.fromkeys(("deployer", "holder", "pauser", "minter_a", "minter_b", "safe_owner_a", "safe_owner_b", "safe_owner_c"),
                    "a key (EOA), not a contract: shown in the control graph where it holds a power"),
}


if __name__ == "__main__":
    with Devnet() as devnet:
        addresses = deploy(devnet.url)
        if "--scan" in sys.argv:
            # scan the deployed system by address, matching its code to this folder's sources
            targets = [f"anvil:{addresses[label]}" for label in SYSTEM_TARGETS]
            done = subprocess.run([sys.executable, "-m", "inspector", "scan", *targets, "--rpc", devnet.url, "--project", str(HERE),
                                   "--optimize", "--evm-version", EVM_VERSION, "--holders", "--fail-on", "none", *sys.argv[2:]])
            raise SystemExit(done.returncode)
        print(json.dumps({"rpc": devnet.url, **addresses}, indent=2))
        sys.stdout.flush()
        if "--wait" in sys.argv:
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
