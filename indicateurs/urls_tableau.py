"""URLs of the tableau pages (merged into indicateurs/urls.py)."""

urlpatterns: list = []
