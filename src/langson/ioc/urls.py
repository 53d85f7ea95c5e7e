from django.urls import path

from langson.ioc import views

app_name = "ioc"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("alerts/feed/", views.alert_feed, name="alert-feed"),
    path("alerts/stream/", views.alert_stream, name="alert-stream"),
    path("alerts/<int:alert_id>/<str:action>/", views.alert_action, name="alert-action"),
    path("datasets/", views.dataset_list, name="datasets"),
    path("datasets/<slug:code>/", views.dataset_detail, name="dataset"),
    path("runs/<int:run_id>/quarantine.csv", views.run_quarantine, name="run-quarantine"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
]
