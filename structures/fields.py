"""A multi-valued choice field stored portably (SQLite and PostgreSQL) as ``|a|b|``.

The national standard writes multi-valued cells with ``|`` between values; storing the
codes between separators keeps a filter on one value a plain ``LIKE '%|code|%'`` on every
database (see :meth:`ListeChoixField.contient`).
"""

from __future__ import annotations

from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

SEPARATEUR = "|"


@cache
def ordre_du_vocabulaire(choix) -> dict[str, int]:
    """Rank of each code in its vocabulary (``TextChoices.values`` is slow to rebuild)."""
    return {code: rang for rang, code in enumerate(choix.values)}


class ListeChoixField(models.TextField):
    def __init__(self, *args, choix=None, **kwargs):
        self.choix = choix
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    # -- conversions -----------------------------------------------------------------
    @staticmethod
    def en_liste(valeur) -> list[str]:
        if valeur is None or valeur == "":
            return []
        if isinstance(valeur, str):
            return [v for v in valeur.split(SEPARATEUR) if v]
        return [v for v in valeur if v]

    def from_db_value(self, value, expression, connection):
        return self.en_liste(value)

    def to_python(self, value):
        return self.en_liste(value)

    def get_prep_value(self, value):
        if isinstance(value, str):  # a lookup's right-hand side, e.g. "|gratuit|"
            return value
        valeurs = self.en_liste(value)
        if self.choix is not None:  # canonical order: the order of the vocabulary
            ordre = ordre_du_vocabulaire(self.choix)
            valeurs = sorted(dict.fromkeys(valeurs), key=lambda v: ordre.get(v, len(ordre)))
        return f"{SEPARATEUR}{SEPARATEUR.join(valeurs)}{SEPARATEUR}" if valeurs else ""

    def value_to_string(self, obj):
        return SEPARATEUR.join(self.value_from_object(obj))

    def validate(self, value, model_instance):
        if not self.editable:
            return
        valeurs = self.en_liste(value)
        if not valeurs and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")
        if self.choix is not None:
            ordre = ordre_du_vocabulaire(self.choix)
            inconnues = [v for v in valeurs if v not in ordre]
            if inconnues:
                raise ValidationError(
                    "Valeur inconnue\u00a0: %(valeurs)s.",
                    code="invalid_choice",
                    params={"valeurs": ", ".join(inconnues)},
                )

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.choix.choices if self.choix is not None else [],
            "required": not self.blank,
            "widget": forms.CheckboxSelectMultiple,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        defaults.pop("max_length", None)
        return form_class(**defaults)

    # -- queries ---------------------------------------------------------------------
    @staticmethod
    def contient(champ: str, code: str) -> Q:
        """``Q`` for the rows whose field ``champ`` holds ``code``."""
        return Q(**{f"{champ}__contains": f"{SEPARATEUR}{code}{SEPARATEUR}"})

    @classmethod
    def contient_un_de(cls, champ: str, codes) -> Q:
        q = Q()
        for code in codes:
            q |= cls.contient(champ, code)
        return q
