from django.apps import AppConfig


class AteliersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ateliers"
    verbose_name = "ateliers"
