"""The admin's 履歴 pages (django-simple-history): Japanese, what happened in the dashboards'
words, and no inline style (the strict CSP)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from indicators.models import Actual, ActualStatus, Department, Indicator
from tests.english import english_phrases

pytestmark = pytest.mark.django_db


def _page(user: User, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _table(html: str) -> str:
    start = html.index('<table id="change-history"')
    return html[start : html.index("</table>", start)]


def test_a_department_set_for_the_first_time_reads_from_not_set_to_its_name(
    admin_user: User, childcare_indicator: Indicator, childcare: Department
) -> None:
    indicator = Indicator.objects.get(pk=childcare_indicator.pk)
    indicator.department = None
    indicator.save()
    indicator.department = childcare
    indicator.save()

    html = _page(admin_user, reverse("admin:indicators_indicator_history", args=[indicator.pk]))
    table = _table(html)
    assert "（未設定） → 子育て支援課" in table and "子育て支援課 → （未設定）" in table
    assert "Deleted" not in html and "pk=None" not in html
    assert "<h1>変更履歴：T101 ３歳児健康診査受診率</h1>" in html


def test_an_actuals_history_shows_values_units_years_and_labels_as_the_dashboards(
    admin_user: User, childcare_actual: Actual
) -> None:
    actual = Actual.objects.get(pk=childcare_actual.pk)
    actual.value, actual.status = Decimal("96.1"), ActualStatus.SUBMITTED
    actual._change_reason = "提出"  # type: ignore[attr-defined]
    actual.save()

    html = _page(admin_user, reverse("admin:indicators_actual_history", args=[actual.pk]))
    table = _table(html)
    assert "実績値：</strong>95.5％ → 96.1％" in table
    assert "状態：</strong>下書き → 提出済" in table
    assert "年（度）：</strong>令和6年度（2024）" in table  # the 追加 row: what it held
    assert "提出" in table
    assert "更新日時" not in table  # said by the row's own date
    assert "全 2 件" in html


def test_history_pages_hold_the_strict_csp_and_have_no_english(
    admin_user: User, takahashi: User, childcare_actual: Actual
) -> None:
    indicator = childcare_actual.series.indicator
    target = indicator.series.get().targets.get()
    urls = [
        reverse("admin:indicators_actual_history", args=[childcare_actual.pk]),
        reverse("admin:indicators_indicator_history", args=[indicator.pk]),
        reverse("admin:indicators_target_history", args=[target.pk]),
    ]
    for user in (admin_user, takahashi):
        for url in urls:
            html = _page(user, url)
            assert "style=" not in html and "<style" not in html, url
            content = html[html.index('<div id="content"') :]
            assert english_phrases(_text(content)) == [], url


def _text(html: str) -> str:
    import re

    return re.sub(r"<[^>]+>", " ", html)
