from django.urls import URLPattern, path

from reports import views

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("report/<int:year>.pdf", views.report_pdf_view, name="pdf"),
    path("report/<int:year>.xlsx", views.report_xlsx_view, name="xlsx"),
    path("worries/", views.worry_list, name="worries"),
    path("todo/", views.todo, name="todo"),
]
