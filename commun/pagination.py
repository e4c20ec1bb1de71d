"""One way to cut a list into pages, read by the one include ``commun/pagination.html``."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import QueryDict


def paginer(objets, parametres: QueryDict, par_page: int) -> Page:
    """The page ``?page=`` asks for (the first for a wrong number, the last past the end).

    The page carries what the include needs: ``numeros``, the page numbers around the
    current one with ``…`` for the gaps, and ``parametres``, the query string whose other
    filters its links keep.
    """
    page = Paginator(objets, par_page).get_page(parametres.get("page"))
    page.numeros = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    page.parametres = parametres
    return page
