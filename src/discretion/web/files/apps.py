from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "discretion.web.files"
    label = "files"
