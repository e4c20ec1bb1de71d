from django.apps import AppConfig


class DonneesConfig(AppConfig):
    name = "donnees"
    verbose_name = "données ouvertes"
