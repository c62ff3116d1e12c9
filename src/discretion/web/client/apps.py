from django.apps import AppConfig


class ClientConfig(AppConfig):
    name = "discretion.web.client"
