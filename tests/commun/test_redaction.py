"""Writing as ../shared/REDACTION.md says: phone numbers in the French national format."""

import pytest

from commun.redaction import telephone_lisible


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
