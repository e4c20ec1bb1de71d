"""Public search of sites, map data, a site's page and the error report."""

import html
import re
from email import message_from_bytes
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from comptes.enums import Role
from structures.enums import Frais, Itinerance, Programme, Public, Service, Typologie
from structures.models import Signalement
from structures.services import envoyer_resume_des_signalements, recalculer_creneaux
from tests.comptes.factories import UserFactory
from tests.structures.factories import ArretFactory, LieuFactory

pytestmark = pytest.mark.django_db

URL = "/lieux/"


def _noms(reponse) -> list[str]:
    """The names listed, read from the HTML: the list may come from the cache, unrendered."""
    liste = re.search(r'<ol class="list-unstyled liste-lieux".*?</ol>', _texte(reponse), re.S)
    if liste is None:
        return []
    return re.findall(r'<h3 class="h5 mb-1"><a href="/lieux/\d+/">(.*?)</a></h3>', liste[0])


def _texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


def _numero_de_page(reponse) -> int:
    trouve = re.search(r"\(page (\d+) sur \d+\)", _texte(reponse))
    return int(trouve[1]) if trouve else 1


@pytest.fixture
def lieux(geographie):
    """A small, varied set of sites around Le Mans and Angers."""
    le_mans, yvre, angers = geographie["le_mans"], geographie["yvre"], geographie["angers_commune"]
    tous = {
        "mediatheque": LieuFactory(
            nom="Médiathèque Aragon",
            commune=le_mans,
            latitude=48.0061,
            longitude=0.1996,
            services=[Service.DEMARCHES],
            publics=[Public.SENIORS],
            programmes=[Programme.FRANCE_SERVICES],
            typologies=[Typologie.BIB],
            horaires="Mo-Su 00:00-24:00",
        ),
        "ccas": LieuFactory(
            nom="CCAS du Mans",
            commune=le_mans,
            latitude=48.02,
            longitude=0.21,
            services=[Service.INSERTION_PRO],
            frais=[Frais.PAYANT],
            horaires="Mo-Fr 09:00-12:00",
        ),
        "yvre": LieuFactory(
            nom="Espace Yvré",
            commune=yvre,
            code_postal="72530",
            latitude=48.05,
            longitude=0.27,
            services=[Service.PARENTALITE],
            horaires="",
        ),
        "bus": LieuFactory(
            nom="Bus numérique",
            commune=angers,
            code_postal="49000",
            latitude=47.47,
            longitude=-0.55,
            itinerance=[Itinerance.ITINERANT],
            services=[Service.DEMARCHES],
            horaires="",  # "open now" must not depend on when the test runs
        ),
        "angers": LieuFactory(
            nom="Maison de quartier Angers",
            commune=angers,
            code_postal="49000",
            latitude=47.46,
            longitude=-0.56,
            services=[Service.LOISIRS],
            horaires="",
        ),
    }
    ArretFactory(lieu=tous["bus"], nom="Place de la République", commune=le_mans)
    recalculer_creneaux(lieux=list(tous.values()))
    return tous


def test_page_de_recherche_sans_filtre(client, lieux):
    reponse = client.get(URL)
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "5 lieux correspondent à votre recherche" in contenu
    assert _noms(reponse) == sorted(lieu.nom for lieu in lieux.values())
    assert 'id="carte-lieux"' in contenu
    assert "leaflet/leaflet.js" in contenu and "structures/carte-lieux.js" in contenu
    assert "<script>" not in contenu  # every script has a src or a nonce
    assert "cdn" not in contenu.lower()
    assert 'data-tuiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in contenu


@pytest.mark.parametrize(
    ("parametres", "attendus"),
    [
        ({"q": "mediatheque"}, {"mediatheque"}),
        ({"q": "angers"}, {"angers", "bus"}),  # the text also looks at the commune
        ({"commune": "Le Mans"}, {"mediatheque", "ccas", "bus"}),  # the bus stops there
        ({"commune": "72181"}, {"mediatheque", "ccas", "bus"}),
        ({"commune": "72530"}, {"yvre"}),
        ({"commune": "yvre l eveque"}, {"yvre"}),
        ({"services": "demarches"}, {"mediatheque", "bus"}),
        ({"services": ["parentalite", "loisirs"]}, {"yvre", "angers"}),
        ({"publics": "seniors"}, {"mediatheque"}),
        ({"programmes": "france_services"}, {"mediatheque"}),
        ({"typologie": "BIB"}, {"mediatheque"}),
        ({"gratuit": "on"}, {"mediatheque", "yvre", "bus", "angers"}),
        ({"itinerant": "on"}, {"bus"}),
        ({"weekend": "on"}, {"mediatheque"}),
        ({"ouvert": "on"}, {"mediatheque"}),  # the only one open around the clock
        ({"commune": "Le Mans", "services": "demarches", "gratuit": "on"}, {"mediatheque", "bus"}),
    ],
)
def test_chaque_filtre_restreint(client, lieux, parametres, attendus):
    reponse = client.get(URL + "?" + urlencode(parametres, doseq=True))
    assert reponse.status_code == 200
    assert set(_noms(reponse)) == {lieux[cle].nom for cle in attendus}
    # the map data of the same search holds the same sites
    donnees = client.get(reverse("structures:lieux_carte"), parametres).json()
    assert {point[0] for point in donnees["lieux"]} == {lieux[cle].pk for cle in attendus}


def test_filtre_prise_en_charge(client, geographie):
    vise = LieuFactory(commune=geographie["le_mans"], prise_en_charge=["surdite"])
    LieuFactory(commune=geographie["le_mans"])
    reponse = client.get(URL, {"prise_en_charge": "surdite"})
    assert _noms(reponse) == [vise.nom]


def test_une_recherche_se_partage_par_son_adresse(client, lieux):
    reponse = client.get(URL, {"commune": "Le Mans", "services": "demarches", "gratuit": "on"})
    contenu = reponse.content.decode()
    # the form is filled back from the address, so the same URL gives the same search
    assert 'value="Le Mans"' in contenu
    assert re.search(r'value="demarches"[^>]*checked', contenu)
    assert re.search(r'name="gratuit"[^>]*checked', contenu)
    # the map fetches the same filters
    assert "/lieux/carte/?commune=Le+Mans&amp;services=demarches&amp;gratuit=on" in contenu
    again = client.get(reponse.request["PATH_INFO"] + "?" + reponse.request["QUERY_STRING"])
    assert _noms(again) == _noms(reponse)


@pytest.mark.parametrize(
    ("parametres", "message"),
    [
        ({"services": "inconnu"}, "Sélectionnez un choix valide"),
        ({"commune": "Zzzyx"}, "Aucune commune ne correspond à « Zzzyx »"),
        ({"tri": "distance"}, "Choisissez une commune pour trier les lieux par distance."),
        ({"tri": "hasard"}, "Sélectionnez un choix valide"),
        ({"typologie": "XXX"}, "Sélectionnez un choix valide"),
    ],
)
def test_filtre_invalide_message_en_francais(client, lieux, parametres, message):
    reponse = client.get(URL, parametres)
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "La recherche contient des erreurs" in contenu
    assert message in contenu
    assert 'aria-invalid="true"' in contenu
    # the erroneous filter is left out, the other ones still apply
    assert len(_noms(reponse)) == 5
    assert client.get(reverse("structures:lieux_carte"), parametres).status_code == 200


def test_tri_par_distance(client, lieux):
    reponse = client.get(URL, {"commune": "Yvré-l'Évêque", "tri": "distance"})
    assert _noms(reponse) == ["Espace Yvré"]
    reponse = client.get(URL, {"q": "", "commune": "72181", "tri": "distance"})
    # from Le Mans (48.0, 0.2): the Médiathèque, then the CCAS, then the bus (stop in Le Mans,
    # but its own point is in Angers)
    assert _noms(reponse) == ["Médiathèque Aragon", "CCAS du Mans", "Bus numérique"]
    assert "Les plus proches du Mans d'abord." in reponse.content.decode()


def test_pagination_garde_la_recherche(client, geographie):
    LieuFactory.create_batch(45, commune=geographie["le_mans"], services=[Service.DEMARCHES])
    LieuFactory(commune=geographie["angers_commune"], services=[Service.DEMARCHES])
    parametres = {"commune": "Le Mans", "services": "demarches"}
    vus = []
    for numero in (1, 2, 3):
        reponse = client.get(URL, {**parametres, "page": numero})
        vus += _noms(reponse)
    assert len(vus) == 45 == len(set(vus))
    contenu = client.get(URL, {**parametres, "page": 2}).content.decode()
    assert 'aria-label="Pages de résultats"' in contenu
    assert 'href="?commune=Le+Mans&amp;services=demarches&amp;page=3"' in contenu
    assert 'aria-current="page"' in contenu
    assert "45 lieux correspondent" in contenu
    # a page out of range shows the last page rather than an error
    assert _numero_de_page(client.get(URL, {**parametres, "page": 99})) == 3
    assert _numero_de_page(client.get(URL, {**parametres, "page": "abc"})) == 1


@pytest.mark.parametrize("nombre", [3, 30])
def test_nombre_de_requetes_constant(client, geographie, django_assert_num_queries, nombre):
    lieux = LieuFactory.create_batch(nombre, commune=geographie["le_mans"])
    for lieu in lieux[:3]:
        ArretFactory(lieu=lieu)
    # count, page of results (their communes' names by a subquery), which of them are open now
    with django_assert_num_queries(3):
        client.get(URL)
    # + the commune, the sites stopping there
    with django_assert_num_queries(5):
        client.get(URL, {"commune": "Le Mans", "gratuit": "on", "services": "demarches"})
    # map data: the sites, their stops
    cache.clear()
    with django_assert_num_queries(2):
        reponse = client.get(reverse("structures:lieux_carte"))
    assert len(reponse.json()["lieux"]) == nombre


def test_donnees_de_la_carte_compactes(client, lieux):
    donnees = client.get(reverse("structures:lieux_carte")).json()
    assert set(donnees) == {"lieux", "arrets"}
    mediatheque = next(p for p in donnees["lieux"] if p[0] == lieux["mediatheque"].pk)
    assert mediatheque == [lieux["mediatheque"].pk, 48.0061, 0.1996, "Médiathèque Aragon"]
    assert donnees["arrets"] == [[lieux["bus"].pk, 48.0, 0.2, "Place de la République"]]
    # sites without coordinates stay in the list but not on the map
    LieuFactory(commune=lieux["mediatheque"].commune, latitude=None, longitude=None)
    assert len(client.get(reverse("structures:lieux_carte")).json()["lieux"]) == 5


def test_donnees_de_la_carte_gardees_une_minute_par_recherche(
    client, geographie, django_assert_num_queries
):
    LieuFactory(commune=geographie["le_mans"], services=[Service.DEMARCHES])
    url = reverse("structures:lieux_carte")
    client.get(url, {"services": "demarches", "gratuit": "on"})
    # the same search, parameters in another order: served from the cache, no query
    with django_assert_num_queries(0):
        reponse = client.get(url + "?gratuit=on&services=demarches&page=2")
    assert len(reponse.json()["lieux"]) == 1
    assert reponse["Cache-Control"] == "public, max-age=60"
    # another search is computed
    with django_assert_num_queries(2):
        assert client.get(url, {"services": "securite"}).json()["lieux"] == []


def test_fiche_du_lieu(client, geographie):
    lieu = LieuFactory(
        nom="France Services du Mans",
        commune=geographie["le_mans"],
        complement_adresse="2e étage",
        telephone="+33243474747",
        courriels="accueil@exemple.fr",
        site_web="https://exemple.fr",
        fiche_acces_libre="https://acceslibre.beta.gouv.fr/erp/exemple/",
        prise_rdv="https://rdv.exemple.fr/",
        presentation_resume="Aide aux démarches pour tous.",
        publics=[Public.SENIORS],
        programmes=[Programme.FRANCE_SERVICES],
        horaires="Mo-Fr 09:00-12:00",
        wifi_public=True,
        itinerance=[Itinerance.ITINERANT],
    )
    ArretFactory(lieu=lieu, nom="Marché des Jacobins", horaires="Tu 14:00-17:00")
    reponse = client.get(reverse("structures:lieu", args=[lieu.pk]))
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    for attendu in [
        "<h1",
        "France Services du Mans",
        lieu.structure.nom,
        "2e étage",
        "72000 Le Mans",
        'href="tel:+33243474747"',
        "02 43 47 47 47</a>",
        'href="mailto:accueil@exemple.fr"',
        'href="https://exemple.fr"',
        "fiche Accès libre",
        "Prendre rendez-vous en ligne",
        "Aide aux démarches pour tous.",
        "Seniors",
        "France Services",
        "Gratuit",
        "Accès Wi-Fi public&nbsp;: oui",
        "9\u00a0h – 12\u00a0h",
        "Marché des Jacobins",
        "14\u00a0h – 17\u00a0h",
        "https://www.openstreetmap.org/directions?to=48.00610,0.19960",
        "Signaler une erreur",
        'id="marqueurs-carte"',
        "mise à jour le",
    ]:
        assert attendu in contenu, attendu
    assert re.search(r"(Ouvert|Fermé) maintenant — (ferme|ouvre) ", contenu)


def test_fiche_inconnue_404(client, geographie):
    assert client.get(reverse("structures:lieu", args=[999999])).status_code == 404
    assert client.post(reverse("structures:signaler", args=[999999])).status_code == 404


def test_signalement_enregistre_pour_le_resume_du_matin(client, geographie):
    """The report is stored, not e-mailed at once: the coordinators read it in the next
    daily digest (tests/structures/test_signalements.py)."""
    coordinateur = UserFactory(role=Role.COORDINATEUR, territoires=[geographie["metropole"]])
    UserFactory(role=Role.COORDINATEUR, territoires=[geographie["angers"]])
    lieu = LieuFactory(commune=geographie["le_mans"], nom="Médiathèque Aragon")
    url = reverse("structures:signaler", args=[lieu.pk])
    reponse = client.post(
        url, {"message": "Le lieu est fermé le lundi matin.", "courriel": "habitant@exemple.fr"}
    )
    assert reponse.status_code == 302
    assert reponse.url == reverse("structures:lieu", args=[lieu.pk]) + "#signalement"
    signalement = Signalement.objects.tous().get()
    assert signalement.lieu == lieu
    assert signalement.courriel == "habitant@exemple.fr"
    assert signalement.notifie_le is None
    assert not mail.outbox
    page = client.get(reponse.url)
    assert "Votre signalement est enregistré" in page.content.decode()
    assert envoyer_resume_des_signalements() == 1
    assert mail.outbox[0].to == [coordinateur.email]
    assert "Le lieu est fermé le lundi matin." in mail.outbox[0].body
    assert f"/lieux/{lieu.pk}/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"message": ""}, "Décrivez l&#x27;erreur constatée."),
        ({"message": "court"}, "au moins 10 caractères (actuellement 5)"),
        ({"message": "x" * 2001}, "ne peut pas dépasser 2 000 caractères"),
        ({"message": "Le lieu a déménagé.", "courriel": "pas-une-adresse"}, "adresse électronique"),
    ],
)
def test_signalement_invalide_en_francais(client, geographie, donnees, message):
    lieu = LieuFactory(commune=geographie["le_mans"])
    reponse = client.post(reverse("structures:signaler", args=[lieu.pk]), donnees)
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert message in contenu
    assert "Le signalement n'a pas été envoyé" in contenu
    assert not Signalement.objects.tous().exists()
    assert not mail.outbox


def test_signalement_pot_de_miel(client, geographie, django_capture_on_commit_callbacks):
    lieu = LieuFactory(commune=geographie["le_mans"])
    UserFactory(role=Role.COORDINATEUR, territoires=[geographie["metropole"]])
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("structures:signaler", args=[lieu.pk]),
            {"message": "Achetez nos produits miracles !", "site_internet": "https://x.example"},
        )
    assert reponse.status_code == 302
    assert not Signalement.objects.tous().exists()
    assert not mail.outbox


def test_signalement_get_refuse(client, geographie):
    lieu = LieuFactory(commune=geographie["le_mans"])
    assert client.get(reverse("structures:signaler", args=[lieu.pk])).status_code == 405


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_resume_des_signalements_envoye_par_le_worker(celery_reel, client, geographie):
    """The beat's task, run by a real worker: the report posted a moment ago is in the
    coordinator's digest, and marked as sent."""
    from structures.tasks import envoyer_resume_des_signalements as tache

    coordinateur = UserFactory(role=Role.COORDINATEUR, territoires=[geographie["metropole"]])
    lieu = LieuFactory(commune=geographie["le_mans"], nom="Espace numérique Bellevue")
    client.post(
        reverse("structures:signaler", args=[lieu.pk]),
        {"message": "Le numéro de téléphone a changé."},
    )
    boite = celery_reel["boite"]
    avant = set(boite.iterdir())
    assert tache.delay().get(timeout=30) == 1
    fichiers = [f for f in set(boite.iterdir()) - avant if "Bellevue" in f.read_text()]
    assert fichiers, celery_reel["journal"].read_text()[-2000:]
    message = message_from_bytes(fichiers[0].read_bytes())
    assert coordinateur.email in message["To"]
    assert "Le numéro de téléphone a changé." in message.get_payload(decode=True).decode()
    assert Signalement.objects.tous().get().notifie_le is not None
    assert tache.delay().get(timeout=30) == 0


def test_carte_nationale_sans_les_noms(client, lieux, monkeypatch):
    from structures import carte

    monkeypatch.setattr(carte, "NOMS_JUSQU_A", 2)
    donnees = client.get(reverse("structures:lieux_carte")).json()
    assert all(len(point) == 3 for point in donnees["lieux"])  # the popup reads the API
    assert donnees["arrets"][0][3] == "Place de la République"


def test_une_commune_sans_lieu_montre_les_plus_proches(client, lieux, geographie):
    """« Near a commune »: Fatines has no site; the nearest ones within 30 km are listed,
    nearest first with their distance, and drawn on the map; the bus, 80 km away, is not."""
    from tests.territoires.factories import CommuneFactory

    CommuneFactory(
        code_insee="72132",
        nom="Fatines",
        departement=geographie["sarthe"],
        epci=geographie["metropole"],
        codes_postaux="72470",
        latitude=48.06,
        longitude=0.33,
    )
    reponse = client.get(URL, {"commune": "Fatines"})
    contenu = reponse.content.decode()
    assert _noms(reponse) == ["Espace Yvré", "CCAS du Mans", "Médiathèque Aragon"]
    assert "Aucun lieu ne correspond à votre recherche à Fatines (72132)" in contenu
    assert "voici les lieux les plus proches" in contenu
    assert "Les plus proches de Fatines d'abord." in contenu
    assert "À 4,6\u00a0km de Fatines" in html.unescape(contenu)
    points = client.get(reverse("structures:lieux_carte"), {"commune": "Fatines"}).json()
    assert {p[0] for p in points["lieux"]} == {
        lieux["yvre"].pk,
        lieux["ccas"].pk,
        lieux["mediatheque"].pk,
    }
    # sorting by name keeps the list of the commune itself
    par_nom = client.get(URL, {"commune": "Le Mans", "tri": "nom"})
    assert _noms(par_nom) == ["Bus numérique", "CCAS du Mans", "Médiathèque Aragon"]
    assert "Les plus proches" not in par_nom.content.decode()


def test_la_recherche_propose_le_guide_imprimable(client, lieux, geographie):
    """The printable guide of the commune searched and of its intercommunality, offered
    from the public search; without a territory, its page sends to the search."""
    contenu = client.get(URL, {"commune": "Le Mans"}).content.decode()
    assert 'href="/lieux/guide.pdf?commune=72181"' in contenu
    assert "Guide imprimable des lieux du Mans (PDF)" in contenu
    assert f'href="/lieux/guide.pdf?epci={geographie["metropole"].siren}"' in contenu
    assert "guides-imprimables" not in client.get(URL).content.decode()
    erreur = client.get(reverse("structures:guide")).content.decode()
    assert "paramètre" in erreur  # the reason, as before
    assert 'href="/lieux/"' in erreur and "<code>" not in erreur


def test_la_liste_annonce_la_prochaine_ouverture(client, lieux):
    """Each result with hours says whether it is open now and, within a week, when that
    changes (« Fermé maintenant — ouvre demain à 9 h »), at each request, from the cache."""
    contenu = html.unescape(client.get(URL, {"commune": "Le Mans"}).content.decode())
    ccas = contenu[contenu.index("CCAS du Mans") :]
    ccas = ccas[: ccas.index("</li>\n</li>") if "</li>\n</li>" in ccas else 800]
    assert re.search(r"(Ouvert maintenant — ferme|Fermé maintenant — ouvre) ", ccas), ccas
    # open around the clock: no change to announce
    mediatheque = contenu[contenu.index("Médiathèque Aragon") :][:800]
    assert "Ouvert maintenant</li>" in mediatheque


@pytest.mark.parametrize(
    "chaine",
    [
        "",
        "services=demarches&services=mobilite&gratuit=on&typologie=BIB",
        "services=inconnu&typologie=INCONNUE&ouvert=oui",
        "publics=jeunes&weekend=false&itinerant=1&commune=Nulle-part",
    ],
)
def test_champs_reutilises_identiques_a_leur_rendu(db, chaine):
    """The fields rendered once per value (``formulaire.rendus``) are the HTML the field's
    template gives for this very form, errors and ``aria-invalid`` included."""
    from django.http import QueryDict
    from django.template.loader import render_to_string

    from structures.forms.public import RechercheLieuxForm

    for _ in range(2):  # the second time from the reused fragments
        formulaire = RechercheLieuxForm(QueryDict(chaine))
        formulaire.is_valid()
        for nom in formulaire.fields:
            attendu = render_to_string("structures/public/_champ.html", {"champ": formulaire[nom]})
            assert formulaire.rendus[nom] == attendu, nom
    if "inconnu" in chaine:
        assert 'aria-invalid="true"' in formulaire.rendus["services"]


def test_carte_et_api_filtrees_par_departement(client, geographie):
    """The map of one département is what a visitor loads (``departement=``); an unknown
    code gets a French error from the API and the search page."""
    sarthe = [
        LieuFactory(commune=geographie["le_mans"]),
        LieuFactory(commune=geographie["yvre"]),
    ]
    LieuFactory(commune=geographie["angers_commune"])
    donnees = client.get(reverse("structures:lieux_carte"), {"departement": "72"}).json()
    assert sorted(point[0] for point in donnees["lieux"]) == sorted(lieu.pk for lieu in sarthe)
    assert len(client.get(reverse("structures:lieux_carte")).json()["lieux"]) == 3
    reponse = client.get("/api/v1/lieux/", {"departement": "72"})
    assert sorted(lieu["id"] for lieu in reponse.json()["results"]) == sorted(
        lieu.pk for lieu in sarthe
    )
    reponse = client.get("/api/v1/lieux/", {"departement": "99"})
    assert reponse.status_code == 400
    assert reponse.json()["departement"] == [
        "Aucun département n'a le code «\u202f99\u202f»\u00a0: saisissez un code comme 72, "
        "2A ou 974."
    ]
    page = client.get(URL, {"departement": "99"}).content.decode()
    assert "Aucun département n&#x27;a le code «\u202f99\u202f»" in page
