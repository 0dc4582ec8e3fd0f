"""A file the browser saves (an export, a template, a CSV for reminder mails), with its
Japanese file name kept (RFC 6266: ``filename*=utf-8''…``)."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment(content: str | bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response
