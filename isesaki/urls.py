from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import LoginView, LogoutView
from django.urls import include, path

from dashboards import urls as dashboard_urls
from isesaki.health import healthz

# Japanese error pages in the site's look (isesaki/errors.py; with DEBUG on, its middleware).
handler400 = "isesaki.errors.bad_request"
handler403 = "isesaki.errors.permission_denied"
handler404 = "isesaki.errors.page_not_found"
handler500 = "isesaki.errors.server_error"

admin.site.site_header = "伊勢崎市 総合計画 成果指標管理"
admin.site.site_title = "Isesaki KPI"
admin.site.index_title = "データ管理"
admin.site.site_url = "/"
# No app list beside every page: at 1366 px it took a fifth of the width, and the 実績値 list
# and the indicator page's inlines scrolled sideways. The index and breadcrumbs lead there.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),  # ADMIN_PATH, default "admin/"
    path("healthz", healthz, name="healthz"),
    # The dashboards' login, for managers (閲覧者) too: the admin's own login admits staff only.
    # In the site's look, not the admin's, whose header links to (and so reveals) ADMIN_PATH.
    path("login/", LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("logout/", LogoutView.as_view(next_page="login"), name="logout"),
    path("_nested_admin/", include("nested_admin.urls")),
    path("", include("evaluations.urls")),
    path("", include("reports.urls")),
    path("", include((dashboard_urls.project_urls, "projects"))),
    path("", include((dashboard_urls.measure_urls, "measures"))),
    path("", include((dashboard_urls.indicator_urls, "indicators"))),
]
