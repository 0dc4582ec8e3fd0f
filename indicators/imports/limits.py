"""The hard bounds on reading an import file (取込ファイルの上限), in one place.

A file that crosses one is refused with one Japanese message as soon as the reader gets there,
before the memory is spent; nothing the file says about itself is trusted (an XLSX's declared
dimension and shared-string count are ignored, a zip member's declared size is checked before it
is opened and enforced while it is read).

Bounds of every file (``KPI_IMPORT_MAX_BYTES``, 10 MB by default, bounds its size first):

* ``MAX_ROWS`` data rows — rows without any value (blank lines, formatted empty rows) do not count;
* ``MAX_COLUMNS`` columns in a row, up to its last cell with a value;
* ``MAX_CELLS`` cells in the file (an XLSX: every ``<c>`` element, empty or not);
* ``MAX_CELL_CHARS`` characters in one cell, Excel's own limit.

Bounds of an XLSX, which is a zip of XML parts that may expand a thousandfold:

* ``MAX_ZIP_MEMBERS`` members and ``MAX_ZIP_DIRECTORY_BYTES`` of zip directory;
* ``MAX_PART_BYTES`` uncompressed bytes of each part read (workbook, its relationships, styles,
  shared strings, the sheet), read and parsed as a stream in ``CHUNK_BYTES`` pieces;
* ``MAX_XML_ELEMENTS`` XML elements in one part, and no XML token (a tag with its attributes, a run
  of text) longer than ``MAX_TOKEN_BYTES``: the XML parser never holds more than that at once;
* ``MAX_SHARED_STRINGS`` shared strings, ``MAX_CELL_FORMATS`` cell formats (Excel's own limit);
* text cells (shared and inline strings) of at most as many characters in all as the file may
  have bytes (``KPI_IMPORT_MAX_BYTES``): no more text than the largest CSV allowed.

Peak memory. With F the file's size (≤ ``KPI_IMPORT_MAX_BYTES``) and R its data rows
(≤ ``MAX_ROWS``), an import holds at most: the file (F); while it is read, a CSV's decoded text
(≤ 4 bytes a character: ≤ 4F) and one row (a line of MAX_COLUMNS delimiters or more is refused
before csv splits it), or an XLSX's shared strings (≤ 4 bytes a character, KPI_IMPORT_MAX_BYTES
characters, ~60 bytes each besides: ≤ 4F + 30 MB), one row and the parser's chunk and token
(≤ CHUNK_BYTES + MAX_TOKEN_BYTES); then a planned row per data row (≈ 1 KB with its messages:
≤ 200 MB); and the indicators' lookups (≈ 2 KB an indicator). So ≤ 5F + 30 MB + 1 KB × R:
about 280 MB at the defaults, besides Python and Django (~70 MB resident). Measured by
``bench/hostile_files.py``: reading peaks at ≤ 3 MB for every hostile XLSX and at 30 MB (3F) for
a 10 MB CSV; ``import_actuals --dry-run`` at 241 MB resident for a 10 MB CSV of 154,201 rows,
266 MB for an XLSX of 199,999 rows. The preview page's HTML is not counted here.
"""

MAX_ROWS = 200_000
MAX_COLUMNS = 1_000
MAX_CELLS = 2_000_000
MAX_CELL_CHARS = 32_767

MAX_ZIP_MEMBERS = 1_000
MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024
MAX_PART_BYTES = 128 * 1024 * 1024  # a sheet of 200,000 rows of 7 cells is ~60 MB of XML
MAX_XML_ELEMENTS = 4_000_000  # such a sheet has ~3,000,000 (row, c and v)
MAX_TOKEN_BYTES = 1024 * 1024  # a cell of 32,767 characters, escaped, is < 200 KB
MAX_SHARED_STRINGS = 500_000
MAX_CELL_FORMATS = 64_000
CHUNK_BYTES = 64 * 1024
