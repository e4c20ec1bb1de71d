"""The territory's sites and their services in the data·inclusion schema (v1), the national
directory of the offer of social and professional inclusion (``data-inclusion-schema``,
published by the GIP Plateforme de l'inclusion).

Each public site becomes a data·inclusion *structure* (the place the public goes to, with
its address and opening hours; the organisation's SIRET when it has one) and each service
of the national mediation standard that the site offers becomes a data·inclusion *service*
of that structure. The correspondence of the vocabularies is in ``docs/donnees-ouvertes.md``.

Every record is checked against the schema's own models before it is published: an
optional field the schema refuses (an e-mail address it finds malformed, a description too
short) is left out of the record, and a record whose required fields it refuses (a name
of fewer than 3 characters) is left out of the file and counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from structures.enums import (
    Frais,
    ModaliteAcces,
    ModaliteAccompagnement,
    Programme,
    Public,
    Service,
)
from structures.models import Lieu

# our national-standard codes -> data·inclusion v1 values
THEMATIQUES = {
    Service.DEMARCHES: ["numerique--acceder-a-des-services-en-ligne"],
    Service.OUTILS_QUOTIDIEN: ["numerique--maitriser-les-fondamentaux-du-numerique"],
    Service.INSERTION_PRO: ["numerique--maitriser-les-fondamentaux-du-numerique"],
    Service.SECURITE: ["numerique--maitriser-les-fondamentaux-du-numerique"],
    Service.PARENTALITE: ["numerique--maitriser-les-fondamentaux-du-numerique"],
    Service.LOISIRS: ["numerique--maitriser-les-fondamentaux-du-numerique"],
    Service.COMPREHENSION: ["numerique--maitriser-les-fondamentaux-du-numerique"],
    Service.ACCES_MATERIEL: ["numerique--acceder-a-une-connexion-internet"],
    Service.MATERIEL_SOLIDAIRE: ["numerique--acquerir-un-equipement"],
}
PUBLICS = {
    Public.JEUNES: "jeunes",
    Public.ETUDIANTS: "etudiants",
    Public.FAMILLES: "familles",
    Public.SENIORS: "seniors",
    Public.FEMMES: "femmes",
}
# the prises en charge spécifiques that make a public of their own
HANDICAPS = {"surdite", "handicap_moteur", "handicap_mental", "deficience_visuelle"}
MOBILISATION = {
    ModaliteAcces.SE_PRESENTER: "se-presenter",
    ModaliteAcces.TELEPHONER: "telephoner",
    ModaliteAcces.MAIL: "envoyer-un-courriel",
    ModaliteAcces.RDV_EN_LIGNE: "utiliser-lien-mobilisation",
    ModaliteAcces.PRESCRIPTION: "envoyer-un-courriel",
}
# networks that carry a site, from its national programmes and its typologies
RESEAUX_PROGRAMMES = {
    Programme.AIDANTS_CONNECT: "aidants-connect",
    Programme.CONSEILLERS_NUMERIQUES: "conseillers-numeriques",
    Programme.EMMAUS_CONNECT: "emmaus",
    Programme.RELAIS_EMMAUS: "emmaus",
    Programme.FRANCE_SERVICES: "france-service",
    Programme.GRANDE_ECOLE: "grandes-ecoles-du-numerique",
    Programme.CROIX_ROUGE: "croix-rouge",
    Programme.POINT_CAF: "caf",
}
RESEAUX_TYPOLOGIES = {
    "ACI": "aci",
    "AFPA": "afpa",
    "AI": "ai",
    "ASE": "ase",
    "AVIP": "creches-avip",
    "CAARUD": "caarud",
    "CADA": "cada",
    "CAF": "caf",
    "CAP_EMPLOI": "cap-emploi-reseau-cheops",
    "CAVA": "cava",
    "CCAS": "ccas-cias",
    "CIAS": "ccas-cias",
    "CCONS": "chambres-consulaires",
    "CD": "departements",
    "DEPT": "departements",
    "CHRS": "chrs",
    "CHU": "chu",
    "CIDFF": "cidff",
    "CMP": "cmp",
    "CMS": "cms",
    "CPAM": "cpam",
    "CPH": "cph",
    "CSAPA": "csapa",
    "E2C": "ecoles-de-la-deuxieme-chance",
    "EA": "ea",
    "EATT": "eatt",
    "EI": "ei",
    "EITI": "eiti",
    "EPIDE": "epide",
    "EPN": "espaces-publics-numeriques",
    "ETTI": "etti",
    "FT": "france-travail",
    "PE": "france-travail",
    "GEIQ": "geiq",
    "HUDA": "huda",
    "LA_POSTE": "la-poste",
    "MDA": "maison-departementale-de-lautonomie",
    "MDE": "maisons-de-l-emploi",
    "MDEF": "maisons-de-l-emploi",
    "MDPH": "mdph",
    "MDS": "maisons-des-solidarites",
    "MJC": "mjc",
    "ML": "mission-locale",
    "MSA": "mutualite-sociale-agricole",
    "MSAP": "msap",
    "MUNI": "communes",
    "PIJ_BIJ": "reseau-information-jeunesse",
    "PIMMS": "pimms-mediation",
    "PJJ": "pjj",
    "PLIE": "plie",
    "REG": "regions",
    "RESSOURCERIE": "ressourceries",
    "RFS": "france-service",
    "RS_FJT": "residences-fjt",
    "SPIP": "spip",
    "UDAF": "unaf",
    "FABLAB": "fabrique-de-territoire",
}
SIRET = re.compile(r"^\d{14}$")
PIVOT_INCONNU = "00000000000000"


def source() -> str:
    """The producer's identifier in data·inclusion: the territory, as a slug."""
    return slugify(f"inclusion-numerique-{settings.PORTAIL_TERRITOIRE}")


@dataclass
class Export:
    structures: list[dict] = field(default_factory=list)
    services: list[dict] = field(default_factory=list)
    # records the schema refused, with the reason: (id, message)
    refuses: list[tuple[str, str]] = field(default_factory=list)


def _url(valeur: str) -> str | None:
    valeur = (valeur or "").strip()
    return valeur if valeur.startswith(("http://", "https://")) else None


def _adresse(lieu: Lieu) -> dict:
    return {
        "commune": lieu.commune.nom,
        "code_postal": lieu.code_postal or None,
        "code_insee": lieu.commune_id,
        "adresse": lieu.adresse or None,
        "complement_adresse": lieu.complement_adresse or None,
        "longitude": lieu.longitude,
        "latitude": lieu.latitude,
        "telephone": next(iter(lieu.liste_telephones), None),
        "courriel": next(iter(lieu.liste_courriels), None),
    }


def _date_maj(lieu: Lieu):
    # the schema refuses a date in the future (a typing slip in a source file)
    return min(lieu.date_maj or timezone.localdate(), timezone.localdate())


def structure_de(lieu: Lieu, *, lien: Callable[[int], str]) -> dict:
    pivot = lieu.structure.pivot if lieu.structure_id else ""
    reseaux = {RESEAUX_PROGRAMMES[p] for p in lieu.programmes if p in RESEAUX_PROGRAMMES}
    reseaux |= {RESEAUX_TYPOLOGIES[t] for t in lieu.typologies if t in RESEAUX_TYPOLOGIES}
    return {
        "source": source(),
        "id": f"{source()}--{lieu.pk}",
        "nom": lieu.nom,
        "date_maj": _date_maj(lieu),
        "description": lieu.presentation_detail or lieu.presentation_resume or None,
        "lien_source": lien(lieu.pk),
        "siret": pivot if SIRET.match(pivot or "") and pivot != PIVOT_INCONNU else None,
        **_adresse(lieu),
        "site_web": _url(next(iter(lieu.liste_sites_web), "")),
        "horaires_accueil": lieu.horaires or None,
        "accessibilite_lieu": _url(lieu.fiche_acces_libre),
        "reseaux_porteurs": sorted(reseaux) or None,
    }


def _type(lieu: Lieu, service: str) -> str:
    if service == Service.MATERIEL_SOLIDAIRE:
        return "aide-materielle"
    # a collective workshop only: an « atelier »; with individual support, « accompagnement »
    modalites = set(lieu.modalites_accompagnement)
    collectif = ModaliteAccompagnement.COLLECTIF in modalites
    if collectif and ModaliteAccompagnement.INDIVIDUEL not in modalites:
        return "atelier"
    return "accompagnement"


def _frais(lieu: Lieu) -> tuple[str | None, str | None]:
    if Frais.PAYANT in lieu.frais:
        return "payant", None
    if Frais.GRATUIT_SOUS_CONDITION in lieu.frais:
        return "gratuit", "Gratuit sous condition"
    if Frais.GRATUIT in lieu.frais:
        return "gratuit", None
    return None, None


def _publics(lieu: Lieu) -> tuple[list[str], str | None]:
    publics = {PUBLICS[p] for p in lieu.publics if p in PUBLICS}
    if HANDICAPS & set(lieu.prise_en_charge):
        publics.add("personnes-en-situation-de-handicap")
    precisions = ", ".join(lieu.libelles("prise_en_charge")) or None
    return (sorted(publics) or ["tous-publics"]), precisions


def _description(lieu: Lieu, libelle: str) -> str:
    texte = f"{libelle}. Lieu\u00a0: {lieu.nom}, {lieu.commune.nom}."
    modalites = ", ".join(m.lower() for m in lieu.libelles("modalites_accompagnement"))
    return f"{texte} Modalités\u00a0: {modalites}." if modalites else texte


def services_de(lieu: Lieu, *, lien: Callable[[int], str]) -> list[dict]:
    frais, frais_precisions = _frais(lieu)
    publics, publics_precisions = _publics(lieu)
    accueil = []
    if set(lieu.modalites_accompagnement) - {ModaliteAccompagnement.DISTANCE}:
        accueil.append("en-presentiel")
    if ModaliteAccompagnement.DISTANCE in lieu.modalites_accompagnement:
        accueil.append("a-distance")
    mobilisation = sorted({MOBILISATION[m] for m in lieu.modalites_acces if m in MOBILISATION})
    rdv = _url(lieu.prise_rdv)
    if not rdv and "utiliser-lien-mobilisation" in mobilisation:
        mobilisation.remove("utiliser-lien-mobilisation")
    par = ["usagers"]
    if ModaliteAcces.PRESCRIPTION in lieu.modalites_acces:
        par.append("professionnels")
    services = []
    libelles = dict(Service.choices)
    for code in lieu.services:
        if code not in THEMATIQUES:
            continue
        services.append(
            {
                "source": source(),
                "structure_id": f"{source()}--{lieu.pk}",
                "id": f"{source()}--{lieu.pk}--{code}",
                "nom": libelles[code],
                "description": _description(lieu, libelles[code]),
                "lien_source": lien(lieu.pk),
                "date_maj": _date_maj(lieu),
                "type": _type(lieu, code),
                "thematiques": THEMATIQUES[code],
                "frais": frais,
                "frais_precisions": frais_precisions,
                "publics": publics,
                "publics_precisions": publics_precisions,
                **_adresse(lieu),
                "modes_accueil": accueil or None,
                "lien_mobilisation": rdv,
                "modes_mobilisation": mobilisation or None,
                "mobilisable_par": par,
                "horaires_accueil": lieu.horaires or None,
            }
        )
    return services


def _valide(modele, objet: dict, refuses: list) -> dict | None:
    """The record as the schema reads it back (JSON types), its refused optional fields
    left out; None when a required field is refused."""
    from pydantic import ValidationError

    requis = {nom for nom, champ in modele.model_fields.items() if champ.is_required()}
    objet = {k: v for k, v in objet.items() if v is not None}
    for _ in range(3):
        try:
            lu = modele.model_validate(objet).model_dump(mode="json", exclude_none=True)
            # the schema's sets come back in the order of the process's string hashes:
            # sorted, the same sites give the same bytes in every process
            return {k: sorted(v) if isinstance(v, list) else v for k, v in lu.items()}
        except ValidationError as erreur:
            champs = {e["loc"][0] for e in erreur.errors() if e["loc"]}
            if champs & requis or not champs:
                refuses.append((objet.get("id", "?"), str(erreur.errors()[0]["msg"])))
                return None
            objet = {k: v for k, v in objet.items() if k not in champs}
    return None


def exporter(lieux: Iterable[Lieu], *, lien: Callable[[int], str]) -> Export:
    from data_inclusion.schema import v1

    export = Export()
    for lieu in lieux:
        structure = _valide(v1.Structure, structure_de(lieu, lien=lien), export.refuses)
        if structure is None:
            continue
        export.structures.append(structure)
        for service in services_de(lieu, lien=lien):
            valide = _valide(v1.Service, service, export.refuses)
            if valide is not None:
                export.services.append(valide)
    return export
