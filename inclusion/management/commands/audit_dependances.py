"""``manage.py audit_dependances``: the installed packages against PyPI's vulnerability data.

PyPI publishes, for each project, the known vulnerabilities of its latest release (from
the OSV database, the same data as pip-audit's). Every package installed in the running
environment is looked up there:

* a package at its latest release is audited: a vulnerability listed for it fails the
  command (unless it is in ``[tool.audit-dependances] ignorer`` of ``pyproject.toml``,
  with the reason it does not concern the portal);
* a release withdrawn by its authors (yanked) fails it too;
* a package held below its latest release (the project's own bounds, Django 5.2 LTS for
  one) cannot be audited from these data: it is listed, with the vulnerabilities its
  latest release carries, as a warning, and so is a newer release that the project's
  bounds admit (the security releases of Django 5.2 come as such patch releases).

``pip-audit`` asks PyPI for each installed release (``/pypi/<name>/<version>/json``) or
OSV, which the integration machines do not reach; where they are reachable,
``pip-audit --strict`` audits every release, held-back ones included.
"""

from __future__ import annotations

import json
import time
import tomllib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

INDEX = "https://pypi.org"
ESSAIS = 3
PAUSE = 0.5  # seconds, times the attempt number, before trying again


@dataclass
class Resultat:
    nom: str
    installee: str
    derniere: str = ""
    vulnerabilites: list[dict] = field(default_factory=list)
    retiree: str | None = None  # the yanked reason ("" when none was given)
    publiees: list[str] = field(default_factory=list)  # releases not entirely yanked
    erreur: str = ""

    @property
    def a_jour(self) -> bool:
        try:
            return Version(self.installee) >= Version(self.derniere)
        except InvalidVersion:
            return self.installee == self.derniere


def paquets_installes(exclus: set[str]) -> dict[str, str]:
    """``{canonical name: version}`` of the distributions of the running environment."""
    paquets = {}
    for distribution in metadata.distributions():
        nom = distribution.metadata["Name"]
        if nom and canonicalize_name(nom) not in exclus:
            paquets[canonicalize_name(nom)] = distribution.version
    return dict(sorted(paquets.items()))


def lire_projet(index: str, nom: str, delai: float) -> dict:
    url = f"{index.rstrip('/')}/pypi/{nom}/json"
    for essai in range(ESSAIS):
        try:
            with urllib.request.urlopen(url, timeout=delai) as reponse:  # noqa: S310 (https)
                return json.loads(reponse.read())
        except urllib.error.HTTPError as erreur:
            if erreur.code == 404:
                raise LookupError(f"absent de l'index {index}") from erreur
            if essai == ESSAIS - 1:
                raise
        except (urllib.error.URLError, TimeoutError):
            if essai == ESSAIS - 1:
                raise
        time.sleep(PAUSE * (essai + 1))
    raise AssertionError("unreachable")


def auditer(nom: str, installee: str, index: str, delai: float) -> Resultat:
    resultat = Resultat(nom=nom, installee=installee)
    try:
        projet = lire_projet(index, nom, delai)
    except LookupError as erreur:
        resultat.erreur = str(erreur)
        return resultat
    except (urllib.error.URLError, TimeoutError, OSError) as erreur:
        resultat.erreur = f"index injoignable ({erreur})"
        return resultat
    resultat.derniere = projet["info"]["version"]
    resultat.vulnerabilites = projet.get("vulnerabilities") or []
    publications = projet.get("releases", {})
    resultat.publiees = [
        version
        for version, fichiers in publications.items()
        if not fichiers or not all(f.get("yanked") for f in fichiers)
    ]
    fichiers = _fichiers_de(publications, installee)
    if fichiers and all(f.get("yanked") for f in fichiers):
        resultat.retiree = fichiers[0].get("yanked_reason") or ""
    return resultat


def _fichiers_de(publications: dict, version: str) -> list[dict]:
    if version in publications:
        return publications[version]
    try:
        cherchee = Version(version)
    except InvalidVersion:
        return []
    for publiee, fichiers in publications.items():
        try:
            if Version(publiee) == cherchee:
                return fichiers
        except InvalidVersion:
            continue
    return []


def plus_recente_permise(publiees: list[str], exigence: Requirement) -> Version | None:
    """The newest final release that the project's requirement admits."""
    versions = []
    for publiee in publiees:
        try:
            version = Version(publiee)
        except InvalidVersion:
            continue
        if not version.is_prerelease and exigence.specifier.contains(version):
            versions.append(version)
    return max(versions, default=None)


def _description(vulnerabilite: dict) -> str:
    alias = ", ".join(vulnerabilite.get("aliases") or [])
    corrigee = ", ".join(vulnerabilite.get("fixed_in") or []) or "aucune version corrective"
    lien = vulnerabilite.get("link") or ""
    identifiant = vulnerabilite.get("id", "?") + (f" ({alias})" if alias else "")
    return f"{identifiant} — corrigée dans : {corrigee} {lien}".rstrip()


class Command(BaseCommand):
    help = (
        "Vérifie les paquets installés contre les vulnérabilités connues publiées par PyPI ; "
        "échoue sur une vulnérabilité ou une version retirée."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--index", default=INDEX, help="index de type PyPI (JSON API)")
        parser.add_argument("--delai", type=float, default=20.0, help="secondes par requête")
        parser.add_argument(
            "--configuration",
            default=str(Path(settings.BASE_DIR) / "pyproject.toml"),
            help="fichier pyproject.toml (table [tool.audit-dependances])",
        )

    def handle(self, *args, **options):
        configuration = _configuration(Path(options["configuration"]))
        ignorees = {cle.upper(): raison for cle, raison in configuration["ignorer"].items()}
        exclus = {canonicalize_name(nom) for nom in configuration["exclure"]}
        paquets = paquets_installes(exclus)
        with ThreadPoolExecutor(max_workers=8) as groupe:
            resultats = list(
                groupe.map(
                    lambda paquet: auditer(*paquet, options["index"], options["delai"]),
                    paquets.items(),
                )
            )
        problemes, avertissements = [], []
        non_verifiables = []
        for resultat in resultats:
            signalees = [
                v
                for v in resultat.vulnerabilites
                if not ({v.get("id", "").upper()} | {a.upper() for a in v.get("aliases") or []})
                & ignorees.keys()
            ]
            if resultat.erreur:
                problemes.append(f"{resultat.nom} {resultat.installee} : {resultat.erreur}")
                continue
            if resultat.retiree is not None:
                raison = f" ({resultat.retiree})" if resultat.retiree else ""
                problemes.append(
                    f"{resultat.nom} {resultat.installee} : version retirée par ses auteurs"
                    f"{raison} ; dernière version : {resultat.derniere}"
                )
            if resultat.a_jour:
                problemes.extend(
                    f"{resultat.nom} {resultat.installee} : {_description(v)}" for v in signalees
                )
            else:
                non_verifiables.append(resultat)
                exigence = configuration["exigences"].get(resultat.nom)
                recente = exigence and plus_recente_permise(resultat.publiees, exigence)
                if recente and recente > Version(resultat.installee):
                    avertissements.append(
                        f"{resultat.nom} {resultat.installee} : la version {recente}, permise "
                        f"par « {exigence} », est publiée : pip install --upgrade '{exigence.name}'"
                    )
                avertissements.extend(
                    f"{resultat.nom} {resultat.installee} (dernière {resultat.derniere}) : "
                    f"la dernière version est touchée par {_description(v)}"
                    for v in signalees
                )
        for ligne in avertissements:
            self.stderr.write(f"Attention : {ligne}")
        if non_verifiables:
            self.stdout.write(
                "Non vérifiables ici (version installée antérieure à la dernière publiée) : "
                + ", ".join(f"{r.nom} {r.installee} < {r.derniere}" for r in non_verifiables)
            )
        audites = len(resultats) - len(non_verifiables)
        bilan = (
            f"{len(resultats)} paquets installés : {audites} audités à leur dernière version, "
            f"{len(non_verifiables)} non vérifiable{'s' if len(non_verifiables) > 1 else ''} ici, "
            f"{len(problemes)} problème(s)."
        )
        if problemes:
            for ligne in problemes:
                self.stderr.write(ligne)
            raise CommandError(bilan)
        self.stdout.write(self.style.SUCCESS(bilan))


def _configuration(chemin: Path) -> dict:
    """The ignored vulnerabilities (with their reasons) and the packages not to look up:
    the project itself, installed from its checkout, and ``exclure``."""
    contenu = tomllib.loads(chemin.read_text(encoding="utf-8")) if chemin.exists() else {}
    table = contenu.get("tool", {}).get("audit-dependances", {})
    projet = contenu.get("project", {})
    exclus = list(table.get("exclure", []))
    if "name" in projet:
        exclus.append(projet["name"])
    exigences = {}
    for ligne in [
        *projet.get("dependencies", []),
        *(d for groupe in projet.get("optional-dependencies", {}).values() for d in groupe),
    ]:
        try:
            exigence = Requirement(ligne)
        except InvalidRequirement:
            continue
        exigences[canonicalize_name(exigence.name)] = exigence
    return {"ignorer": dict(table.get("ignorer", {})), "exclure": exclus, "exigences": exigences}
