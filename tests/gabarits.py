"""Guard on every rendered page: no template syntax may reach the user.

Django hides a one-line ``{# #}`` comment only; a multi-line one, a typo in a tag or a
variable left in a string is printed as it is. Every HTML response the test client receives
and every HTML document the browser tests load goes through :func:`verifier_gabarit`.
"""

from __future__ import annotations

import re

# What no rendered page contains. JSON in a page (json_script) never has two opening braces
# in a row, nor a brace next to ``%`` or ``#``.
MARQUES = ("{#", "#}", "{{", "{%", "%}")
_RE_MARQUES = re.compile("|".join(re.escape(m) for m in MARQUES))


class SyntaxeDeGabaritVisible(AssertionError):
    pass


def restes_de_gabarit(html: str) -> list[str]:
    """Each leftover with some context around it."""
    return [
        html[max(0, m.start() - 60) : m.end() + 60].replace("\n", " ")
        for m in _RE_MARQUES.finditer(html)
    ]


def verifier_gabarit(url: str, contenu_type: str, contenu: bytes | str) -> None:
    if "text/html" not in (contenu_type or ""):
        return
    html = contenu.decode("utf-8", "replace") if isinstance(contenu, bytes) else contenu
    restes = restes_de_gabarit(html)
    if restes:
        raise SyntaxeDeGabaritVisible(
            f"{url} montre de la syntaxe de gabarit :\n" + "\n".join(f"  …{r}…" for r in restes)
        )
