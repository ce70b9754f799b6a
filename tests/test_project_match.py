"""Matching deployed code to a local project (`--project`), on anvil: small projects written
here, compiled with inspector's own compiler route, deployed, then scanned by address.

The order: the build-info the project keeps (Hardhat's, Foundry's), else the project compiled
with the compiler the deployed code names in its CBOR metadata and foundry.toml's settings
(the command line winning); a full match (CBOR equal) or a partial one (equal without it),
immutables and library links masked; else a refusal that says what differs."""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from web3 import Web3

from conftest import DEPLOYED, REPO

sys.path.insert(0, str(DEPLOYED))
from devnet import Devnet  # noqa: E402

SOURCES = REPO / "fixtures" / "project-match"
OLDER = "0.8.24"  # older than the newest 0.8.x, and cached for the tests
LONG = {"0.8.19": "0.8.19+commit.7dd6d404", "0.8.24": "0.8.24+commit.e11b9ed9"}
OUTPUTS = ("abi", "evm.bytecode.object", "evm.bytecode.linkReferences", "evm.deployedBytecode.object",
           "evm.deployedBytecode.immutableReferences", "evm.deployedBytecode.linkReferences", "metadata")
COMPILED = f"solc {OLDER}, optimizer 200 runs, evm paris"  # how FOUNDRY_TOML compiles with OLDER, in a match's detail
FOUNDRY_TOML = '[profile.default]\nsrc = "src"\noptimizer = true\noptimizer_runs = 200\nevm_version = "paris"\n'


@pytest.fixture(scope="module")
def chain():
    with Devnet() as devnet:
        yield devnet.url


def layout(root: Path, files: dict[str, str]) -> Path:
    """A project folder: each file at its path, a fixture's text (`@Name.sol`) or the text given."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((SOURCES / text[1:]).read_text() if text.startswith("@") else text)
    return root


def compile_project(root: Path, version: str, optimize: bool = True, evm: str | None = "paris"):
    """(bundle, solc output) of the project's sources, through inspector's compiler route."""
    from inspector.compile.solc import compile_bundle
    from inspector.paths import cache_dir
    from inspector.sources.collect import plan_bundles
    from inspector.sources.model import CompilerSettings
    from inspector.sources.pragma import Version, known_releases
    from inspector.sources.project import load_project
    from inspector.store import Store

    project = load_project(root, root)
    settings = CompilerSettings(optimize=optimize, optimize_runs=200, evm_version=evm)
    [bundle] = plan_bundles(project, known_releases(), settings, Version.parse(version))
    bundle = replace(bundle, outputs=OUTPUTS)
    store = Store(cache_dir() / "inspector.db")
    try:
        output = compile_bundle(bundle, store).output
    finally:
        store.close()
    return bundle, output


def contract(output: dict, name: str) -> dict:
    return next(info for unit in output["contracts"].values() for n, info in unit.items() if n == name)


def deploy(url: str, output: dict, name: str, *args, libraries: dict[str, str] | None = None) -> str:
    """Deploy `name` from a solc output, its library placeholders linked to `libraries`."""
    info = contract(output, name)
    code = info["evm"]["bytecode"]["object"]
    for refs in info["evm"]["bytecode"]["linkReferences"].values():
        for library, spans in refs.items():
            for span in spans:
                start, length = 2 * span["start"], 2 * span["length"]
                code = code[:start] + libraries[library][2:].lower() + code[start + length:]
    w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 30}))
    call = w3.eth.contract(abi=info["abi"], bytecode="0x" + code).constructor(*args)
    receipt = w3.eth.wait_for_transaction_receipt(call.transact({"from": w3.eth.accounts[0]}))
    return Web3.to_checksum_address(receipt.contractAddress)


def code_at(url: str, address: str) -> bytes:
    return bytes(Web3(Web3.HTTPProvider(url)).eth.get_code(address))


def hardhat_build_info(bundle, output: dict, version: str) -> dict:
    """A build-info as Hardhat 2 writes it (`hh-sol-build-info-1`)."""
    return {"_format": "hh-sol-build-info-1", "id": "5e1f0d2c9a4b" + version.replace(".", ""), "solcVersion": version,
            "solcLongVersion": LONG[version], "input": bundle.standard_json(), "output": output}


def foundry_build_info(bundle, output: dict, version: str, root: Path) -> dict:
    """A build-info as foundry-compilers writes it: the build context (source ids, language)
    beside `ethers-rs-sol-build-info-1`'s versions, and the input with forge's path settings."""
    standard = bundle.standard_json()
    standard.update(version=LONG[version], allowPaths=[str(root)], basePath=str(root), includePaths=[])
    return {"id": "0c4d1e7f3b2a" + version.replace(".", ""),
            "source_id_to_path": {str(s["id"]): unit for unit, s in output["sources"].items()},
            "language": "Solidity", "_format": "ethers-rs-sol-build-info-1", "compilerVersion": version,
            "inputVersion": version, "inputVersionLong": LONG[version], "input": standard, "output": output}


def scan(url: str, address: str, project: Path, *args) -> tuple[int, dict | None, str]:
    from inspector.cli import cli

    result = CliRunner(mix_stderr=False).invoke(cli, ["scan", f"anvil:{address}", "--rpc", url, "--project", str(project),
                                                      "--format", "json", "--fail-on", "none", *args],
                                                env={"NO_PROXY": "127.0.0.1,localhost"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, (json.loads(result.stdout) if result.exit_code == 0 else None), result.stderr


def target(report: dict, address: str, match: str, name: str, detail: str) -> None:
    """The report's one target is `address`, tied to contract `name` by `match`, from `detail`."""
    assert report["targets"] == [{"target": f"anvil:{address}", "match": match, "codes": [
        {"address": address, "via": "", "contract": name, "match": match, "detail": detail}]}]


def scanned(url: str, address: str, project: Path, match: str, name: str, detail: str, *args) -> dict:
    """The report of a scan that matched `address` to `name` (see `target`)."""
    code, report, err = scan(url, address, project, *args)
    assert code == 0, err
    target(report, address, match, name, detail)
    return report


def findings_on(report: dict, rule: str) -> list[tuple]:
    return sorted((f["contract"], f["function"]) for f in report["findings"] if f["rule"] == rule)


# -- build artifacts ----------------------------------------------------------------------


@pytest.mark.parametrize("split", [False, True], ids=["hardhat2", "hardhat3-split-output"])
def test_hardhat_build_info_is_matched_without_compiling(chain, tmp_path, split):
    # deployed optimized with 0.8.19; nothing on the command line says so: only the build-info does
    root = layout(tmp_path / "hh", {"hardhat.config.js": "module.exports = {};\n", "contracts/Token.sol": "@Token.sol"})
    bundle, output = compile_project(root, "0.8.19", evm=None)
    info = hardhat_build_info(bundle, output, "0.8.19")
    folder = root / "artifacts" / "build-info"
    folder.mkdir(parents=True)
    if split:  # Hardhat 3 names the project's files project/..., and keeps the output in <id>.output.json
        unit, renamed = "contracts/Token.sol", "project/contracts/Token.sol"
        output = dict(output, contracts={renamed: output["contracts"][unit]}, sources={renamed: output["sources"][unit]})
        info["input"]["sources"] = {renamed: info["input"]["sources"][unit]}
        info.update(_format="hh3-sol-build-info-1", userSourceNameMap={unit: renamed})
        output_file = {"_format": "hh3-sol-build-info-output-1", "id": info["id"], "output": output}
        del info["output"]
        (folder / f"{info['id']}.output.json").write_text(json.dumps(output_file))
    (folder / f"{info['id']}.json").write_text(json.dumps(info))
    address = deploy(chain, output, "Token")
    report = scanned(chain, address, root, "full", "Token", f"artifacts/build-info/{info['id']}.json")
    assert findings_on(report, "economic-mint") == [("Token", "mint(address,uint256)")]
    [mint] = [f for f in report["findings"] if f["rule"] == "economic-mint"]
    assert (mint["file"], mint["line"]) == ("project/contracts/Token.sol" if split else "contracts/Token.sol", 14)  # as the build named it


def test_foundry_build_info_under_its_out_folder(chain, tmp_path):
    # foundry.toml names another `out` and other settings than the build that was deployed
    toml = '[profile.default]\nsrc = "src"\nout = "forge-out"\noptimizer = false\n'
    root = layout(tmp_path / "fd", {"foundry.toml": toml, "src/Token.sol": "@Token.sol"})
    bundle, output = compile_project(root, "0.8.19")
    info = foundry_build_info(bundle, output, "0.8.19", root)
    folder = root / "forge-out" / "build-info"
    folder.mkdir(parents=True)
    (folder / f"{info['id']}.json").write_text(json.dumps(info))
    (folder / "broken.json").write_text('{"id": "x", "input": ')
    address = deploy(chain, output, "Token")
    report = scanned(chain, address, root, "full", "Token", f"forge-out/build-info/{info['id']}.json")
    assert [s for s in report["skipped"] if s["target"].endswith("broken.json")] == [
        {"target": str(folder / "broken.json"), "reason": "build-info passed over: not JSON (Expecting value)"}]
    assert findings_on(report, "economic-mint") == [("Token", "mint(address,uint256)")]


def test_a_build_info_of_another_build_then_the_cbor_version(chain, tmp_path):
    # the build-info kept is of an unoptimized build; what was deployed is optimized
    root = layout(tmp_path / "stale", {"hardhat.config.js": "", "contracts/Token.sol": "@Token.sol"})
    bundle, stale = compile_project(root, "0.8.19", optimize=False, evm=None)
    info = hardhat_build_info(bundle, stale, "0.8.19")
    layout(root, {f"artifacts/build-info/{info['id']}.json": json.dumps(info)})
    _, output = compile_project(root, "0.8.19", evm=None)
    address = deploy(chain, output, "Token")
    compiled = len(bytes.fromhex(contract(stale, "Token")["evm"]["deployedBytecode"]["object"]))
    code, _, err = scan(chain, address, root)
    assert code == 2
    assert err.splitlines()[0].startswith(
        f"error: no contract of {root} matches the code at {address}: 1 build-info file holds no such code; deployed by solc "
        f"0.8.19 (CBOR), compiled with solc 0.8.19, optimizer off, evm default; closest Token "
        f"({len(code_at(chain, address))} bytes deployed, {compiled} compiled) ("), err
    scanned(chain, address, root, "full", "Token", "solc 0.8.19, optimizer 200 runs, evm default", "--optimize")


# -- compiled with the CBOR's compiler and foundry.toml's settings -------------------------


def test_foundry_toml_and_the_cbor_version(chain, tmp_path):
    root = layout(tmp_path / "toml", {"foundry.toml": FOUNDRY_TOML, "src/Token.sol": "@Token.sol"})
    _, output = compile_project(root, OLDER)
    # a file for another compiler is left out of what is compiled to match, not a failure
    layout(root, {"src/Legacy.sol": "// SPDX-License-Identifier: MIT\npragma solidity 0.8.19;\ncontract Legacy {}\n"})
    address = deploy(chain, output, "Token")
    report = scanned(chain, address, root, "full", "Token", COMPILED)
    assert findings_on(report, "economic-mint") == [("Token", "mint(address,uint256)")]


def test_other_source_paths_are_a_partial_match(chain, tmp_path):
    # deployed from a Hardhat layout (contracts/Token.sol); the project keeps it as src/Token.sol
    deployed = layout(tmp_path / "deployed", {"hardhat.config.js": "", "contracts/Token.sol": "@Token.sol"})
    _, output = compile_project(deployed, OLDER)
    address = deploy(chain, output, "Token")
    root = layout(tmp_path / "moved", {"foundry.toml": FOUNDRY_TOML, "src/Token.sol": "@Token.sol"})
    report = scanned(chain, address, root, "partial", "Token", COMPILED)
    assert findings_on(report, "economic-mint") == [("Token", "mint(address,uint256)")]
    from inspector.cli import cli

    text = CliRunner(mix_stderr=False).invoke(cli, ["scan", f"anvil:{address}", "--rpc", chain, "--project", str(root),
                                                    "--fail-on", "none"]).stdout
    assert f"  anvil:{address}: Token at {address}: partial match ({COMPILED})\n" in text


def test_other_settings_are_refused_saying_what_differs(chain, tmp_path):
    root = layout(tmp_path / "unoptimized", {"foundry.toml": '[profile.default]\nevm_version = "paris"\n',
                                             "src/Token.sol": "@Token.sol"})
    _, output = compile_project(root, OLDER)  # deployed optimized; foundry.toml leaves the optimizer off
    address = deploy(chain, output, "Token")
    _, unoptimized = compile_project(root, OLDER, optimize=False)
    compiled = len(bytes.fromhex(contract(unoptimized, "Token")["evm"]["deployedBytecode"]["object"]))
    deployed = len(code_at(chain, address))
    assert compiled != deployed
    code, _, err = scan(chain, address, root)
    assert code == 2
    assert err.splitlines()[0] == (
        f"error: no contract of {root} matches the code at {address}: deployed by solc {OLDER} (CBOR), "
        f"compiled with solc {OLDER}, optimizer off, evm paris; closest Token ({deployed} bytes deployed, {compiled} compiled) "
        "(compile with the settings it was deployed with (--optimize, --optimize-runs, --evm-version, --via-ir), "
        "or keep the build's build-info (artifacts/build-info, out/build-info))")
    # the command line wins over foundry.toml where it gives a setting
    scanned(chain, address, root, "full", "Token", COMPILED, "--optimize")


# -- what the chain fills in: immutables and library links --------------------------------


def test_immutables_are_masked(chain, tmp_path):
    root = layout(tmp_path / "vault", {"foundry.toml": FOUNDRY_TOML, "src/FeeVault.sol": "@FeeVault.sol"})
    _, output = compile_project(root, OLDER)
    operator = Web3.to_checksum_address("0x" + "5a" * 20)
    address = deploy(chain, output, "FeeVault", operator)
    assert operator[2:].lower() in code_at(chain, address).hex()  # the chain's code differs from solc's where the immutable is
    report = scanned(chain, address, root, "full", "FeeVault", COMPILED)
    setter = [e for e in report["control_graph"]["edges"] if e["function"] == "setFee(uint256)"]
    assert [(e["from"], e["to"], e["capability"]) for e in setter] == [(operator, address, "set_fee")]


def test_library_links_are_masked(chain, tmp_path):
    root = layout(tmp_path / "ledger", {"foundry.toml": FOUNDRY_TOML, "src/Ledger.sol": "@Ledger.sol"})
    _, output = compile_project(root, OLDER)
    library = deploy(chain, output, "Tally")
    address = deploy(chain, output, "Ledger", libraries={"Tally": library})
    assert library[2:].lower() in code_at(chain, address).hex()
    scanned(chain, address, root, "full", "Ledger", COMPILED)
    scanned(chain, library, root, "full", "Tally", COMPILED)


def test_code_that_differs_outside_the_masks_is_refused(chain, tmp_path):
    """Only the spans solc names are masked: the same size, other bytes, is no match."""
    root = layout(tmp_path / "ledger2", {"foundry.toml": FOUNDRY_TOML, "src/Ledger.sol": "@Ledger.sol"})
    _, output = compile_project(root, OLDER)
    library = deploy(chain, output, "Tally")
    address = deploy(chain, output, "Ledger", libraries={"Tally": library})
    edited = (SOURCES / "Ledger.sol").read_text().replace('"not the owner"', '"not our owner"')
    other = layout(tmp_path / "edited", {"foundry.toml": FOUNDRY_TOML, "src/Ledger.sol": edited})
    size = len(code_at(chain, address))
    code, _, err = scan(chain, address, other)
    assert code == 2
    assert err.splitlines()[0].startswith(f"error: no contract of {other} matches the code at {address}: deployed by solc {OLDER} (CBOR), compiled with "
                                          f"{COMPILED}; closest Ledger ({size} bytes deployed, {size} compiled) ("), err


# -- build-info files that cannot be read -------------------------------------------------


def test_build_info_files_that_cannot_be_read_are_passed_over(tmp_path, monkeypatch):
    from inspector.compile.match import Runtime
    from inspector.sources import build_info
    from inspector.sources.project import load_project

    root = layout(tmp_path / "hostile", {"hardhat.config.js": "", "contracts/Token.sol": "@Token.sol"})
    folder = root / "artifacts" / "build-info"
    standard = {"language": "Solidity", "sources": {"contracts/Token.sol": {"content": "contract Token {}"}}}
    files = {
        "a.json": '{"id": ',
        "b.json": "[1]",
        "c.json": json.dumps({"id": "c", "solcVersion": "0.8.19", "source_id_to_path": {}, "language": "Solidity"}),
        "d.json": json.dumps({"solcVersion": "nightly-2024", "input": standard, "output": {}}),
        "e.json": json.dumps({"solcVersion": "0.8.19", "input": standard}),
        "f.json": json.dumps({"solcVersion": "0.3.10", "language": "Vyper", "input": standard, "output": {}}),
        "g.json": json.dumps({"solcVersion": "0.8.19", "input": standard, "output": {"contracts": {"x.sol": {
            "A": {"evm": []}, "B": {"evm": {"deployedBytecode": {"object": "zz", "immutableReferences": 5}}},
            "C": {"evm": {"deployedBytecode": {"object": "6001", "immutableReferences": {"1": [{"start": 9, "length": 32}]}}}}}}}}),
        "h.json": "{}" + " " * 64,
        "i.json": json.dumps({"solcVersion": "0.8.19", "input": standard, "output": {"contracts": []}}),
    }
    layout(folder, files)
    (folder / "j.json").mkdir()
    project = load_project(root, root)
    passed: list = []
    infos = list(build_info.build_infos(project, passed))
    assert sorted((path.name, why) for path, why in passed) == [
        ("a.json", "build-info passed over: not JSON (Expecting value)"),
        ("b.json", "build-info passed over: not a JSON object"),
        ("c.json", "build-info passed over: no standard-JSON input (Foundry writes it with `forge build --build-info`)"),
        ("d.json", "build-info passed over: unknown compiler version 'nightly-2024'"),
        ("e.json", "build-info passed over: no compiler output"),
        ("f.json", "build-info passed over: its language is Vyper, not Solidity"),
        ("h.json", "build-info passed over: no standard-JSON input (Foundry writes it with `forge build --build-info`)"),
        ("i.json", "build-info passed over: no compiler output"),
        ("j.json", "build-info passed over: it is a folder, not a regular file"),
    ]
    [read] = infos
    assert read.shown == "artifacts/build-info/g.json"
    runtimes = [Runtime.of(unit, name, out) for unit, name, out in read.contracts()]
    assert runtimes == [None, None, Runtime("x.sol", "C", bytes.fromhex("6001"), ())]  # a span past the code is not masked
    monkeypatch.setattr(build_info, "MAX_BUILD_INFO", 60)
    passed = []
    list(build_info.build_infos(project, passed))
    assert ("h.json", "build-info passed over: it is larger than 60 bytes") in [(p.name, why) for p, why in passed]


def test_foundry_profile_settings_under_the_command_line(tmp_path, monkeypatch):
    from inspector.compile.match import ProjectIndex
    from inspector.errors import ConfigError
    from inspector.options import SourceOptions
    from inspector.sources.model import CompilerSettings

    toml = FOUNDRY_TOML + '\n[profile.ci]\noptimizer_runs = 10000\nvia_ir = true\n'
    root = layout(tmp_path / "profiles", {"foundry.toml": toml, "src/Token.sol": "@Token.sol"})

    def settings(given: frozenset[str] | None, typed: CompilerSettings = CompilerSettings(evm_version="cancun")) -> CompilerSettings:
        return ProjectIndex(SourceOptions(settings=typed, project=root, settings_given=given), None, root).settings()

    assert settings(frozenset()) == CompilerSettings(optimize=True, optimize_runs=200, evm_version="paris")
    monkeypatch.setenv("FOUNDRY_PROFILE", "ci")  # merged over the default profile, as forge does
    assert settings(frozenset()) == CompilerSettings(optimize=True, optimize_runs=10000, evm_version="paris", via_ir=True)
    assert settings(frozenset({"evm_version"})) == CompilerSettings(optimize=True, optimize_runs=10000, evm_version="cancun", via_ir=True)
    assert settings(None) == CompilerSettings(evm_version="cancun")  # a caller that gives settings, not a command line
    layout(root, {"foundry.toml": '[profile.ci]\noptimizer_runs = "many"\n'})
    with pytest.raises(ConfigError, match=r"foundry.toml: 'profile.ci.optimizer_runs' must be an integer, not str"):
        settings(frozenset())


def test_compare_as_sourcify_defines_it():
    from inspector.compile.match import Runtime, cbor_length, solc_version
    from inspector.sources.pragma import Version
    from inspector.vocabulary import MatchKind

    def cbor(digest: bytes) -> bytes:  # {"ipfs": digest, "solc": 0.8.24}, then its length
        body = b"\xa2\x64ipfs\x58" + bytes([len(digest)]) + digest + b"\x64solc\x43\x00\x08\x18"
        return body + len(body).to_bytes(2, "big")

    code = bytes.fromhex("6080604052") + bytes.fromhex("7f") + bytes(32) + bytes.fromhex("00fe")
    compiled = Runtime("src/A.sol", "A", code + cbor(b"\x11" * 34), ((6, 32),))
    value = b"\x5a" * 32  # an immutable, where solc left zeros
    deployed = code[:6] + value + code[38:]
    assert cbor_length(compiled.code) == len(cbor(b"\x11" * 34)) and cbor_length(code) == 0
    assert solc_version(deployed + cbor(b"\x22" * 34)) == Version(0, 8, 24) and solc_version(code) is None
    assert compiled.compare(deployed + cbor(b"\x11" * 34)) is MatchKind.FULL
    assert compiled.compare(deployed + cbor(b"\x22" * 34)) is MatchKind.PARTIAL  # another metadata hash
    assert compiled.compare(deployed + cbor(b"\x22" * 20)) is MatchKind.PARTIAL  # metadata of another length
    assert compiled.compare(deployed) is MatchKind.PARTIAL  # no metadata at all
    assert compiled.compare(deployed[:-1] + b"\xfd" + cbor(b"\x11" * 34)) is None  # one byte outside the masks
    assert Runtime("src/A.sol", "A", compiled.code, ()).compare(deployed + cbor(b"\x11" * 34)) is None  # unmasked immutable


def test_a_build_info_bundle_reads_the_project_files_it_still_matches(tmp_path):
    from inspector.paths import cache_dir
    from inspector.sources.build_info import BuildInfo, bundle_from_build_info
    from inspector.sources.model import CompilerSettings
    from inspector.sources.pragma import Version

    root = layout(tmp_path / "kept", {"contracts/Token.sol": "@Token.sol", "contracts/Old.sol": "contract Old {}\n"})
    text = (SOURCES / "Token.sol").read_text()
    standard = {"language": "Solidity", "settings": {"optimizer": {"enabled": True, "runs": 999}, "evmVersion": "Paris",
                                                     "remappings": ["@x/=node_modules/@x/"]},
                "sources": {"project/contracts/Token.sol": {"content": text}, "project/contracts/Old.sol": {"content": "contract Older {}\n"}}}
    info = BuildInfo(root / "b.json", "b.json", Version(0, 8, 19), standard, {},
                     {"project/contracts/Token.sol": "contracts/Token.sol", "project/contracts/Old.sol": "contracts/Old.sol"})
    bundle = bundle_from_build_info(info, "project/contracts/Token.sol", "Token", root)
    paths = {f.unit_name: f.path for f in bundle.files}
    assert paths["project/contracts/Token.sol"] == root / "contracts" / "Token.sol"  # unchanged since the build
    assert cache_dir() / "sources" / "build-info" in paths["project/contracts/Old.sol"].parents  # changed: the build's text
    assert paths["project/contracts/Old.sol"].read_text() == "contract Older {}\n"
    assert (bundle.version, bundle.settings, [str(r) for r in bundle.remappings], bundle.targets, bundle.contracts) == (
        Version(0, 8, 19), CompilerSettings(optimize=True, optimize_runs=999, evm_version="paris"), ["@x/=node_modules/@x/"],
        ("project/contracts/Token.sol",), ("Token",))


def test_runtimes_are_kept_by_build_and_read_back_without_the_output(tmp_path):
    """A warm scan reads the short list of runtime codes, not the build's output; an entry
    inspector did not write is read from the build again."""
    from inspector.compile.match import _runtimes
    from inspector.compile.solc import Build
    from inspector.store import Store

    output = {"contracts": {"src/T.sol": {"T": {"evm": {"deployedBytecode": {
        "object": "6080aa" + "00" * 32 + "bb", "immutableReferences": {"7": [{"start": 3, "length": 32}]}}}},
        "I": {"evm": {"deployedBytecode": {"object": ""}}}}}}
    store = Store(tmp_path / "store.db")
    first = _runtimes(Build(None, "k1", cached=True, route="cache", read=lambda: output), store)
    assert [(r.unit, r.name, r.code.hex(), r.masks) for r in first] == [("src/T.sol", "T", "6080aa" + "00" * 32 + "bb", ((3, 32),))]

    def unread() -> dict:
        raise AssertionError("the build's output was read")

    assert _runtimes(Build(None, "k1", cached=True, route="cache", read=unread), store) == first
    store.put_facts("runtimes|k2", json.dumps([["src/T.sol", "T", "not hex", []]]))
    assert _runtimes(Build(None, "k2", cached=True, route="cache", read=lambda: output), store) == first
