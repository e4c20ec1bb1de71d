from django.conf import settings

from commun.couleurs import couleur_de_texte


def etat_accessibilite(taux: float | None = None) -> str:
    """RGAA 4.1: "totalement" at 100 %, "partiellement" from 50 %, else "non conforme" (and
    without an audit)."""
    if taux is None or taux < 50:
        return "non conforme"
    return "totalement conforme" if taux >= 100 else "partiellement conforme"


def portail(request):
    return {
        "portail": {
            "nom": settings.PORTAIL_NOM,
            "territoire": settings.PORTAIL_TERRITOIRE,
            "logo": settings.PORTAIL_LOGO,
            "couleur": settings.PORTAIL_COULEUR,
            "couleur_texte": couleur_de_texte(settings.PORTAIL_COULEUR),
            "contact": settings.PORTAIL_CONTACT,
            "accessibilite": etat_accessibilite(settings.PORTAIL_ACCESSIBILITE_TAUX),
        }
    }
