from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "discretion.web.intake"
