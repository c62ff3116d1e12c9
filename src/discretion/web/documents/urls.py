from __future__ import annotations

from django.urls import path

from discretion.web.documents import views

app_name = "documents"
urlpatterns = [
    path("<uuid:code>/evidence/", views.evidence, name="evidence"),
    path("<uuid:code>/evidence/exhibits/", views.exhibits_update, name="exhibits"),
    path("<uuid:code>/evidence/converting/", views.conversion_dismiss, name="conversion_dismiss"),
    path("<uuid:code>/documents/", views.documents, name="list"),
    path("<uuid:code>/documents/letter/", views.generate_letter, name="letter"),
    path("<uuid:code>/documents/letter/edit/", views.letter_editor, name="editor"),
    path("<uuid:code>/documents/packet/", views.build_packet, name="packet"),
    path("documents/<uuid:code>/remove/", views.remove_document, name="remove"),
]
