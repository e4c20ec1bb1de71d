import pytest
from django.core.management import ManagementUtility


@pytest.fixture
def executer(monkeypatch):
    """Run ``manage.py <argv>`` in-process; returns its exit code.

    ``run_from_argv`` closes the database connections at the end, which would close the
    test's transaction: kept open here.
    """
    from django.core.management import base

    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    return _executer


def _executer(*argv) -> int:
    try:
        ManagementUtility(["manage.py", *argv]).execute()
    except SystemExit as sortie:
        return sortie.code
    return 0
