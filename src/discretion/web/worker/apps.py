from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "discretion.web.worker"
    label = "worker"
    verbose_name = "Background worker"
