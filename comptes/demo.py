"""One demo account per role on the demo territory."""

from territoires.models import Epci

from .enums import Role
from .services import creer_compte

MOT_DE_PASSE_DEMO = "demo-inclusion-2026"

COMPTES_DEMO = [
    ("coordination@demo.test", Role.COORDINATEUR, "Camille", "Martin"),
    ("conseiller@demo.test", Role.CONSEILLER, "Karim", "Benali"),
    ("structure@demo.test", Role.REFERENT, "Sophie", "Leroy"),
    ("elu@demo.test", Role.ELU, "Jean", "Dupont"),
]
COMPTE_STAFF_DEMO = "admin@demo.test"


def creer_comptes_demo(*, epci: Epci) -> list[tuple[str, str]]:
    """Create or refresh the demo accounts; returns (e-mail, role label) pairs."""
    comptes = []
    for email, role, prenom, nom in COMPTES_DEMO:
        creer_compte(
            email=email,
            mot_de_passe=MOT_DE_PASSE_DEMO,
            role=role,
            prenom=prenom,
            nom=nom,
            epcis=[epci],
        )
        comptes.append((email, role.label))
    creer_compte(
        email=COMPTE_STAFF_DEMO,
        mot_de_passe=MOT_DE_PASSE_DEMO,
        role="",
        prenom="Équipe",
        nom="technique",
        staff=True,
    )
    comptes.append((COMPTE_STAFF_DEMO, "équipe technique (administration)"))
    return comptes
