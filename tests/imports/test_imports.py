"""Back-office imports: the preview counts what the import then does (on slices of the
field's real files), all or nothing by default, the valid rows kept on request, the rows
outside the coordinator's territory refused, the history and the coordination's count."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from comptes.enums import Role
from conseillers.models import Activite, Conseiller
from imports import services
from imports.enums import EtatImport, TypeImport
from imports.models import Import
from indicateurs.indice.models import Contour, ResultatIndice, ValeurIndicateur
from structures.models import Lieu
from territoires.models import Departement
from tests.comptes.factories import UserFactory
from tests.conftest import SHARED_DATA
from tests.conseillers.factories import ConseillerFactory
from tests.conseillers.test_import import HIER, ligne
from tests.imports.factories import INDICATEURS_LE_MANS, ImportFactory

REELS = SHARED_DATA / "realdata"


@pytest.fixture
def france(db):
    call_command("import_territoires", verbosity=0)


def coordinateur_de(code_departement: str):
    return UserFactory(
        role=Role.COORDINATEUR, territoires=[Departement.objects.get(pk=code_departement)]
    )


def deposer(user, type, nom, contenu: bytes, **options) -> Import:
    return services.deposer(
        par=user,
        type=type,
        fichier=SimpleUploadedFile(nom, contenu),
        options=options,
    )


def importer(import_: Import, *, partiel: bool, capture) -> Import:
    """Confirm, then run the queued task (eager in this process) once the transaction
    commits, as the page does."""
    with capture(execute=True):
        assert services.confirmer(import_=import_, partiel=partiel)
    return Import.objects.tous().get(pk=import_.pk)


def comptes_de(apercu: dict) -> tuple[int, int, int, int]:
    return apercu["crees"], apercu["modifies"], apercu["inchanges"], apercu["refusees"]


def tranche_france_services(debut: int, fin: int) -> bytes:
    lignes = (REELS / "france-services-liste-20221201.csv").read_bytes().splitlines(True)
    return b"".join([lignes[0], *lignes[debut:fin]])


# -- sites -----------------------------------------------------------------------------


def test_apercu_egal_a_l_import_partiel_d_un_fichier_reel(
    france, django_capture_on_commit_callbacks
):
    """The national map's Charente file, by Charente's coordinator: the preview's counts are
    the import's; the refused rows are downloadable with their reasons."""
    contenu = (REELS / "carto-charente-20230711.json").read_bytes()
    import_ = deposer(coordinateur_de("16"), TypeImport.LIEUX, "carto-charente.json", contenu)
    apercu = import_.apercu
    assert not apercu["refuse"]
    assert Lieu.objects.tous().count() == 0  # the preview wrote nothing
    assert comptes_de(apercu)[0] > 150 and apercu["refusees"] >= 2
    assert apercu["erreurs"][0].startswith("ligne ")

    assert import_.progression == {}  # the preview is not followed
    fait = importer(import_, partiel=True, capture=django_capture_on_commit_callbacks)
    assert fait.etat == EtatImport.TERMINE and fait.partiel
    # the progress the page polled: every row checked, then the writing
    total = fait.crees + fait.refusees
    assert fait.progression == {"etape": "ecriture", "fait": total, "total": total}
    assert (fait.crees, fait.modifies, fait.inchanges, fait.refusees) == comptes_de(apercu)
    assert Lieu.objects.tous().count() == fait.crees
    texte = fait.rejets.open("rb").read().decode("utf-8-sig")
    fait.rejets.close()
    rangees = list(csv.DictReader(io.StringIO(texte), delimiter=";"))
    assert len(rangees) == fait.refusees
    assert all(r["motifs_du_refus"].startswith("ligne ") for r in rangees)
    # imported again: every site unchanged, as its preview says
    encore = deposer(coordinateur_de("16"), TypeImport.LIEUX, "carto-charente.json", contenu)
    assert comptes_de(encore.apercu) == (0, 0, fait.crees, fait.refusees)


def test_tout_ou_rien_par_defaut(france, django_capture_on_commit_callbacks):
    contenu = (REELS / "carto-charente-20230711.json").read_bytes()
    import_ = deposer(coordinateur_de("16"), TypeImport.LIEUX, "carto-charente.json", contenu)
    fait = importer(import_, partiel=False, capture=django_capture_on_commit_callbacks)
    assert fait.etat == EtatImport.ECHEC
    assert fait.message_erreur.startswith("Import refusé\u00a0:")
    assert "aucune donnée n'a été écrite" in fait.message_erreur
    assert (fait.crees, fait.modifies, fait.inchanges) == (0, 0, 0)
    assert not Lieu.objects.tous().exists()


def test_lignes_hors_du_territoire_refusees(france, django_capture_on_commit_callbacks):
    """A Sarthe coordinator cannot write Charente's sites: every row refused, with why."""
    contenu = (REELS / "carto-charente-20230711.json").read_bytes()
    import_ = deposer(coordinateur_de("72"), TypeImport.LIEUX, "carto-charente.json", contenu)
    assert import_.apercu["refuse"]
    assert any("hors de votre territoire" in e for e in import_.apercu["erreurs"])
    assert "ligne 2, colonne code_insee\u00a0: la commune 16" in import_.apercu["erreurs"][0]
    assert not Lieu.objects.tous().exists()


def test_france_services_apercu_et_import(france, django_capture_on_commit_callbacks):
    """A slice of the France Services list (Ain to Allier) by staff: the preview's counts
    are the import's; a row changed in the file is the only one « à modifier » next time."""
    staff = UserFactory(role="", is_staff=True, is_superuser=True)
    contenu = tranche_france_services(1, 120)
    import_ = deposer(staff, TypeImport.LIEUX, "france-services.csv", contenu)
    assert import_.apercu["details"][0] == "Format reconnu\u00a0: France Services."
    assert import_.apercu["ignorees"] == ["insee_dep", "commentaire", "groupe"]
    fait = importer(import_, partiel=True, capture=django_capture_on_commit_callbacks)
    assert (fait.crees, fait.modifies, fait.inchanges, fait.refusees) == comptes_de(import_.apercu)
    assert fait.crees + fait.refusees == 119
    change = contenu.replace(b"France services de Valserh", b"Maison France services de Valserh")
    encore = deposer(staff, TypeImport.LIEUX, "france-services.csv", change)
    assert comptes_de(encore.apercu) == (0, 1, fait.crees - 1, fait.refusees)


# -- activity reports ------------------------------------------------------------------


def _csv(lignes: list[dict]) -> bytes:
    flux = io.StringIO()
    ecrivain = csv.DictWriter(flux, fieldnames=list(lignes[0]))
    ecrivain.writeheader()
    ecrivain.writerows(lignes)
    return flux.getvalue().encode()


def test_activites_dans_le_territoire_seulement(
    comptes, geographie, django_capture_on_commit_callbacks
):
    ConseillerFactory(email="camille@exemple.test", commune=geographie["le_mans"])
    ConseillerFactory(email="dominique@exemple.test", commune=geographie["angers_commune"])
    contenu = _csv(
        [
            ligne(code_insee="72181"),
            ligne(code_insee="72386", canal="domicile"),
            ligne(code_insee="49007"),
            ligne(conseiller_email="dominique@exemple.test", code_insee="72181"),
        ]
    )
    import_ = deposer(
        comptes["coordinateur"], TypeImport.ACTIVITES, "activites.csv", contenu, format="csv"
    )
    assert comptes_de(import_.apercu) == (2, 0, 0, 2)
    erreurs = import_.apercu["erreurs"]
    assert erreurs[0].startswith("ligne 4, colonne code_insee\u00a0: la commune 49007 est hors de")
    assert "« dominique@exemple.test » est d'un autre territoire" in erreurs[1]
    assert not Activite.objects.tous().exists()
    fait = importer(import_, partiel=True, capture=django_capture_on_commit_callbacks)
    assert (fait.etat, fait.crees, fait.refusees) == (EtatImport.TERMINE, 2, 2)
    assert fait.progression == {"etape": "ecriture", "fait": 4, "total": 4}
    assert sorted(Activite.objects.tous().values_list("commune_id", flat=True)) == [
        "72181",
        "72386",
    ]
    assert Activite.objects.tous().first().date == HIER


def test_activites_tout_ou_rien(comptes, geographie, django_capture_on_commit_callbacks):
    ConseillerFactory(email="camille@exemple.test", commune=geographie["le_mans"])
    contenu = _csv([ligne(code_insee="72181"), ligne(code_insee="49007")])
    import_ = deposer(comptes["coordinateur"], TypeImport.ACTIVITES, "a.csv", contenu)
    fait = importer(import_, partiel=False, capture=django_capture_on_commit_callbacks)
    assert fait.etat == EtatImport.ECHEC and not Activite.objects.tous().exists()
    assert Conseiller.objects.tous().count() == 1


# -- indicators, published index, outlines ----------------------------------------------


def test_indicateurs(comptes, geographie, django_capture_on_commit_callbacks):
    import_ = deposer(comptes["coordinateur"], TypeImport.INDICATEURS, "v.csv", INDICATEURS_LE_MANS)
    assert comptes_de(import_.apercu) == (2, 0, 0, 0)
    assert not ValeurIndicateur.objects.tous().exists()
    fait = importer(import_, partiel=False, capture=django_capture_on_commit_callbacks)
    assert (fait.etat, fait.crees) == (EtatImport.TERMINE, 2)
    assert ValeurIndicateur.objects.tous().count() == 2
    # Angers's coordinator: Le Mans is outside its territory, the whole file refused
    autre = deposer(
        comptes["coordinateur_autre_territoire"],
        TypeImport.INDICATEURS,
        "v.csv",
        INDICATEURS_LE_MANS,
    )
    assert autre.apercu["refuse"]
    assert autre.apercu["erreurs"][0] == (
        "ligne 2, colonne code\u00a0: l'unité 72181 est hors de votre territoire "
        "(ou d'une commune inconnue)"
    )


def test_indice_publie_de_la_sarthe(france, django_capture_on_commit_callbacks):
    """A slice of La Mednum's Pays de la Loire file by the Sarthe's coordinator: the Sarthe's
    rows are kept (partiel), the others refused for the territory."""
    lignes = (REELS / "mednum-ifn-2020-region52.csv").read_bytes().splitlines(True)
    sarthe = [x for x in lignes[1:] if b";72;" in x][:30]
    vendee = [x for x in lignes[1:] if b";85;" in x][:5]
    contenu = b"".join([lignes[0], *sarthe, *vendee])
    import_ = deposer(
        coordinateur_de("72"),
        TypeImport.INDICE_PUBLIE,
        "ifn.csv",
        contenu,
        millesime=2020,
        reference="departement",
    )
    apercu = import_.apercu
    assert apercu["refusees"] == 5
    assert all("hors de votre territoire" in e for e in apercu["erreurs"])
    assert not ResultatIndice.objects.tous().exists()
    fait = importer(import_, partiel=True, capture=django_capture_on_commit_callbacks)
    assert (fait.etat, fait.crees, fait.refusees) == (EtatImport.TERMINE, apercu["crees"], 5)
    assert ResultatIndice.objects.tous().exists()


def _carre(code: str) -> bytes:
    anneau = [[0.19, 48.0], [0.21, 48.0], [0.21, 48.02], [0.19, 48.02], [0.19, 48.0]]
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code_insee": code},
                    "geometry": {"type": "Polygon", "coordinates": [anneau]},
                }
            ],
        }
    ).encode()


def test_contours_apercu_annule(comptes, geographie, django_capture_on_commit_callbacks):
    """The outlines have no dry run: the preview writes them in a transaction rolled back."""
    import_ = deposer(
        comptes["coordinateur"], TypeImport.CONTOURS, "c.geojson", _carre("72181"), niveau="commune"
    )
    assert comptes_de(import_.apercu) == (1, 0, 0, 0)
    assert not Contour.objects.tous().exists()
    fait = importer(import_, partiel=False, capture=django_capture_on_commit_callbacks)
    assert (fait.etat, fait.crees) == (EtatImport.TERMINE, 1)
    assert Contour.objects.tous().get().commune_id == "72181"
    encore = deposer(
        comptes["coordinateur"], TypeImport.CONTOURS, "c.geojson", _carre("72181"), niveau="commune"
    )
    assert comptes_de(encore.apercu) == (0, 1, 0, 0)
    autre = deposer(
        comptes["coordinateur_autre_territoire"],
        TypeImport.CONTOURS,
        "c.geojson",
        _carre("72181"),
        niveau="commune",
    )
    assert autre.apercu["refuse"]
    assert "hors de votre territoire" in autre.apercu["erreurs"][0]


# -- pages -----------------------------------------------------------------------------


def test_liste_paginee_en_nombre_de_requetes_constant(
    client_de, comptes, django_assert_num_queries
):
    for _ in range(35):
        ImportFactory(cree_par=comptes["coordinateur"])
    ImportFactory(cree_par=comptes["coordinateur_autre_territoire"], nom_fichier="angers.csv")
    client = client_de("coordinateur")
    # session, user, its territories, count, page of imports with their authors
    with django_assert_num_queries(5):
        reponse = client.get(reverse("imports:liste"))
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "35\u00a0imports" in contenu or "35 imports" in contenu
    assert "angers.csv" not in contenu
    assert "page 1 sur 2" in contenu


def test_imports_en_echec_sur_l_accueil_de_la_coordination(client_de, comptes):
    ImportFactory(cree_par=comptes["coordinateur"], etat=EtatImport.ECHEC)
    ImportFactory(cree_par=comptes["coordinateur_autre_territoire"], etat=EtatImport.ECHEC)
    contenu = client_de("coordinateur").get(reverse("comptes:espace_coordination")).content
    texte = contenu.decode()
    assert "Import en échec" in texte
    assert f"{reverse('imports:liste')}?etat=echec" in texte


def test_depot_refuse_en_francais(client_de, comptes):
    client = client_de("coordinateur")
    reponse = client.post(
        reverse("imports:nouveau") + "?type=lieux",
        {"fichier": SimpleUploadedFile("lieux.xlsx", b"PK")},
    )
    assert reponse.status_code == 400
    assert "Ce type de fichier n'est pas accepté ici" in html.unescape(reponse.content.decode())
    reponse = client.post(
        reverse("imports:nouveau") + "?type=activites",
        {"fichier": SimpleUploadedFile("coop.xlsx", b"PK"), "format": "coop"},
    )
    texte = html.unescape(reponse.content.decode())
    assert "Choisissez le conseiller dont c'est l'export de La Coop." in texte
    assert not Import.objects.tous().exists()


def test_confirmer_deux_fois_ne_lance_qu_un_import(client_de, comptes):
    import_ = ImportFactory(cree_par=comptes["coordinateur"], etat=EtatImport.EN_COURS)
    reponse = client_de("coordinateur").post(
        reverse("imports:confirmer", args=[import_.pk]), follow=True
    )
    assert "Cet import ne peut plus être lancé." in html.unescape(reponse.content.decode())


def test_export_de_la_coop_par_la_page(
    client_de, comptes, geographie, tmp_path, django_capture_on_commit_callbacks
):
    """La Coop's export, its advisor chosen among the territory's: the preview, then the
    valid rows kept; Angers's advisor is not offered to Le Mans's coordinator."""
    from tests.conseillers.test_import_coop import export_de_novembre
    from tests.structures.factories import LieuFactory

    LieuFactory(commune=geographie["le_mans"], nom="Médiathèque")
    camille = ConseillerFactory(email="camille@exemple.test", commune=geographie["le_mans"])
    angers = ConseillerFactory(email="ange@exemple.test", commune=geographie["angers_commune"])
    client = client_de("coordinateur")
    url = reverse("imports:nouveau") + "?type=activites"
    page = client.get(url).content.decode()
    assert f'value="{camille.pk}"' in page and f'value="{angers.pk}"' not in page
    contenu = export_de_novembre(tmp_path).read_bytes()
    reponse = client.post(
        url,
        {
            "fichier": SimpleUploadedFile("coop.xlsx", contenu),
            "format": "coop",
            "conseiller": angers.pk,
        },
    )
    assert "Choisissez un conseiller de votre territoire." in html.unescape(
        reponse.content.decode()
    )
    reponse = client.post(
        url,
        {
            "fichier": SimpleUploadedFile("coop.xlsx", contenu),
            "format": "coop",
            "conseiller": camille.pk,
        },
    )
    import_ = Import.objects.tous().get()
    assert reponse.url == reverse("imports:import", args=[import_.pk])
    assert import_.options == {"format": "coop", "conseiller_email": "camille@exemple.test"}
    # the advisor's export errors name La Coop's columns
    assert comptes_de(import_.apercu) == (3, 0, 0, 2)
    assert import_.apercu["erreurs"][0].startswith("ligne 18, colonne Lieu\u00a0: commune")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirmer", args=[import_.pk]), {"partiel": "on"})
    import_.refresh_from_db()
    assert (import_.etat, import_.crees, import_.refusees) == (EtatImport.TERMINE, 3, 2)
    assert Activite.objects.tous().filter(conseiller=camille).count() == 3
    rejets = client.get(reverse("imports:rejets", args=[import_.pk]))
    assert rejets["Content-Disposition"].startswith("attachment")
    assert rejets.content.startswith(b"\xef\xbb\xbfdate;conseiller_email;")


def test_fichiers_supprimes_apres_la_duree_de_conservation(comptes, settings):
    """The uploaded file and the refused rows go after IMPORTS_CONSERVATION_JOURS days;
    the history keeps its row, counts and messages."""
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from imports.tasks import purger_fichiers

    settings.IMPORTS_CONSERVATION_JOURS = 90
    ancien = ImportFactory(cree_par=comptes["coordinateur"], etat=EtatImport.TERMINE, crees=2)
    ancien.rejets.save("rejets.csv", ContentFile(b"x"))
    chemins = [Path(ancien.fichier.path), Path(ancien.rejets.path)]
    recent = ImportFactory(cree_par=comptes["coordinateur"], etat=EtatImport.TERMINE)
    Import.objects.tous().filter(pk=ancien.pk).update(
        cree_le=timezone.now() - dt.timedelta(days=91)
    )
    assert all(c.exists() for c in chemins)
    assert purger_fichiers() == 1
    ancien.refresh_from_db()
    assert (ancien.fichier.name, ancien.rejets.name, ancien.crees) == ("", "", 2)
    assert not any(c.exists() for c in chemins)
    recent.refresh_from_db()
    assert Path(recent.fichier.path).exists()
    assert purger_fichiers() == 0


def test_compte_purge_l_import_reste_pour_l_equipe_technique(client_de, comptes):
    """An author deleted (accounts' retention) leaves its imports, seen by staff only."""
    import_ = ImportFactory(cree_par=comptes["coordinateur"], nom_fichier="orphelin.csv")
    comptes["coordinateur"].delete()
    import_.refresh_from_db()
    assert import_.cree_par is None
    assert "orphelin.csv" in client_de("staff").get(reverse("imports:liste")).content.decode()
    reponse = client_de("staff").get(reverse("imports:import", args=[import_.pk]))
    assert "par un compte supprimé depuis" in reponse.content.decode()


@pytest.mark.parametrize(
    ("type", "titre", "champs"),
    [
        ("lieux", "Importer des lieux de médiation numérique", ["fichier", "source"]),
        (
            "activites",
            "Importer des comptes rendus d'activité",
            ["fichier", "format", "conseiller"],
        ),
        ("indicateurs", "Importer des indicateurs de fragilité numérique", ["fichier"]),
        (
            "indice_publie",
            "Importer l'indice publié par La Mednum",
            ["fichier", "millesime", "reference", "source"],
        ),
        ("contours", "Importer des contours", ["fichier", "niveau", "source"]),
    ],
)
def test_chaque_type_a_son_formulaire(client_de, comptes, type, titre, champs):
    """Each kind of file asks for its command's options, and only those."""
    reponse = client_de("coordinateur").get(reverse("imports:nouveau") + f"?type={type}")
    texte = html.unescape(reponse.content.decode())
    assert f'<h1 class="mb-3">{titre}</h1>' in texte
    for champ in ("fichier", "source", "format", "conseiller", "millesime", "reference", "niveau"):
        assert (f'name="{champ}"' in texte) == (champ in champs), champ


def test_page_d_un_import_en_cours_sans_progression(client_de, comptes):
    """Just queued, the task has not written its progress yet: the bar waits, hidden."""
    import_ = ImportFactory(cree_par=comptes["coordinateur"], etat=EtatImport.EN_COURS)
    reponse = client_de("coordinateur").get(reverse("imports:import", args=[import_.pk]))
    assert reponse.status_code == 200
    assert '<div class="mb-3" id="progression" hidden>' in reponse.content.decode()
    etat = client_de("coordinateur").get(reverse("imports:etat", args=[import_.pk])).json()
    assert (etat["etat"], etat["fini"], etat["progression"]) == ("en_cours", False, {})
