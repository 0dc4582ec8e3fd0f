"""Cells that a spreadsheet would run as a formula (CSV／数式インジェクション対策).

Excel and LibreOffice treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula,
and a leading tab or carriage return can hide one; a name or a note such as
``=HYPERLINK("http://…")`` in an exported file would then run on the reader's machine.
django-import-export's own escaping (``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``) strips only a
leading ``=``. We prefix such a cell with ``'``, which spreadsheets show as text (OWASP's advice).

A plain number (``-5``, ``+1.5``) is left as it is: it is not a formula, and negative actuals
must stay numbers. Apply ``neutralise_formula`` to every text cell of a CSV or XLSX export.
"""

import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def neutralise_formula(value: str) -> str:
    """``=1+1`` → ``'=1+1``; ``-5`` and ``K001`` unchanged."""
    if value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return QUOTE + value
    return value


def restore_neutralised(value: str) -> str:
    """Reverse of ``neutralise_formula`` for text read back from a file we exported:
    ``'=1+1`` → ``=1+1``. Any other text is returned unchanged."""
    if value.startswith(QUOTE) and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
