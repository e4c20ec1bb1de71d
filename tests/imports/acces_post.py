"""Rows of the POST matrix (tests/test_acces_post.py) for the back-office imports.

Coordinators and staff upload a file (its preview is computed, nothing else is written)
and confirm an import of their territory; another territory's coordinator may upload too
(its rows outside its territory are refused in the preview), and gets 404 for Le Mans's
import."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.enums import EtatImport
from imports.models import Import
from tests.imports.acces import import_du_mans
from tests.imports.factories import INDICATEURS_LE_MANS
from tests.matrice_post import OK, Cas, Envoi, attendus

GERE = attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=OK)
GERE_OBJET = attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=404)


def _deposer(e: Envoi) -> Cas:
    fichier = SimpleUploadedFile("valeurs.csv", INDICATEURS_LE_MANS, content_type="text/csv")
    return Cas(
        reverse("imports:nouveau") + "?type=indicateurs",
        {"fichier": fichier},
        lambda: Import.objects.tous().filter(nom_fichier="valeurs.csv").exists(),
    )


def _confirmer(e: Envoi) -> Cas:
    import_ = import_du_mans(e.geo)
    return Cas(
        reverse("imports:confirmer", args=[import_.pk]),
        {},
        lambda: Import.objects.tous().get(pk=import_.pk).etat == EtatImport.EN_COURS,
    )


LIGNES: dict = {
    ("imports:nouveau", "déposer un fichier"): (_deposer, GERE),
    ("imports:confirmer", ""): (_confirmer, GERE_OBJET),
}
