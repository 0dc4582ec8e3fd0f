"""The admin's import pages on the 実績値 list (取込): upload → preview of every row → confirm,
and the entry templates. Thin: reading, checking and writing are ``indicators.imports``, who
may do what is ``indicators.permissions``.

Between the preview and the confirmation the file waits in django-import-export's temporary
storage (``IMPORT_EXPORT_TMP_STORAGE_CLASS``, by default ``imports.uploads``, which expires
abandoned files); the confirmation names it by a token bound to the session and by its
SHA-256, and the file is planned again before anything is written.
The library's own import/export views are not used: its import reads one encoding only and
shows no warnings, and its export page needs inline scripts that the CSP forbids.
"""

import os
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST
from import_export.tmp_storages import BaseStorage

from indicators import permissions, spreadsheets
from indicators.downloads import spreadsheet_response
from indicators.imports import ImportFileError, ImportPlan, Upload, confirm_import, preview_import
from indicators.imports.files import check_size, megabytes
from indicators.imports.plan import PREVIEW_ROWS_PER_KIND
from indicators.imports.templates import template_filename, template_rows, template_sheet
from indicators.imports.uploads import expire_uploads
from indicators.models import Department, ImportFormat
from measures.models import ActionPlan

AUTO = "auto"
ENCODING_CHOICES = [
    (AUTO, "自動判定"),
    ("utf-8", "UTF-8"),
    ("cp932", "Shift_JIS（CP932）"),
]
FORMAT_CHOICES = [(AUTO, "自動判定（列の見出しから）"), *ImportFormat.choices]
SESSION_KEY = "kpi_import_token"


class ImportForm(forms.Form):
    # An empty file gets the import's own message, as in the command.
    import_file = forms.FileField(label="ファイル", allow_empty_file=True)
    encoding = forms.ChoiceField(label="文字コード（CSV）", choices=ENCODING_CHOICES, initial=AUTO)
    format = forms.ChoiceField(label="内容", choices=FORMAT_CHOICES, initial=AUTO)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = megabytes(settings.KPI_IMPORT_MAX_BYTES)
        self.fields["import_file"].help_text = f".csv（UTF-8／Shift_JIS）または .xlsx。最大 {limit}"

    def clean_import_file(self) -> Any:
        upload = self.cleaned_data["import_file"]
        try:
            check_size(upload.size, settings.KPI_IMPORT_MAX_BYTES)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=255)
    file_name = forms.CharField(widget=forms.HiddenInput, max_length=255)
    checksum = forms.RegexField(r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    encoding = forms.ChoiceField(choices=ENCODING_CHOICES, widget=forms.HiddenInput)
    format = forms.ChoiceField(choices=FORMAT_CHOICES, widget=forms.HiddenInput)

    def clean_token(self) -> str:
        return os.path.basename(self.cleaned_data["token"])


class TemplateForm(forms.Form):
    department = forms.ModelChoiceField(
        Department.objects.none(), required=False, label="所管課", empty_label="（すべて）"
    )
    file_type = forms.ChoiceField(
        label="形式",
        choices=[
            (spreadsheets.XLSX, "Excel（.xlsx）"),
            (spreadsheets.CSV, "CSV（UTF-8 BOM付き）"),
        ],
        initial=spreadsheets.XLSX,
        required=False,
    )
    plan = forms.ModelChoiceField(
        ActionPlan.objects.all(),
        required=False,
        label="計画",
        empty_label="（すべての計画）",
        to_field_name="code",
        help_text="選んだ計画に目標値のある系列を、その計画の年度について出力します",
    )

    def __init__(self, *args: Any, user: permissions.AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editable = permissions.editable_indicators(user)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            indicators__in=editable.values("pk")
        ).distinct()


def _choice(value: str) -> str | None:
    return None if value == AUTO else value


def _storage(name: str | None = None) -> BaseStorage:
    storage_class = import_string(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS)
    return storage_class(name=name, read_mode="rb", encoding=None)


def _take(token: str) -> bytes | None:
    """The waiting file's bytes, removed from the storage; None if it is gone."""
    storage = _storage(token)
    try:
        content = storage.read()
        storage.remove()
    except OSError:
        return None
    return content if isinstance(content, bytes) else None


class ActualImportAdminMixin:
    """For ActualAdmin: the import pages and the links to them on the list."""

    change_list_template = "admin/indicators/actual/change_list_import.html"
    import_template = "admin/indicators/actual/import.html"

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view  # type: ignore[attr-defined]
        return [
            path("import/", wrap(self.import_view), name="indicators_actual_import"),
            path(
                "import/confirm/",
                wrap(require_POST(self.import_confirm_view)),
                name="indicators_actual_import_confirm",
            ),
            path(
                "import/template/",
                wrap(self.import_template_view),
                name="indicators_actual_import_template",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {
            **(extra_context or {}),
            "can_import_actuals": permissions.can_import_actuals(request.user),
        }
        return super().changelist_view(request, context)  # type: ignore[misc]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """GET: the upload form; POST: the preview (the first rows of each kind, with counts),
        and the confirm button when no row is in error and some row would be written."""
        self._check_import_permission(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return self._render(request, form)
        data = form.cleaned_data
        upload = Upload(data["import_file"].name, data["import_file"].read())
        try:
            plan = preview_import(
                upload,
                user=request.user,
                encoding=_choice(data["encoding"]),
                format=_choice(data["format"]),
            )
        except ImportFileError as error:
            form.add_error("import_file", str(error))
            return self._render(request, form)
        offered = not plan.has_errors and plan.writes > 0
        confirm = self._confirm_form(request, upload, data) if offered else None
        return self._render(request, form, plan=plan, confirm_form=confirm)

    def import_confirm_view(self, request: HttpRequest) -> HttpResponse:
        """POST: import the previewed file all or nothing."""
        self._check_import_permission(request)
        form = ConfirmForm(request.POST)
        token = request.session.pop(SESSION_KEY, None)
        if not form.is_valid() or form.cleaned_data["token"] != token:
            return self._start_again(request, "プレビューが見つかりません。")
        data = form.cleaned_data
        content = _take(data["token"])
        if content is None:
            return self._start_again(request, "アップロードしたファイルが見つかりません。")
        upload = Upload(data["file_name"], content)
        if upload.checksum != data["checksum"]:
            return self._start_again(request, "ファイルがプレビューのときと違います。")
        try:
            record, plan = confirm_import(
                upload,
                user=request.user,
                encoding=_choice(data["encoding"]),
                format=_choice(data["format"]),
            )
        except ImportFileError as error:
            return self._start_again(request, str(error))
        if not record.applied:
            messages.error(request, "エラーがあるため、何も取り込みませんでした。")
            return self._render(request, ImportForm(), plan=plan)
        new, changed, unchanged = (plan.counts[k] for k in ("new", "changed", "unchanged"))
        messages.success(
            request,
            f"「{plan.file_name}」を取り込みました（取込記録 #{record.pk}）："
            f"新規 {new}件、変更 {changed}件、変更なし {unchanged}件。"
            "新しい値は下書きです。確認して提出・承認してください。",
        )
        return HttpResponseRedirect(reverse("admin:indicators_actual_changelist"))

    def import_template_view(self, request: HttpRequest) -> HttpResponse:
        """GET: the entry template of the user's indicators (or one department's)."""
        self._check_import_permission(request)
        form = TemplateForm(request.GET, user=request.user)
        if not form.is_valid():
            raise Http404("所管課が見つかりません（存在しないか、担当ではありません）。")
        department = form.cleaned_data["department"]
        file_type = form.cleaned_data["file_type"] or spreadsheets.XLSX
        plan = form.cleaned_data["plan"]
        today = timezone.localdate()
        rows = template_rows(request.user, department=department, today=today, plan=plan)
        name = template_filename(department, today, plan)
        return spreadsheet_response(template_sheet(rows), file_type, name)

    # --- helpers ------------------------------------------------------------------------------
    def _check_import_permission(self, request: HttpRequest) -> None:
        if not permissions.can_import_actuals(request.user):
            raise PermissionDenied("実績値を取り込む権限がありません。")

    def _confirm_form(
        self, request: HttpRequest, upload: Upload, data: dict[str, Any]
    ) -> ConfirmForm:
        previous = request.session.get(SESSION_KEY)
        if previous:
            _take(previous)  # a preview left unconfirmed: its file goes
        expire_uploads()  # and those of other people's abandoned previews, once old enough
        storage = _storage()
        storage.save(upload.data)
        token = os.path.basename(storage.name)
        request.session[SESSION_KEY] = token
        return ConfirmForm(
            initial={
                "token": token,
                "file_name": upload.name,
                "checksum": upload.checksum,
                "encoding": data["encoding"],
                "format": data["format"],
            }
        )

    def _start_again(self, request: HttpRequest, message: str) -> HttpResponse:
        messages.error(request, f"{message}もう一度ファイルを選んでプレビューしてください。")
        return HttpResponseRedirect(reverse("admin:indicators_actual_import"))

    def _render(
        self,
        request: HttpRequest,
        form: ImportForm,
        *,
        plan: ImportPlan | None = None,
        confirm_form: ConfirmForm | None = None,
    ) -> HttpResponse:
        user = request.user
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "title": "実績値・市民意識調査の取込",
            "opts": self.opts,  # type: ignore[attr-defined]
            "form": form,
            "plan": plan,
            "preview": plan.preview() if plan else None,
            "rows_per_kind": PREVIEW_ROWS_PER_KIND,
            "confirm_form": confirm_form,
            "template_form": TemplateForm(user=user),
            "can_view_records": permissions.can_view_import_record(user),
        }
        return render(request, self.import_template, context)
