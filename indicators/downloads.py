"""A file the browser saves (an export, a template, a CSV for reminder mails), with its
Japanese file name kept (RFC 6266: ``filename*=utf-8''…``). Spreadsheets come from the one
writer, ``indicators.spreadsheets``."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from indicators import spreadsheets


def attachment(content: str | bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def spreadsheet_response(sheet: spreadsheets.Sheet, file_type: str, name: str) -> HttpResponse:
    """``name`` without its extension."""
    return attachment(
        spreadsheets.write(sheet, file_type),
        content_type=spreadsheets.CONTENT_TYPES[file_type],
        filename=f"{name}.{file_type}",
    )
