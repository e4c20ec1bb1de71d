"""Template filters that write as ../shared/REDACTION.md says."""

from django import template
from django.utils import timezone

from commun import formats
from commun.formats import a_la_commune, de_la_commune, telephone_lisible

register = template.Library()


@register.filter
def telephone(numero) -> str:
    """``{{ numero|telephone }}``: ``02 43 47 47 47`` (the ``tel:`` link keeps +33…)."""
    return telephone_lisible(str(numero or ""))


@register.filter
def a_commune(nom) -> str:
    """``{{ commune.nom|a_commune }}``: « au Mans », « à La Milesse »."""
    return a_la_commune(str(nom or ""))


@register.filter
def de_commune(nom) -> str:
    """``{{ commune.nom|de_commune }}``: « du Mans », « d'Angers »."""
    return de_la_commune(str(nom or ""))


@register.filter
def heure(moment) -> str:
    """``{{ debut|heure }}``: « 14 h », « 9 h 05 » (never 14h00 nor 09:00)."""
    return formats.heure(moment) if moment else ""


@register.filter
def date_heure(moment) -> str:
    """``{{ debut|date_heure }}``: « mardi 1er décembre 2026 à 14 h 30 »."""
    return formats.date_et_heure(moment) if moment else ""


@register.filter
def duree(minutes) -> str:
    """``{{ total_minutes|duree }}``: « 45 min », « 16 h 30 »."""
    return formats.duree(minutes) if minutes is not None else ""


@register.filter
def jour(moment, avec_jour="") -> str:
    """``{{ debut|jour }}``: « 1er décembre 2026 » (``{{ debut|jour:"semaine" }}``:
    « mardi 1er décembre 2026 »)."""
    if not moment:
        return ""
    return formats.date_longue(moment, avec_jour=avec_jour == "semaine")


@register.filter
def date_courte_heure(moment) -> str:
    """``{{ moment|date_courte_heure }}``: « 07/12/2026 à 14 h 30 », for dense tables."""
    if not moment:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%d/%m/%Y} à {formats.heure(moment)}"


@register.filter
def pluriel(nombre, suffixes: str = "s") -> str:
    """``{{ n }} lieu{{ n|pluriel:"x" }}``: as Django's ``pluralize``, but French: 0 and 1
    are singular (« 0 lieu », « 1 lieu », « 2 lieux »)."""
    if "," in suffixes:
        singulier, _, pluriel_ = suffixes.partition(",")
    else:
        singulier, pluriel_ = "", suffixes
    try:
        valeur = abs(float(nombre if not hasattr(nombre, "__len__") else len(nombre)))
    except (TypeError, ValueError):
        return ""
    return pluriel_ if valeur >= 2 else singulier
