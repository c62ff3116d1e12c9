from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "discretion.web.audit"
    label = "audit"
