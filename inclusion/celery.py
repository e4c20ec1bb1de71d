"""Celery application.

Configured from Django settings (``CELERY_*``). When ``REDIS_URL`` is unset, tasks run
eagerly in the calling process, so the demo needs neither Redis nor a worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings.base")

app = Celery("inclusion")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
