"""The audit trail as people read it: each version of an object recorded by
django-simple-history, newest first, with who, when, and each changed field's French label,
value before and after.

Used for sites (the coordinators' site page) and partnership conventions; the activity
reports have their own reading (``conseillers.views.espace.journal_de``), which also follows soft
deletion.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

ACTIONS = {"+": "création", "~": "modification", "-": "suppression"}
LONGUEUR_MAX = 160


def _texte(champ: models.Field, valeur, noms: dict) -> str:
    if valeur in (None, "", []):
        return "—"
    if isinstance(champ, models.ForeignKey):
        return noms.get((champ.name, valeur), f"n° {valeur}")
    if hasattr(champ, "en_liste"):  # structures.fields.ListeChoixField: codes → labels
        libelles = dict(champ.choix.choices) if champ.choix is not None else {}
        return ", ".join(libelles.get(v, v) for v in champ.en_liste(valeur))
    if isinstance(champ, models.FileField):
        return "document joint"
    if isinstance(champ, models.BooleanField):
        return "oui" if valeur else "non"
    if champ.choices:
        return str(dict(champ.flatchoices).get(valeur, valeur))
    if isinstance(valeur, dt.datetime):
        return timezone.localtime(valeur).strftime("%d/%m/%Y %H:%M")
    if isinstance(valeur, dt.date):
        return valeur.strftime("%d/%m/%Y")
    texte = str(valeur)
    return texte if len(texte) <= LONGUEUR_MAX else texte[: LONGUEUR_MAX - 1] + "…"


def _noms_des_references(modele, ecarts) -> dict:
    """One query per foreign key some change names: (field, pk) → str."""
    cles: dict[str, set] = {}
    for ecart in ecarts:
        for changement in ecart:
            champ = modele._meta.get_field(changement.field)
            if isinstance(champ, models.ForeignKey):
                cles.setdefault(champ.name, set()).update({changement.old, changement.new} - {None})
    noms = {}
    for nom, pks in cles.items():
        cible = modele._meta.get_field(nom).related_model
        gestionnaire = cible._base_manager  # names only, whatever the reader's territory
        for objet in gestionnaire.filter(pk__in=pks):
            noms[(nom, objet.pk)] = str(objet)
    return noms


def journal(objet, champs: list[str]) -> list[dict]:
    """Each recorded version of ``objet``, newest first, with the changes of ``champs``."""
    modele = type(objet)
    versions = list(
        objet.history.select_related("history_user").order_by("history_date", "history_id")
    )
    ecarts = [
        version.diff_against(precedente, included_fields=champs).changes
        if precedente is not None
        else []
        for precedente, version in zip([None, *versions], versions, strict=False)
    ]
    noms = _noms_des_references(modele, ecarts)
    entrees = []
    for version, ecart in zip(versions, ecarts, strict=True):
        changements = []
        for changement in ecart:
            champ = modele._meta.get_field(changement.field)
            changements.append(
                {
                    "champ": champ.verbose_name,
                    "avant": _texte(champ, changement.old, noms),
                    "apres": _texte(champ, changement.new, noms),
                }
            )
        entrees.append(
            {
                "le": version.history_date,
                "action": version.history_change_reason or ACTIONS.get(version.history_type, ""),
                "auteur": version.history_user,
                "changements": changements,
            }
        )
    entrees.reverse()
    return entrees
