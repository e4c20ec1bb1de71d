"""The territory's main colour: validated at start-up, with a readable text colour."""

import re

RE_COULEUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _luminance(couleur: str) -> float:
    def canal(valeur: int) -> float:
        c = valeur / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(couleur[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * canal(r) + 0.7152 * canal(g) + 0.0722 * canal(b)


def contraste(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def couleur_de_texte(fond: str) -> str:
    """White or near-black, whichever reads better on ``fond`` (WCAG contrast ratio)."""
    if not RE_COULEUR.match(fond or ""):
        return "#ffffff"
    return "#ffffff" if contraste(fond, "#ffffff") >= contraste(fond, "#1e1e1e") else "#1e1e1e"
