"""The measure × project ◎/○ table, derived from the links (kpi.matrix)."""

from kpi.matrix import DOUBLE, SINGLE, derive_matrix


def test_two_directions_or_initiatives_of_a_measure_make_a_double_circle() -> None:
    links = [
        ("1-1", 1, ("direction", 10)),
        ("1-1", 1, ("initiative", 20)),
        ("1-2", 1, ("direction", 11)),
    ]
    assert derive_matrix(links) == {("1-1", 1): DOUBLE, ("1-2", 1): SINGLE}


def test_the_same_direction_linked_twice_counts_once() -> None:
    links = [("3-1", 2, ("direction", 5)), ("3-1", 2, ("direction", 5))]
    assert derive_matrix(links) == {("3-1", 2): SINGLE}


def test_a_measure_a_project_does_not_link_has_no_cell() -> None:
    assert derive_matrix([("3-1", 2, ("direction", 5))]).get(("3-1", 1)) is None
