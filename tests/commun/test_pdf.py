"""The reports' font: DejaVu Sans when installed (it draws U+202F), else reportlab's Vera
with a no-break space in its place."""

from commun import pdf


def test_police_de_repli_sans_dejavu(monkeypatch):
    monkeypatch.setattr(pdf, "POLICES_SYSTEME", (("/nulle/part.ttf", "/nulle/part-gras.ttf"),))
    pdf.polices.cache_clear()
    try:
        polices = pdf.polices()
        assert not polices.espace_fine
        assert polices.texte("10\u202f557\u00a0km") == "10\u00a0557\u00a0km"
    finally:
        monkeypatch.undo()
        pdf.polices.cache_clear()
        pdf.polices()


def test_paragraphe_garde_les_espaces_insecables():
    assert pdf.Polices.paragraphe("collectif\u202f; «\u202fdont\u202f»") == (
        "collectif\u00a0; «\u00a0dont\u00a0»"
    )
