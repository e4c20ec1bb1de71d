"""E-mails stored trimmed and lower-case, as login and the lockout compare them."""

from django.db import migrations
from django.db.models.functions import Lower, Trim


def normaliser(apps, schema_editor):
    User = apps.get_model("comptes", "User")
    pris = set(User.objects.values_list("email", flat=True))
    for user in User.objects.exclude(email=Lower(Trim("email"))).only("pk", "email"):
        courriel = user.email.strip().lower()
        # two accounts that differ only by case are left for the technical team to merge
        if courriel not in pris:
            pris.discard(user.email)
            pris.add(courriel)
            User.objects.filter(pk=user.pk).update(email=courriel)


class Migration(migrations.Migration):
    dependencies = [("comptes", "0001_initial")]

    operations = [migrations.RunPython(normaliser, migrations.RunPython.noop)]
