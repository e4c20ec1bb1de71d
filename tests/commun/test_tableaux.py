"""Every table's scroll box is a named region reachable by keyboard."""

from django.template import Context, Template

from tests.conftest import RACINE


def test_la_boite_de_tableau_est_une_region_nommee_focalisable():
    rendu = Template('{% load tableaux %}{% boite_de_tableau "Tableau des « lieux »" "mb-4" %}')
    assert rendu.render(Context()) == (
        '<div class="table-responsive mb-4" tabindex="0" role="region" '
        'aria-label="Tableau des « lieux »">'
    )


def test_aucun_tableau_ne_defile_sans_sa_boite():
    """A bare ``table-responsive`` box scrolls on a phone without being reachable by the
    keyboard (axe: scrollable-region-focusable): every template uses the tag."""
    nues = [
        str(chemin.relative_to(RACINE))
        for chemin in [
            *RACINE.glob("*/**/templates/**/*.html"),
            *RACINE.glob("templates/**/*.html"),
        ]
        if ".venv" not in chemin.parts and 'class="table-responsive' in chemin.read_text()
    ]
    assert not nues, nues
    assert len(list(RACINE.glob("*/**/templates/**/*.html"))) > 50  # the search sees them
