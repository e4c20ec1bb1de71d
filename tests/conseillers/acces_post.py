"""Rows of the POST matrix (tests/test_acces_post.py) for the advisors' pages.

The advisor's own space (reports, profile, followed beneficiaries): the ``conseiller``
account only, on its own rows; another advisor's report or beneficiary is a 404; every
other role, staff included (no advisor profile), gets 403. The back-office (advisors and
assignments): the territory's coordinators and staff; another territory's coordinator
cannot create one in Le Mans (the form refuses it) and does not find Le Mans' (404).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from conseillers.enums import Canal, Genre, Materiel, Thematique, TypeActivite
from conseillers.models import Activite, Beneficiaire, Conseiller, MiseADisposition
from conseillers.services import profil_conseiller
from tests.conseillers.factories import (
    ActiviteFactory,
    BeneficiaireFactory,
    ConseillerFactory,
    MiseADispositionFactory,
)
from tests.matrice_post import OK, Cas, Envoi, attendus
from tests.structures.factories import LieuFactory, StructureFactory

NOTE = "écrit par la matrice des POST"

# the advisor's own space
CONSEILLER_SEUL = attendus(conseiller=OK)
# someone else's row: not found by the advisor, refused to the others
D_UN_AUTRE = attendus(conseiller=404)
# the back-office, on a Le Mans object
GESTION_OBJET = attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=404)
# the back-office, creating in Le Mans
GESTION_CREATION = attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=200)


def _conseiller(e: Envoi):
    """The ``conseiller`` account's profile, working at a Le Mans site."""
    from comptes.models import User

    conseiller = profil_conseiller(user=User.objects.get(role="conseiller"))
    conseiller.lieux.add(LieuFactory(commune=e.geo["le_mans"]))
    return conseiller


def _un_autre(e: Envoi):
    return ConseillerFactory(commune=e.geo["le_mans"])


def _activite_valide(conseiller) -> dict:
    return {
        "date": timezone.localdate().isoformat(),
        "type": TypeActivite.INDIVIDUEL,
        "duree": "30",
        "canal": Canal.LIEU_ACTIVITE,
        "lieu": str(conseiller.lieux.get().pk),
        "nb_participants": "1",
        "nb_participants_recurrents": "0",
        "thematiques": [Thematique.EMAIL],
        "materiel": [Materiel.ORDINATEUR],
        "notes": NOTE,
    }


def _notees(conseiller) -> int:
    return Activite.objects.tous().filter(conseiller=conseiller, notes=NOTE).count()


# -- reports ----------------------------------------------------------------------------


def _nouvelle_activite(e: Envoi) -> Cas:
    conseiller = _conseiller(e)
    return Cas(
        reverse("conseillers:nouvelle_activite"),
        _activite_valide(conseiller),
        lambda: _notees(conseiller) == 1,
    )


def _sur_une_activite(nom: str, *, d_un_autre: bool = False, supprimee: bool = False):
    """A POST on a report of the advisor (or of another one); the effect: ``nom``'s."""

    def construire(e: Envoi) -> Cas:
        conseiller = _conseiller(e)
        auteur = _un_autre(e) if d_un_autre else conseiller
        activite = ActiviteFactory(
            conseiller=auteur,
            date=timezone.localdate() - dt.timedelta(days=1),
            supprime_le=timezone.now() if supprimee else None,
        )
        donnees = _activite_valide(conseiller) if nom in ("modifier", "dupliquer") else {}

        def fait() -> bool:
            activite.refresh_from_db()
            return {
                "modifier": activite.notes == NOTE,
                "dupliquer": _notees(conseiller) == 1 and activite.notes != NOTE,
                "supprimer": activite.supprime_le is not None,
                "restaurer": activite.supprime_le is None,
            }[nom]

        return Cas(reverse(f"conseillers:{nom}_activite", args=[activite.pk]), donnees, fait)

    return construire


# -- profile ----------------------------------------------------------------------------


def _profil(e: Envoi) -> Cas:
    conseiller = _conseiller(e)
    return Cas(
        reverse("conseillers:profil"),
        {
            "lieux": [str(conseiller.lieux.get().pk)],
            "competences": [Thematique.EMAIL],
            "thematiques_favorites": [],
            "autres_competences": NOTE,
        },
        lambda: Conseiller.objects.tous().get(pk=conseiller.pk).autres_competences == NOTE,
    )


# -- followed beneficiaries -------------------------------------------------------------


def _beneficiaire_valide(e: Envoi) -> dict:
    return {
        "prenom": "Amélie",
        "annee_naissance": "1961",
        "commune": e.geo["yvre"].pk,
        "genre": Genre.FEMME,
        "consentement": "on",
    }


def _nouveau_beneficiaire(e: Envoi) -> Cas:
    conseiller = _conseiller(e)
    return Cas(
        reverse("conseillers:nouveau_beneficiaire"),
        _beneficiaire_valide(e),
        lambda: Beneficiaire.objects.tous().filter(conseiller=conseiller, prenom="Amélie").exists(),
    )


def _sur_un_beneficiaire(nom: str, *, d_un_autre: bool = False):
    def construire(e: Envoi) -> Cas:
        conseiller = _conseiller(e)
        suivi = _un_autre(e) if d_un_autre else conseiller
        personne = BeneficiaireFactory(conseiller=suivi, commune=e.geo["le_mans"])
        existe = Beneficiaire.objects.tous().filter(pk=personne.pk)
        if nom == "modifier":
            return Cas(
                reverse("conseillers:modifier_beneficiaire", args=[personne.pk]),
                _beneficiaire_valide(e),
                lambda: existe.get().prenom == "Amélie",
            )
        return Cas(
            reverse("conseillers:supprimer_beneficiaire", args=[personne.pk]),
            fait=lambda: not existe.exists(),
        )

    return construire


def _fusionner(*, d_un_autre: bool = False):
    """Two records of the same person; the second one is another advisor's, or not."""

    def construire(e: Envoi) -> Cas:
        conseiller = _conseiller(e)
        conserve = BeneficiaireFactory(conseiller=conseiller, prenom="Amélie")
        doublon = BeneficiaireFactory(
            conseiller=_un_autre(e) if d_un_autre else conseiller, prenom="Amelie"
        )
        return Cas(
            reverse("conseillers:fusionner_beneficiaires"),
            {"conserve": conserve.pk, "doublon": doublon.pk},
            lambda: not Beneficiaire.objects.tous().filter(pk=doublon.pk).exists(),
        )

    return construire


# -- back-office ------------------------------------------------------------------------


def _fiche_conseiller(email: str) -> dict:
    return {
        "email": email,
        "prenom": "Nadia",
        "nom": "Benali",
        "commune": "72181",
        "competences": ["securite_numerique"],
        "thematiques_favorites": ["email"],
        "date_debut_contrat": "2025-09-01",
        "date_fin_contrat": "2027-08-31",
        "programme": "collectivite",
        "ligne_financement": NOTE,
    }


def _creer_conseiller(e: Envoi) -> Cas:
    return Cas(
        reverse("conseillers:creer_conseiller"),
        _fiche_conseiller("nadia.benali@exemple.test"),
        lambda: Conseiller.objects.tous().filter(email="nadia.benali@exemple.test").exists(),
    )


def _modifier_conseiller(e: Envoi) -> Cas:
    fiche = ConseillerFactory(commune=e.geo["le_mans"], email="acces@exemple.test")
    return Cas(
        reverse("conseillers:modifier_conseiller", args=[fiche.pk]),
        _fiche_conseiller(fiche.email),
        lambda: Conseiller.objects.tous().get(pk=fiche.pk).ligne_financement == NOTE,
    )


def _equipe(e: Envoi) -> dict:
    structure = StructureFactory(commune=e.geo["le_mans"])
    return {
        "structure": structure,
        "lieu": LieuFactory(structure=structure, commune=e.geo["le_mans"]),
        "conseiller": ConseillerFactory(commune=e.geo["le_mans"]),
    }


def _mise(equipe: dict) -> dict:
    return {
        "structure": equipe["structure"].pk,
        "lieu": equipe["lieu"].pk,
        "conseillers": [equipe["conseiller"].pk],
        "convention": "Convention 2026-014",
        "convention_signee_le": "2025-12-15",
        "date_debut": "2026-01-05",
        "date_fin": "2026-06-30",
        "jours": ["ma", "je"],
        "heure_debut": "14:00",
        "heure_fin": "17:30",
        "type_intervention": "permanence",
        "commentaire": NOTE,
    }


def _creer_mise(e: Envoi) -> Cas:
    return Cas(
        reverse("conseillers:creer_mise_a_disposition"),
        _mise(_equipe(e)),
        lambda: MiseADisposition.objects.tous().filter(commentaire=NOTE).exists(),
    )


def _modifier_mise(e: Envoi) -> Cas:
    equipe = _equipe(e)
    mise = MiseADispositionFactory(
        structure=equipe["structure"], lieu=equipe["lieu"], conseillers=[equipe["conseiller"]]
    )
    return Cas(
        reverse("conseillers:modifier_mise_a_disposition", args=[mise.pk]),
        _mise(equipe),
        lambda: MiseADisposition.objects.tous().get(pk=mise.pk).commentaire == NOTE,
    )


AUTRE = "d'un autre conseiller"

LIGNES: dict = {
    ("conseillers:nouvelle_activite", ""): (_nouvelle_activite, CONSEILLER_SEUL),
    **{
        (f"conseillers:{nom}_activite", ""): (
            _sur_une_activite(nom, supprimee=nom == "restaurer"),
            CONSEILLER_SEUL,
        )
        for nom in ("modifier", "dupliquer", "supprimer", "restaurer")
    },
    **{
        (f"conseillers:{nom}_activite", AUTRE): (
            _sur_une_activite(nom, d_un_autre=True, supprimee=nom == "restaurer"),
            D_UN_AUTRE,
        )
        for nom in ("modifier", "dupliquer", "supprimer", "restaurer")
    },
    ("conseillers:profil", ""): (_profil, CONSEILLER_SEUL),
    ("conseillers:nouveau_beneficiaire", ""): (_nouveau_beneficiaire, CONSEILLER_SEUL),
    **{
        (f"conseillers:{nom}_beneficiaire", ""): (_sur_un_beneficiaire(nom), CONSEILLER_SEUL)
        for nom in ("modifier", "supprimer")
    },
    **{
        (f"conseillers:{nom}_beneficiaire", AUTRE): (
            _sur_un_beneficiaire(nom, d_un_autre=True),
            D_UN_AUTRE,
        )
        for nom in ("modifier", "supprimer")
    },
    ("conseillers:fusionner_beneficiaires", ""): (_fusionner(), CONSEILLER_SEUL),
    ("conseillers:fusionner_beneficiaires", AUTRE): (_fusionner(d_un_autre=True), D_UN_AUTRE),
    ("conseillers:creer_conseiller", ""): (_creer_conseiller, GESTION_CREATION),
    ("conseillers:modifier_conseiller", ""): (_modifier_conseiller, GESTION_OBJET),
    ("conseillers:creer_mise_a_disposition", ""): (_creer_mise, GESTION_CREATION),
    ("conseillers:modifier_mise_a_disposition", ""): (_modifier_mise, GESTION_OBJET),
}
