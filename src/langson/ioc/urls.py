from django.urls import path

from langson.ioc import views, views_reports, views_sectors

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
    path("indicators/<slug:code>/export.csv", views_sectors.indicator_export_csv, name="indicator-csv"),
    path("indicators/<slug:code>/export.xlsx", views_sectors.indicator_export_xlsx, name="indicator-xlsx"),
    path("sectors/<slug:sector>/", views_sectors.sector_detail, name="sector"),
    path("reports/", views_reports.report_list, name="reports"),
    path("reports/generate/", views_reports.report_generate, name="report-generate"),
    path("reports/<int:report_id>.<str:fmt>", views_reports.report_download, name="report-download"),
]
