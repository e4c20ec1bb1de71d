import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from structures import horaires
from structures.enums import Frais, Itinerance, Service
from structures.models import Lieu
from structures.services import recalculer_creneaux
from structures.validators import valider_pivot
from tests.structures.factories import LieuFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "pivot",
    [
        "43493312300029",
        "W723001234",
        "35600000000006",  # a post office: digit sum multiple of 5
        "35600000000048",  # La Poste's head office: Luhn key (its digit sum is 26)
    ],
)
def test_pivot_valide(pivot):
    valider_pivot(pivot)


@pytest.mark.parametrize(
    ("pivot", "extrait"),
    [
        ("43493312300028", "clé de contrôle"),
        ("35600000000049", "clé de contrôle"),  # neither the Luhn key nor a sum of 5
        ("1234", "ni un SIRET"),
        ("X723001234", "ni un SIRET"),
    ],
)
def test_pivot_invalide(pivot, extrait):
    with pytest.raises(ValidationError, match=extrait):
        valider_pivot(pivot)


def test_liste_choix_stockee_avec_separateurs_et_relue_en_liste(geographie):
    lieu = LieuFactory(commune=geographie["le_mans"], services=[Service.LOISIRS, Service.DEMARCHES])
    lieu.refresh_from_db()
    assert lieu.services == [Service.DEMARCHES, Service.LOISIRS]  # the vocabulary's order
    assert lieu.libelles("services") == [
        "Aide aux démarches administratives",
        "Loisirs et créations numériques",
    ]
    assert list(Lieu.objects.publics().avec("services", [Service.LOISIRS])) == [lieu]
    assert not Lieu.objects.publics().avec("services", [Service.SECURITE]).exists()


def test_valeur_inconnue_refusee(geographie):
    lieu = LieuFactory.build(commune=geographie["le_mans"], services=["inconnu"])
    with pytest.raises(ValidationError) as refus:
        lieu.full_clean(exclude=["structure"])
    assert "Valeur inconnue\u00a0: inconnu." in refus.value.messages


def test_horaires_illisibles_refuses():
    with pytest.raises(ValidationError, match="caractère 7"):
        horaires.valider_horaires("Mo-Fr 9h-12h")


def test_semaine_tient_compte_des_jours_feries():
    # 11 November 2026 is a Wednesday and a public holiday
    semaine = dict(horaires.semaine_lisible("Mo-Fr 09:00-12:00; PH off", dt.date(2026, 11, 9)))
    assert semaine["mardi"] == ["9\u00a0h – 12\u00a0h"]
    assert semaine["mercredi"] == []


def test_editeur_par_jour_ecrit_la_syntaxe_osm():
    plages = [horaires.Plage(j, 540, 720) for j in range(5)] + [horaires.Plage(5, 510, 720)]
    assert horaires.depuis_plages(plages) == "Mo-Fr 09:00-12:00; Sa 08:30-12:00"
    relu = horaires.plages_de_la_semaine(horaires.depuis_plages(plages), dt.date(2026, 11, 23))
    assert relu == plages


def test_ouverts_maintenant_et_le_weekend(geographie):
    semaine = LieuFactory(commune=geographie["le_mans"], horaires="Mo-Fr 09:00-17:00")
    samedi = LieuFactory(commune=geographie["le_mans"], horaires="Sa 09:00-12:00")
    recalculer_creneaux(lieux=[semaine, samedi], debut=dt.date(2026, 11, 23))
    lundi_10h = timezone.make_aware(dt.datetime(2026, 11, 23, 10, 0))
    assert list(Lieu.objects.publics().ouverts_le(lundi_10h)) == [semaine]
    assert list(Lieu.objects.publics().ouverts_le_weekend()) == [samedi]
    assert semaine.est_ouvert(lundi_10h) is True
    assert samedi.est_ouvert(lundi_10h) is False


def test_gratuits_itinerants_et_distance(geographie):
    pres = LieuFactory(commune=geographie["le_mans"], latitude=48.0, longitude=0.2)
    loin = LieuFactory(
        commune=geographie["le_mans"],
        latitude=48.3,
        longitude=0.5,
        frais=[Frais.PAYANT],
        itinerance=[Itinerance.ITINERANT],
    )
    assert list(Lieu.objects.publics().gratuits()) == [pres]
    assert list(Lieu.objects.publics().itinerants()) == [loin]
    assert list(Lieu.objects.publics().par_distance(48.31, 0.49)) == [loin, pres]


def test_chaque_typologie_est_dans_une_seule_famille():
    from structures.enums import FAMILLES_TYPOLOGIES, Typologie

    rangees = [t for _famille, typologies in FAMILLES_TYPOLOGIES for t in typologies]
    assert sorted(rangees) == sorted(Typologie)
    assert all(typologies for _famille, typologies in FAMILLES_TYPOLOGIES)
