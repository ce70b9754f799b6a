"""Find or provision a solc of an exact version.

Routes, in order: a native solc already installed (PATH, py-solc-x's folder); py-solc-x's
installer where the network allows; the npm package `solc` of that version, installed
into the user's cache and driven through a shim that speaks solc's command line. The
last route needs only Node.js and the npm registry, so it works offline from the
internet at large.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from inspector.errors import CompilerError
from inspector.paths import cache_dir, offline
from inspector.sources.pragma import Version, known_releases

_VERSION_LINE = re.compile(r"Version:\s*(\d+\.\d+\.\d+)")
NPM_INSTALL_TIMEOUT = 300
SOLCX_TIMEOUT = float(os.environ.get("INSPECTOR_SOLCX_TIMEOUT", "120"))


@dataclass(frozen=True)
class Compiler:
    version: Version
    path: Path  # an executable that speaks solc's command line
    route: str  # "native" | "solcx" | "solcjs"


def _is_solc_select_wrapper(path: Path) -> bool:
    """solc-select installs a Python script named `solc` that downloads compilers on use."""
    try:
        head = path.read_bytes()[:4096]
    except OSError:
        return True
    return head.startswith(b"#!") and (b"solc_select" in head or b"solc-select" in head)


def probe_version(path: Path) -> Version | None:
    """The version a solc executable reports, or None if it is not a working solc."""
    if not os.access(path, os.X_OK) or _is_solc_select_wrapper(path):
        return None
    try:
        done = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = _VERSION_LINE.search(done.stdout)
    return Version.parse(match.group(1)) if done.returncode == 0 and match else None


def _solcx_folder() -> Path:
    explicit = os.environ.get("SOLCX_BINARY_PATH")
    return Path(explicit) if explicit else Path.home() / ".solcx"


def native_compilers() -> list[Compiler]:
    """Native compilers on PATH (`solc`, `solc-X.Y.Z`) and in py-solc-x's folder."""
    candidates: list[Path] = []
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if folder and Path(folder).is_dir():
            candidates += sorted(Path(folder).glob("solc-[0-9]*.[0-9]*.[0-9]*"))
            if (Path(folder) / "solc").is_file():
                candidates.append(Path(folder) / "solc")
    if _solcx_folder().is_dir():
        candidates += sorted(p for p in _solcx_folder().glob("solc-v*") if p.is_file())
    found, seen = [], set()
    for path in candidates:
        real = path.resolve()
        if real in seen:
            continue
        seen.add(real)
        version = probe_version(path)
        if version is not None:
            route = "solcx" if _solcx_folder() in path.parents else "native"
            found.append(Compiler(version=version, path=path, route=route))
    return found


def _solcx_install(version: Version) -> Compiler | None:
    """py-solc-x's installer, in a child process so that a network that neither answers
    nor refuses cannot hang the scan: the child first checks the download host is
    reachable within a few seconds, and the whole child is bounded by SOLCX_TIMEOUT."""
    script = (
        "import os, socket, sys, urllib.parse, solcx, solcx.install as i\n"
        "base = os.environ.get('INSPECTOR_SOLC_BINARIES_URL')\n"
        "if base: i.BINARY_DOWNLOAD_BASE = base.rstrip('/') + '/{}-amd64/{}'\n"
        "u = urllib.parse.urlsplit(i.BINARY_DOWNLOAD_BASE.format('linux', ''))\n"
        "socket.create_connection((u.hostname, u.port or (443 if u.scheme == 'https' else 80)), timeout=3).close()\n"
        "print(solcx.install_solc(sys.argv[1], show_progress=False))\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, str(version)], capture_output=True, text=True, timeout=SOLCX_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return None
    for compiler in native_compilers():
        if compiler.version == version and compiler.route == "solcx":
            return compiler
    return None


def shim_path() -> Path:
    return Path(str(resources.files("inspector") / "compile" / "solcjs" / "shim.js"))


def _solcjs_dir(version: Version) -> Path:
    return cache_dir() / "solcjs" / str(version)


def _launcher(version: Version) -> Path:
    """A two-line script that points the shim at one installed solc package, so that every
    caller (our compile step, crytic-compile, py-solc-x) sees one executable per version."""
    node = shutil.which("node")
    if node is None:
        raise CompilerError(
            f"solc {version} needs Node.js (the npm 'solc' route), and 'node' is not on PATH",
            "install Node.js and npm, or a native solc of that version",
        )
    folder = _solcjs_dir(version)
    launcher = folder / "solc"
    text = f'#!/bin/sh\nexec "{node}" "{shim_path()}" --solc-module "{folder / "node_modules" / "solc"}" "$@"\n'
    if not launcher.is_file() or launcher.read_text() != text:
        tmp = folder / f".solc.{os.getpid()}"
        tmp.write_text(text)
        tmp.chmod(0o755)
        os.replace(tmp, launcher)
    return launcher


def solcjs_installed() -> list[Compiler]:
    root = cache_dir() / "solcjs"
    found = []
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            if (folder / "node_modules" / "solc" / "package.json").is_file():
                try:
                    version = Version.parse(folder.name)
                except ValueError:
                    continue
                found.append(Compiler(version=version, path=folder / "solc", route="solcjs"))
    return found


def install_solcjs(version: Version) -> Compiler:
    """Install npm `solc@version` into the cache. Installs go to a temporary folder first and
    are renamed into place, so an interrupted install never looks complete."""
    folder = _solcjs_dir(version)
    if not (folder / "node_modules" / "solc" / "package.json").is_file():
        npm = shutil.which("npm")
        if npm is None or shutil.which("node") is None:
            raise CompilerError(
                f"solc {version} is not installed natively, and the npm route needs Node.js and npm, which are not on PATH",
                "install Node.js and npm, or a native solc of that version",
            )
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=folder.parent))
        try:
            done = subprocess.run(
                [npm, "install", "--prefix", str(staging), "--no-audit", "--no-fund", "--no-save",
                 "--no-package-lock", "--ignore-scripts", "--prefer-offline", "--loglevel=error", f"solc@{version}"],
                capture_output=True, text=True, timeout=NPM_INSTALL_TIMEOUT, cwd=staging,
            )
        except subprocess.TimeoutExpired as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise CompilerError(f"npm install solc@{version} timed out", "check access to the npm registry") from exc
        if done.returncode != 0 or not (staging / "node_modules" / "solc" / "package.json").is_file():
            shutil.rmtree(staging, ignore_errors=True)
            cause, hint = npm_failure(done.stderr)
            raise CompilerError(f"npm install solc@{version} failed: {cause}", hint)
        try:
            os.replace(staging, folder)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)  # another process finished first
    return Compiler(version=version, path=_launcher(version), route="solcjs")


# npm's error codes (`npm error code X`, `npm ERR! code X` before npm 9) -> what happened, what to do
_NPM_CODES = {
    "ENOTFOUND": ("the npm registry cannot be reached (no such host{detail})", "check the network, or the registry set in .npmrc"),
    "EAI_AGAIN": ("the npm registry cannot be reached (name lookup failed{detail})", "check the network and DNS"),
    "ECONNREFUSED": ("the npm registry refused the connection{detail}", "check the registry set in .npmrc and any proxy"),
    "ECONNRESET": ("the connection to the npm registry was reset{detail}", "check the network and any proxy"),
    "ETIMEDOUT": ("the npm registry did not answer in time{detail}", "check the network and any proxy"),
    "EACCES": ("permission denied{detail}", "make the cache folder and npm's own cache (~/.npm) writable"),
    "EPERM": ("operation not permitted{detail}", "make the cache folder and npm's own cache (~/.npm) writable"),
    "EROFS": ("read-only file system{detail}", "set INSPECTOR_CACHE_DIR to a writable folder"),
    "ENOSPC": ("no space left on device{detail}", "free space where the cache and npm's cache (~/.npm) live"),
    "E404": ("the registry has no such package version{detail}", "check the version, or the registry set in .npmrc"),
    "ETARGET": ("the registry has no such package version{detail}", "check the version, or the registry set in .npmrc"),
}
_NPM_CODE = re.compile(r"^npm (?:error|ERR!) code (\S+)", re.MULTILINE)


def npm_failure(stderr: str) -> tuple[str, str]:
    """Why npm failed, from its error code, and what to do; not the pointer to its log file
    that its last line is."""
    code = _NPM_CODE.search(stderr)
    lines = [line for line in stderr.splitlines() if line.strip() and "complete log of this run" not in line]
    if code and code.group(1) in _NPM_CODES:
        where = re.search(r"^npm (?:error|ERR!) (?:path|hostname) (\S+)$", stderr, re.MULTILINE)
        cause, hint = _NPM_CODES[code.group(1)]
        return f"{code.group(1)}: " + cause.format(detail=f": {where.group(1)}" if where else ""), hint
    last = lines[-1].strip() if lines else "no reason given"
    return (f"{code.group(1)}: {last}" if code else last), "check access to the npm registry"


def find_compiler(version: Version) -> Compiler:
    """An executable solc of exactly `version`: native, else cached solcjs, else installed
    by py-solc-x (when online), else installed from npm. A version that is not a known
    release (an explorer's answer, a typo) is refused before anything is run or installed."""
    releases = known_releases()
    if version not in releases:
        raise CompilerError(f"solc {version} is not a known release", f"known releases run from {releases[0]} to {releases[-1]}")
    for compiler in native_compilers():
        if compiler.version == version:
            return compiler
    # A compiler already in the cache beats a download attempt, which costs seconds offline.
    for compiler in solcjs_installed():
        if compiler.version == version:
            return Compiler(version=version, path=_launcher(version), route="solcjs")
    if not offline():
        installed = _solcx_install(version)
        if installed is not None:
            return installed
    return install_solcjs(version)
