"""Cells that a spreadsheet would run as a formula (CSV／数式インジェクション対策).

Excel and LibreOffice treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula,
and a leading tab or carriage return can hide one; a name or a note such as
``=HYPERLINK("http://…")`` in an exported file would then run on the reader's machine.
django-import-export's own escaping (``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``) strips only a
leading ``=``. We prefix such a cell with ``'``, which spreadsheets show as text (OWASP's advice).

A plain number (``-5``, ``+1.5``) is left as it is: it is not a formula, and negative actuals
must stay numbers. Apply ``neutralise_formula`` to every text cell of a CSV or XLSX export.

Excel also reads a CSV cell as if it were typed in, so text that looks like a date or a number
is converted: the measure code ``1-1`` becomes 1月1日, ``007`` becomes 7. ``keep_as_text`` gives
such text the same leading ``'``, which Excel takes as "this is text" and does not show
(``="1-1"``, the other usual trick, is a formula itself). ``indicators.spreadsheets`` applies
both to every text cell; ``restore_neutralised`` undoes both when a file we wrote is read back.
"""

import re
import unicodedata

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# What Excel turns into a date, a time or a different number, checked after NFKC (Japanese
# Excel reads full-width digits too).
_EXCEL_CONVERTS = re.compile(
    rf"""(?ix)
    \d{{1,4}}[-/]\d{{1,2}}(?:[-/.]\d{{1,4}})?          # 1-1, 2024/4/1, 4/1
    | \d{{1,4}}\.\d{{1,2}}\.\d{{1,4}}                 # 2024.4.1
    | (?:[MTSHR]|明治|大正|昭和|平成|令和)\d{{1,2}}[-/.]\d{{1,2}}(?:[-/.]\d{{1,2}})?  # R6.4.1
    | (?:\d{{1,4}}年)?\d{{1,2}}月(?:\d{{1,2}}日)?         # 4月1日, 2024年4月
    | \d{{1,4}}年\d{{1,2}}月\d{{1,2}}日
    | \d{{1,2}}[-\s]?(?:{_MONTHS})[a-z]*(?:[-\s]?\d{{1,4}})?  # 1-Jan
    | (?:{_MONTHS})[a-z]*[-\s]?\d{{1,4}}                  # Jan-1
    | \d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s?[AP]M?)?         # 6:13
    | 0\d+(?:\.\d+)?                                   # 007 (leading zeros dropped)
    | \d{{16,}}                                        # long digit runs (rounded)
    | \d+(?:\.\d+)?E[+-]?\d+                            # 1E5
    """
)


def neutralise_formula(value: str) -> str:
    """``=1+1`` → ``'=1+1``; ``-5`` and ``K001`` unchanged."""
    if value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return QUOTE + value
    return value


def restore_neutralised(value: str) -> str:
    """Reverse of ``neutralise_formula`` and ``keep_as_text`` for text read back from a file we
    exported: ``'=1+1`` → ``=1+1``, ``'1-1`` → ``1-1``. Any other text is returned unchanged."""
    rest = value[1:]
    if value.startswith(QUOTE) and (
        rest.startswith(FORMULA_PREFIXES) or keep_as_text(rest) != rest
    ):
        return rest
    return value


def keep_as_text(value: str) -> str:
    """``1-1`` → ``'1-1``: text Excel would convert when it opens a CSV gets the text mark.
    Already neutralised text (starting with ``'``) and anything else are unchanged."""
    if _EXCEL_CONVERTS.fullmatch(unicodedata.normalize("NFKC", value).strip()):
        return QUOTE + value
    return value
