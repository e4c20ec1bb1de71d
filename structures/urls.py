from django.urls import path  # noqa: F401

app_name = "structures"

urlpatterns = [
    # -- public pages (lieux, map, site page, error report) --
    # -- back-office (coordinators and referents) --
]
