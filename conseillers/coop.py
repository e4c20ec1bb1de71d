"""The vocabulary of La Coop de la médiation numérique, read as aliases of the portal's codes.

La Coop (``inclusion-numerique/coop-mediation-numerique``) names the same activity types,
channels and themes with other codes in its API and with French labels in its spreadsheet
export. Sources, in that repository (``apps/web/src/features/activites/use-cases/cra/``):
``fields/type-activite.ts`` (``typeActiviteApiValues``, ``typeActiviteLabels``),
``fields/type-lieu.ts`` (``typeLieuApiValues``, ``typeLieuLabels``), ``fields/thematique.ts``
(``thematiqueApiValues``, ``thematiqueLabels``); the age brackets and statuses of the
beneficiaries from ``apps/web/src/beneficiaire/beneficiaire.ts`` (``trancheAgeLabels``,
``statutSocialLabels``). The table is documented in ``docs/imports.md``.

Aliases are compared normalised (:func:`territoires.text.normaliser`: case, accents,
punctuation and underscores aside), so that ``navigation_sur_internet`` and « Navigation
sur internet » are one key; the portal's own codes and labels are accepted the same way.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field

from territoires.text import normaliser

from .colonnes import COLONNES
from .enums import Canal, Statut, Thematique, TrancheAge, TypeActivite

# La Coop's API code → the portal's code, where they differ (the others are the same code)
CODES_TYPES_COOP: dict[str, str] = {}
CODES_CANAUX_COOP = {
    "a_distance": Canal.DISTANCE,
    "autre": Canal.AUTRE_LIEU,
}
CODES_THEMATIQUES_COOP = {
    "prendre_en_main_du_materiel": Thematique.PRENDRE_EN_MAIN_MATERIEL,
    "maintenance_de_materiel": Thematique.MAINTENANCE_MATERIEL,
    "gere_ses_contenus_numeriques": Thematique.CONTENUS_NUMERIQUES,
    "navigation_sur_internet": Thematique.NAVIGATION_INTERNET,
    "banque_et_achats_en_ligne": Thematique.BANQUE_ACHATS_EN_LIGNE,
    "scolarite_et_numerique": Thematique.SCOLARITE,
    "aide_aux_demarches_administratives": Thematique.DEMARCHES_ADMINISTRATIVES,
    "travail_formation": Thematique.TRAVAIL_FORMATION_ENTREPRISE,
}

# La Coop's French labels (spreadsheet export) → the portal's code
LIBELLES_TYPES_COOP = {
    "Accompagnement individuel": TypeActivite.INDIVIDUEL,
    "Atelier collectif": TypeActivite.COLLECTIF,
}
LIBELLES_CANAUX_COOP = {
    "Lieu d’activité": Canal.LIEU_ACTIVITE,
    "Autre lieu": Canal.AUTRE_LIEU,
    "À domicile": Canal.DOMICILE,
    "À distance": Canal.DISTANCE,
}
LIBELLES_THEMATIQUES_COOP = {
    "Diagnostic numérique": Thematique.DIAGNOSTIC_NUMERIQUE,
    "Prendre en main du matériel": Thematique.PRENDRE_EN_MAIN_MATERIEL,
    "Maintenance de matériel": Thematique.MAINTENANCE_MATERIEL,
    "Gérer ses contenus numériques": Thematique.CONTENUS_NUMERIQUES,
    "Navigation sur internet": Thematique.NAVIGATION_INTERNET,
    "E-mail": Thematique.EMAIL,
    "Bureautique": Thematique.BUREAUTIQUE,
    "Réseaux sociaux communication": Thematique.RESEAUX_SOCIAUX,
    "Santé": Thematique.SANTE,
    "Banque et achats en ligne": Thematique.BANQUE_ACHATS_EN_LIGNE,
    "Accompagner un professionnel": Thematique.ENTREPRENEURIAT,
    "Insertion professionnelle": Thematique.INSERTION_PROFESSIONNELLE,
    "Prévention en sécurité numérique": Thematique.SECURITE_NUMERIQUE,
    "Parentalité": Thematique.PARENTALITE,
    "Scolarité et numérique": Thematique.SCOLARITE,
    "Créer avec le numérique": Thematique.CREER_AVEC_LE_NUMERIQUE,
    "Culture numérique": Thematique.CULTURE_NUMERIQUE,
    "Intelligence artificielle (IA)": Thematique.INTELLIGENCE_ARTIFICIELLE,
    "Aide aux démarches administratives": Thematique.DEMARCHES_ADMINISTRATIVES,
    "Papiers - Élections Citoyenneté": Thematique.PAPIERS_ELECTIONS_CITOYENNETE,
    "Famille - Scolarité": Thematique.FAMILLE_SCOLARITE,
    "Social - Santé": Thematique.SOCIAL_SANTE,
    "Travail - Formation - Entreprise": Thematique.TRAVAIL_FORMATION_ENTREPRISE,
    "Logement": Thematique.LOGEMENT,
    "Transports - Mobilité": Thematique.TRANSPORTS_MOBILITE,
    "Argent - Impôts": Thematique.ARGENT_IMPOTS,
    "Justice": Thematique.JUSTICE,
    "Étrangers - Europe": Thematique.ETRANGERS_EUROPE,
    "Loisirs - Sports Culture": Thematique.LOISIRS_SPORTS_CULTURE,
    "Associations": Thematique.ASSOCIATIONS,
}
# beneficiaries' age brackets and statuses in the export; « Mineur(e) » (older exports) and
# « Non communiqué » have no bracket of the portal: None
LIBELLES_AGES_COOP = {
    "Moins de 12 ans": TrancheAge.MOINS_12,
    "12 - 17 ans": TrancheAge.DE_12_17,
    "18 - 24 ans": TrancheAge.DE_18_24,
    "25 - 39 ans": TrancheAge.DE_25_39,
    "40 - 59 ans": TrancheAge.DE_40_59,
    "60 - 69 ans": TrancheAge.DE_60_69,
    "70 ans et plus": TrancheAge.PLUS_70,
    "70 ans ou plus": TrancheAge.PLUS_70,
    "Mineur(e)": None,
    "Non communiqué": None,
}
LIBELLES_STATUTS_COOP = {
    "Scolarisé": Statut.SCOLARISE,
    "Scolarisé(e)": Statut.SCOLARISE,
    "Sans emploi": Statut.SANS_EMPLOI,
    "En emploi": Statut.EN_EMPLOI,
    "Retraité": Statut.RETRAITE,
    "Retraité(e)": Statut.RETRAITE,
    "Non communiqué ou hétérogène": Statut.NON_COMMUNIQUE,
    "Non communiqué": Statut.NON_COMMUNIQUE,
}


def _alias(vocabulaire, codes_coop: dict, libelles_coop: dict) -> dict[str, str]:
    """Normalised alias → the portal's code: its codes and labels, then La Coop's."""
    alias: dict[str, str] = {}
    for choix in vocabulaire:
        alias.setdefault(normaliser(choix.value), choix.value)
        alias.setdefault(normaliser(choix.label), choix.value)
    for source in (codes_coop, libelles_coop):
        for texte, code in source.items():
            alias[normaliser(texte)] = str(code)
    return alias


ALIAS_TYPES = _alias(TypeActivite, CODES_TYPES_COOP, LIBELLES_TYPES_COOP)
ALIAS_CANAUX = _alias(Canal, CODES_CANAUX_COOP, LIBELLES_CANAUX_COOP)
ALIAS_THEMATIQUES = _alias(Thematique, CODES_THEMATIQUES_COOP, LIBELLES_THEMATIQUES_COOP)


def code_du_type(texte: str) -> str | None:
    return ALIAS_TYPES.get(normaliser(texte))


def code_du_canal(texte: str) -> str | None:
    return ALIAS_CANAUX.get(normaliser(texte))


def code_de_la_thematique(texte: str) -> str | None:
    return ALIAS_THEMATIQUES.get(normaliser(texte))


# -- the spreadsheet export (--format coop) ---------------------------------------------
#
# Layout established from La Coop's source, ``apps/web/src/features/activites/use-cases/
# list/export/buildActivitesWorksheet.ts`` (commit 3f0c614d1072c6d3a74da0825943d781020abc7a)
# and its test ``buildActivitesWorksheet.spec.ts``: one sheet « Activités »; first the
# export's information (« Informations export », Nom, Prénom, Rôle, Total, Date d'export…)
# and its filters (« Filtres », one row each), an empty row, then a table whose header row
# starts with « Date », « Type »; one activity a row. A cell listing several themes or
# beneficiaries holds one per line. The export names the advisor by first and last name
# only: the advisor's e-mail is given to the command (``--conseiller``).

COLONNES_COOP = {
    "date": "Date",
    "type": "Type",
    "nb_participants": "Nombre de participants",
    "canal": "Canaux d’accompagnement",
    "lieu": "Lieu",
    "duree_minutes": "Durée (min)",
    "titre_atelier": "Nom de l’atelier",
    "thematiques": "Thématique(s) d’accompagnement",
    "ages": "Tranche d’âge du bénéficiaire",
    "statuts": "Statut du bénéficiaire",
}
OBLIGATOIRES_COOP = ["date", "type", "canal", "lieu", "duree_minutes", "thematiques"]
# the file's column of each error's column, for messages that name what the user sees
COLONNE_COOP_DE = {
    "date": COLONNES_COOP["date"],
    "type": COLONNES_COOP["type"],
    "canal": COLONNES_COOP["canal"],
    "code_insee": COLONNES_COOP["lieu"],
    "lieu_id": COLONNES_COOP["lieu"],
    "duree_minutes": COLONNES_COOP["duree_minutes"],
    "nb_participants": COLONNES_COOP["nb_participants"],
    "thematiques": COLONNES_COOP["thematiques"],
    "titre_atelier": COLONNES_COOP["titre_atelier"],
}
RE_LIEU = re.compile(r"^(?:(?P<structure>.+), )?(?P<code_postal>\d{5}) (?P<commune>.+)$")
ALIAS_AGES = {normaliser(t): a for t, a in LIBELLES_AGES_COOP.items()}
ALIAS_STATUTS = {normaliser(t): s for t, s in LIBELLES_STATUTS_COOP.items()}
LIGNES_D_EN_TETE_MAXIMUM = 60


@dataclass
class ClasseurCoop:
    """The rows of an export, in the columns of the portal's CSV format."""

    entete: list[str]
    lignes: list[tuple[int, list[str]]] = field(default_factory=list)
    # errors found while reading (commune or site not found), by row
    erreurs: dict[int, list] = field(default_factory=dict)


def _texte(cellule) -> str:
    if cellule is None:
        return ""
    if isinstance(cellule, dt.datetime):
        return cellule.date().isoformat()
    if isinstance(cellule, dt.date):
        return cellule.isoformat()
    if isinstance(cellule, float) and cellule.is_integer():
        return str(int(cellule))
    return str(cellule).strip()


def lire_classeur_coop(source, *, conseiller_email: str, erreur_ligne) -> ClasseurCoop:
    """Read La Coop's export into rows of the portal's format (``erreur_ligne`` builds an
    error). Raises ``ValueError`` with a French message when the file is not that export."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        classeur = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ValueError(
            "le fichier n'est pas un classeur XLSX (export des activités de La Coop)"
        ) from exc
    try:
        feuille = classeur["Activités"] if "Activités" in classeur.sheetnames else classeur.active
        lignes = feuille.iter_rows(values_only=True)
        position = None
        numero = 0
        for numero, valeurs in enumerate(lignes, start=1):
            textes = [_texte(v) for v in valeurs]
            if textes[:2] == ["Date", "Type"]:
                position = {t: i for i, t in enumerate(textes) if t}
                break
            if numero >= LIGNES_D_EN_TETE_MAXIMUM:
                break
        if position is None:
            raise ValueError(
                "en-tête du tableau des activités introuvable (une ligne commençant par "
                "« Date », « Type »)\u00a0: est-ce l'export des activités de La Coop ?"
            )
        manquantes = [
            COLONNES_COOP[c] for c in OBLIGATOIRES_COOP if COLONNES_COOP[c] not in position
        ]
        if manquantes:
            raise ValueError(
                f"ligne {numero}\u00a0: colonne(s) absente(s) du tableau\u00a0: "
                + ", ".join(manquantes)
            )
        brutes = []
        for n, valeurs in enumerate(lignes, start=numero + 1):
            textes = [_texte(v) for v in valeurs]
            if not any(textes):
                continue
            brutes.append((n, {c: _cellule(textes, position, t) for c, t in COLONNES_COOP.items()}))
    finally:
        classeur.close()
    return _convertir(brutes, conseiller_email, erreur_ligne)


def _cellule(textes: list[str], position: dict[str, int], titre: str) -> str:
    i = position.get(titre)
    return textes[i] if i is not None and i < len(textes) else ""


def _convertir(brutes, conseiller_email: str, erreur_ligne) -> ClasseurCoop:
    from structures.models import Lieu
    from territoires.models import Commune

    from .enums import CHAMPS_AGE, CHAMPS_STATUT

    entete = list(COLONNES)
    classeur = ClasseurCoop(entete)
    lieux_lus = {n: RE_LIEU.match(b["lieu"]) for n, b in brutes if b["lieu"]}
    codes_postaux = {m["code_postal"] for m in lieux_lus.values() if m}
    communes: dict[tuple[str, str], list[str]] = {}
    for code_postal in codes_postaux:
        for code, nom in Commune.objects.filter(codes_postaux__contains=code_postal).values_list(
            "code_insee", "nom"
        ):
            communes.setdefault((code_postal, normaliser(nom)), []).append(code)
    trouvees = {codes[0] for codes in communes.values() if len(codes) == 1}
    lieux: dict[tuple[str, str], list[int]] = {}
    for pk, nom, commune in (
        Lieu.objects.tous().filter(commune_id__in=trouvees).values_list("pk", "nom", "commune_id")
    ):
        lieux.setdefault((commune, normaliser(nom)), []).append(pk)
    for n, b in brutes:
        erreurs = []
        code_insee = lieu_id = ""
        lu = lieux_lus.get(n)
        if b["lieu"] and lu is None:
            erreurs.append(
                erreur_ligne(
                    n,
                    "code_insee",
                    f"« {b['lieu']} » n'est pas de la forme « Structure, 72000 Commune » ou "
                    "« 72000 Commune »",
                )
            )
        elif lu is not None:
            codes = communes.get((lu["code_postal"], normaliser(lu["commune"])), [])
            if len(codes) != 1:
                erreurs.append(
                    erreur_ligne(
                        n,
                        "code_insee",
                        f"commune « {lu['commune']} » introuvable sous le code postal "
                        f"{lu['code_postal']}",
                    )
                )
            else:
                code_insee = codes[0]
                canal = code_du_canal(b["canal"])
                if lu["structure"] and canal == Canal.LIEU_ACTIVITE:
                    pks = lieux.get((code_insee, normaliser(lu["structure"])), [])
                    if len(pks) == 1:
                        lieu_id = str(pks[0])
                    else:
                        erreurs.append(
                            erreur_ligne(
                                n,
                                "lieu_id",
                                f"lieu « {lu['structure']} » "
                                + ("introuvable" if not pks else "en plusieurs exemplaires")
                                + f" dans la commune {lu['commune']}\u00a0: créez-le ou "
                                "donnez-lui le "
                                "nom qu'il porte dans La Coop",
                            )
                        )
        participants = b["nb_participants"] or "1"
        valeurs = {
            "date": b["date"],
            "conseiller_email": conseiller_email,
            "type": b["type"],
            "canal": b["canal"],
            "code_insee": code_insee,
            "lieu_id": lieu_id,
            "duree_minutes": b["duree_minutes"],
            "nb_participants": participants,
            "nb_participants_recurrents": "0",
            "thematiques": "|".join(t for t in b["thematiques"].splitlines() if t.strip()),
            "titre_atelier": b["titre_atelier"],
        }
        valeurs.update(_repartition(b["ages"], ALIAS_AGES, "age_", participants, CHAMPS_AGE))
        valeurs.update(
            _repartition(b["statuts"], ALIAS_STATUTS, "statut_", participants, CHAMPS_STATUT)
        )
        classeur.lignes.append((n, [valeurs.get(c, "") for c in entete]))
        if erreurs:
            classeur.erreurs[n] = erreurs
    return classeur


def _repartition(cellule: str, alias: dict, prefixe: str, participants: str, champs) -> dict:
    """The counts per bracket of a cell listing one bracket per beneficiary; none when a
    bracket is unknown or the beneficiaries listed are not the participants."""
    lues = [alias.get(normaliser(t)) for t in cellule.splitlines() if t.strip()]
    if not lues or None in lues or str(len(lues)) != participants:
        return {}
    comptes = dict.fromkeys(champs, "0")
    for valeur in lues:
        cle = prefixe + str(valeur)
        comptes[cle] = str(int(comptes[cle]) + 1)
    return comptes
