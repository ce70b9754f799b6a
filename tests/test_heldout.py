"""inspector measured on the held-out sets (issue 10): real code labelled from its source before
inspector was first run on it (`bench/corpus.py --set NAME`).

- heldout (tests/data/heldout/): labelled blind; the first measurement (session 4, code of
  e1b93db) was privileged 0.953/0.843, capabilities 0.837/0.678, 2 critical false positives.
  It was then used to find patterns, so it is no longer blind.
- heldout2 (tests/data/heldout2/, see its README): labelled by someone who never ran inspector
  on it and measured blind once, at commit fa311ce: privileged 0.964/0.982, admin-key
  0.827/0.818, upgradeability 1.0/0.556, timelock 1.0/1.0, multisig 0.6/1.0, economic-control
  1.0/0.853, off-chain 1.0/0.333, capabilities 0.792/0.738, guard kind 1.000, and 5 critical
  false positives (LayerZero's retryMessage/clearCredits replaying what a trusted remote
  committed; Chainlink's Arbitrum forwarder guarded by the aliased L1 owner). Two general fixes
  followed (committed replays, an address moved by a fixed offset): no longer blind either.
- heldout3 (tests/data/heldout3/, see its README): Synthetix, Set Protocol v2, Perp v2,
  PoolTogether v4 and API3, labelled blind and measured blind once at 6e1b7df: privileged
  0.981/0.977, guard kind 0.900, capabilities 0.658/0.714, 2 critical false positives (API3's
  AccessControlRegistry grants in the grantee's own namespace). Fixes for other sets (names read
  as words and types, settings nothing acts on) moved it since: no longer blind.

The numbers below are floors of these measurements, not targets: a change that makes inspector
less right on code nobody tuned it on fails here. Do not raise a floor by editing a label; when
a general fix makes inspector more right here, raise the floor to the new measurement and say
that the set is no longer blind. Each set scans in about 30 s with a warm cache."""
from __future__ import annotations

import sys
from dataclasses import dataclass

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import corpus  # noqa: E402


@dataclass(frozen=True)
class Floors:
    size: tuple[int, int]  # contracts, labelled entry points
    floor: dict[str, tuple[float, float]]  # precision, recall (at least)
    guard_kind: float
    critical_false: int  # at most; the labels expect no critical finding on these sets
    critical_missed: int = 0


SETS = {
    "heldout": Floors(
        size=(39, 255),
        floor={
            # session 4, after the general fixes the held-out errors pointed to (revert helpers, the
            # user-or-relayer branch, struct fields of parameters)
            "privileged": (0.955, 0.884),
            "admin-key": (0.900, 0.818),  # session 4: 0.895/0.797 -> 0.900/0.818
            "upgradeability": (1.0, 0.667),
            "timelock": (1.0, 0.5),
            "multisig": (1.0, 1.0),
            "economic-control": (0.957, 0.595),
            # session 4: 0.75 -> 0.70 by family only: MasterMinter's configureController now reads as a
            # grant of the controllers set (labelled grant_role|set_minter|set_operator: still right, but
            # counted in admin-key's row instead of this one)
            "off-chain": (0.70, 0.70),
            "capabilities": (0.851, 0.711),  # session 4: 0.837/0.678 -> 0.851/0.711
        },
        guard_kind=0.98,
        # session 4: 2 -> 1 (L1StandardBridge's initialize runs once: require(messenger == address(0))
        # before setting it); left: relayMessage
        critical_false=1,
    ),
    "heldout2": Floors(
        size=(29, 295),
        floor={
            "privileged": (0.965, 1.0),
            "admin-key": (0.830, 0.838),
            "upgradeability": (1.0, 0.556),
            "timelock": (1.0, 1.0),
            "multisig": (0.6, 1.0),
            # the forwarder's forward(), now seen as the L1 owner's, also sends value: withdraw_funds
            "economic-control": (0.967, 0.853),
            "off-chain": (1.0, 0.333),
            "capabilities": (0.784, 0.75),
        },
        guard_kind=1.0,
        critical_false=0,
    ),
    "heldout3": Floors(
        size=(30, 297),
        floor={
            "privileged": (0.981, 0.977),
            "admin-key": (0.928, 0.993),
            "upgradeability": (1.0, 0.0),  # the one label: Synthetix's ProxyERC20.setTarget, read as an owner change
            "timelock": (1.0, 1.0),
            "multisig": (1.0, 1.0),
            "economic-control": (0.922, 0.855),
            "off-chain": (1.0, 0.786),
            "capabilities": (0.779, 0.845),
        },
        guard_kind=0.90,
        # API3's AccessControlRegistry: initializeManager and initializeRoleAndGrantToSender
        critical_false=2,
    ),
}


@pytest.fixture(scope="module", params=sorted(SETS))
def measured(request):
    return request.param, SETS[request.param], corpus.evaluate(data=corpus.SETS[request.param])


def test_every_label_names_an_entry_point_inspector_reports(measured):
    name, floors, result = measured
    assert result.missing == [], "labels that name a contract or function the facts do not have"
    assert result.unlabelled == [], f"entry points with no label: label them in tests/data/{name}/labels/"
    assert (result.contracts, result.entries) == floors.size


def test_privileged_entry_points_and_capabilities_stay_at_least_as_right(measured):
    _, floors, result = measured
    assert corpus.below_floor(result, floors.floor, floors.guard_kind) == []


def test_critical_findings_no_more_false_alarms(measured):
    _, floors, result = measured
    assert corpus.critical_over(result, floors.critical_false, floors.critical_missed) == []
