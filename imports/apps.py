from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "imports de fichiers (back-office)"

    def ready(self):
        from comptes.a_faire import enregistrer

        from . import a_faire

        enregistrer(a_faire.taches)
