"""Development and demo: SQLite file, console e-mail, Celery eager unless REDIS_URL is set."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-never-use-in-production-0123456789")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("EMAIL_URL", "consolemail://")
# the demonstration runs on the developer's machine: its legal notice says so
os.environ.setdefault("PORTAIL_HEBERGEUR", "Démonstration sur le poste de la personne qui la lance")

from .base import *  # noqa: F403
from .base import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
