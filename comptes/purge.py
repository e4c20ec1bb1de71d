"""Retention of accounts: an account unused for longer than ``COMPTES_CONSERVATION_MOIS``
months (no login and no use of one of its API tokens since, or neither since its creation)
is deleted, with its territories and its API tokens. What it did stays: its reports,
requests and their steps keep their content and lose only their author (``SET_NULL``); an
advisor's profile stays, without login. The technical team's accounts are not purged (they
are few and managed by hand). API tokens that expired before the same limit keep no account
alive any more: they are deleted too.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import JetonApi, User


def mois_avant(jour: dt.date, mois: int) -> dt.date:
    """The same day ``mois`` months earlier (the month's last day when it has fewer)."""
    rang = jour.year * 12 + jour.month - 1 - mois
    annee, mois_cible = divmod(rang, 12)
    dernier = calendar.monthrange(annee, mois_cible + 1)[1]
    return dt.date(annee, mois_cible + 1, min(jour.day, dernier))


@dataclass(frozen=True)
class ResultatPurgeComptes:
    date_limite: dt.date
    nombre: int
    simulation: bool
    mois: int
    jetons: int = 0

    def resume(self) -> str:
        s = "s" if self.nombre > 1 else ""
        verbe = f"serai{'en' if s else ''}t supprimé{s}" if self.simulation else f"supprimé{s}"
        texte = (
            f"{self.nombre} compte{s} sans connexion depuis le {self.date_limite:%d/%m/%Y} "
            f"{verbe} (conservation\u00a0: {self.mois} mois)"
        )
        if self.jetons:
            j = "s" if self.jetons > 1 else ""
            texte += f", {self.jetons} jeton{j} d'API expiré{j} avant cette date " + (
                f"serai{'en' if j else ''}t supprimé{j}" if self.simulation else f"supprimé{j}"
            )
        return texte + (" — simulation, rien n'a été modifié." if self.simulation else ".")


def comptes_inactifs(date_limite: dt.date):
    limite = _debut(date_limite)
    jeton_utilise = JetonApi.objects.filter(user=OuterRef("pk"), dernier_usage__gte=limite)
    return (
        User.objects.filter(is_staff=False, is_superuser=False)
        .annotate(dernier_usage=Coalesce("last_login", "date_joined"))
        .filter(Q(dernier_usage__lt=limite), ~Exists(jeton_utilise))
    )


def jetons_expires(date_limite: dt.date):
    """Tokens expired before the limit: their last use is older, they count for nothing."""
    return JetonApi.objects.filter(expiry__lt=_debut(date_limite))


def _debut(jour: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(jour, dt.time()))


@transaction.atomic
def purger_comptes_inactifs(
    *, le: dt.date | None = None, mois: int | None = None, simulation: bool = False
) -> ResultatPurgeComptes:
    mois = settings.COMPTES_CONSERVATION_MOIS if mois is None else mois
    if mois < 1:
        raise ValidationError("La durée de conservation doit être d'au moins un mois.")
    date_limite = mois_avant(le or timezone.localdate(), mois)
    inactifs = comptes_inactifs(date_limite)
    if simulation:
        nombre = inactifs.count()
        jetons = jetons_expires(date_limite).count()
    else:
        pks = list(inactifs.values_list("pk", flat=True))
        nombre = User.objects.filter(pk__in=pks).delete()[1].get(User._meta.label, 0)
        # the account's versions (names, address) go with it, deletion record included
        User.history.filter(id__in=pks).delete()
        jetons = jetons_expires(date_limite).delete()[0]
    return ResultatPurgeComptes(
        date_limite=date_limite, nombre=nombre, simulation=simulation, mois=mois, jetons=jetons
    )
