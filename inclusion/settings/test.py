"""Test settings: the test set-up (tests/services.py) provides DATABASE_URL and REDIS_URL."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key-never-use-in-production-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("EMAIL_URL", "memorymail://")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("CONN_MAX_AGE", "0")

from .base import *  # noqa: F403
from .base import (
    REST_FRAMEWORK,
    SILENCED_SYSTEM_CHECKS,
    STORAGES,
    limites_en_memoire_locale,
)

if os.environ.get("INCLUSION_WORKER_DE_TEST") != "1":
    # The pytest process runs tasks eagerly, whatever the developer's environment says;
    # integration tests point Celery at the Redis server and the real worker process
    # started by the test set-up (tests/services.py), which runs with REDIS_URL set.
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # one process counts the limits here (the live server is a thread of it): neither
    # django-ratelimit's checks nor the production warning apply
    SILENCED_SYSTEM_CHECKS = [
        *SILENCED_SYSTEM_CHECKS,
        *limites_en_memoire_locale(CACHES),
        "inclusion.W003",
    ]

# The suite posts the same forms and calls the same API operations hundreds of times from
# one address (property tests, schemathesis, the access matrix): the limits are out of
# reach here; the tests of the limits set low ones with the ``settings`` fixture.
HORS_D_ATTEINTE = "1000000/d"
LIMITE_SIGNALEMENTS_PAR_ADRESSE = HORS_D_ATTEINTE
LIMITE_SIGNALEMENTS_PAR_LIEU = HORS_D_ATTEINTE
LIMITE_PDF_PAR_ADRESSE = HORS_D_ATTEINTE
LIMITE_REINITIALISATION_PAR_ADRESSE = HORS_D_ATTEINTE
LIMITE_REINITIALISATION_PAR_COURRIEL = HORS_D_ATTEINTE
LIMITE_SUGGESTIONS_PAR_ADRESSE = HORS_D_ATTEINTE
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "lieux": HORS_D_ATTEINTE,
        "jeton": HORS_D_ATTEINTE,
    },
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
