from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "discretion.web.cases"
    label = "cases"

    def ready(self) -> None:
        from discretion.web.lib import text_input

        text_input.install()  # every form's text through the core's input hygiene
