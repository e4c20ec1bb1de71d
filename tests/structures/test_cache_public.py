"""The public pages' cache (structures.cache_public): same search, same minute, computed
once; every change of a site shows at once; the nonce and the CSRF token stay per request."""

from __future__ import annotations

import datetime as dt
import re

import pytest
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


def test_meme_recherche_dans_la_minute_sans_requete(client, lieux):  # noqa: F811
    premiere, contenu = _requetes(client, "/lieux/", {"commune": "Le Mans", "gratuit": "on"})
    assert premiere >= 3  # the commune, the count, the page, the slots
    seconde, encore = _requetes(client, "/lieux/", {"gratuit": "on", "commune": "Le Mans"})
    assert seconde == 0  # the parameters' order does not matter
    assert _sans_nonce(encore) == _sans_nonce(contenu)
    # another search, another page of the same search: computed
    assert _requetes(client, "/lieux/", {"commune": "Le Mans"})[0] >= 3
    assert _requetes(client, "/lieux/", {"commune": "Le Mans", "gratuit": "on", "page": 2})[0]


def test_page_d_un_lieu_sans_requete_la_seconde_fois(client, lieux):  # noqa: F811
    url = f"/lieux/{lieux['bus'].pk}/"
    assert _requetes(client, url)[0] >= 2
    nombre, contenu = _requetes(client, url)
    assert nombre == 0
    assert "Place de la République" in contenu


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


def test_la_cle_suit_la_minute(monkeypatch):
    moment = timezone.localtime().replace(second=59)
    monkeypatch.setattr(cache_public.timezone, "localtime", lambda: moment)
    cle = cache_public.cle("essai", "a")
    assert cache_public.cle("essai", "a") == cle
    monkeypatch.setattr(
        cache_public.timezone, "localtime", lambda: moment + dt.timedelta(seconds=1)
    )
    assert cache_public.cle("essai", "a") != cle
    assert cache_public.cle("essai", "b") != cache_public.cle("essai", "a")
