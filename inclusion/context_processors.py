from django.conf import settings

from commun.couleurs import couleur_de_texte


def portail(request):
    return {
        "portail": {
            "nom": settings.PORTAIL_NOM,
            "territoire": settings.PORTAIL_TERRITOIRE,
            "logo": settings.PORTAIL_LOGO,
            "couleur": settings.PORTAIL_COULEUR,
            "couleur_texte": couleur_de_texte(settings.PORTAIL_COULEUR),
            "contact": settings.PORTAIL_CONTACT,
        }
    }
