import re

from django.conf import settings
from django.core.checks import Error, Warning, register

from commun.couleurs import RE_COULEUR, contraste, couleur_de_texte


@register(deploy=True)
def verifier_mentions_legales(app_configs, **kwargs):
    """Online, the legal notice must name the host and the director of publication."""
    manquants = [
        nom
        for nom in ("PORTAIL_HEBERGEUR", "PORTAIL_DIRECTION_PUBLICATION")
        if not getattr(settings, nom)
    ]
    if manquants:
        return [
            Warning(
                "Mentions légales incomplètes : renseignez " + ", ".join(manquants) + ".",
                id="inclusion.W002",
            )
        ]
    return []


@register()
def verifier_portail(app_configs, **kwargs):
    erreurs = []
    if not RE_COULEUR.match(settings.PORTAIL_COULEUR):
        erreurs.append(
            Error(
                f"PORTAIL_COULEUR « {settings.PORTAIL_COULEUR} » doit être une couleur #rrggbb.",
                id="inclusion.E001",
            )
        )
    elif contraste(settings.PORTAIL_COULEUR, couleur_de_texte(settings.PORTAIL_COULEUR)) < 4.5:
        erreurs.append(
            Warning(
                f"PORTAIL_COULEUR « {settings.PORTAIL_COULEUR} » n'offre pas un contraste de "
                "4,5:1 avec le texte : choisissez une couleur plus foncée ou plus claire.",
                id="inclusion.W001",
            )
        )
    if settings.API_JETON_DUREE_JOURS < 1:
        erreurs.append(
            Error(
                f"API_JETON_DUREE_JOURS vaut {settings.API_JETON_DUREE_JOURS}\u00a0: un jeton "
                "d'API doit être valable au moins un jour.",
                id="inclusion.E002",
            )
        )
    if not 1 <= settings.COMPTES_INVITATION_DUREE_JOURS <= 30:
        erreurs.append(
            Error(
                "COMPTES_INVITATION_DUREE_JOURS vaut "
                f"{settings.COMPTES_INVITATION_DUREE_JOURS}\u00a0: le lien d'une invitation "
                "doit être valable de 1 à 30 jours.",
                id="inclusion.E004",
            )
        )
    return erreurs


RE_LIMITE = re.compile(r"^\d+/[smhd]$")
LIMITES = [
    "LIMITE_SIGNALEMENTS_PAR_ADRESSE",
    "LIMITE_SIGNALEMENTS_PAR_LIEU",
    "LIMITE_PDF_PAR_ADRESSE",
    "LIMITE_REINITIALISATION_PAR_ADRESSE",
    "LIMITE_REINITIALISATION_PAR_COURRIEL",
    "LIMITE_SUGGESTIONS_PAR_ADRESSE",
    "LIMITE_API_LIEUX",
    "LIMITE_API_JETON",
]


@register()
def verifier_limites(app_configs, **kwargs):
    """Each rate reads ``count/unit``; the counts are shared by the processes."""
    erreurs = [
        Error(
            f"{nom} « {getattr(settings, nom)} » doit s'écrire nombre/unité, l'unité étant "
            "s, m, h ou d : par exemple 5/h.",
            id="inclusion.E003",
        )
        for nom in LIMITES
        if not RE_LIMITE.match(str(getattr(settings, nom)))
    ]
    cache = settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
    if not settings.DEBUG and cache.endswith("LocMemCache"):
        erreurs.append(
            Warning(
                "Sans REDIS_URL, les limites de fréquence sont comptées dans la mémoire de "
                "chaque processus : plusieurs processus de gunicorn les multiplient. "
                "Définissez REDIS_URL en production.",
                id="inclusion.W003",
            )
        )
    return erreurs
