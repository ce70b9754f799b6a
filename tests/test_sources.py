"""Finding sources: project layouts, imports, remappings, compilation units."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLE, FIXTURES
from inspector.errors import ConfigError, SourceError, TargetError
from inspector.sources.collect import plan_bundles, read_graph
from inspector.sources.imports import find_imports, resolve_unit_name, unit_name_for
from inspector.sources.model import CompilerSettings, Remapping
from inspector.sources.pragma import Version, known_releases
from inspector.sources.project import load_project


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


# -- imports ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "statement, path",
    [
        ('import "./A.sol";', "./A.sol"),
        ("import './A.sol';", "./A.sol"),
        ('import "lib/A.sol" as A;', "lib/A.sol"),
        ('import * as A from "../A.sol";', "../A.sol"),
        ('import {A, B as C} from "@oz/A.sol";', "@oz/A.sol"),
        ('import {\n  A\n} from "x/A.sol";', "x/A.sol"),
    ],
)
def test_every_import_form_is_read(statement, path):
    assert [i.path for i in find_imports(statement)] == [path]


def test_commented_imports_are_ignored_and_lines_are_kept():
    source = '// import "no.sol";\n/* import "nope.sol";\n*/\nimport "yes.sol";\n'
    assert [(i.path, i.line) for i in find_imports(source)] == [("yes.sol", 4)]


def test_relative_import_resolves_against_the_importing_unit():
    assert resolve_unit_name("../lib/B.sol", "src/core/A.sol", ()) == "src/lib/B.sol"
    assert resolve_unit_name("./B.sol", "src/A.sol", ()) == "src/B.sol"


def test_longest_remapping_prefix_wins():
    remaps = (Remapping("@oz/", "lib/oz/"), Remapping("@oz/contracts/", "lib/oz5/contracts/"))
    assert resolve_unit_name("@oz/contracts/X.sol", "src/A.sol", remaps) == "lib/oz5/contracts/X.sol"
    assert resolve_unit_name("@oz/other/X.sol", "src/A.sol", remaps) == "lib/oz/other/X.sol"


def test_context_remapping_applies_only_inside_its_context():
    remaps = (Remapping("dep/", "lib/dep-v1/"), Remapping("dep/", "lib/dep-v2/", context="src/new"))
    assert resolve_unit_name("dep/X.sol", "src/new/A.sol", remaps) == "lib/dep-v2/X.sol"
    assert resolve_unit_name("dep/X.sol", "src/old/A.sol", remaps) == "lib/dep-v1/X.sol"


@pytest.mark.parametrize("text", ["nothing", "=lib/", "pre="])
def test_bad_remapping_is_a_config_error(text):
    with pytest.raises(ConfigError, match="bad remapping"):
        Remapping.parse(text)


# -- projects -----------------------------------------------------------------------------
def test_foundry_project_scans_src_with_config_and_file_remappings():
    project = load_project(Path("."), FIXTURES / "foundry-project")
    assert project.kind == "foundry"
    assert [p.name for p in project.targets] == ["FeeVault.sol", "VaultMath.sol"]
    remaps = {r.prefix: r.target for r in project.remappings}
    assert remaps["@auth/"] == "lib/authkit/src/"  # remappings.txt
    assert remaps["@math/"] == "lib/mathkit/"  # foundry.toml
    assert remaps["authkit/"] == "lib/authkit/src/"  # derived from lib/, as forge does


def test_foundry_tests_and_scripts_stay_out_of_a_project_scan():
    project = load_project(Path("."), FIXTURES / "foundry-project")
    assert not any("test" in p.parts for p in project.targets)


def test_user_remap_overrides_the_project_and_is_relative_to_the_working_directory(tmp_path):
    root = write(tmp_path, {"foundry.toml": "[profile.default]\n", "remappings.txt": "@x/=lib/x/\n", "src/A.sol": ""})
    project = load_project(Path("src/A.sol"), root, ("@x/=vendor/x/",))
    assert {r.prefix: r.target for r in project.remappings}["@x/"] == "vendor/x/"


def test_hardhat_project_scans_contracts_and_finds_node_modules():
    project = load_project(Path("."), EXAMPLE)
    assert project.kind == "hardhat"
    assert [p.name for p in project.targets] == ["LaunchToken.sol", "RewardsVault.sol"]
    assert project.include_paths[0] == EXAMPLE / "node_modules"


def test_file_inside_node_modules_is_named_by_its_package_path():
    target = Path("node_modules/@openzeppelin/contracts/governance/TimelockController.sol")
    project = load_project(target, EXAMPLE)
    assert project.root == EXAMPLE
    assert unit_name_for(project.targets[0], project) == "@openzeppelin/contracts/governance/TimelockController.sol"


def test_node_modules_are_found_above_the_file_as_node_does(tmp_path):
    write(tmp_path, {"node_modules/@acme/lib/L.sol": "pragma solidity ^0.8.0; library L {}",
                     "pkg/sub/A.sol": 'import "@acme/lib/L.sol"; contract A {}'})
    files, targets = read_graph(load_project(Path("pkg/sub/A.sol"), tmp_path))
    assert targets == ["pkg/sub/A.sol"]
    assert set(files) == {"pkg/sub/A.sol", "@acme/lib/L.sol"}


@pytest.mark.parametrize(
    "target, message",
    [("missing.sol", "missing.sol: no such file or folder"), ("notes.txt", "notes.txt: not a Solidity file")],
)
def test_bad_targets_are_named(tmp_path, target, message):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(TargetError, match=message):
        load_project(Path(target), tmp_path)


def test_folder_without_solidity_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(TargetError, match="no Solidity files found"):
        load_project(Path("empty"), tmp_path)


def test_missing_import_names_the_importer_line_and_a_remedy(tmp_path):
    write(tmp_path, {"A.sol": 'pragma solidity ^0.8.0;\n\nimport "@missing/pkg/X.sol";\ncontract A {}'})
    with pytest.raises(SourceError) as caught:
        read_graph(load_project(Path("A.sol"), tmp_path))
    assert caught.value.cause == "A.sol:3: import '@missing/pkg/X.sol' not found"
    assert "npm install @missing/pkg" in caught.value.hint


def test_non_utf8_source_is_a_source_error(tmp_path):
    (tmp_path / "A.sol").write_bytes(b"contract \xff\xfe {}")
    with pytest.raises(SourceError, match=r"A.sol: not UTF-8 text \(byte 0xff on line 1\)"):
        read_graph(load_project(Path("A.sol"), tmp_path))


# -- compilation units ---------------------------------------------------------------------
RELEASES = known_releases()
NEWEST_08 = max(v for v in RELEASES if (v.major, v.minor) == (0, 8))


def plan(root: Path, target: str = ".", **kwargs):
    return plan_bundles(load_project(Path(target), root), RELEASES, CompilerSettings(), **kwargs)


def test_files_with_incompatible_pragmas_split_into_units(tmp_path):
    write(tmp_path, {"a.sol": "pragma solidity ^0.5.0; contract A {}",
                     "b.sol": "pragma solidity ^0.8.0; contract B {}",
                     "c.sol": "contract C {}"})
    units = {str(b.version): b.targets for b in plan(tmp_path)}
    assert units == {"0.5.17": ("a.sol",), str(NEWEST_08): ("b.sol", "c.sol")}


def test_newest_release_satisfying_every_file_of_a_unit_is_chosen(tmp_path):
    write(tmp_path, {"a.sol": 'pragma solidity ^0.8.0; import "./b.sol"; contract A {}',
                     "b.sol": "pragma solidity >=0.8.0 <0.8.20; contract B {}"})
    [bundle] = plan(tmp_path, "a.sol")
    assert bundle.version == Version(0, 8, 19)
    assert [f.unit_name for f in bundle.files] == ["a.sol", "b.sol"]


def test_an_import_with_a_conflicting_pragma_names_both_pragmas(tmp_path):
    write(tmp_path, {"a.sol": 'pragma solidity ^0.8.0;\nimport "./b.sol";',
                     "b.sol": "pragma solidity ^0.6.0;"})
    with pytest.raises(SourceError, match=r"'\^0.8.0' at a.sol:1 and '\^0.6.0' at b.sol:1 allow no common release"):
        plan(tmp_path, "a.sol")


def test_solc_version_overrides_the_choice(tmp_path):
    write(tmp_path, {"a.sol": "pragma solidity >=0.6.0; contract A {}"})
    [bundle] = plan(tmp_path, solc_version=Version(0, 6, 12))
    assert bundle.version == Version(0, 6, 12)


def test_solc_version_that_breaks_a_pragma_is_refused(tmp_path):
    write(tmp_path, {"a.sol": "pragma solidity ^0.8.0; contract A {}"})
    with pytest.raises(ConfigError, match=r"--solc-version 0.7.6 does not satisfy pragma '\^0.8.0' at a.sol:1"):
        plan(tmp_path, solc_version=Version(0, 7, 6))


def test_malformed_pragma_is_a_source_error(tmp_path):
    write(tmp_path, {"a.sol": "pragma solidity >>0.8.0;\ncontract A {}"})
    with pytest.raises(SourceError, match=r"a.sol:1: bad version pragma '>>0.8.0'"):
        plan(tmp_path)


def test_standard_json_carries_sources_remappings_and_settings(tmp_path):
    write(tmp_path, {"remappings.txt": "@x/=lib/x/\n", "lib/x/X.sol": "pragma solidity ^0.8.0;",
                     "A.sol": 'pragma solidity ^0.8.0; import "@x/X.sol";'})
    project = load_project(Path("A.sol"), tmp_path)
    settings = CompilerSettings(optimize=True, optimize_runs=999, evm_version="paris", via_ir=True)
    [bundle] = plan_bundles(project, RELEASES, settings)
    data = bundle.standard_json()
    assert sorted(data["sources"]) == ["A.sol", "lib/x/X.sol"]
    assert data["settings"]["remappings"] == ["@x/=lib/x/"]
    assert data["settings"]["optimizer"] == {"enabled": True, "runs": 999}
    assert data["settings"]["evmVersion"] == "paris"
    assert data["settings"]["viaIR"] is True
