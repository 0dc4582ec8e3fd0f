"""Date formats for Japanese (FORMAT_MODULE_PATH), overriding Django's ``ja`` where they differ.

One format across the app: ISO dates and 24-hour times (2026-12-02 06:13) on every page —
the admin's lists and records, the entry status, the history, the exports — so that a time on
the screen reads the same as in a downloaded file. Years of the plan (年度) stay 和暦 with the
Gregorian year (令和6年度（2024）), as the plan prints them. Django's ``ja`` defines no input
formats; these accept what staff type: 2026-12-02, 2026/12/02, 2026年12月2日.
"""

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
]
