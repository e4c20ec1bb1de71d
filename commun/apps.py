from django.apps import AppConfig


class CommunConfig(AppConfig):
    """The bottom layer: what every app shares (form mixin, fast rendering, audit trail,
    error responses, constraint checking, colours, static storage). Imports no app."""

    name = "commun"
    verbose_name = "commun"
