"""Demo territory: Le Mans Métropole (EPCI 247200132) and the 71 districts of Le Mans."""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .enums import TypeZone
from .models import Commune, Epci, Zone
from .text import normaliser

SIREN_LE_MANS_METROPOLE = "247200132"
CODE_LE_MANS = "72181"
FICHIER_ZONES = Path(settings.BASE_DIR) / "fixtures" / "demo" / "le-mans-indice-fragilite-iris.csv"
# the INSEE code of each district's IRIS: 65 of the 71 annex names are the IRIS's own name
# (accents and hyphens aside); the other 6 are matched by hand, the reason in the file
FICHIER_CODES_IRIS = Path(settings.BASE_DIR) / "fixtures" / "demo" / "le-mans-codes-iris.csv"
FICHIER_COMMUNES = (
    Path(settings.BASE_DIR)
    / "fixtures"
    / "demo"
    / "le-mans-metropole-indice-fragilite-communes.csv"
)

_MOTS_MINUSCULES = {"de", "du", "des", "la", "le", "les", "et", "sur", "sous", "aux", "au", "en"}


def titre(nom: str) -> str:
    """'PONTLIEUE - LES SABLONS' -> 'Pontlieue - les Sablons' (upper-case annex names)."""
    mots = []
    for i, mot in enumerate(nom.strip().split(" ")):
        bas = mot.lower()
        if i and bas in _MOTS_MINUSCULES:
            mots.append(bas)
        else:
            mots.append("-".join(p[:1].upper() + p[1:] for p in bas.split("-")))
    return " ".join(mots).replace("L'", "l'").replace("D'", "d'")


def communes_du_tableau() -> dict[str, Commune]:
    """The 19 communes of the published table, matched by normalised name within the EPCI."""
    communes = {c.nom_recherche: c for c in Commune.objects.de_l_epci(SIREN_LE_MANS_METROPOLE)}
    trouvees, manquantes = {}, []
    with FICHIER_COMMUNES.open(encoding="utf-8", newline="") as fichier:
        for ligne in csv.DictReader(fichier):
            cle = normaliser(ligne["commune"])
            if cle in communes:
                trouvees[ligne["commune"]] = communes[cle]
            else:
                manquantes.append(ligne["commune"])
    if manquantes:
        raise ValueError(f"Communes introuvables dans l'EPCI\u00a0: {', '.join(manquantes)}")
    return trouvees


@transaction.atomic
def charger_territoire_demo() -> tuple[Epci, int]:
    """Create the 71 districts of Le Mans (idempotent). Returns the EPCI and the zone count."""
    epci = Epci.objects.get(pk=SIREN_LE_MANS_METROPOLE)
    communes_du_tableau()
    le_mans = Commune.objects.get(pk=CODE_LE_MANS)
    existantes = set(
        Zone.objects.tous().filter(commune=le_mans).values_list("nom_recherche", flat=True)
    )
    nouvelles = []
    with FICHIER_ZONES.open(encoding="utf-8", newline="") as fichier:
        for ligne in csv.DictReader(fichier):
            if ligne["commune_code_insee"] != CODE_LE_MANS:
                raise ValueError(f"Zone hors du Mans\u00a0: {ligne}")
            nom = titre(ligne["zone"])
            if normaliser(nom) not in existantes:
                existantes.add(normaliser(nom))
                nouvelles.append(
                    Zone(
                        commune=le_mans, type=TypeZone.IRIS, nom=nom, nom_recherche=normaliser(nom)
                    )
                )
    Zone.objects.bulk_create(nouvelles)
    attacher_codes_iris(le_mans)
    return epci, Zone.objects.tous().filter(commune=le_mans).count()


def codes_iris_des_quartiers() -> dict[str, str]:
    """Normalised annex name → IRIS code (fixtures/demo/le-mans-codes-iris.csv)."""
    with FICHIER_CODES_IRIS.open(encoding="utf-8", newline="") as fichier:
        return {normaliser(ligne["zone"]): ligne["code_iris"] for ligne in csv.DictReader(fichier)}


def attacher_codes_iris(le_mans: Commune) -> int:
    """Give the districts of Le Mans still without one their IRIS code; returns how many."""
    codes = codes_iris_des_quartiers()
    pris = set(Zone.objects.tous().filter(code__in=codes.values()).values_list("code", flat=True))
    a_coder = []
    for zone in Zone.objects.tous().filter(commune=le_mans, code__isnull=True, type=TypeZone.IRIS):
        code = codes.get(zone.nom_recherche)
        if code and code not in pris:
            zone.code = code
            pris.add(code)
            a_coder.append(zone)
    Zone.objects.tous().bulk_update(a_coder, ["code"])
    return len(a_coder)
