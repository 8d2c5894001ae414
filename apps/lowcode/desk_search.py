"""Search terms stay out of URLs. The desk's search box posts; the term is kept in the session under
a random key and the list's URL carries only that key, as does every link the list builds from it
(pages, sorting, filters, the way back from a change page). An ID or mobile number typed into the
box so never reaches an access log, a proxy, the browser history or a Referer header. A URL that
still carries `?q=` (an old bookmark) is answered with the same redirect."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from unfold.views import ChangeList

KEY_VAR = "sk"
POSTED = "_search"  # the search form's marker, beside the term in SEARCH_VAR
SESSION_KEY = "desk_searches"
KEPT = 20  # terms a session keeps; older keys answer "search again"
NOT_CARRIED = {SEARCH_VAR, KEY_VAR, POSTED, PAGE_VAR, "csrfmiddlewaretoken"}


def remember(request, term: str) -> str:
    """The key under which this session keeps `term` (the same key for the same term)."""
    searches = request.session.get(SESSION_KEY, {})
    for key, kept in searches.items():
        if kept == term:
            return key
    key = secrets.token_urlsafe(9)
    searches[key] = term
    while len(searches) > KEPT:
        searches.pop(next(iter(searches)))
    request.session[SESSION_KEY] = searches
    return key


def recall(request, key: str) -> str | None:
    return request.session.get(SESSION_KEY, {}).get(key) if key else None


class KeyedSearchChangeList(ChangeList):
    """Searches with the term the key names; its links carry the key, never the term."""

    posts_search = True  # read by templates/admin/search_form.html
    # read four times a page by the search form: a missing attribute costs the template engine a dir()
    is_dataset = False

    def __init__(self, request, *args, **kwargs):
        key = request.GET.get(KEY_VAR, "")
        term = recall(request, key)
        self.search_key = key if term else ""
        shown = request.GET.copy()
        shown.pop(KEY_VAR, None)
        shown.pop(SEARCH_VAR, None)
        if term:
            shown[SEARCH_VAR] = term
        original, request.GET = request.GET, shown
        try:
            super().__init__(request, *args, **kwargs)
        finally:
            request.GET = original
        self.preserved_filters = self.model_admin.get_preserved_filters(request)  # with the key

    def get_query_string(self, new_params=None, remove=None):
        if self.search_key and SEARCH_VAR not in (new_params or {}):
            new_params = {SEARCH_VAR: None, KEY_VAR: self.search_key, **(new_params or {})}
        return super().get_query_string(new_params, remove)


class KeyedSearchMixin:
    """For a ModelAdmin: its search form posts here (templates/admin/search_form.html)."""

    def get_changelist(self, request, **kwargs):
        return KeyedSearchChangeList

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and POSTED in request.POST:
            return self.search_posted(request, request.POST.get(SEARCH_VAR, "").strip(), request.POST)
        if SEARCH_VAR in request.GET:
            return self.search_posted(request, request.GET[SEARCH_VAR].strip(), request.GET)
        if KEY_VAR in request.GET and recall(request, request.GET[KEY_VAR]) is None:
            messages.info(request, _("That search has expired; please search again."))
            return self.search_posted(request, "", request.GET)
        return super().changelist_view(request, extra_context)

    def search_posted(self, request, term: str, carried):
        """Back to the list with the filters in force and the term's key in place of the term."""
        params = [(name, values) for name, values in carried.lists() if name not in NOT_CARRIED]
        if term:
            params.append((KEY_VAR, [remember(request, term)]))
        query = urlencode(params, doseq=True)
        return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)


def term_from(request, name: str):
    """For a desk page that looks a document up by a typed term (the print and message previews):
    (term, key, redirect). A term that arrives posted or in the query string is kept under a key and
    the page is asked for again with the key alone; the key then gives the term back."""
    posted = request.method == "POST" and name in request.POST
    if posted or name in request.GET:
        term = (request.POST if posted else request.GET)[name].strip()
        params = [(k, v) for k, v in request.GET.lists() if k not in (name, KEY_VAR)]
        if term:
            params.append((KEY_VAR, [remember(request, term)]))
        query = urlencode(params, doseq=True)
        return term, "", HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
    key = request.GET.get(KEY_VAR, "")
    term = recall(request, key) or ""
    return term, (key if term else ""), None
