from django.urls import path

from indicators import views

app_name = "indicators"
urlpatterns = [
    path("indicators/<str:code>.json", views.detail_json, name="detail_json"),
    path("indicators/<str:code>/", views.detail, name="detail"),
]
