from django.urls import path

from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.index, name="index"),
    path("projects/<int:number>/", views.detail, name="detail"),
    path("projects/<int:number>.json", views.detail_json, name="detail_json"),
    path("matrix/", views.matrix, name="matrix"),
]
