"""French writing of numbers, times and dates for what users read (pages, messages, PDF),
following shared/REDACTION.md: ``10 557`` (narrow no-break space), ``2,72``, ``14 h 30``,
``de 9 h à 12 h``, ``lundi 1er décembre 2026``, phone numbers ``02 43 47 47 47``, commune
names after « à » and « de » (``au Mans``, ``du Mans``). Exports for spreadsheets keep plain
numbers (:mod:`commun.exports`)."""

from __future__ import annotations

import datetime as dt
import math

from django.utils import timezone

ESPACE_FINE = "\u202f"  # narrow no-break space: thousands, before ; ! ?
ESPACE_INSECABLE = "\u00a0"  # no-break space: before « : », between a number and its unit
MOINS = "\u2212"

JOURS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MOIS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def nombre(valeur: int | float, decimales: int = 0) -> str:
    """``10557`` → ``"10 557"``; ``nombre(2.7183, 2)`` → ``"2,72"``; ``-3`` → ``"−3"``."""
    if isinstance(valeur, float) and not math.isfinite(valeur):
        return "–"
    texte = f"{abs(valeur):,.{decimales}f}"
    texte = texte.replace(",", ESPACE_FINE).replace(".", ",")
    if texte.strip("0,\u202f") and valeur < 0:
        return MOINS + texte
    return texte


def pourcentage(valeur: float, decimales: int = 1, *, signe: bool = False) -> str:
    """``12.5`` (per cent) → ``"12,5 %"``; with ``signe``: ``"+1 100,0 %"``, ``"−4,0 %"``."""
    texte = nombre(valeur, decimales)
    if signe and not texte.startswith(MOINS) and texte.strip("0,\u202f"):
        texte = "+" + texte
    return texte + ESPACE_INSECABLE + "%"


def heure(moment: dt.time | dt.datetime) -> str:
    """``14:00`` → ``"14 h"``, ``14:30`` → ``"14 h 30"``, ``09:05`` → ``"9 h 05"``; an aware
    datetime is read in the local time zone."""
    if isinstance(moment, dt.datetime) and timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return heure_en_minutes(moment.hour * 60 + moment.minute)


def heure_en_minutes(minutes: int) -> str:
    """A time of day counted in minutes from midnight, up to 1440 (``"24 h"``, the end of
    an opening range that reaches midnight): ``870`` → ``"14 h 30"``."""
    heures, reste = divmod(int(minutes), 60)
    if reste:
        return f"{heures}{ESPACE_INSECABLE}h{ESPACE_INSECABLE}{reste:02d}"
    return f"{heures}{ESPACE_INSECABLE}h"


def duree(minutes: int) -> str:
    """A duration: ``45`` → ``"45 min"``, ``90`` → ``"1 h 30"``, ``990`` → ``"16 h 30"``,
    ``120`` → ``"2 h"`` (never ``990 minutes`` nor ``2,5 h``)."""
    minutes = int(minutes or 0)
    heures, reste = divmod(abs(minutes), 60)
    signe = MOINS if minutes < 0 else ""
    if not heures:
        return f"{signe}{reste}{ESPACE_INSECABLE}min"
    texte = f"{signe}{nombre(heures)}{ESPACE_INSECABLE}h"
    return f"{texte}{ESPACE_INSECABLE}{reste:02d}" if reste else texte


def plage_horaire(debut: dt.time | dt.datetime, fin: dt.time | dt.datetime) -> str:
    """``"de 14 h à 17 h"``, ``"de 14 h 30 à 16 h"``."""
    return f"de {heure(debut)} à {heure(fin)}"


def date_longue(jour: dt.date | dt.datetime, *, avec_jour: bool = True) -> str:
    """``"lundi 7 décembre 2026"``, ``"mardi 1er décembre 2026"``; without the weekday with
    ``avec_jour=False``."""
    if isinstance(jour, dt.datetime):
        jour = (timezone.localtime(jour) if timezone.is_aware(jour) else jour).date()
    quantieme = "1er" if jour.day == 1 else str(jour.day)
    texte = f"{quantieme} {MOIS[jour.month - 1]} {jour.year}"
    return f"{JOURS[jour.weekday()]} {texte}" if avec_jour else texte


def date_et_heure(moment: dt.datetime) -> str:
    """``"lundi 7 décembre 2026 à 14 h 30"`` (local time)."""
    return f"{date_longue(moment)} à {heure(moment)}"


# -- phone numbers and commune names --------------------------------------------------

# overseas numbers keep their own country code in the standard (+590 Guadeloupe…) and are
# dialled in France with a 0 and their three digits (0590 …)
INDICATIFS_OUTRE_MER = ("+590", "+594", "+262", "+596", "+269", "+687", "+689", "+508", "+681")


def telephone_lisible(numero: str) -> str:
    """``+33243474747`` → ``02 43 47 47 47``; ``+590590123456`` → ``05 90 12 34 56``; other
    values as they are."""
    numero = (numero or "").strip()
    national = ""
    if numero.startswith("+33") and len(numero) == 12:
        national = "0" + numero[3:]
    else:
        for indicatif in INDICATIFS_OUTRE_MER:
            if numero.startswith(indicatif) and len(numero) == len(indicatif) + 9:
                national = "0" + numero[len(indicatif) :]
                break
    if len(national) == 10 and national.isdigit():
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    return numero


def _contracter(nom: str, simple: str, le: str, les: str) -> str:
    """``Le Mans`` after « à » is « au Mans », « Les Sables-d'Olonne » « aux Sables… »; « La »
    and « L' » keep their capital: « à La Milesse »."""
    nom = (nom or "").strip()
    if nom.startswith("Le "):
        return f"{le} {nom[3:]}"
    if nom.startswith("Les "):
        return f"{les} {nom[4:]}"
    return f"{simple} {nom}"


def a_la_commune(nom: str) -> str:
    """« au Mans », « aux Sables-d'Olonne », « à La Milesse », « à Angers »."""
    return _contracter(nom, "à", "au", "aux")


def de_la_commune(nom: str) -> str:
    """« du Mans », « des Sables-d'Olonne », « de La Milesse », « d'Angers »."""
    nom = (nom or "").strip()
    if nom[:1].lower() in "aeiouyâéèêîôûh" and not nom.startswith(("Le ", "Les ", "La ")):
        return f"d'{nom}"
    return _contracter(nom, "de", "du", "des")
