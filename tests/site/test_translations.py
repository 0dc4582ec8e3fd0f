"""locale/ja: the Japanese of the libraries that ship none is compiled and used."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation


def _entries() -> list[tuple[str, str]]:
    po = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    entries, msgid, current = [], None, None
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("msgid "):
            msgid, current = line[7:-1], "id"
        elif line.startswith("msgstr "):
            msgstr, current = line[8:-1], "str"
        elif line.startswith('"') and current == "id":
            msgid += line[1:-1]  # type: ignore[operator]
        elif line.startswith('"') and current == "str":
            msgstr += line[1:-1]
        elif not line.strip() and current == "str":
            if msgid:
                entries.append((msgid.replace('\\"', '"'), msgstr.replace('\\"', '"')))
            msgid = current = None
    return entries


@pytest.mark.parametrize(("msgid", "msgstr"), _entries())
def test_every_entry_of_the_catalogue_is_compiled(msgid: str, msgstr: str) -> None:
    with translation.override("ja"):
        assert translation.gettext(msgid) == msgstr


def test_the_catalogue_covers_the_history_page_and_the_pager() -> None:
    msgids = {msgid for msgid, _ in _entries()}
    assert {"View history: %s", "Deleted %(type_name)s", "previous", "next"} <= msgids
    assert "access attempts" in msgids


def test_dates_read_the_same_on_every_page() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import formats

    moment = datetime(2026, 12, 2, 6, 13, tzinfo=ZoneInfo("Asia/Tokyo"))
    with translation.override("ja"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "2026-12-02 06:13"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "2026-12-02 06:13"
        assert formats.date_format(moment.date(), "DATE_FORMAT") == "2026-12-02"
        assert "%Y/%m/%d" in formats.get_format("DATE_INPUT_FORMATS")
