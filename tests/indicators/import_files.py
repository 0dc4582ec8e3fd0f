"""Files as departments send them, built in Python: CSV in UTF-8, UTF-8 with BOM or CP932
(what Japanese Excel writes), and XLSX through openpyxl."""

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

Rows = Sequence[Sequence[object]]


def csv_text(rows: Rows) -> str:
    return "".join(",".join(_csv_cell(c) for c in row) + "\r\n" for row in rows)


def csv_file(rows: Rows, encoding: str = "utf-8") -> bytes:
    """``encoding`` "utf-8-sig" writes the BOM, "cp932" what Excel calls CSV."""
    return csv_text(rows).encode(encoding)


def xlsx_file(rows: Rows, *, percent_cells: Sequence[tuple[int, int]] = ()) -> bytes:
    """Cells as given (numbers stay numbers); ``percent_cells`` (row, column), 0-based, are
    formatted as percentages, so that 0.302 shows as 30.2%."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    for row in rows:
        sheet.append(list(row))
    for row_index, column in percent_cells:
        sheet.cell(row=row_index + 1, column=column + 1).number_format = "0.0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


HEADER = ["指標コード", "系列", "年度", "実績値", "備考"]
GOOD_ROW = ["T101", "", "令和６年度", "９５．５％", "㈱みらい①～"]


def accepted_files() -> dict[str, tuple[str, bytes]]:
    """The same row in every accepted form: name and bytes."""
    rows = [HEADER, GOOD_ROW]
    return {
        "utf-8": ("実績.csv", csv_file(rows, "utf-8")),
        "utf-8 with BOM": ("実績.csv", csv_file(rows, "utf-8-sig")),
        "cp932": ("実績.csv", csv_file(rows, "cp932")),
        "xlsx": ("実績.xlsx", xlsx_file(rows)),
    }


def bad_files() -> dict[str, tuple[str, bytes, str]]:
    """Files to refuse, each with the message (or part of it) that names what is wrong and
    where. Rows refer to T101 (％, one decimal, 子育て支援課) and T201 (人, 学校教育課)."""

    def rows(*body: list[str]) -> bytes:
        return csv_file([HEADER, *body])

    return {
        "empty": ("実績.csv", b"", "ファイルが空です"),
        "header only": ("実績.csv", rows(), "データの行がありません"),
        "binary renamed csv": ("実績.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "CSV ではないファイル"),
        "mixed encoding": (
            "実績.csv",
            rows(GOOD_ROW) + "T101,,R5,95.0,別の課から貼付\r\n".encode("cp932"),
            "文字コードが混在しています：1行目は UTF-8、3行目は Shift_JIS",
        ),
        "neither encoding": (
            "実績.csv",
            csv_file([HEADER], "cp932") + b"T101,,R5,\x81\x20,\r\n",
            "2行目：UTF-8 でも Shift_JIS（CP932）でもない文字",
        ),
        "missing column": (
            "実績.csv",
            b"indicator_code,year\r\nT101,2024\r\n",
            "列がありません：実績値",
        ),
        "unknown column": (
            "実績.csv",
            "指標コード,年度,実績値,担当者\r\nT101,R6,95,佐藤\r\n".encode(),
            "不明な列があります：「担当者」（4列目）",
        ),
        "unknown indicator": (
            "実績.csv",
            rows(["T999", "", "R6", "1", ""]),
            "2行目「指標コード」：指標コード「T999」の指標はありません。",
        ),
        "unknown series": (
            "実績.csv",
            rows(["T101", "女性", "R6", "95.5", ""]),
            "2行目「系列」：T101 の系列「女性」はありません",
        ),
        "same series and year twice": (
            "実績.csv",
            rows(GOOD_ROW, ["T101", "", "2024", "95.6", ""]),
            "3行目「年度」：同じ指標・系列・年度の行が 2行目にもあります",
        ),
        "not a number": (
            "実績.csv",
            rows(["T101", "", "R6", "九十五", ""]),
            "2行目「実績値」：「九十五」を数値として読めません",
        ),
        "percent over 100": (
            "実績.csv",
            rows(["T101", "", "R6", "105％", ""]),
            "2行目「実績値」：割合（％）は0から100までの値を入力してください。",
        ),
        "negative count": (
            "実績.csv",
            rows(["T201", "", "R6", "▲3", ""]),
            "2行目「実績値」：負の値は入力できません",
        ),
        "year outside the plan": (
            "実績.csv",
            rows(["T101", "", "平成30年度", "95.5", ""]),
            "2行目「年度」：平成30年度は計画の対象期間（令和5年度から）より前です。",
        ),
    }
