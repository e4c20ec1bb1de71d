"""French numbers, times and dates (shared/REDACTION.md)."""

import datetime as dt

import pytest
from django.utils import timezone

from commun.formats import (
    date_et_heure,
    date_longue,
    duree,
    heure,
    nombre,
    plage_horaire,
    pourcentage,
)

FINE, INSECABLE = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("valeur", "decimales", "attendu"),
    [
        (0, 0, "0"),
        (999, 0, "999"),
        (10557, 0, f"10{FINE}557"),
        (1234567, 0, f"1{FINE}234{FINE}567"),
        (-4200, 0, f"\u22124{FINE}200"),
        (2.7183, 2, "2,72"),
        (1234.5, 1, f"1{FINE}234,5"),
        (-0.04, 1, "0,0"),
    ],
)
def test_nombre(valeur, decimales, attendu):
    assert nombre(valeur, decimales) == attendu


def test_pourcentage():
    assert pourcentage(12.5) == f"12,5{INSECABLE}%"
    assert pourcentage(1100, signe=True) == f"+1{FINE}100,0{INSECABLE}%"
    assert pourcentage(-4, signe=True) == f"\u22124,0{INSECABLE}%"
    assert pourcentage(0, signe=True) == f"0,0{INSECABLE}%"


@pytest.mark.parametrize(
    ("moment", "attendu"),
    [
        (dt.time(14), f"14{INSECABLE}h"),
        (dt.time(14, 30), f"14{INSECABLE}h{INSECABLE}30"),
        (dt.time(9, 5), f"9{INSECABLE}h{INSECABLE}05"),
        (dt.time(0), f"0{INSECABLE}h"),
    ],
)
def test_heure(moment, attendu):
    assert heure(moment) == attendu


def test_plage_et_dates():
    assert plage_horaire(dt.time(14), dt.time(17)) == f"de 14{INSECABLE}h à 17{INSECABLE}h"
    assert plage_horaire(dt.time(14, 30), dt.time(16)) == (
        f"de 14{INSECABLE}h{INSECABLE}30 à 16{INSECABLE}h"
    )
    assert date_longue(dt.date(2026, 12, 7)) == "lundi 7 décembre 2026"
    assert date_longue(dt.date(2026, 12, 1)) == "mardi 1er décembre 2026"
    assert date_longue(dt.date(2026, 12, 1), avec_jour=False) == "1er décembre 2026"
    # an aware moment is read in local time (Europe/Paris): 13:30 UTC is 14 h 30 in December
    moment = dt.datetime(2026, 12, 7, 13, 30, tzinfo=dt.UTC)
    with timezone.override("Europe/Paris"):
        assert date_et_heure(moment) == f"lundi 7 décembre 2026 à 14{INSECABLE}h{INSECABLE}30"


@pytest.mark.parametrize(
    ("minutes", "attendu"),
    [
        (0, "0\u00a0min"),
        (45, "45\u00a0min"),
        (60, "1\u00a0h"),
        (90, "1\u00a0h\u00a030"),
        (125, "2\u00a0h\u00a005"),
        (990, "16\u00a0h\u00a030"),
        (60 * 1200, "1\u202f200\u00a0h"),
    ],
)
def test_duree(minutes, attendu):
    assert duree(minutes) == attendu
