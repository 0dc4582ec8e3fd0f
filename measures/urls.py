from django.urls import path

from measures import views

app_name = "measures"
urlpatterns = [
    path("measures/", views.index, name="index"),
    path("measures/<str:code>/", views.detail, name="detail"),
    path("sdgs/", views.sdgs, name="sdgs"),
]
