"""Load compiled bundles into Slither without compiling again.

crytic-compile accepts a platform object in place of a target; this one fills its
compilation units from solc standard-JSON outputs we already have (fresh or cached),
so Slither sees exactly what solc produced, with the source unit names solc used.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from crytic_compile import CryticCompile
from crytic_compile.compilation_unit import CompilationUnit
from crytic_compile.compiler.compiler import CompilerVersion
from crytic_compile.platform.abstract_platform import AbstractPlatform
from crytic_compile.platform.types import Type
from crytic_compile.utils.naming import Filename
from crytic_compile.utils.natspec import Natspec
from slither import Slither

from inspector.compile.solc import Build
from inspector.errors import CompilerError


class PrebuiltPlatform(AbstractPlatform):
    NAME = "inspector-prebuilt"
    PROJECT_URL = "https://github.com/inspector"
    TYPE = Type.SOLC_STANDARD_JSON

    def __init__(self, builds: list[Build], **kwargs: str) -> None:
        super().__init__(str(builds[0].bundle.root), **kwargs)
        self._builds = builds

    def compile(self, crytic_compile: CryticCompile, **kwargs: str) -> None:
        contents: dict[str, str] = {}
        for index, build in enumerate(self._builds):
            bundle = build.bundle
            unit = CompilationUnit(crytic_compile, f"{index}:{bundle.version}")
            unit.compiler_version = CompilerVersion(
                compiler="solc",
                version=str(bundle.version),
                optimized=bundle.settings.optimize,
                optimize_runs=bundle.settings.optimize_runs if bundle.settings.optimize else None,
                via_ir=bundle.settings.via_ir,
            )
            by_name = {f.unit_name: f for f in bundle.files}
            filenames: dict[str, Filename] = {}
            for name, info in build.output.get("sources", {}).items():
                source = by_name[name]
                absolute = source.path.resolve().as_posix()
                filenames[name] = Filename(absolute=absolute, used=name, relative=_relative(absolute), short=name)
                unit.create_source_unit(filenames[name]).ast = info.get("ast") or info.get("legacyAST")
                contents[absolute] = source.content
            for name, contracts in build.output.get("contracts", {}).items():
                filename = filenames.get(name)
                if filename is None:
                    continue
                source_unit = unit.create_source_unit(filename)
                for contract, info in contracts.items():
                    source_unit.add_contract_name(contract)
                    unit.filename_to_contracts[filename].add(contract)
                    source_unit.abis[contract] = info.get("abi", [])
                    source_unit.natspec[contract] = Natspec(info.get("userdoc", {}), info.get("devdoc", {}))
                    evm = info.get("evm", {})
                    source_unit.bytecodes_init[contract] = evm.get("bytecode", {}).get("object", "")
                    source_unit.bytecodes_runtime[contract] = evm.get("deployedBytecode", {}).get("object", "")
                    source_unit.srcmaps_init[contract] = evm.get("bytecode", {}).get("sourceMap", "").split(";")
                    source_unit.srcmaps_runtime[contract] = evm.get("deployedBytecode", {}).get("sourceMap", "").split(";")
        crytic_compile.src_content = contents

    def clean(self, **kwargs: str) -> None:
        return None

    @staticmethod
    def is_supported(target: str, **kwargs: str) -> bool:
        return False

    def is_dependency(self, path: str) -> bool:
        return "node_modules" in Path(path).parts or path.startswith("lib/")

    def _guessed_tests(self) -> list[str]:
        return []


def _relative(absolute: str) -> str:
    try:
        return Path(os.path.relpath(absolute)).as_posix()
    except ValueError:
        return absolute


def load_slither(builds: list[Build]) -> Slither:
    # Slither logs parsing hiccups of third-party code at WARNING; they are not the user's business.
    logging.getLogger("Slither").setLevel(logging.ERROR)
    logging.getLogger("CryticCompile").setLevel(logging.ERROR)
    platform = PrebuiltPlatform(builds)
    crytic = CryticCompile(platform, cwd=str(builds[0].bundle.root))
    try:
        return Slither(crytic)
    except Exception as exc:  # Slither raises bare exceptions on ASTs it cannot read
        raise CompilerError(f"Slither could not load the compiled sources: {exc}", "report this with the sources; try --solc-version") from exc
