"""How a governor's voting power is spread, as an inline SVG bar chart (the HTML report): one
bar per large delegate, the rest together, and the supply nobody delegated, each as a share
of the supply (of the delegated votes when the supply is unknown). No script, no fetch:
labels are escaped text."""
from __future__ import annotations

from html import escape

_WIDTH, _BAR, _ROW, _LABEL = 640, 360, 24, 240


def svg(slices: list[tuple[str, float]]) -> str:
    """`slices`: (label, share 0..1), drawn in order."""
    height = _ROW * len(slices) + 8
    rows = []
    for index, (label, share) in enumerate(slices):
        y = 4 + index * _ROW
        width = max(0.0, min(1.0, share)) * _BAR
        rows.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(label)}</text>'
                    f'<rect x="{_LABEL}" y="{y + 3}" width="{_BAR}" height="14" fill="#e9ecef"/>'
                    f'<rect x="{_LABEL}" y="{y + 3}" width="{width:.1f}" height="14" fill="#3d7bd9"/>'
                    f'<text x="{_LABEL + _BAR + 6}" y="{y + 15}" font-size="12">{share:.1%}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="voting power" width="{_WIDTH}" '
            f'height="{height}" viewBox="0 0 {_WIDTH} {height}">{"".join(rows)}</svg>')
