"""Compiler provisioning: native first, then py-solc-x's installer, then npm's solc
through the shim; and the shim speaks the command line crytic-compile and py-solc-x use."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from inspector.compile import compilers
from inspector.compile.compilers import find_compiler, install_solcjs, native_compilers
from inspector.errors import CompilerError
from inspector.sources.pragma import Version

V = Version(0, 8, 24)
SOURCE = "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\ncontract A { uint256 public x; function set(uint256 v) external { x = v; } }\n"


@pytest.fixture(scope="module")
def launcher() -> Path:
    return install_solcjs(V).path


def standard_input() -> dict:
    return {
        "language": "Solidity",
        "sources": {"A.sol": {"content": SOURCE}},
        "settings": {"outputSelection": {"*": {"*": ["abi"], "": ["ast"]}}},
    }


def fake_native(folder: Path, name: str, launcher: Path) -> Path:
    """A stand-in for a native solc: an executable of another name that runs the shim."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f'#!/bin/sh\nexec "{launcher}" "$@"\n')
    path.chmod(0o755)
    return path


def test_npm_solc_installs_on_demand_into_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(tmp_path))
    compiler = install_solcjs(Version(0, 6, 12))
    assert compiler.route == "solcjs"
    assert compiler.path == tmp_path / "solcjs" / "0.6.12" / "solc"
    out = subprocess.run([compiler.path, "--version"], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[0] == "solc, the solidity compiler commandline interface"
    assert out.splitlines()[1].startswith("Version: 0.6.12+commit.")
    assert not [p for p in (tmp_path / "solcjs").iterdir() if p.name.startswith(".")], "no staging folder left behind"


def test_launcher_compiles_standard_json_like_solc(launcher):
    done = subprocess.run([launcher, "--standard-json"], input=json.dumps(standard_input()), capture_output=True, text=True)
    assert done.returncode == 0
    output = json.loads(done.stdout)
    assert output["sources"]["A.sol"]["ast"]["nodeType"] == "SourceUnit"
    assert [f["name"] for f in output["contracts"]["A.sol"]["A"]["abi"] if f["type"] == "function"] == ["set", "x"]


def test_launcher_rejects_arguments_it_does_not_implement(launcher):
    done = subprocess.run([launcher, "--combined-json", "abi", "A.sol"], capture_output=True, text=True)
    assert done.returncode == 1
    assert "unsupported argument: --combined-json" in done.stderr


def test_py_solc_x_accepts_the_launcher(launcher):
    import solcx
    from solcx.wrapper import get_solc_version

    assert str(get_solc_version(launcher)) == "0.8.24"
    output = solcx.compile_standard(standard_input(), solc_binary=launcher)
    assert "A" in output["contracts"]["A.sol"]


def test_crytic_compile_standard_json_platform_accepts_the_launcher(launcher, tmp_path, monkeypatch):
    from crytic_compile import CryticCompile
    from crytic_compile.platform.solc_standard_json import SolcStandardJson

    (tmp_path / "A.sol").write_text(SOURCE)
    monkeypatch.chdir(tmp_path)
    platform = SolcStandardJson()
    platform.add_source_file(str(tmp_path / "A.sol"))
    crytic = CryticCompile(platform, solc=str(launcher))
    [unit] = crytic.compilation_units.values()
    assert unit.compiler_version.version == "0.8.24"
    assert {name for su in unit.source_units.values() for name in su.contracts_names} == {"A"}


def test_native_solc_on_path_comes_first(launcher, tmp_path, monkeypatch):
    native = fake_native(tmp_path / "bin", "solc", launcher)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    compiler = find_compiler(V)
    assert (compiler.route, compiler.path) == ("native", native)


def test_versioned_native_names_are_found(launcher, tmp_path, monkeypatch):
    native = fake_native(tmp_path / "bin", "solc-0.8.24", launcher)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert [(c.version, c.path) for c in native_compilers()] == [(V, native)]


def test_py_solc_x_folder_is_searched(launcher, tmp_path, monkeypatch):
    installed = fake_native(tmp_path / "solcx", "solc-v0.8.24", launcher)
    monkeypatch.setenv("SOLCX_BINARY_PATH", str(tmp_path / "solcx"))
    monkeypatch.setenv("PATH", "")
    compiler = find_compiler(V)
    assert (compiler.route, compiler.path) == ("solcx", installed)


def test_solc_select_wrapper_is_never_run(tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    wrapper = tmp_path / "bin" / "solc"
    wrapper.parent.mkdir()
    wrapper.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        # -*- coding: utf-8 -*-
        from solc_select.__main__ import solc
        open({str(marker)!r}, "w").write("ran")
        """))
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert native_compilers() == []
    assert not marker.exists()


def test_py_solc_x_installer_gives_up_at_once_when_refused(monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("INSPECTOR_SOLC_BINARIES_URL", f"http://127.0.0.1:{port}")
    assert compilers._solcx_install(V) is None


def test_py_solc_x_installer_cannot_hang_on_a_silent_host(tmp_path, monkeypatch):
    """A host that accepts connections but never answers: the child process is killed at
    the deadline and provisioning moves on to npm's solc."""
    asked: list[Version] = []
    monkeypatch.setattr(compilers, "install_solcjs", lambda version: asked.append(version) or "npm route")
    monkeypatch.setattr(compilers, "SOLCX_TIMEOUT", 4)
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("INSPECTOR_OFFLINE")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        monkeypatch.setenv("INSPECTOR_SOLC_BINARIES_URL", f"http://127.0.0.1:{silent.getsockname()[1]}")
        assert find_compiler(Version(0, 8, 23)) == "npm route"
    assert asked == [Version(0, 8, 23)]


def test_offline_mode_skips_the_py_solc_x_installer(tmp_path, monkeypatch):
    monkeypatch.setattr(compilers, "_solcx_install", lambda version: pytest.fail("tried to download"))
    monkeypatch.setattr(compilers, "install_solcjs", lambda version: "npm route")
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("PATH", "")
    assert find_compiler(Version(0, 8, 23)) == "npm route"


def test_npm_route_without_node_names_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(CompilerError) as caught:
        find_compiler(Version(0, 8, 21))
    assert "needs Node.js and npm, which are not on PATH" in caught.value.cause
    assert caught.value.hint == "install Node.js and npm, or a native solc of that version"
