from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "discretion.web.tracking"
    label = "tracking"
