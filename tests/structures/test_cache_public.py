"""The public pages' cache (structures.cache_public): same search, same minute, computed
once; every change of a site shows at once; the nonce and the CSRF token stay per request."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from structures import cache_public
from structures.models import Lieu
from structures.services import enregistrer_lieu, recalculer_creneaux
from tests.structures.factories import ArretFactory
from tests.structures.test_public import _noms, lieux  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _requetes(client, url, parametres=None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url, parametres)
    assert reponse.status_code == 200
    return len(requetes), reponse.content.decode()


def test_meme_recherche_une_seule_requete(client, lieux):  # noqa: F811
    premiere, contenu = _requetes(client, "/lieux/", {"commune": "Le Mans", "gratuit": "on"})
    assert premiere >= 4  # the commune, the stops, the count, the page, the slots
    seconde, encore = _requetes(client, "/lieux/", {"gratuit": "on", "commune": "Le Mans"})
    assert seconde == 1  # which sites are open now; the parameters' order does not matter
    assert _sans_nonce(encore) == _sans_nonce(contenu)
    assert "<!--ouvert-maintenant" not in encore
    # another search, another page of the same search: computed
    assert _requetes(client, "/lieux/", {"commune": "Le Mans"})[0] >= 3
    assert _requetes(client, "/lieux/", {"commune": "Le Mans", "gratuit": "on", "page": 2})[0]


def test_page_d_un_lieu_sans_requete_la_seconde_fois(client, lieux):  # noqa: F811
    url = f"/lieux/{lieux['bus'].pk}/"
    assert _requetes(client, url)[0] >= 2
    nombre, contenu = _requetes(client, url)
    assert nombre == 0
    assert "Place de la République" in contenu
    assert "<!--etat-ouverture-->" not in contenu


def _sans_nonce(contenu: str) -> str:
    return re.sub(r'nonce="[^"]+"', "", contenu)


def test_nonce_et_jeton_csrf_propres_a_chaque_requete(lieux):  # noqa: F811
    url = f"/lieux/{lieux['mediatheque'].pk}/"
    pages = [Client().get(url).content.decode() for _ in range(2)]
    nonces = [set(re.findall(r'nonce="([^"]+)"', page)) for page in pages]
    jetons = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1] for page in pages]
    assert all(len(n) == 1 for n in nonces) and nonces[0] != nonces[1]
    assert jetons[0] != jetons[1]
    recherche = [Client().get("/lieux/").content.decode() for _ in range(2)]
    assert re.findall(r'nonce="([^"]+)"', recherche[0])[0] not in recherche[1]


def test_une_modification_se_voit_aussitot(client, lieux):  # noqa: F811
    mediatheque = lieux["mediatheque"]
    client.get("/lieux/")
    client.get(f"/lieux/{mediatheque.pk}/")
    mediatheque.nom = "Médiathèque Louis-Aragon"
    enregistrer_lieu(lieu=mediatheque)
    assert "Médiathèque Louis-Aragon" in _noms(client.get("/lieux/"))
    assert '<h1 class="mb-1">Médiathèque Louis-Aragon</h1>' in (
        client.get(f"/lieux/{mediatheque.pk}/").content.decode()
    )
    # a stop added to the itinerant bus shows on its page
    assert "Place du Marché" not in client.get(f"/lieux/{lieux['bus'].pk}/").content.decode()
    ArretFactory(lieu=lieux["bus"], nom="Place du Marché", commune=mediatheque.commune)
    # a site no longer public leaves the list and its page
    Lieu.objects.tous().filter(pk=mediatheque.pk).get().delete()
    assert "Médiathèque Louis-Aragon" not in _noms(client.get("/lieux/"))
    assert client.get(f"/lieux/{mediatheque.pk}/").status_code == 404
    assert "Place du Marché" in client.get(f"/lieux/{lieux['bus'].pk}/").content.decode()


def test_les_ecritures_en_lot_avancent_la_generation(lieux):  # noqa: F811
    """An import writes in bulk, without signals: it ends with the slots, which invalidate."""
    avant = cache_public.generation()
    recalculer_creneaux(lieux=[lieux["ccas"]])
    assert cache_public.generation() != avant


def test_la_cle_suit_l_horloge_seulement_si_on_le_demande(monkeypatch):
    moment = timezone.localtime().replace(hour=23, minute=59, second=59)
    monkeypatch.setattr(cache_public.timezone, "localtime", lambda: moment)
    cles = {m: cache_public.cle("essai", "a", moment=m) for m in ("", "minute", "jour")}
    assert cache_public.cle("essai", "a", moment="minute") == cles["minute"]
    plus_tard = moment + dt.timedelta(seconds=1)  # the next minute, and the next day
    monkeypatch.setattr(cache_public.timezone, "localtime", lambda: plus_tard)
    assert cache_public.cle("essai", "a", moment="minute") != cles["minute"]
    assert cache_public.cle("essai", "a", moment="jour") != cles["jour"]
    assert cache_public.cle("essai", "a") == cles[""]
    assert cache_public.cle("essai", "b") != cache_public.cle("essai", "a")
    assert cache_public.duree("minute") < cache_public.duree() == cache_public.duree("jour")


OUVERT = 'text-bg-success">Ouvert maintenant'
FERME = 'text-bg-secondary">Fermé maintenant'


def _a_heure_fixe(monkeypatch, jour: int, heure: int) -> None:
    """The local clock on this week's ``jour`` (0 = Monday) at ``heure``."""
    maintenant = timezone.localtime()
    lundi = maintenant - dt.timedelta(days=maintenant.weekday())
    moment = lundi.replace(hour=heure, minute=0, second=0, microsecond=0) + dt.timedelta(jour)
    monkeypatch.setattr(timezone, "localtime", lambda *args: moment)


def test_ouvert_maintenant_suit_l_heure_sur_une_page_en_cache(client, lieux, monkeypatch):  # noqa: F811
    """The CCAS opens Monday to Friday 9:00-12:00: a page cached at 10:00 says it is closed
    at 14:00, on the list as on its own page, without being computed again."""
    ccas = lieux["ccas"]
    _a_heure_fixe(monkeypatch, 0, 10)
    liste = client.get("/lieux/", {"q": "ccas"}).content.decode()
    fiche = client.get(f"/lieux/{ccas.pk}/").content.decode()
    assert OUVERT in liste and FERME not in liste
    assert "Ouvert maintenant — ferme à 12\u00a0h" in html.unescape(fiche)
    _a_heure_fixe(monkeypatch, 0, 14)
    nombre, liste = _requetes(client, "/lieux/", {"q": "ccas"})
    assert nombre == 1
    assert FERME in liste and OUVERT not in liste
    nombre, fiche = _requetes(client, f"/lieux/{ccas.pk}/")
    assert nombre == 0
    assert "Fermé maintenant — ouvre demain à 9\u00a0h" in html.unescape(fiche)
    # the search of the sites open now follows the clock itself
    assert "CCAS du Mans" not in _noms(client.get("/lieux/", {"ouvert": "on"}))
    _a_heure_fixe(monkeypatch, 1, 10)
    assert "CCAS du Mans" in _noms(client.get("/lieux/", {"ouvert": "on"}))


def test_une_valeur_encodee_ne_partage_pas_l_entree_d_une_autre_recherche(client, lieux):  # noqa: F811
    """Cache poisoning: ``commune=…%26gratuit%3Don`` is one parameter whose value holds
    ``&`` and ``=``; it must not share the entry of ``commune=…&gratuit=on``."""
    from django.http import QueryDict

    assert cache_public.canonique(QueryDict("commune=72181%26services%3Ddemarches")) != (
        cache_public.canonique(QueryDict("commune=72181&services=demarches"))
    )
    assert cache_public.canonique(QueryDict("b=2&a=1&a=0")) == "a=0&a=1&b=2"

    juste = "/lieux/?commune=Le%20Mans&gratuit=on"
    attendus = _noms(client.get(juste))
    carte_attendue = client.get("/lieux/carte/?commune=Le%20Mans&gratuit=on").json()
    assert attendus
    cache.clear()
    # a visitor asks for the trapped query first; the next visitor's true query
    client.get("/lieux/?commune=Le%20Mans%26gratuit%3Don")
    client.get("/lieux/carte/?commune=Le%20Mans%26gratuit%3Don")
    assert _noms(Client().get(juste)) == attendus
    assert Client().get("/lieux/carte/?commune=Le%20Mans&gratuit=on").json() == carte_attendue
