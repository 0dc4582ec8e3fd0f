"""The evaluation pages' forms. They read and bound what is typed; whether the user may send
it, and whether the sheet is complete, is the services' business."""

from typing import Any

from django import forms

from evaluations.models import (
    COMMENT_MAX,
    EXTERNAL_COMMENT_MAX,
    REASON_MAX,
    EvaluationSheet,
    Rank,
)
from evaluations.services import TEXT_FIELDS


class PlainTextField(forms.CharField):
    """Text as typed, with the browser's CRLF line ends made LF: a textarea's ``maxlength``
    counts a line end as one character, so the server must too."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n").replace("\r", "\n")


def _area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class SheetTextForm(forms.ModelForm):
    """The author's part: 取組実績, 成果と要因分析, 課題, 今後の方向性 and the rank given. Saving
    may leave fields empty; submitting checks that they are filled in."""

    class Meta:
        model = EvaluationSheet
        fields = TEXT_FIELDS
        widgets = {
            "achievements": _area(7),
            "analysis": _area(7),
            "challenges": _area(5),
            "outlook": forms.RadioSelect,
            "outlook_text": _area(5),
            "rank_given": forms.RadioSelect,
            "rank_reason": _area(3),
        }
        field_classes = {
            name: PlainTextField
            for name in ("achievements", "analysis", "challenges", "outlook_text", "rank_reason")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("outlook", "rank_given"):
            field = self.fields[name]
            field.choices = [c for c in field.choices if c[0] != ""]  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    """A review step's rank and comment; approve or return is the button pressed."""

    rank = forms.ChoiceField(label="評価", choices=Rank.choices, widget=forms.RadioSelect)
    comment = PlainTextField(
        label="コメント",
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="前の段階と異なる評価とする場合・差し戻す場合は必須",
    )

    def __init__(self, *args: Any, gives_rank: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not gives_rank:
            del self.fields["rank"]
        else:
            self.fields["rank"].required = False  # required to approve: the service says so


class ExternalCommentForm(forms.Form):
    text = PlainTextField(
        label="外部評価（意見）",
        max_length=EXTERNAL_COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class ReasonForm(forms.Form):
    reason = PlainTextField(
        label="理由",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
