"""An edge of the control graph: `source` can act on `target`. Either a power found in code
(its kind is the capability, with the function that uses it) or control the chain shows
(its kind is an EdgeKind: a Safe's signer, a timelock's proposer, an owner; no function).
The report writes the kind as the edge's capability text; `labelled` reads it back."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from inspector.vocabulary import CapabilityName, EdgeKind

_SIGN = re.compile(r"sign \((\d+)-of-(\d+)\)")
_KINDS = {str(kind): kind for kind in EdgeKind if kind is not EdgeKind.SIGN}
_CAPABILITIES = {str(name): name for name in CapabilityName}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: EdgeKind | CapabilityName  # a capability name (str) for an edge with a function
    function: str
    delay: int = 0
    chain_id: int | None = field(default=None, compare=False)
    threshold: tuple[int, int] | None = None  # (M, N) of a SIGN edge

    @property
    def capability(self) -> str:
        """What the reports write: the capability, or how the source acts for the target."""
        if self.kind == EdgeKind.SIGN and self.threshold is not None:
            return f"sign ({self.threshold[0]}-of-{self.threshold[1]})"
        return str(self.kind)


def labelled(source: str, target: str, capability: str, function: str = "", delay: int = 0) -> Edge:
    """An edge as a report wrote it, with the kind its capability text was written from."""
    if function:
        return Edge(source, target, _CAPABILITIES.get(capability, capability), function, delay)
    signed = _SIGN.fullmatch(capability)
    if signed:
        return Edge(source, target, EdgeKind.SIGN, function, delay, threshold=(int(signed[1]), int(signed[2])))
    return Edge(source, target, _KINDS.get(capability, _CAPABILITIES.get(capability, capability)), function, delay)
