"""Opening hours in OpenStreetMap ``opening_hours`` syntax, read by a real parser.

The raw string is what the national standard exchanges and what is stored; this module
validates it, tells whether a place is open at a given moment, lists the week's time slots
(for the page of a site, the printable guide and the ``Creneau`` table that lets the
database answer "open now" and "open at weekends"), and turns the per-day editor's slots
back into an OSM string.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from opening_hours import OpeningHours, ParserError

from commun.formats import heure_en_minutes

JOURS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
JOURS_OSM = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


def analyser(horaires: str) -> OpeningHours | None:
    """The parsed expression, ``None`` when empty; raises ``ValidationError`` in French."""
    horaires = (horaires or "").strip()
    if not horaires:
        return None
    try:
        return OpeningHours(horaires, country="FR")
    except (ParserError, ValueError) as erreur:
        position = _position(str(erreur))
        raise ValidationError(
            "Horaires illisibles au format OpenStreetMap%(ou)s\u00a0: « %(horaires)s ». "
            "Exemple attendu\u00a0: « Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00 ».",
            code="horaires",
            params={"horaires": horaires, "ou": f" (caractère {position})" if position else ""},
        ) from erreur


def _position(message: str) -> int | None:
    # the parser reports " --> 1:7" for line 1, column 7
    marque = message.find("--> ")
    if marque < 0:
        return None
    try:
        return int(message[marque + 4 :].split()[0].split(":")[1])
    except (IndexError, ValueError):
        return None


def valider_horaires(horaires: str) -> None:
    analyser(horaires)


def _naif_local(moment: dt.datetime | None) -> dt.datetime:
    moment = moment or timezone.now()
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None, second=0, microsecond=0)


def est_ouvert(horaires: str, moment: dt.datetime | None = None) -> bool | None:
    """True/False, or None when the hours are not given."""
    expression = analyser(horaires)
    if expression is None:
        return None
    return bool(expression.is_open(_naif_local(moment)))


def prochain_changement(horaires: str, moment: dt.datetime | None = None) -> dt.datetime | None:
    expression = analyser(horaires)
    if expression is None:
        return None
    return expression.next_change(_naif_local(moment))


@dataclass(frozen=True)
class Plage:
    jour: int  # 0 = Monday
    debut: int  # minutes from midnight
    fin: int  # minutes from midnight, up to 1440

    @property
    def libelle(self) -> str:
        return f"{heure_en_minutes(self.debut)} – {heure_en_minutes(self.fin)}"


def plages_de_la_semaine(horaires: str, debut: dt.date | None = None) -> list[Plage]:
    """Open slots over the seven days starting ``debut`` (today), one per day and range.

    Computed from the real calendar, so dated exceptions and public holidays of that week
    are taken into account; a slot crossing midnight is split at midnight.
    """
    expression = analyser(horaires)
    if expression is None:
        return []
    debut = debut or timezone.localdate()
    origine = dt.datetime.combine(debut, dt.time())
    fin = origine + dt.timedelta(days=7)
    plages: list[Plage] = []
    for ouverture, fermeture, etat, _commentaire in expression.intervals(origine, fin):
        if str(etat).rsplit(".", 1)[-1].upper() != "OPEN":
            continue
        courant = max(ouverture, origine)
        fermeture = min(fermeture, fin)
        while courant < fermeture:
            minuit = dt.datetime.combine(courant.date() + dt.timedelta(days=1), dt.time())
            borne = min(fermeture, minuit)
            minuit_du_jour = dt.datetime.combine(courant.date(), dt.time())
            plages.append(
                Plage(
                    jour=courant.weekday(),
                    debut=courant.hour * 60 + courant.minute,
                    fin=int((borne - minuit_du_jour).total_seconds()) // 60,
                )
            )
            courant = borne
    return sorted(plages, key=lambda p: (p.jour, p.debut))


def semaine_lisible(horaires: str, debut: dt.date | None = None) -> list[tuple[str, list[str]]]:
    """``[("lundi", ["9 h – 12 h", "14 h – 17 h 30"]), ..., ("dimanche", [])]``."""
    par_jour: dict[int, list[str]] = {jour: [] for jour in range(7)}
    for plage in plages_de_la_semaine(horaires, debut):
        par_jour[plage.jour].append(plage.libelle)
    return [(JOURS[jour], par_jour[jour]) for jour in range(7)]


# -- the per-day editor --------------------------------------------------------------


def _osm_heure(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def depuis_plages(plages: list[Plage]) -> str:
    """Build an OSM string from per-day slots, grouping consecutive days that are alike.

    ``[Plage(0, 540, 720), ..., Plage(4, 540, 720)]`` → ``"Mo-Fr 09:00-12:00"``.
    """
    par_jour: dict[int, tuple[tuple[int, int], ...]] = {}
    for jour in range(7):
        creneaux = sorted((p.debut, p.fin) for p in plages if p.jour == jour)
        if creneaux:
            par_jour[jour] = tuple(creneaux)
    regles = []
    jour = 0
    while jour < 7:
        if jour not in par_jour:
            jour += 1
            continue
        fin = jour
        while fin + 1 < 7 and par_jour.get(fin + 1) == par_jour[jour]:
            fin += 1
        jours = (
            JOURS_OSM[jour]
            if fin == jour
            else (
                f"{JOURS_OSM[jour]},{JOURS_OSM[fin]}"
                if fin == jour + 1
                else f"{JOURS_OSM[jour]}-{JOURS_OSM[fin]}"
            )
        )
        heures = ",".join(f"{_osm_heure(d)}-{_osm_heure(f)}" for d, f in par_jour[jour])
        regles.append(f"{jours} {heures}")
        jour = fin + 1
    return "; ".join(regles)
