"""Pages of a shipment's documents, under /cua-khau/ (namespace "border")."""

from __future__ import annotations

from django.urls import URLPattern, path

from langson.border import views_documents as views

urlpatterns: list[URLPattern] = [
    path("lo-hang/", views.shipment_list, name="shipments"),
    path("lo-hang/<str:reference>/", views.shipment_detail, name="shipment"),
    path("lo-hang/<str:reference>/to-khai.json", views.declaration_json, name="declaration-json"),
    path("lo-hang/<str:reference>/to-khai.pdf", views.declaration_pdf, name="declaration-pdf"),
    path("lo-hang/<str:reference>/chung-tu/<int:document_id>/", views.document_review, name="document"),
    path("lo-hang/<str:reference>/chung-tu/<int:document_id>/tep", views.document_file, name="document-file"),
    path(
        "lo-hang/<str:reference>/chung-tu/<int:document_id>/trang/<int:number>.jpg",
        views.document_page,
        name="document-page",
    ),
]
