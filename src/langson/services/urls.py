from django.urls import path

from langson.services import views_letters, views_office, views_payments, views_public

app_name = "services"

urlpatterns = [
    # Public (dịch vụ công): catalog and lookup without login; submission and one's own hồ sơ with login.
    path("dvc/", views_public.catalog, name="catalog"),
    path("dvc/thu-tuc/<str:code>/", views_public.procedure_detail, name="procedure"),
    path("dvc/thu-tuc/<str:code>/nop/", views_public.submit_online, name="submit"),
    path("dvc/tra-cuu/", views_public.lookup, name="lookup"),
    path("dvc/ho-so/", views_public.my_dossiers, name="my-dossiers"),
    path("dvc/ho-so/<str:code>/", views_public.my_dossier, name="my-dossier"),
    path("dvc/ho-so/<str:code>/phieu-tiep-nhan.pdf", views_public.receipt, name="receipt"),
    path("dvc/ho-so/<str:code>/phieu-xin-loi.pdf", views_letters.apology_letter, name="apology-letter"),
    path("dvc/ho-so/<str:code>/tep/<int:document_id>/", views_office.document_file, name="document"),
    path("dvc/ho-so/<str:code>/thanh-toan/", views_payments.pay, name="pay"),
    path("dvc/ho-so/<str:code>/thanh-toan/ket-qua/", views_payments.payment_return, name="payment-return"),
    # The payment gateway's server-to-server confirmation (signed; no login, no CSRF token).
    path("dvc/thanh-toan/ipn/", views_payments.payment_ipn, name="payment-ipn"),
    # One-stop counters and processing units.
    path("mot-cua/", views_office.inbox, name="inbox"),
    path("mot-cua/tiep-nhan/", views_office.counter_submit, name="counter"),
    path("mot-cua/ho-so/<str:code>/", views_office.dossier_detail, name="office-dossier"),
    path("mot-cua/ho-so/<str:code>/phieu-kiem-soat.pdf", views_office.control_sheet, name="control-sheet"),
]
