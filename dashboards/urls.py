"""The dashboards' URLs, in the three namespaces the pages have always had (``projects:``,
``measures:``, ``indicators:``); ``isesaki/urls.py`` includes them."""

from django.urls import URLPattern, path

from dashboards import views

project_urls: list[URLPattern] = [
    path("", views.overview, name="index"),
    path("projects/<int:number>/", views.project, name="detail"),
    path("projects/<int:number>.json", views.project_json, name="detail_json"),
    path("matrix/", views.matrix, name="matrix"),
]
measure_urls: list[URLPattern] = [
    path("measures/", views.measures, name="index"),
    path("measures/<str:code>/", views.measure, name="detail"),
    path("sdgs/", views.sdgs, name="sdgs"),
]
indicator_urls: list[URLPattern] = [
    path("indicators/<str:code>.json", views.indicator_json, name="detail_json"),
    path("indicators/<str:code>/", views.indicator, name="detail"),
]
