from django.apps import AppConfig


class ConseillersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conseillers"
    verbose_name = "conseillers numériques et activités"

    def ready(self):
        from comptes.a_faire import enregistrer

        from . import a_faire

        enregistrer(a_faire.taches)
