"""Backups as documented in docs/sauvegardes.md: ``pg_dump`` of the database, restored with
``pg_restore`` into an empty database, holds the same rows in every table, and its sequences
go on from where they were."""

from __future__ import annotations

import subprocess

import psycopg
import pytest
from psycopg import sql

from ateliers import services
from tests.ateliers.factories import ConventionFactory, FicheFactory
from tests.conseillers.factories import ActiviteFactory, BeneficiaireFactory, ConseillerFactory
from tests.services import binaire
from tests.structures.factories import LieuFactory, StructureFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _connexion(reglages, base: str):
    return psycopg.connect(
        host=reglages["HOST"],
        port=reglages["PORT"],
        user=reglages["USER"],
        dbname=base,
        autocommit=True,
    )


def _comptes(connexion) -> dict[str, int]:
    tables = [
        nom
        for (nom,) in connexion.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]
    return {
        table: connexion.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()[0]
        for table in tables
    }


def _sequences(connexion) -> dict[str, int | None]:
    return dict(
        connexion.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()
    )


def test_une_sauvegarde_restauree_dans_une_base_vide_a_les_memes_lignes(
    postgres, geographie, comptes, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    structure = StructureFactory(commune=geographie["le_mans"], referents=[comptes["referent"]])
    lieu = LieuFactory(commune=geographie["le_mans"], structure=structure)
    conseiller = ConseillerFactory(commune=geographie["le_mans"])
    for _ in range(5):
        ActiviteFactory(conseiller=conseiller)
    BeneficiaireFactory(conseiller=conseiller)
    ConventionFactory(structure=structure)
    services.publier_fiche(FicheFactory(commune=geographie["le_mans"]))
    assert lieu.pk

    reglages = postgres.settings_dict
    pg_dump, pg_restore = binaire("pg_dump"), binaire("pg_restore")
    assert pg_dump and pg_restore, "pg_dump et pg_restore viennent du paquet postgresql"
    cible = f"{reglages['NAME']}_restauration"
    archive = tmp_path / "inclusion.dump"
    acces = ["-h", reglages["HOST"], "-p", str(reglages["PORT"]), "-U", reglages["USER"]]
    subprocess.run(
        [pg_dump, *acces, "--format=custom", "--no-owner", "-f", archive, reglages["NAME"]],
        check=True,
        capture_output=True,
    )
    with _connexion(reglages, "postgres") as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(cible)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cible)))
    try:
        subprocess.run(
            [pg_restore, *acces, "--no-owner", "--exit-on-error", "-d", cible, archive],
            check=True,
            capture_output=True,
        )
        with (
            _connexion(reglages, reglages["NAME"]) as source,
            _connexion(reglages, cible) as restauree,
        ):
            avant, apres = _comptes(source), _comptes(restauree)
            assert apres == avant
            assert avant["conseillers_activite"] == 5 and avant["ateliers_convention"] == 1
            assert len(avant) > 40  # every table of the project, not a few
            assert _sequences(restauree) == _sequences(source)
            # the extension behind the workshops' exclusion constraint came along
            assert restauree.execute(
                "SELECT count(*) FROM pg_extension WHERE extname = 'btree_gist'"
            ).fetchone() == (1,)
    finally:
        with _connexion(reglages, "postgres") as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(cible))
            )
