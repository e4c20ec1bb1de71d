from django.apps import AppConfig


class ReseauConfig(AppConfig):
    name = "reseau"
    verbose_name = "réseau : contacts, groupes et envois"
