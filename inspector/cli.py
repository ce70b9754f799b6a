"""The command line: `inspector scan`, `inspector survey`, `inspector diff`, `inspector compilers`, `inspector rules`."""
from __future__ import annotations

import math
import os
import re
import sys
import traceback
from pathlib import Path

import click

from inspector import __version__
from inspector.errors import ConfigError, InspectorError
from inspector.findings import Severity
from inspector.printable import visible
from inspector.report import FORMATS

_SCHEDULER = re.compile(r"(tcp|tls|ws|wss|ucx)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([1-9][0-9]{0,4})")
FAIL_ON = ("info", "low", "medium", "high", "critical", "none")
EXIT_FINDINGS, EXIT_ERROR = 1, 2


def _fail(exc: BaseException, debug: bool) -> None:
    if isinstance(exc, BrokenPipeError):
        raise exc  # the reader went away (`| head`): not an error of ours
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, InspectorError):
        click.echo(f"error: {visible(str(exc))}", err=True)
    else:
        click.echo(f"internal error: {type(exc).__name__}: {visible(str(exc))} (rerun with --debug and report it)", err=True)
    raise SystemExit(EXIT_ERROR)


_TYPED = (click.core.ParameterSource.COMMANDLINE, click.core.ParameterSource.ENVIRONMENT)


def _given(*names: str) -> frozenset[str]:
    """Which of these options the command line gave (not left at their defaults)."""
    context = click.get_current_context()
    return frozenset(n for n in names if context.get_parameter_source(n) in _TYPED)


def _version(text: str | None):
    from inspector.sources.pragma import Version, known_releases

    if text is None:
        return None
    try:
        version = Version.parse(text.strip().lstrip("v").split("+")[0])
    except ValueError:
        raise ConfigError(f"'{text}' is not a compiler version", "write it as X.Y.Z, e.g. 0.8.28") from None
    releases = known_releases()
    if version not in releases:
        raise ConfigError(f"solc {version} is not a known release", f"known releases run from {releases[0]} to {releases[-1]}")
    from inspector.sources.collect import MIN_SUPPORTED

    if version < MIN_SUPPORTED:
        raise ConfigError(f"solc {version} is not supported", f"inspector needs solc {MIN_SUPPORTED} or newer")
    return version


def _finite(ctx, param, value: float | None) -> float | None:
    """FloatRange lets nan through (it compares false with both bounds), and under
    `--min-score nan` no score would ever fail the gate."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number from 0 to 100")
    return value


@click.group()
@click.version_option(__version__, prog_name="inspector")
def cli() -> None:
    """Who can change what in a set of Solidity contracts, how fast, and with how many keys."""


def _shared_options(command):
    """The options of a scan that `inspector survey` gives every system's scan too."""
    options = [
        click.option("--explorer", type=click.Choice(["auto", "etherscan", "sourcify"]), default="auto", show_default=True,
                     help="Where verified sources of CHAIN:0xADDRESS targets come from (auto: Etherscan when ETHERSCAN_API_KEY is set, then Sourcify)."),
        click.option("--etherscan-url", metavar="URL", help="Etherscan-compatible API base (default: Etherscan API v2; env INSPECTOR_ETHERSCAN_URL)."),
        click.option("--sourcify-url", metavar="URL", help="Sourcify server base (env INSPECTOR_SOURCIFY_URL)."),
        click.option("--rpc", metavar="URL", help="JSON-RPC endpoint for CHAIN:0xADDRESS targets (else env INSPECTOR_RPC_<CHAIN>); resolves who holds each power."),
        click.option("--block", type=click.IntRange(min=0), help="Read the chain at this block, so the report can be reproduced."),
        click.option("--depth", type=click.IntRange(min=1, max=20), default=5, show_default=True, help="How far holders of powers are followed."),
        click.option("--project", type=click.Path(exists=True, path_type=Path), help="Match deployed code to this local project's contracts instead of asking explorers: its build-info, else compiled with the solc the code names and foundry.toml's settings (full or partial match)."),
        click.option("--holders", "measure_holders", is_flag=True, help="Measure token holder concentration from Transfer logs (needs --rpc)."),
        click.option("--from-block", type=click.IntRange(min=0), help="Replay Transfer logs from this block (default: the token's deployment block)."),
        click.option("--config", "config_file", type=click.Path(path_type=Path), metavar="FILE",
                     help="Read the configuration from FILE (default: inspector.toml, else setup.cfg [inspector.*], in the working directory)."),
        click.option("--remap", multiple=True, metavar="PREFIX=PATH", help="Import remapping, as solc writes them (repeatable)."),
        click.option("--solc-version", metavar="X.Y.Z", help="Compile with this solc instead of choosing from the pragmas."),
        click.option("--optimize", is_flag=True, help="Enable the solc optimizer."),
        click.option("--optimize-runs", type=click.IntRange(min=1), default=200, show_default=True),
        click.option("--evm-version", metavar="NAME", help="Target EVM version (e.g. paris, shanghai, cancun)."),
        click.option("--via-ir", is_flag=True, help="Compile through the IR pipeline."),
        click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help="A folder of extra rule files (repeatable)."),
        click.option("--rule", "only_rules", multiple=True, metavar="ID", help="Run only this rule (repeatable)."),
        click.option("--exclude-rule", "excluded_rules", multiple=True, metavar="ID", help="Do not run this rule (repeatable)."),
        click.option("--slither-detectors", is_flag=True, help="Also run Slither's own detectors (reported as slither:<check>)."),
        click.option("--no-cache", is_flag=True, help="Compile even when a cached build exists, and store nothing."),
        click.option("--debug", is_flag=True, help="Show tracebacks."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _scan_options(config, refresh: bool, explorer, etherscan_url, sourcify_url, rpc, block, depth, project, measure_holders,
                  from_block, remap, solc_version, optimize, optimize_runs, evm_version, via_ir, slither_detectors, baseline=None):
    """ScanOptions from the command line's values (scan's and survey's alike)."""
    from inspector.options import ChainOptions, ScanOptions, SourceOptions
    from inspector.sources.model import CompilerSettings

    return ScanOptions(
        sources=SourceOptions(
            settings=CompilerSettings(optimize=optimize, optimize_runs=optimize_runs, evm_version=evm_version, via_ir=via_ir),
            remaps=tuple(remap), solc_version=_version(solc_version), explorer=explorer, etherscan_url=etherscan_url,
            sourcify_url=sourcify_url, project=project, settings_given=_given("optimize", "optimize_runs", "evm_version", "via_ir")),
        chain=ChainOptions(rpc=rpc, block=block, depth=depth, holders=measure_holders, from_block=from_block),
        slither_detectors=slither_detectors,
        config=config,
        baseline=baseline,
        refresh=refresh,
    )


@cli.command()
@click.argument("targets", nargs=-1)
@click.option("--targets", "targets_file", type=click.Path(dir_okay=False, path_type=Path), help="Read more targets from FILE, one per line (# comments).")
@click.option("--refresh", is_flag=True, help="Ask explorers and the chain again, and analyse again, even when the cache has the answer.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True, help="Report format (sarif: SARIF 2.1.0 for code scanning; markdown, html: to hand over).")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to FILE instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="high", show_default=True, help="Exit 1 when a finding is at or above this severity.")
@click.option("--min-score", type=click.FloatRange(0, 100), callback=_finite, metavar="N", help="Exit 1 when the score is under N (0-100).")
@click.option("--baseline", "baseline_file", type=click.Path(path_type=Path), metavar="FILE", help="Findings in FILE are known: reported apart, not gated.")
@click.option("--write-baseline", type=click.Path(path_type=Path), metavar="FILE", help="Write the ids of this scan's findings to FILE.")
@_shared_options
def scan(targets, targets_file, refresh, fmt, output, fail_on, min_score, baseline_file, write_baseline, config_file, rules_dirs,
         only_rules, excluded_rules, no_cache, debug, **shared):
    """Scan TARGETS: .sol files, folders, Foundry or Hardhat projects, or deployed contracts
    as CHAIN:0xADDRESS (chain by name or id; verified sources from Etherscan or Sourcify)."""
    try:
        # Everything the user typed is checked before the analysis stack (Slither,
        # crytic-compile) is imported: a mistyped path or option is refused at once.
        from inspector.findings.baseline import read_baseline, write_baseline as save_baseline
        from inspector.rules.catalogue import load_rules, select_rules
        from inspector.config_file import check_rule_ids, load_config, rule_choice
        from inspector.paths import cache_dir
        from inspector.progress import progress_on
        from inspector.sources.project import check_target
        from inspector.store import NullStore, Store
        from inspector.targets import PathTarget, parse_target
        from inspector.output import check_writable, write_atomic

        if output is not None:
            check_writable(output)
        if write_baseline is not None:
            check_writable(write_baseline, "--write-baseline")
        config = load_config(Path.cwd(), config_file)
        known = read_baseline(baseline_file) if baseline_file is not None else None
        texts = list(targets) + (_read_targets(targets_file) if targets_file else [])
        if not texts:
            raise ConfigError("no targets", "pass .sol files, folders, projects or CHAIN:0xADDRESS, or --targets FILE")
        parsed = [parse_target(t) for t in texts]
        options = _scan_options(config, refresh, baseline=known, **shared)
        catalogue = load_rules(rules_dirs)
        check_rule_ids(config, {r.id for r in catalogue})
        rules = select_rules(catalogue, *rule_choice(config, only_rules, excluded_rules))
        for target in parsed:
            if isinstance(target, PathTarget):
                check_target(target.path, Path.cwd())
        from inspector.compile.solc_select_home import import_solc_select

        import_solc_select()  # before Slither, which imports it; and before the store, whose errors it has always preceded
        store = NullStore() if no_cache else Store(cache_dir() / "inspector.db", note=lambda m: click.echo(f"note: {visible(m)}", err=True))
        from inspector.scan import scan as run_scan

        with progress_on(sys.stderr) as progress:
            result = run_scan(parsed, options, store, rules, Path.cwd(), progress)
        store.close()
        from inspector.report import renderer

        text = renderer(fmt)(result, colour=output is None and sys.stdout.isatty())
        if output is not None:
            write_atomic(output, text)
        else:
            click.echo(text, nl=False)
        if write_baseline is not None:
            save_baseline(write_baseline, result.findings + result.baseline)
    except Exception as exc:  # every failure ends as one line and exit 2
        _fail(exc, debug)
    raise SystemExit(EXIT_FINDINGS if _breached(result, fail_on, min_score) else 0)


@cli.command()
@click.argument("systems_file", metavar="SYSTEMS.csv", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The survey's folder: scorecard.csv, scorecard.parquet, index.html, reports/<system>.json.")
@click.option("--workers", type=click.IntRange(min=1, max=1024), metavar="N",
              help="Scan on a local Dask cluster of N worker processes (default: the machine's cores).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Scan on an existing Dask cluster, through its scheduler.")
@click.option("--refresh", is_flag=True, help="Scan every system again, asking explorers and the chain again, even when DIR or the cache has the answer.")
@click.option("--retry-failed", is_flag=True, help="Scan again the systems that failed in an earlier run.")
@_shared_options
def survey(systems_file, out_dir, workers, scheduler, refresh, retry_failed, config_file, rules_dirs, only_rules, excluded_rules,
           no_cache, debug, **shared):
    """Scan every system of SYSTEMS.csv (header `system,target`, one row per target; rows
    sharing a system name are one system) in parallel on Dask, and write one scorecard:
    DIR/scorecard.csv and .parquet (a row per system), DIR/index.html (the leaderboard),
    DIR/reports/<system>.json (each system's full report). Run again, it scans only what
    DIR does not hold yet. Exit 1 when a system failed (its row says why)."""
    try:
        from inspector.config_file import check_rule_ids, load_config
        from inspector.rules.catalogue import load_rules
        from inspector.survey.systems import read_systems

        if workers is not None and scheduler is not None:
            raise ConfigError("--workers and --scheduler both given", "--workers starts a local cluster; --scheduler uses an existing one")
        if scheduler is not None and not _SCHEDULER.fullmatch(scheduler):
            raise ConfigError(f"--scheduler '{visible(scheduler)}' is not a Dask scheduler address",
                              "pass PROTOCOL://HOST:PORT, e.g. tcp://10.0.0.5:8786 (tcp, tls, ws, wss, ucx)")
        cwd = Path.cwd()
        config = load_config(cwd, config_file)
        systems = read_systems(systems_file, cwd)
        options = _scan_options(config, refresh, **shared)
        check_rule_ids(config, {r.id for r in load_rules(rules_dirs)})
        from inspector.survey.engine import DaskEngine
        from inspector.survey.leaderboard import render
        from inspector.survey.runner import run_survey
        from inspector.survey.task import SurveyScan

        request = SurveyScan(options, str(cwd), tuple(str(Path(d).resolve()) for d in rules_dirs), tuple(only_rules),
                             tuple(excluded_rules), no_cache, debug)
        done = run_survey(systems, out_dir, request, lambda: DaskEngine(workers, scheduler), sys.stderr, refresh, retry_failed,
                          render_index=lambda rows: render(rows, title=f"inspector survey of {systems_file.name}"))
    except Exception as exc:
        _fail(exc, debug)
    click.echo(f"{len(done.rows)} systems: {done.scanned} scanned now, {done.kept} from earlier runs, {done.failed} failed")
    for name in ("scorecard.csv", "scorecard.parquet", "index.html"):
        click.echo(f"  {out_dir / name}")
    raise SystemExit(EXIT_FINDINGS if done.failed else 0)


def _breached(result, fail_on: str, min_score: float | None) -> bool:
    """The gates. They read only `result.findings`: suppressed and baseline findings are
    kept apart from it. A missing score fails --min-score: unknown is never counted as safe."""
    threshold = None if fail_on == "none" else Severity.parse(fail_on)
    gated = 0 if threshold is None else sum(1 for f in result.findings if f.severity >= threshold)
    if gated:
        click.echo(f"{gated} finding{'s' if gated > 1 else ''} at or above {threshold}", err=True)
    breached = gated > 0
    if min_score is not None:
        total = result.score.total if result.score is not None else None
        if total is None:
            click.echo(f"no score was computed, so --min-score {min_score:g} fails", err=True)
        elif total < min_score:
            click.echo(f"score {total:g} is under --min-score {min_score:g}", err=True)
        breached = breached or total is None or total < min_score
    return breached


@cli.command("diff")
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the changes to FILE instead of stdout.")
@click.option("--fail-on-change", type=click.Choice(FAIL_ON), default="none", show_default=True,
              help="Exit 1 when a change is at or above this severity.")
@click.option("--force", is_flag=True, help="Compare reports that share no target.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def diff(old, new, fmt, output, fail_on_change, force, debug):
    """What changed between two JSON reports (`scan --format json`) of the same system:
    holders of powers, signers and thresholds, delays, upgrades, findings, score."""
    try:
        from inspector.output import check_writable, write_atomic
        from inspector.report.diff import compare
        from inspector.report.diff_report import render_json, render_text
        from inspector.report.reader import load_report

        if output is not None:
            check_writable(output)
        before, after = load_report(old), load_report(new)
        changes = compare(before, after, force)
        text = (render_json if fmt == "json" else render_text)(before, after, changes)
        if output is not None:
            write_atomic(output, text)
        else:
            click.echo(text, nl=False)
    except Exception as exc:
        _fail(exc, debug)
    threshold = None if fail_on_change == "none" else Severity.parse(fail_on_change)
    raise SystemExit(EXIT_FINDINGS if threshold is not None and any(c.severity >= threshold for c in changes) else 0)


def _read_targets(path: Path) -> list[str]:
    from inspector.userfile import read_text

    try:
        lines = read_text(path).splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read --targets {path}: {exc.strerror}", "pass a text file, one target per line") from None
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


@cli.group()
def compilers() -> None:
    """Show and provision solc compilers."""


@compilers.command("list")
def compilers_list() -> None:
    """Compilers inspector can use now, and where each came from."""
    from inspector.compile.compilers import native_compilers, solcjs_installed
    from inspector.sources.collect import MIN_SUPPORTED
    from inspector.sources.pragma import known_releases

    found = sorted(native_compilers() + solcjs_installed(), key=lambda c: (c.version, c.route))
    for compiler in found:
        click.echo(f"{str(compiler.version):<8} {compiler.route:<7} {compiler.path}")
    if not found:
        click.echo("no compilers installed yet")
    releases = [v for v in known_releases() if v >= MIN_SUPPORTED]
    click.echo(f"any release from {releases[0]} to {releases[-1]} is installed on demand (py-solc-x when online, else npm 'solc')")


@compilers.command("install")
@click.argument("version")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def compilers_install(version: str, debug: bool) -> None:
    """Provision solc VERSION (native via py-solc-x when online, else the npm package)."""
    from inspector.compile.compilers import find_compiler

    try:
        compiler = find_compiler(_version(version))
    except Exception as exc:
        _fail(exc, debug)
    click.echo(f"solc {compiler.version} ready ({compiler.route}): {compiler.path}")


def rules_markdown(rules) -> str:
    """The README's rule table, generated from the catalogue so that it cannot go stale."""
    lines = ["| id | category | severity | weight | title |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| `{r.id}` | {r.category} | {r.severity} | {r.weight} | {r.title} |" for r in rules]
    return "\n".join(lines) + "\n"


@cli.command("rules")
@click.option("--explain", metavar="ID", help="Print one rule in full.")
@click.option("--markdown", is_flag=True, help="Print the catalogue as the README's Markdown table.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help="A folder of extra rule files.")
def rules_command(explain: str | None, markdown: bool, rules_dirs) -> None:
    """List the rule catalogue."""
    from inspector.rules.catalogue import load_rules

    try:
        rules = load_rules(rules_dirs)
        if markdown:
            click.echo(rules_markdown(rules), nl=False)
            return
        if explain is None:
            for rule in rules:
                click.echo(f"{rule.id:<38} {rule.category:<16} {str(rule.severity):<8} {rule.title}")
            return
        chosen = next((r for r in rules if r.id == explain), None)
        if chosen is None:
            raise ConfigError(f"no rule '{explain}'", "run 'inspector rules' for the list")
    except Exception as exc:
        _fail(exc, False)
    click.echo(f"{chosen.id}: {chosen.title}")
    click.echo(f"category: {chosen.category}   severity: {chosen.severity}   confidence: {chosen.confidence}   weight: {chosen.weight}")
    click.echo(f"\nWhy it matters\n  {chosen.rationale}\n\nWhat to do\n  {chosen.remediation}")
    if chosen.references:
        click.echo("\nReferences\n" + "\n".join(f"  {r}" for r in chosen.references))


def main() -> None:
    """Console entry point. Exits with os._exit once output is flushed: freeing a large
    Slither object graph at interpreter exit costs seconds and changes nothing."""
    try:
        code = cli.main(standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "inspector"
        click.echo(f"error: {visible(exc.format_message())} (see '{command} --help')", err=True)
        code = EXIT_ERROR
    except click.ClickException as exc:
        click.echo(f"error: {visible(exc.format_message())}", err=True)
        code = exc.exit_code
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except click.Abort:
        click.echo("aborted", err=True)
        code = EXIT_ERROR
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
