import pytest

from territoires.models import Commune
from territoires.text import normaliser

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("Yvré-l'Évêque", "yvre l eveque"),
        ("  YVRE  L EVEQUE ", "yvre l eveque"),
        ("St-Calais", "saint calais"),
        ("Sainte-Anastasie", "sainte anastasie"),
        ("Œuilly", "oeuilly"),
        ("", ""),
    ],
)
def test_normaliser(texte, attendu):
    assert normaliser(texte) == attendu


def test_recherche_sans_accents_ni_casse(geographie):
    assert list(Commune.objects.recherche("yvre l eveque")) == [geographie["yvre"]]
    assert list(Commune.objects.recherche("YVRÉ")) == [geographie["yvre"]]
    assert list(Commune.objects.recherche("eveque yvre")) == [geographie["yvre"]]


def test_recherche_classe_le_nom_exact_d_abord(geographie):
    resultats = list(Commune.objects.recherche("le mans"))
    assert resultats[0] == geographie["le_mans"]


def test_recherche_par_code_postal(geographie):
    assert list(Commune.objects.recherche("72100")) == [geographie["le_mans"]]
    assert list(Commune.objects.recherche("72530")) == [geographie["yvre"]]
    assert set(Commune.objects.recherche("72")) == {geographie["le_mans"], geographie["yvre"]}
    assert list(Commune.objects.recherche("49100")) == [geographie["angers_commune"]]


def test_recherche_vide(geographie):
    assert not Commune.objects.recherche("  ").exists()
    assert not Commune.objects.recherche("-'").exists()


def test_communes_d_un_epci_et_d_un_departement(geographie):
    assert set(Commune.objects.de_l_epci(geographie["metropole"])) == {
        geographie["le_mans"],
        geographie["yvre"],
    }
    assert set(Commune.objects.du_departement("49")) == {geographie["angers_commune"]}


def test_recherche_sur_le_referentiel_complet():
    from django.core.management import call_command

    call_command("import_territoires", verbosity=0)
    assert Commune.objects.recherche("yvre l eveque").first().code_insee == "72386"
    allonnes = list(Commune.objects.recherche("allonnes").values_list("code_insee", flat=True))
    assert {"72003", "49002"} <= set(allonnes)
    assert Commune.objects.recherche("st calais").first().nom == "Saint-Calais"
    assert Commune.objects.recherche("13001").first().code_insee == "13055"  # Marseille
