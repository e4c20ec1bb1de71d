"""On PostgreSQL, a trigram index on the communes' search names: the public search and
every commune field look communes up by a part of their name (``LIKE '%mans%'``), which
otherwise reads the 35,000 communes each time. SQLite (the demo) scans, as before."""

from django.db import migrations

INDEX = "territoires_commune_nom_recherche_trgm"


def creer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON territoires_commune "
        "USING gin (nom_recherche gin_trgm_ops)"
    )


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("territoires", "0001_initial")]

    operations = [migrations.RunPython(creer, supprimer)]
