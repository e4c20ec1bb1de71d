"""The catalogue of the portal's open data (``/donnees/data.json``): DCAT-AP in JSON-LD,
the vocabulary data.gouv.fr and the European portals harvest, so that an aggregator finds
each dataset, its files, its licence, its update frequency and whom to write to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from .flux import LICENCE_URL

SCHEMA_LIEUX = (
    "https://raw.githubusercontent.com/LaMednum/standard-mediation-num/v1.0.2/schema.json"
)
ICALENDAR = "https://www.rfc-editor.org/rfc/rfc5545"
DATA_INCLUSION = "https://github.com/gip-inclusion/data-inclusion-schema"
CONTEXTE = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
# what each dataset follows: the sites change with each edit, the agenda with each session
CONTINU = "http://purl.org/cld/freq/continuous"


@dataclass(frozen=True)
class Fichier:
    url: str  # the URL's name
    empreinte: str  # the name of the feed's fingerprint (flux.empreinte)
    format: str
    type: str  # media type
    norme: str | None  # the schema or standard it conforms to
    libelle: str = ""  # what the download link says, when the format is not enough

    @property
    def intitule(self) -> str:
        return self.libelle.removeprefix("Télécharger ") if self.libelle else self.format

    @property
    def lien(self) -> str:
        return self.libelle or f"Télécharger au format {self.format}"


# dataset -> (title, description, keywords, files)
JEUX = {
    "lieux": (
        "Lieux de médiation numérique",
        "Les lieux où le public trouve de l'aide au numérique sur le territoire\u00a0: adresse, "
        "horaires, services, publics, modalités d'accompagnement. Au format du standard "
        "national des lieux de médiation numérique v1.0.2.",
        ["médiation numérique", "inclusion numérique", "lieux", "France Services"],
        [
            Fichier("donnees:lieux_csv", "lieux-csv-", "CSV", "text/csv", SCHEMA_LIEUX),
            Fichier("donnees:lieux_json", "lieux-json-", "JSON", "application/json", SCHEMA_LIEUX),
        ],
    ),
    "agenda": (
        "Agenda des ateliers numériques",
        "Les séances d'ateliers numériques gratuits ouvertes au public dans les six mois à "
        "venir\u00a0: atelier, thématiques, date, lieu et places restantes.",
        ["atelier", "agenda", "inclusion numérique"],
        [
            Fichier("donnees:agenda_ics", "agenda-ics", "iCalendar", "text/calendar", ICALENDAR),
            Fichier("donnees:agenda_json", "agenda-json", "JSON", "application/json", None),
        ],
    ),
    "statistiques": (
        "Statistiques de l'inclusion numérique",
        "Les chiffres mensuels que la coordination de chaque territoire publie (personnes "
        "accompagnées, accompagnements, ateliers…), issus des comptes rendus d'activité des "
        "conseillers numériques\u202f; les nombres de 1 à 4 sont masqués.",
        ["statistiques", "conseillers numériques", "inclusion numérique"],
        [Fichier("donnees:statistiques_csv", "statistiques-", "CSV", "text/csv", None)],
    ),
    "annuaire": (
        "Offre d'inclusion numérique au schéma data·inclusion",
        "Les mêmes lieux et les services d'accompagnement au numérique qu'ils proposent, au "
        "schéma de l'offre d'insertion de data·inclusion (version 1), pour l'annuaire "
        "national de l'offre d'insertion.",
        ["data·inclusion", "offre d'insertion", "inclusion numérique", "services"],
        [
            Fichier(
                "donnees:data_inclusion_structures",
                "data-inclusion-structures",
                "JSON",
                "application/json",
                DATA_INCLUSION,
                "Télécharger les structures (JSON)",
            ),
            Fichier(
                "donnees:data_inclusion_services",
                "data-inclusion-services",
                "JSON",
                "application/json",
                DATA_INCLUSION,
                "Télécharger les services (JSON)",
            ),
        ],
    ),
}


def _modifie_le(cle: str) -> str | None:
    """The date of the feed's current bytes, when it was served since the cache started."""
    connue = cache.get(f"donnees:{cle}:empreinte")
    if not connue:
        return None
    return dt.datetime.fromtimestamp(connue[1], tz=dt.UTC).isoformat()


def catalogue(absolue) -> dict:
    """``absolue``: turns a path into the absolute URL the harvester will fetch."""
    editeur = {"@type": "foaf:Organization", "foaf:name": settings.PORTAIL_EDITEUR}
    contact = {"@type": "vcard:Organization", "vcard:fn": settings.PORTAIL_EDITEUR}
    if settings.PORTAIL_CONTACT:
        contact["vcard:hasEmail"] = f"mailto:{settings.PORTAIL_CONTACT}"
    jeux = []
    for identifiant, (titre, description, mots, fichiers) in JEUX.items():
        distributions = []
        dates = []
        for fichier in fichiers:
            url = absolue(reverse(fichier.url))
            distribution = {
                "@type": "dcat:Distribution",
                "dct:title": f"{titre} ({fichier.intitule})",
                "dcat:accessURL": {"@id": url},
                "dcat:downloadURL": {"@id": url},
                "dcat:mediaType": fichier.type,
                "dct:format": fichier.format,
                "dct:license": {"@id": LICENCE_URL},
            }
            if fichier.norme:
                distribution["dct:conformsTo"] = {"@id": fichier.norme}
            modifie = _modifie_le(fichier.empreinte)
            if modifie:
                distribution["dct:modified"] = modifie
                dates.append(modifie)
            distributions.append(distribution)
        jeu = {
            "@type": "dcat:Dataset",
            "@id": absolue(reverse("donnees:accueil")) + f"#{identifiant}",
            "dct:identifier": identifiant,
            "dct:title": f"{titre} — {settings.PORTAIL_TERRITOIRE}",
            "dct:description": description,
            "dcat:keyword": mots,
            "dct:language": {
                "@id": "http://publications.europa.eu/resource/authority/language/FRA"
            },
            "dct:spatial": settings.PORTAIL_TERRITOIRE,
            "dct:publisher": editeur,
            "dcat:contactPoint": contact,
            "dct:license": {"@id": LICENCE_URL},
            "dct:accrualPeriodicity": {"@id": CONTINU},
            "dcat:landingPage": {"@id": absolue(reverse("donnees:accueil"))},
            "dcat:distribution": distributions,
        }
        if dates:
            jeu["dct:modified"] = max(dates)
        jeux.append(jeu)
    return {
        "@context": CONTEXTE,
        "@type": "dcat:Catalog",
        "@id": absolue(reverse("donnees:catalogue")),
        "dct:title": (
            f"{settings.PORTAIL_NOM} — {settings.PORTAIL_TERRITOIRE}\u00a0: données ouvertes"
        ),
        "dct:description": (
            "Les jeux de données publiés par le portail de l'inclusion numérique du territoire, "
            "sous Licence Ouverte 2.0."
        ),
        "dct:publisher": editeur,
        "dct:license": {"@id": LICENCE_URL},
        "foaf:homepage": {"@id": absolue("/")},
        "dcat:dataset": jeux,
    }
