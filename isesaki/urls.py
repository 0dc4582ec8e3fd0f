from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "伊勢崎市 総合計画 成果指標管理"
admin.site.site_title = "Isesaki KPI"
admin.site.index_title = "データ管理"
admin.site.site_url = "/"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    path("", include("projects.urls")),
    path("", include("measures.urls")),
    path("", include("indicators.urls")),
]
