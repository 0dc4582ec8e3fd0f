"""Cells a spreadsheet would run as formulas are neutralised in every export."""

import pytest

from kpi.csvsafe import neutralise_formula, restore_neutralised


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+81 3", "'+81 3"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),
        ("+1.5", "+1.5"),
        ("K001", "K001"),
        ("㈱みらい①～", "㈱みらい①～"),
        ("", ""),
    ],
)
def test_text_starting_like_a_formula_gets_a_quote_and_numbers_stay_numbers(
    text: str, expected: str
) -> None:
    assert neutralise_formula(text) == expected


def test_a_neutralised_cell_read_back_is_the_original_text() -> None:
    for text in ["=1+1", "@x", "-a", "'quoted", "plain"]:
        assert restore_neutralised(neutralise_formula(text)) == text
