from django.apps import AppConfig


class GestionComptesConfig(AppConfig):
    name = "gestion_comptes"
    verbose_name = "comptes et invitations (back-office)"
