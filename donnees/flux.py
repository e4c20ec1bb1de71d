"""The open-data feeds: the territory's sites in the national standard, the workshops'
agenda, and the answers to conditional requests that let a harvester fetch only what
changed.

Each feed's body is built whole, then identified by the SHA-256 of its bytes (its
``ETag``). ``Last-Modified`` is the first moment the portal served those exact bytes: a
site deleted, a session added or a place taken changes the bytes, hence both headers,
whatever the dates stored on the rows say. The sites' feeds, costly with 20,000 sites,
are kept in the cache of the public pages under the public sites' generation
(``structures.cache_public``): any change of a site, of its structure or of its stops
builds them again at the next request.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from ateliers.agenda import compter_places, en_icalendar, sessions_a_venir, titre
from structures import cache_public
from structures.models import Lieu
from structures.normes import exporter_csv, exporter_json
from territoires.models import Commune, Departement, Epci

logger = logging.getLogger(__name__)

# how long a harvester or a proxy may keep a feed without asking again
MAX_AGE = 300
LICENCE = "Licence Ouverte / Open Licence version 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@dataclass(frozen=True)
class Corps:
    contenu: bytes
    etag: str
    modifie_le: float  # POSIX time of the first build of these bytes


class FiltreInvalide(ValueError):
    """A filter names a commune, an EPCI or a département the portal does not know."""


# parameter -> (model of the code, the sites' lookup, the message when it is unknown)
FILTRES_DES_LIEUX = [
    (
        "commune",
        Commune,
        "commune_id",
        "commune «\u202f{code}\u202f» inconnue\u00a0: donnez son code INSEE",
    ),
    (
        "epci",
        Epci,
        "commune__epci_id",
        "intercommunalité «\u202f{code}\u202f» inconnue\u00a0: donnez son SIREN",
    ),
    (
        "departement",
        Departement,
        "commune__departement_id",
        "département «\u202f{code}\u202f» inconnu\u00a0: donnez son code",
    ),
]


def filtrer_lieux(parametres) -> tuple[dict[str, str], object]:
    """The filters of the sites' feeds (``commune``, ``epci``, ``departement``) checked,
    and the queryset of the public sites they select, in a stable order."""
    filtres = {}
    lieux = Lieu.objects.publics()
    for cle, modele, chemin, message in FILTRES_DES_LIEUX:
        code = parametres.get(cle, "").strip()
        if not code:
            continue
        if not modele.objects.filter(pk=code).exists():
            raise FiltreInvalide(message.format(code=code))
        filtres[cle] = code
        lieux = lieux.filter(**{chemin: code})
    return filtres, lieux.order_by("source", "identifiant", "pk")


def empreinte(nom: str, contenu: bytes) -> Corps:
    etag = '"' + hashlib.sha256(contenu).hexdigest()[:40] + '"'
    cle = f"donnees:{nom}:empreinte"
    connue = cache.get(cle)
    if connue and connue[0] == etag:
        modifie_le = connue[1]
    else:
        # whole seconds: Last-Modified and If-Modified-Since carry no fraction
        modifie_le = float(int(timezone.now().timestamp()))
        cache.set(cle, (etag, modifie_le), None)
    return Corps(contenu, etag, modifie_le)


def corps_des_lieux(format: str, parametres) -> Corps:
    """The sites' feed (``csv`` or ``json``), from the cache while no public site changed."""
    filtres, lieux = filtrer_lieux(parametres)
    canonique = "&".join(f"{k}={v}" for k, v in sorted(filtres.items()))
    cle = cache_public.cle(f"donnees-lieux-{format}", canonique)
    corps = cache.get(cle)
    if corps is None:
        flux = io.StringIO()
        (exporter_json if format == "json" else exporter_csv)(lieux, flux)
        corps = empreinte(f"lieux-{format}-{canonique}", flux.getvalue().encode("utf-8"))
        cache.set(cle, corps, cache_public.duree())
    return corps


def _lien_public(pk: int) -> str:
    """A site's public page at the portal's canonical address (the same for every reader
    of a cached file)."""
    from django.conf import settings
    from django.urls import reverse

    return settings.PORTAIL_URL.rstrip("/") + reverse("structures:lieu", args=[pk])


def corps_data_inclusion(genre: str) -> Corps:
    """The sites (``structures``) or their services (``services``) in the data·inclusion
    schema; both files are built in one pass and cached like the sites' feeds."""
    from . import data_inclusion

    cle = cache_public.cle(f"donnees-data-inclusion-{genre}", "")
    corps = cache.get(cle)
    if corps is None:
        lieux = (
            Lieu.objects.publics()
            .select_related("structure", "commune")
            .order_by("pk")
            .iterator(chunk_size=2000)
        )
        export = data_inclusion.exporter(lieux, lien=_lien_public)
        if export.refuses:
            logger.warning(
                "data·inclusion\u00a0: %d enregistrement(s) refusé(s) par le schéma, dont %s",
                len(export.refuses),
                "; ".join(f"{i} ({m})" for i, m in export.refuses[:5]),
            )
        for nom in ("structures", "services"):
            contenu = json.dumps(getattr(export, nom), ensure_ascii=False, indent=1)
            construit = empreinte(f"data-inclusion-{nom}", contenu.encode("utf-8"))
            cache.set(
                cache_public.cle(f"donnees-data-inclusion-{nom}", ""),
                construit,
                cache_public.duree(),
            )
            if nom == genre:
                corps = construit
    return corps


def _seance_en_objet(session, url_du_lieu: Callable[[int], str]) -> dict:
    version = session.demande.version
    lieu = session.lieu
    return {
        "id": session.pk,
        "titre": titre(session),
        "atelier": version.titre,
        "seance": session.numero,
        "nombre_seances": version.nombre_seances,
        "debut": timezone.localtime(session.debut).isoformat(),
        "fin": timezone.localtime(session.fin).isoformat(),
        "thematiques": list(version.donnees.get("thematiques", [])),
        "objectifs": version.objectifs,
        "public": version.public_cible,
        "niveau": version.libelle_niveau(),
        "gratuit": True,
        "places": session.places,
        "places_restantes": session.restantes,
        "lieu": {
            "id": lieu.pk,
            "nom": lieu.nom,
            "adresse": lieu.adresse,
            "code_postal": lieu.code_postal,
            "commune": lieu.commune.nom,
            "code_insee": lieu.commune_id,
            "latitude": lieu.latitude,
            "longitude": lieu.longitude,
            "telephones": list(lieu.liste_telephones),
            "url": url_du_lieu(lieu.pk),
        },
    }


def corps_de_l_agenda(format: str, *, hote: str, url_du_lieu: Callable[[int], str]) -> Corps:
    """The agenda's feed (``ics`` or ``json``), built at each request: a place taken
    changes it, and it holds a few hundred sessions at most."""
    sessions = sessions_a_venir()
    compter_places(sessions)
    if format == "ics":
        # one DTSTAMP a day: the same sessions give the same bytes all day long
        jour = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        contenu = en_icalendar(sessions, hote=hote, url_du_lieu=url_du_lieu, horodatage=jour)
    else:
        objet = {"seances": [_seance_en_objet(s, url_du_lieu) for s in sessions]}
        contenu = json.dumps(objet, ensure_ascii=False, indent=1).encode("utf-8")
    return empreinte(f"agenda-{format}", contenu)


def reponse(request, corps: Corps, *, type_: str, nom_de_fichier: str) -> HttpResponse:
    """The feed, or 304 when the harvester already holds these bytes (``If-None-Match``,
    or ``If-Modified-Since`` when it sends no ETag)."""
    conditionnelle = get_conditional_response(
        request, etag=corps.etag, last_modified=int(corps.modifie_le)
    )
    if conditionnelle is not None:
        reponse = conditionnelle
    else:
        reponse = HttpResponse(corps.contenu, content_type=type_)
        reponse["Content-Disposition"] = f'inline; filename="{nom_de_fichier}"'
    reponse["ETag"] = corps.etag
    reponse["Last-Modified"] = http_date(corps.modifie_le)
    reponse["Cache-Control"] = f"public, max-age={MAX_AGE}"
    # open data: any web page may read it
    reponse["Access-Control-Allow-Origin"] = "*"
    return reponse
