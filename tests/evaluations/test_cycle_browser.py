"""A year's evaluation through the pages in a real Chromium: the planning division opens the year
and sends a measure's sheet to the 推進会議; the department writes and submits it; the 課長 returns
it once, then every review step approves; the committee member comments; the planning division
closes the committee's step and records the mayor's decision; the manager reads the finalised
evaluation on the measure's dashboard. Screenshots of each role's page (1366×900) go to
test-artefacts/evaluation-*.png."""

from typing import Any

import pytest
from django.contrib.auth.models import User

from evaluations.models import EvaluationSheet, SheetState
from indicators.models import Indicator
from tests.browser.test_dashboard_flow import CHROMIUM, browser_page, shot  # noqa: F401
from tests.evaluations.builders import World, approve_actual

pytestmark = [pytest.mark.browser]
PASSWORD = "hyoka-pw-2026"


def log_in(page: Any, base: str, user: User) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/?next=/evaluations/%3Fyear%3D2025")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/evaluations/**")


def open_sheet(page: Any, name: str) -> None:
    page.click(f"table.evaluations >> text={name}")
    page.wait_for_url("**/evaluations/*/")


def review(page: Any, rank: str, comment: str = "", *, button: str = "承認して次の段階へ") -> None:
    page.check(f"input[name=rank][value={rank}]")
    if comment:
        page.fill("textarea[name=comment]", comment)
    page.click(f"button:has-text('{button}')")
    page.wait_for_selector(".messages")


@pytest.mark.django_db(transaction=True)
def test_a_measures_sheet_goes_through_the_whole_chain_in_a_browser(
    live_server: Any,
    browser_page: Any,  # noqa: F811
    world: World,
    reviewers: dict[str, User],
    sato: User,
    takahashi: User,
    watanabe: User,
    childcare_indicator: Indicator,
) -> None:
    people = {**reviewers, "sato": sato, "takahashi": takahashi, "watanabe": watanabe}
    for user in people.values():
        user.set_password(PASSWORD)
        user.save()
    approve_actual(childcare_indicator, 2024, "95.8")
    approve_actual(childcare_indicator, 2025, "96.5")
    page, base = browser_page, live_server.url

    # The planning division opens the year in the admin and sends 1-1 to the committee.
    log_in(page, base, takahashi)
    page.goto(f"{base}/admin/evaluations/evaluationsheet/open/?year=2025")
    page.select_option("#id_year", "2025")
    shot(page, "evaluation-01-planning-opens-the-year")
    page.click("input[type=submit]")
    page.wait_for_selector("text=評価調書を3件作成しました")
    page.goto(f"{base}/evaluations/?year=2025")
    shot(page, "evaluation-02-planning-list")
    open_sheet(page, "1-1 子どもを産み育てる環境づくりの推進")
    page.click("button:has-text('推進会議に付議する')")
    page.wait_for_selector("text=推進会議に付議しました。")

    # The department writes and submits.
    log_in(page, base, sato)
    assert page.locator("table.evaluations tbody tr").count() == 1  # their own: 1-1
    open_sheet(page, "1-1 子どもを産み育てる環境づくりの推進")
    assert "A（順調）" in page.locator(".suggested").inner_text()
    page.fill("#id_achievements", "３歳児健診の未受診者に電話で受診を勧めた（延べ412件）。")
    page.fill("#id_analysis", "受診率は96.5％に上がり、目標を達成した。個別の勧奨が効いた。")
    page.fill("#id_challenges", "転入直後の家庭に案内が届きにくい。")
    page.check("input[name=outlook][value=continue]")
    page.fill("#id_outlook_text", "勧奨を続け、転入時の案内を加える。")
    page.check("input[name=rank_given][value=A]")
    shot(page, "evaluation-03-department-writes")
    page.click("button:has-text('保存して提出')")
    page.wait_for_selector("text=提出しました（1次評価へ）。")

    # The 課長 returns it once; the department corrects and submits again.
    log_in(page, base, reviewers["yamada"])
    open_sheet(page, "1-1 子どもを産み育てる環境づくりの推進")
    page.fill("textarea[name=comment]", "件数の根拠（台帳）を添えてください。")
    shot(page, "evaluation-04-section-chief-reviews")
    page.click("button:has-text('所管課に差し戻す')")
    page.wait_for_selector("text=1次評価で差し戻しました。")
    log_in(page, base, sato)
    open_sheet(page, "1-1 子どもを産み育てる環境づくりの推進")
    assert "件数の根拠（台帳）を添えてください。" in page.locator(".notice").inner_text()
    shot(page, "evaluation-05-department-after-the-return")
    page.fill(
        "#id_achievements", "３歳児健診の未受診者に電話で受診を勧めた（延べ412件、受診勧奨台帳）。"
    )
    page.click("button:has-text('保存して提出')")
    page.wait_for_selector("text=提出しました（1次評価へ）。")

    # 1次, 2次, 3次 and 4次 approve.
    for name in ("yamada", "nakamura", "kato", "takahashi"):
        log_in(page, base, people[name])
        open_sheet(page, "1-1 子どもを産み育てる環境づくりの推進")
        if name == "kato":
            shot(page, "evaluation-06-director-reviews")
        review(page, "A", "異議なし" if name != "takahashi" else "推進本部として了承")
    sheet = EvaluationSheet.objects.get(measure=world.childcare_measure, year=2025)
    assert sheet.step.name == "外部評価"

    # The committee member sees only what was sent, and comments.
    log_in(page, base, reviewers["matsumoto"])
    rows = page.locator("table.evaluations tbody tr")
    assert rows.count() == 1 and "1-1" in rows.inner_text()
    assert page.locator("nav >> text=重点プロジェクト").count() == 0
    shot(page, "evaluation-07-committee-list")
    open_sheet(page, "1-1 子どもを産み育てる環境づくりの推進")
    page.fill("textarea[name=text]", "転入世帯への周知の方法を工夫されたい。")
    page.click("button:has-text('外部評価を保存')")
    page.wait_for_selector("text=外部評価を保存しました。")
    shot(page, "evaluation-08-committee-comments")
    page.goto(f"{base}/measures/1-1/")
    page.wait_for_url("**/evaluations/")  # no dashboards for the committee

    # The planning division closes the committee's step and records the mayor's decision.
    log_in(page, base, takahashi)
    open_sheet(page, "1-1 子どもを産み育てる環境づくりの推進")
    page.click("button:has-text('外部評価を締め切り')")
    page.wait_for_selector("text=外部評価を締め切りました（市長決裁へ）。")
    review(page, "A", button="承認して確定する")
    assert page.locator("text=承認し、評価調書を確定しました。").count() == 1
    shot(page, "evaluation-09-finalised")
    sheet.refresh_from_db()
    assert (sheet.state, sheet.final_rank, sheet.round) == (SheetState.FINALISED, "A", 2)

    # A manager reads it beside the figures.
    log_in(page, base, watanabe)
    page.goto(f"{base}/measures/1-1/?year=2025")
    summary = page.locator(".evaluation-summary")
    assert "A（順調）" in summary.inner_text() and "継続" in summary.inner_text()
    assert "受診勧奨台帳" in summary.inner_text()
    shot(page, "evaluation-10-manager-dashboard")
    page.goto(f"{base}/projects/1/?year=2025")
    assert page.locator(".evaluation-summary").count() == 0  # the project's is not finalised

    assert page.outside == [], f"requests left 127.0.0.1: {page.outside}"
