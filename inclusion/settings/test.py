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
from .base import STORAGES

if os.environ.get("INCLUSION_WORKER_DE_TEST") != "1":
    # The pytest process runs tasks eagerly, whatever the developer's environment says;
    # integration tests point Celery at the Redis server and the real worker process
    # started by the test set-up (tests/services.py), which runs with REDIS_URL set.
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
