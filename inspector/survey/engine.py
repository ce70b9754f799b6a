"""Where a survey's scans run: Dask. `DaskEngine` starts a local cluster of worker processes
(one thread each: Slither and solc-select keep process-wide state) or joins an existing
scheduler (`--scheduler tcp://HOST:8786`, started by dask-jobqueue, dask-kubernetes, or
`dask scheduler` and `dask worker`); inspector ships no scheduler of its own.

`results` yields each system's Outcome as its scan ends, in any order. A worker that dies
mid-scan (killed, out of memory) is the system's error, not the survey's end: Dask retries
the task once on another worker, then gives up on it."""
from __future__ import annotations

import logging
import os
from typing import Iterator, Protocol, Sequence

from inspector.errors import ConfigError
from inspector.printable import visible
from inspector.survey.model import System
from inspector.survey.task import Outcome, SurveyScan, scan_system

WORKERS_WAIT = 60.0  # seconds a scheduler has to show one worker


class Engine(Protocol):
    """What the runner asks of where scans run (DaskEngine; a table in tests)."""

    def describe(self) -> str: ...

    def __enter__(self) -> "Engine": ...

    def __exit__(self, *exc) -> None: ...

    def results(self, systems: Sequence[System], request: SurveyScan) -> Iterator[Outcome]: ...


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class DaskEngine:
    def __init__(self, workers: int | None = None, scheduler: str | None = None) -> None:
        self.workers = workers or default_workers()
        self.scheduler = scheduler
        self.cluster = None
        self.client = None

    def describe(self) -> str:
        if self.scheduler:
            return f"the Dask scheduler at {self.scheduler}"
        return f"a local Dask cluster of {self.workers} worker{'s' if self.workers > 1 else ''}"

    def __enter__(self) -> "DaskEngine":
        import dask
        from distributed import Client, LocalCluster

        for name in ("distributed", "tornado", "bokeh"):
            logging.getLogger(name).setLevel(logging.CRITICAL)  # Dask's own chatter is not the survey's output
        dask.config.set({"distributed.scheduler.allowed-failures": 1, "distributed.admin.system-monitor.gil.enabled": False})
        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout="15s", set_as_default=False)
            else:
                self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.CRITICAL)
                self.client = Client(self.cluster, set_as_default=False)
        except (ValueError, TypeError) as exc:  # an address Dask cannot use, TLS without its configuration
            self.__exit__()
            raise ConfigError(f"cannot use the Dask scheduler at {self.scheduler}: {visible(str(exc))}",
                              "for tls:// set Dask's TLS configuration (DASK_DISTRIBUTED__COMM__TLS__CA_FILE and the client's "
                              "certificate and key)" if str(self.scheduler).startswith("tls") else "pass tcp://HOST:PORT") from None
        except (OSError, TimeoutError, RuntimeError) as exc:  # RuntimeError: a worker process did not start
            self.__exit__()
            where = f"the Dask scheduler at {self.scheduler}" if self.scheduler else "a local Dask cluster"
            raise ConfigError(f"cannot reach {where}: {visible(str(exc)) or type(exc).__name__}",
                              "check --scheduler and that its workers run" if self.scheduler else "check --workers") from None
        if self.scheduler:
            self._check_workers()
        return self

    def _check_workers(self) -> None:
        from inspector import __version__

        try:
            self.client.wait_for_workers(1, timeout=WORKERS_WAIT)
        except TimeoutError:
            self.__exit__()
            raise ConfigError(f"no worker joined the Dask scheduler at {self.scheduler} within {WORKERS_WAIT:g} s",
                              "start workers with `dask worker " + self.scheduler + "`") from None
        versions = self.client.run(_inspector_version)
        other = sorted({v for v in versions.values() if v != __version__})
        if other:
            self.__exit__()
            raise ConfigError(f"the Dask workers at {self.scheduler} run inspector {', '.join(other)}, this is {__version__}",
                              "install the same inspector on the workers") from None

    def results(self, systems: Sequence[System], request: SurveyScan) -> Iterator[Outcome]:
        from distributed import as_completed

        futures = {self.client.submit(scan_system, system, request, pure=False, key=f"scan-{system.slug}-{os.urandom(4).hex()}"): system
                   for system in systems}
        for future in as_completed(futures, loop=self.client.loop):
            system = futures.pop(future)
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - the task itself catches the scan's errors: this is the worker's end
                outcome = Outcome(system.name, None, _lost(exc))
            future.release()
            yield outcome

    def __exit__(self, *exc) -> None:
        for part in (self.client, self.cluster):
            if part is not None:
                try:
                    part.close()
                except Exception:  # noqa: BLE001 - closing what is already gone
                    pass
        self.client = self.cluster = None


def _inspector_version() -> str:
    from inspector import __version__

    return __version__


def _lost(exc: BaseException) -> str:
    if type(exc).__name__ == "KilledWorker":
        return "the worker scanning it died twice (killed, or out of memory)"
    return f"the Dask task failed: {type(exc).__name__}: {visible(str(exc))}"
