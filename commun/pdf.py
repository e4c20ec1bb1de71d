"""What the portal's reports share (reportlab): a font that draws the French spaces, and a
page frame with the territory's name and logo, a footer and « page 2 sur 5 »."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .formats import ESPACE_FINE, ESPACE_INSECABLE

# DejaVu Sans draws the narrow no-break space (U+202F) of French numbers; Debian's
# fonts-dejavu-core installs it (Dockerfile). Without it, reportlab's own Bitstream Vera
# (same design, no U+202F): a no-break space takes its place.
POLICES_SYSTEME = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
)
IMAGES_DESSINABLES = {".png", ".jpg", ".jpeg", ".gif"}
GRIS = "#555555"


@dataclass(frozen=True)
class Polices:
    normale: str
    grasse: str
    espace_fine: bool  # the font draws U+202F

    def texte(self, valeur: str) -> str:
        """``valeur`` as the font can draw it (a table cell, a string on the canvas)."""
        return valeur if self.espace_fine else valeur.replace(ESPACE_FINE, ESPACE_INSECABLE)

    @staticmethod
    def paragraphe(valeur: str) -> str:
        """``valeur`` for a ``Paragraph``, which breaks lines at U+202F but not at U+00A0."""
        return valeur.replace(ESPACE_FINE, ESPACE_INSECABLE)


@functools.cache
def polices() -> Polices:
    """Register the portal's font family ("Portail", bold "Portail-Gras") once."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fichiers = next(
        ((n, g) for n, g in POLICES_SYSTEME if Path(n).is_file() and Path(g).is_file()),
        ("Vera.ttf", "VeraBd.ttf"),  # shipped with reportlab
    )
    normale = TTFont("Portail", fichiers[0])
    pdfmetrics.registerFont(normale)
    pdfmetrics.registerFont(TTFont("Portail-Gras", fichiers[1]))
    pdfmetrics.registerFontFamily(
        "Portail",
        normal="Portail",
        bold="Portail-Gras",
        italic="Portail",
        boldItalic="Portail-Gras",
    )
    return Polices("Portail", "Portail-Gras", ord(ESPACE_FINE) in normale.face.charToGlyph)


def logo_dessinable() -> str | None:
    """The file of ``PORTAIL_LOGO`` when reportlab can draw it (PNG, JPEG, GIF). An SVG
    would need svglib, which the portal does not install: the name is drawn alone."""
    from django.contrib.staticfiles import finders

    chemin = finders.find(settings.PORTAIL_LOGO) if settings.PORTAIL_LOGO else None
    if chemin and Path(chemin).suffix.lower() in IMAGES_DESSINABLES:
        return chemin
    return None


def canevas_numerote(dessiner_cadre):
    """A reportlab canvas class that, once every page is laid out, calls
    ``dessiner_cadre(canvas, page, total)`` on each page (for « page 2 sur 5 »)."""
    from reportlab.pdfgen.canvas import Canvas

    class CanevasNumerote(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for etat in self._pages:
                self.__dict__.update(etat)
                dessiner_cadre(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return CanevasNumerote


def cadre_de_page(pied: str, *, marge: float, haut: float, bas: float):
    """The frame of each page: the territory's logo and name above, ``pied`` and
    « page 2 sur 5 » below, within the side ``marge`` (points)."""
    from reportlab.lib import colors
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfmetrics import stringWidth

    p = polices()
    logo = logo_dessinable()
    image = ImageReader(logo) if logo else None

    def dessiner(canevas, page: int, total: int) -> None:
        largeur, hauteur = canevas._pagesize
        canevas.saveState()
        y_nom = hauteur - haut + 16
        x = marge
        if image is not None:
            l_img, h_img = image.getSize()
            h_logo = 22.0
            l_logo = h_logo * l_img / h_img
            canevas.drawImage(image, x, y_nom - 6, l_logo, h_logo, mask="auto")
            x += l_logo + 8
        canevas.setFont(p.grasse, 10)
        canevas.setFillColor(colors.HexColor(settings.PORTAIL_COULEUR))
        canevas.drawString(x, y_nom, p.texte(settings.PORTAIL_TERRITOIRE))
        canevas.setFont(p.normale, 8)
        canevas.setFillColor(colors.HexColor(GRIS))
        canevas.drawRightString(largeur - marge, y_nom, p.texte(settings.PORTAIL_NOM))
        canevas.setStrokeColor(colors.HexColor("#cccccc"))
        canevas.setLineWidth(0.5)
        canevas.line(marge, y_nom - 10, largeur - marge, y_nom - 10)
        canevas.line(marge, bas - 12, largeur - marge, bas - 12)
        numero = f"page {page} sur {total}"
        canevas.drawRightString(largeur - marge, bas - 24, numero)
        place = largeur - 2 * marge - stringWidth(numero, p.normale, 8) - 20
        texte = p.texte(pied)
        while texte and stringWidth(texte, p.normale, 8) > place:
            texte = texte[:-2] + "…"
        canevas.drawString(marge, bas - 24, texte)
        canevas.restoreState()

    return dessiner
