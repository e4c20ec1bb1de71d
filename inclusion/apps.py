from django.apps import AppConfig


class InclusionConfig(AppConfig):
    name = "inclusion"
    verbose_name = "portail"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
