from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "discretion.web.cases"
    label = "cases"
