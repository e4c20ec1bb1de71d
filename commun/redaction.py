"""How the portal writes for users (../shared/REDACTION.md), where code does it."""

from __future__ import annotations

# overseas numbers keep their own country code in the standard (+590 Guadeloupe…) and are
# dialled in France with a 0 and their three digits (0590 …)
INDICATIFS_OUTRE_MER = ("+590", "+594", "+262", "+596", "+269", "+687", "+689", "+508", "+681")


def telephone_lisible(numero: str) -> str:
    """``+33243474747`` → ``02 43 47 47 47``; ``+590590123456`` → ``05 90 12 34 56``; other
    values as they are."""
    numero = (numero or "").strip()
    national = ""
    if numero.startswith("+33") and len(numero) == 12:
        national = "0" + numero[3:]
    else:
        for indicatif in INDICATIFS_OUTRE_MER:
            if numero.startswith(indicatif) and len(numero) == len(indicatif) + 9:
                national = "0" + numero[len(indicatif) :]
                break
    if len(national) == 10 and national.isdigit():
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    return numero


def _contracter(nom: str, simple: str, le: str, les: str) -> str:
    """``Le Mans`` after « à » is « au Mans », « Les Sables-d'Olonne » « aux Sables… »; « La »
    and « L' » keep their capital: « à La Milesse »."""
    nom = (nom or "").strip()
    if nom.startswith("Le "):
        return f"{le} {nom[3:]}"
    if nom.startswith("Les "):
        return f"{les} {nom[4:]}"
    return f"{simple} {nom}"


def a_la_commune(nom: str) -> str:
    """« au Mans », « aux Sables-d'Olonne », « à La Milesse », « à Angers »."""
    return _contracter(nom, "à", "au", "aux")


def de_la_commune(nom: str) -> str:
    """« du Mans », « des Sables-d'Olonne », « de La Milesse », « d'Angers »."""
    nom = (nom or "").strip()
    if nom[:1].lower() in "aeiouyâéèêîôûh" and not nom.startswith(("Le ", "Les ", "La ")):
        return f"d'{nom}"
    return _contracter(nom, "de", "du", "des")
