"""Retention of the public's error reports: a report received more than
``SIGNALEMENTS_CONSERVATION_MOIS`` months ago is deleted, whatever its state, with the
address the visitor left and the answer sent to it (docs/rgpd.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from comptes.purge import mois_avant

from .models import Signalement


@dataclass(frozen=True)
class ResultatPurgeSignalements:
    date_limite: dt.date
    nombre: int
    simulation: bool
    mois: int

    def resume(self) -> str:
        s = "s" if self.nombre > 1 else ""
        verbe = f"serai{'en' if s else ''}t supprimé{s}" if self.simulation else f"supprimé{s}"
        return (
            f"{self.nombre} signalement{s} d'erreur reçu{s} avant le "
            f"{self.date_limite:%d/%m/%Y} {verbe} (conservation\u00a0: {self.mois}\u00a0mois)"
            + (" — simulation, rien n'a été modifié." if self.simulation else ".")
        )


@transaction.atomic
def purger_signalements(
    *, le: dt.date | None = None, mois: int | None = None, simulation: bool = False
) -> ResultatPurgeSignalements:
    mois = settings.SIGNALEMENTS_CONSERVATION_MOIS if mois is None else mois
    if mois < 1:
        raise ValidationError("La durée de conservation doit être d'au moins un mois.")
    date_limite = mois_avant(le or timezone.localdate(), mois)
    debut = timezone.make_aware(dt.datetime.combine(date_limite, dt.time()))
    anciens = Signalement.objects.tous().filter(cree_le__lt=debut)
    nombre = anciens.count() if simulation else anciens.delete()[0]
    return ResultatPurgeSignalements(
        date_limite=date_limite, nombre=nombre, simulation=simulation, mois=mois
    )
