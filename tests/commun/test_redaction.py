"""Writing as ../shared/REDACTION.md says: phone numbers in the French national format."""

import pytest

from commun.formats import telephone_lisible


@pytest.mark.parametrize(
    ("numero", "attendu"),
    [
        ("+33243474747", "02 43 47 47 47"),
        ("+33612345678", "06 12 34 56 78"),
        ("+590590123456", "05 90 12 34 56"),
        ("+262262123456", "02 62 12 34 56"),
        ("0243474747", "0243474747"),  # not the stored format: left as it is
        ("", ""),
        ("+3324347", "+3324347"),
    ],
)
def test_telephone_lisible(numero, attendu):
    assert telephone_lisible(numero) == attendu


@pytest.mark.parametrize(
    ("nom", "a", "de"),
    [
        ("Le Mans", "au Mans", "du Mans"),
        ("Les Sables-d'Olonne", "aux Sables-d'Olonne", "des Sables-d'Olonne"),
        ("La Milesse", "à La Milesse", "de La Milesse"),
        ("Angers", "à Angers", "d'Angers"),
        ("Yvré-l'Évêque", "à Yvré-l'Évêque", "d'Yvré-l'Évêque"),
        ("Sargé-lès-le-Mans", "à Sargé-lès-le-Mans", "de Sargé-lès-le-Mans"),
        ("Houdan", "à Houdan", "d'Houdan"),
    ],
)
def test_articles_des_communes(nom, a, de):
    from commun.formats import a_la_commune, de_la_commune

    assert a_la_commune(nom) == a
    assert de_la_commune(nom) == de
