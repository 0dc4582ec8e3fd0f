"""The evaluation pages, in the ``evaluations:`` namespace (``isesaki/urls.py`` includes them)."""

from django.urls import URLPattern, path

from evaluations import views

app_name = "evaluations"
urlpatterns: list[URLPattern] = [
    path("evaluations/", views.index, name="index"),
    path("evaluations/<int:pk>/", views.sheet, name="sheet"),
    path("evaluations/<int:pk>/text/", views.save_text, name="save_text"),
    path("evaluations/<int:pk>/review/", views.review, name="review"),
    path("evaluations/<int:pk>/comment/", views.comment, name="comment"),
    path("evaluations/<int:pk>/close/", views.close_committee, name="close"),
    path("evaluations/<int:pk>/committee/", views.committee, name="committee"),
    path("evaluations/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("evaluations/<int:pk>/refresh/", views.refresh, name="refresh"),
]
