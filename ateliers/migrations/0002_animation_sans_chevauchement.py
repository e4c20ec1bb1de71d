"""On PostgreSQL, two sessions of one advisor cannot overlap: an exclusion constraint on
(advisor, [start, end)), which holds even when two coordinators book at the same moment.
SQLite (the demo) relies on the service's check alone."""

from django.db import migrations

CONTRAINTE = "animation_sans_chevauchement"


def creer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE ateliers_animation ADD CONSTRAINT {CONTRAINTE} EXCLUDE USING gist "
        "(conseiller_id WITH =, tstzrange(debut, fin, '[)') WITH &&)"
    )


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE ateliers_animation DROP CONSTRAINT {CONTRAINTE}")


class Migration(migrations.Migration):
    dependencies = [("ateliers", "0001_ateliers")]

    operations = [migrations.RunPython(creer, supprimer)]
