from django.apps import AppConfig


class AteliersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ateliers"
    verbose_name = "ateliers"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from comptes.a_faire import enregistrer

        from . import a_faire

        enregistrer(a_faire.taches)

        from . import programme
        from .models import DemandeAtelier, SessionAtelier, VersionFiche

        # the quarterly programme's cache follows its sessions, their requests' status
        # and the sheets' versions they print; its sites follow the public sites' own
        for modele in (SessionAtelier, DemandeAtelier, VersionFiche):
            for signal in (post_save, post_delete):
                signal.connect(
                    programme.au_changement,
                    sender=modele,
                    dispatch_uid=f"programme-{modele.__name__}-{id(signal)}",
                )
