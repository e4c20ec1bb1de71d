from django.apps import AppConfig


class DonneesConfig(AppConfig):
    name = "donnees"
    verbose_name = "données ouvertes"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import origines
        from .models import OrigineIntegration

        for signal in (post_save, post_delete):
            signal.connect(
                origines.au_changement,
                sender=OrigineIntegration,
                dispatch_uid="origines-integration",
            )
