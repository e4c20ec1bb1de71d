from django.apps import AppConfig


class StructuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "structures"
    verbose_name = "structures et lieux"
