"""Form fields the subjects share: a territory of the user's, a level of units."""

from __future__ import annotations

from django import forms

from indicateurs.enums import Niveau

NIVEAUX = [
    (Niveau.COMMUNE.value, "communes"),
    (Niveau.QUARTIER.value, "quartiers"),
    (Niveau.IRIS.value, "IRIS"),
]


def champ_territoire(
    label: str = "Territoire", requis: str = "Choisissez un territoire.", **options
) -> forms.ChoiceField:
    """One of the user's territories (choices set by the form from the user's)."""
    return forms.ChoiceField(
        label=label,
        error_messages={"required": requis, "invalid_choice": "Choisissez un de vos territoires."},
        **options,
    )


def champ_niveau(
    label: str, requis: str = "Choisissez le niveau des unités.", **options
) -> forms.ChoiceField:
    """Communes, districts or IRIS."""
    return forms.ChoiceField(
        label=label,
        choices=NIVEAUX,
        error_messages={
            "required": requis,
            "invalid_choice": "Choisissez communes, quartiers ou IRIS.",
        },
        **options,
    )
