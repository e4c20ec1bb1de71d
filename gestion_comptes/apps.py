from django.apps import AppConfig


class GestionComptesConfig(AppConfig):
    name = "gestion_comptes"
    verbose_name = "comptes et invitations (back-office)"

    def ready(self):
        from comptes.a_faire import enregistrer

        from . import a_faire

        enregistrer(a_faire.taches)
