"""The public agenda: the upcoming sessions open to the public, and their iCalendar form,
read by the agenda's pages and by the open-data feeds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.utils import timezone

from . import services
from .models import SessionAtelier

AGENDA_JOURS = 183


def sessions_a_venir() -> list[SessionAtelier]:
    """The public sessions of the next six months, with their workshop, site and commune."""
    return list(
        SessionAtelier.objects.agenda()
        .filter(debut__lt=timezone.now() + dt.timedelta(days=AGENDA_JOURS))
        .select_related("demande__version", "lieu__commune", "lieu__zone")
        .order_by("debut", "pk")
    )


def compter_places(sessions: Iterable[SessionAtelier]) -> None:
    """Set ``restantes`` on each session: its places less the people registered."""
    sessions = list(sessions)
    inscrits = services.inscrits_par_demande({s.demande_id for s in sessions})
    for session in sessions:
        session.restantes = max(0, session.places - inscrits.get(session.demande_id, 0))


def titre(session: SessionAtelier) -> str:
    version = session.demande.version
    if version.nombre_seances > 1:
        return f"{version.titre} (séance {session.numero}/{version.nombre_seances})"
    return version.titre


def en_icalendar(
    sessions: Iterable[SessionAtelier],
    *,
    hote: str,
    url_du_lieu: Callable[[int], str],
    horodatage: dt.datetime | None = None,
) -> bytes:
    """The sessions (their ``restantes`` counted) as an iCalendar file. ``horodatage`` is
    the DTSTAMP of every event (now unless given)."""
    from icalendar import Calendar, Event

    calendrier = Calendar()
    calendrier.add("prodid", "-//Portail de l'inclusion numérique//ateliers//FR")
    calendrier.add("version", "2.0")
    calendrier.add("x-wr-calname", "Ateliers numériques")
    horodatage = horodatage or timezone.now()
    for session in sessions:
        version = session.demande.version
        evenement = Event()
        evenement.add("uid", f"seance-{session.pk}@{hote}")
        evenement.add("dtstamp", horodatage)
        evenement.add("dtstart", session.debut)
        evenement.add("dtend", session.fin)
        evenement.add("summary", titre(session))
        lieu = session.lieu
        evenement.add(
            "location", f"{lieu.nom}, {lieu.adresse}, {lieu.code_postal} {lieu.commune.nom}"
        )
        evenement.add(
            "description",
            f"{version.objectifs}\nPublic\u00a0: {version.public_cible}. Gratuit. "
            f"Places restantes\u00a0: {session.restantes}.",
        )
        evenement.add("url", url_du_lieu(lieu.pk))
        calendrier.add_component(evenement)
    return calendrier.to_ical()
