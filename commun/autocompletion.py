"""Choosing one object among many by typing its name: a text input that JavaScript turns
into an accessible combobox (accessible-autocomplete, GOV.UK, vendored under
``commun/static/commun/vendor/``) fed by a JSON endpoint of suggestions.

Without JavaScript the same input is typed and posted; the server resolves the text (the
suggestion's label « Le Mans (72181) », the code alone, or the name) within the field's
queryset, and says in French when it is unknown or ambiguous. A short list stays a
``<select>``: ``proposer_autocompletion`` swaps a field only above
``settings.SEUIL_AUTOCOMPLETION`` choices."""

from __future__ import annotations

import re
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import JsonResponse

CLE_ENTRE_PARENTHESES = re.compile(r"\((?:n°\s*)?([^()]+)\)\s*$")
NOMBRE_DE_SUGGESTIONS = 10
LONGUEUR_MIN = 2


def _nom(objet) -> str:
    return str(getattr(objet, "nom", objet))


class SaisieAutocomplete(forms.TextInput):
    """The text input, its label written as the suggestions write it."""

    template_name = "commun/saisie_autocomplete.html"

    def __init__(self, url: str, attrs=None):
        super().__init__(
            {"autocomplete": "off", "spellcheck": "false", "class": "form-control", **(attrs or {})}
        )
        self.attrs["data-autocompletion"] = url


class ChampAutocomplete(forms.ModelChoiceField):
    """One object of ``queryset`` chosen by typing: its label (``libelle``), its key
    (``cle``: the field holding a code users know) or its name (``rechercher``)."""

    def __init__(
        self,
        queryset: QuerySet,
        *,
        url: str,
        cle: str = "pk",
        libelle: Callable[[Model], str] = str,
        rechercher: Callable[[QuerySet, str], QuerySet] | None = None,
        nom_objet: str = "élément",
        exemple: str = "",
        **kwargs,
    ):
        self.cle, self.libelle, self.nom_objet, self.exemple = cle, libelle, nom_objet, exemple
        self.rechercher = rechercher or (lambda qs, texte: qs.filter(nom__icontains=texte))
        kwargs.setdefault("widget", SaisieAutocomplete(url))
        super().__init__(queryset, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Model):
            return self.libelle(value)
        if value in self.empty_values:
            return ""
        objet = None
        if self._cle_valide(value):
            objet = self.queryset.filter(**{self.cle: value}).first()
        return self.libelle(objet) if objet else value

    def _cle_valide(self, valeur) -> bool:
        champ = self.queryset.model._meta.get_field(
            self.queryset.model._meta.pk.name if self.cle == "pk" else self.cle
        )
        try:
            champ.to_python(valeur)
        except ValidationError:
            return False
        return True

    def to_python(self, value):
        texte = str(value or "").strip()
        if texte in self.empty_values:
            return None
        if isinstance(value, Model):
            return value
        for cle in (CLE_ENTRE_PARENTHESES.search(texte), texte):
            cle = cle.group(1).strip() if isinstance(cle, re.Match) else cle
            if cle and self._cle_valide(cle):
                trouves = list(self.queryset.filter(**{self.cle: cle})[:2])
                if len(trouves) == 1:
                    return trouves[0]
        nom = CLE_ENTRE_PARENTHESES.sub("", texte).strip() or texte
        trouves = list(self.rechercher(self.queryset, nom)[:NOMBRE_DE_SUGGESTIONS])
        exacts = [o for o in trouves if _nom(o).casefold() == nom.casefold()]
        if len(exacts) == 1:
            return exacts[0]
        if len(trouves) == 1:
            return trouves[0]
        exemple = f", par exemple «\u202f{self.exemple}\u202f»" if self.exemple else ""
        if trouves:
            choix = ", ".join(f"«\u202f{self.libelle(o)}\u202f»" for o in trouves[:3])
            raise ValidationError(
                f"Plusieurs choix correspondent à «\u202f{texte}\u202f» ({choix}…)\u00a0: "
                "choisissez-en un dans la liste des suggestions ou saisissez le texte entier"
                f"{exemple}.",
                code="ambigu",
            )
        raise ValidationError(
            f"Aucun choix possible ne correspond à «\u202f{texte}\u202f»\u00a0: vérifiez "
            f"l'orthographe ou saisissez le code{exemple}.",
            code="inconnu",
        )

    def has_changed(self, initial, data):
        return self.prepare_value(initial) != str(data or "").strip()


def proposer_autocompletion(form: forms.Form, nom: str, **options) -> None:
    """Replace the ``<select>`` of ``form.fields[nom]`` by the typed field when it offers
    more than ``settings.SEUIL_AUTOCOMPLETION`` choices (one ``count`` query)."""
    ancien = form.fields[nom]
    if ancien.queryset.count() <= settings.SEUIL_AUTOCOMPLETION:
        return
    champ = ChampAutocomplete(
        ancien.queryset,
        required=ancien.required,
        label=ancien.label,
        help_text=(f"{ancien.help_text} " if ancien.help_text else "")
        + "Saisissez au moins deux lettres puis choisissez dans la liste.",
        initial=ancien.initial,
        error_messages={
            cle: message for cle, message in ancien.error_messages.items() if cle in ("required",)
        },
        **options,
    )
    form.fields[nom] = champ


def suggestions(request, queryset: QuerySet, *, rechercher, libelle=str) -> JsonResponse:
    """``{"suggestions": ["Le Mans (72181)", …]}``: at most ten labels of ``queryset``
    matching ``?q=`` (two characters at least)."""
    texte = request.GET.get("q", "").strip()[:100]
    if len(texte) < LONGUEUR_MIN:
        return JsonResponse({"suggestions": []})
    objets = rechercher(queryset, texte)[:NOMBRE_DE_SUGGESTIONS]
    return JsonResponse({"suggestions": [libelle(o) for o in objets]})
