"""The tokens of DRF's authtoken (stored in clear, never expiring) become hashed tokens
that expire 30 days after this migration (or sooner if API_JETON_DUREE_JOURS is shorter),
so that the tools using them keep working while their owners create new ones. Then the
clear-text table is dropped."""

from datetime import UTC, timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

TABLE = "authtoken_token"
DELAI_DE_GRACE_JOURS = 30
LIBELLE = "Jeton d'avant l'expiration des jetons, à remplacer"


def reprendre_les_jetons(apps, schema_editor):
    from knox.crypto import hash_token
    from knox.settings import CONSTANTS

    connexion = schema_editor.connection
    if TABLE not in connexion.introspection.table_names():
        return
    JetonApi = apps.get_model("comptes", "JetonApi")
    with connexion.cursor() as curseur:
        curseur.execute(f"SELECT key, user_id, created FROM {TABLE}")  # noqa: S608
        anciens = curseur.fetchall()
    expiry = timezone.now() + timedelta(
        days=min(DELAI_DE_GRACE_JOURS, settings.API_JETON_DUREE_JOURS)
    )
    for cle, user_id, cree in anciens:
        if timezone.is_naive(cree):  # SQLite's raw rows: UTC without its zone
            cree = timezone.make_aware(cree, UTC)
        digest = hash_token(cle)
        JetonApi(
            digest=digest,
            token_key=cle[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            expiry=expiry,
            libelle=LIBELLE,
        ).save(force_insert=True)
        # created is auto_now_add: the token keeps its real creation date
        JetonApi.objects.filter(digest=digest).update(created=cree)
    schema_editor.execute(f"DROP TABLE {TABLE}")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [
        ("comptes", "0003_jetons_api"),
    ]

    operations = [
        migrations.RunPython(reprendre_les_jetons, migrations.RunPython.noop, elidable=True),
    ]
