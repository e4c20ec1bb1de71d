"""On PostgreSQL, a trigram index on the sites' search names, for the public search by
words (``LIKE '%mediatheque%'`` over 18,000 sites at national scale). SQLite scans."""

from django.db import migrations

INDEX = "structures_lieu_nom_recherche_trgm"


def creer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON structures_lieu "
        "USING gin (nom_recherche gin_trgm_ops)"
    )


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("structures", "0002_historique_des_lieux"), ("territoires", "0002_recherche_trigrammes")]

    operations = [migrations.RunPython(creer, supprimer)]
