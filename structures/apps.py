from django.apps import AppConfig


class StructuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "structures"
    verbose_name = "structures et lieux"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from comptes.a_faire import enregistrer

        from . import a_faire

        enregistrer(a_faire.taches)

        from . import cache_public
        from .models import Arret, Lieu, Structure

        # the public pages' cache follows every change; bulk writes (imports, slots)
        # call cache_public.invalider themselves
        for modele in (Lieu, Arret, Structure):
            for signal in (post_save, post_delete):
                signal.connect(
                    cache_public.au_changement,
                    sender=modele,
                    dispatch_uid=f"cache-public-{modele.__name__}-{id(signal)}",
                )
