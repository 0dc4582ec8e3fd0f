"""The measure × project table (重点施策と重点プロジェクトの対応), derived from the theme links.

The plan prints ◎ where a project links two or more directions or initiatives of a measure and
○ where it links exactly one.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable

DOUBLE, SINGLE = "◎", "○"


def derive_matrix(
    links: Iterable[tuple[str, int, Hashable]],
) -> dict[tuple[str, int], str]:
    """``links`` are (measure code, project number, link key) where the key names the direction,
    or the initiative when the link names one; the same key linked twice counts once."""
    keys: dict[tuple[str, int], set[Hashable]] = defaultdict(set)
    for measure, project, key in links:
        keys[(measure, project)].add(key)
    return {cell: DOUBLE if len(found) >= 2 else SINGLE for cell, found in keys.items()}
