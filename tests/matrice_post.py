"""What a row of the POST matrix (tests/test_acces_post.py) is made of.

A row is keyed by ``(route name, action)`` and holds a builder and the expected status of
each role. The builder receives an :class:`Envoi` (the geography, the accounts, the role
and its logged-in client), creates the objects the action needs and returns a :class:`Cas`:
the URL, a valid body and how to see that the action was carried out. A valid body, so
that a refusal comes from the rule and not from the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import ROLES


class Fait(int):
    """The status of a role for which the action is carried out: the test checks its
    effect. For any other status, the test checks that no table changed."""

    def __repr__(self) -> str:
        return f"Fait({int(self)})"


# the usual success: the page redirects after its write
OK = Fait(302)


@dataclass
class Envoi:
    geo: dict
    comptes: dict
    role: str
    client: object

    @property
    def user(self):
        return self.comptes[self.role]


@dataclass
class Cas:
    url: str
    donnees: dict = field(default_factory=dict)
    fait: Callable[[], bool] = lambda: True


def attendus(defaut: int = 403, *, anonyme: int = 302, **roles: int) -> dict[str, int]:
    """Every role ``defaut`` (the anonymous visitor: sent to the login page), but ``roles``."""
    attendu = {**dict.fromkeys(ROLES, defaut), "anonyme": anonyme, **roles}
    assert set(attendu) == set(ROLES), set(attendu) - set(ROLES)
    return attendu
