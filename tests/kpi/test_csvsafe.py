"""Cells a spreadsheet would run as formulas are neutralised in every export."""

import pytest

from kpi.csvsafe import keep_as_text, neutralise_formula, restore_neutralised


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


@pytest.mark.parametrize(
    "text",
    [
        "1-1",
        "7-12",
        "2024/4/1",
        "4/1",
        "2024.4.1",
        "R6.4.1",
        "令和6.4.1",
        "4月1日",
        "2024年4月",
        "１－１",
        "1-Jan",
        "Mar-5",
        "6:13",
        "007",
        "1234567890123456",
        "1E5",
    ],
)
def test_text_excel_would_turn_into_a_date_or_number_gets_the_text_mark(text: str) -> None:
    assert keep_as_text(text) == "'" + text
    assert restore_neutralised(keep_as_text(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "K001",
        "1869",
        "95.2",
        "-5",
        "令和6年度（2024）",
        "2024",
        "男性",
        "1-1;3-2",
        "施策1-1",
        "'=1+1",
        "",
    ],
)
def test_other_text_is_left_alone(text: str) -> None:
    assert keep_as_text(text) == text
