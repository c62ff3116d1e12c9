from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "discretion.web.documents"
    label = "documents"
    verbose_name = "Letters and packets"
