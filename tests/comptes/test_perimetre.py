import pytest

from comptes.models import User
from territoires.models import Commune, Zone
from territoires.perimetres import Perimetre, PerimetreNonApplique
from tests.comptes.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_requete_non_filtree_refusee(geographie):
    requete = Zone.objects.filter(nom__startswith="B")
    for evaluer in (list, len, bool):
        with pytest.raises(PerimetreNonApplique, match=r"\.pour\(user\)"):
            evaluer(requete)
    with pytest.raises(PerimetreNonApplique):
        requete.count()
    with pytest.raises(PerimetreNonApplique):
        requete.exists()
    with pytest.raises(PerimetreNonApplique):
        Zone.objects.get(nom="Bellevue")
    with pytest.raises(PerimetreNonApplique):
        Zone.objects.update(nom="x")
    with pytest.raises(PerimetreNonApplique):
        Zone.objects.all().delete()
    with pytest.raises(PerimetreNonApplique):
        list(Zone.objects.values_list("nom", flat=True))
    with pytest.raises(PerimetreNonApplique):
        Zone.objects.first()


def test_pour_garde_le_perimetre_a_travers_les_chainages(geographie, comptes):
    coordinateur = comptes["coordinateur"]
    noms = set(
        Zone.objects.pour(coordinateur).filter(type="quartier").values_list("nom", flat=True)
    )
    assert noms == {"Bellevue", "Les Sablons"}
    autre = comptes["coordinateur_autre_territoire"]
    assert set(Zone.objects.pour(autre).values_list("nom", flat=True)) == {"La Roseraie"}
    assert Zone.objects.pour(comptes["staff"]).count() == 3
    assert not Zone.objects.pour(None).exists()


def test_objet_d_un_autre_territoire_introuvable_par_id(geographie, comptes):
    roseraie = geographie["zones"][2]
    with pytest.raises(Zone.DoesNotExist):
        Zone.objects.pour(comptes["coordinateur"]).get(pk=roseraie.pk)


def test_perimetre_commune_epci_departement(geographie):
    le_mans, yvre, angers = geographie["le_mans"], geographie["yvre"], geographie["angers_commune"]
    assert set(Commune.objects.dans(Perimetre(communes=frozenset({"72181"})))) == {le_mans}
    assert set(Commune.objects.dans(Perimetre(epcis=frozenset({"247200132"})))) == {le_mans, yvre}
    assert set(Commune.objects.dans(Perimetre(departements=frozenset({"49"})))) == {angers}
    assert set(Commune.objects.dans(Perimetre(national=True))) == {le_mans, yvre, angers}
    assert not Commune.objects.dans(Perimetre.vide()).exists()


def test_tous_et_gestionnaires_lies_sont_explicites(geographie):
    assert Zone.objects.tous().count() == 3
    assert geographie["le_mans"].zones.count() == 2  # related manager: scoped by its parent


def test_utilisateur_inactif_ou_sans_territoire_ne_voit_rien(geographie):
    inactif = UserFactory(is_active=False, territoires=[geographie["metropole"]])
    sans_territoire = UserFactory()
    assert not Zone.objects.pour(inactif).exists()
    assert not Zone.objects.pour(sans_territoire).exists()


def test_comptes_visibles_par_territoire(geographie, comptes):
    visibles = set(User.objects.pour(comptes["coordinateur"]))
    assert comptes["conseiller"] in visibles
    assert comptes["referent"] in visibles  # attached to Le Mans, inside the métropole
    assert comptes["coordinateur_autre_territoire"] not in visibles
    assert comptes["staff"] not in visibles
    departement = UserFactory(territoires=[geographie["sarthe"]])
    assert departement in set(User.objects.pour(comptes["coordinateur"]))
    assert comptes["coordinateur"] in set(User.objects.pour(departement))
    assert set(User.objects.pour(comptes["referent"])) >= {comptes["coordinateur"]}
    assert set(User.objects.pour(comptes["staff"])) == set(User.objects.all())
