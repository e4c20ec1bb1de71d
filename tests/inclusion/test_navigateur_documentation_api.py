"""The API documentation page (Swagger UI in the portal's page) with an operation opened
and in « Try it out » mode, where its selects (parameters, media types) show: axe-core finds
no violation of any impact, at 1280 and 390 px."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.inclusion.test_navigateur_telephone import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_une_operation_ouverte_passe_axe(page):
    page.goto(reverse("api:documentation"))
    page.locator(".swagger-ui .opblock").first.wait_for()
    operation = page.locator(".swagger-ui .opblock-get").first
    operation.locator(".opblock-summary-control").click()
    operation.locator(".opblock-body").wait_for()
    operation.get_by_role("button", name="Try it out").click()
    assert operation.locator("select").count() >= 1
    for largeur, hauteur in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": largeur, "height": hauteur})
        assert _axe(page) == [], largeur
        if os.environ.get("CAPTURES"):  # screenshots to look at, where CAPTURES names a folder
            dossier = Path(os.environ["CAPTURES"])
            dossier.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=dossier / f"documentation-api-{largeur}.png", full_page=True)
