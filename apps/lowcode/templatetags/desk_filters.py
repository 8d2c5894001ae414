"""`{% desk_filter_panel %}`: Unfold's list filter panel (unfold/helpers/change_list_filter.html) without
the template engine per filter. Unfold's template is rendered once per process and shape (sheet, submit
button) with markers where the request's parts go: the preserved query parameters, the filters, each
written out in Python where filter_widgets.RENDERERS has its template (else its template renders it, as
Unfold's admin_list_filter does), and the buttons (change_list_filter_actions.html, likewise rendered once
per shape and language with markers for its links). The same bytes as Unfold's template:
tests/bj_enrollment/reviewer/test_list_filters.py compares the two."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import unfold
from django.template import Library, engines
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from unfold.templatetags.unfold import preserve_changelist_filters

register = Library()

PANEL = "unfold/helpers/change_list_filter.html"
ACTIONS = "unfold/helpers/change_list_filter_actions.html"
_LOOP = re.compile(r"{% for spec in cl\.filter_specs %}(.*?){% admin_list_filter cl spec %}(.*?){% endfor %}", re.S)
_PRESERVED, _FILTERS, _ACTIONS = "\x01", "\x02", "\x03"
_TAGS = {"{% preserve_filters %}": _PRESERVED, '{% include "' + ACTIONS + '" %}': _ACTIONS}


@lru_cache
def _frame(sheet: bool, submit: bool) -> tuple[list[str], str, str]:
    """Unfold's panel for this shape split at the markers, and the text around each filter."""
    source = (Path(unfold.__file__).parent / "templates" / PANEL).read_text()
    loop = _LOOP.search(source)
    source = source[: loop.start()] + _FILTERS + source[loop.end():]
    for tag, marker in _TAGS.items():
        if source.count(tag) != 1:
            raise RuntimeError(f"{PANEL} of this Unfold has no single {tag}")
        source = source.replace(tag, marker)
    shape = SimpleNamespace(model_admin=SimpleNamespace(list_filter_sheet=sheet, list_filter_submit=submit))
    html = engines["django"].from_string(source).render({"cl": shape})
    return re.split(f"([{_PRESERVED}{_FILTERS}{_ACTIONS}])", html), loop.group(1), loop.group(2)


_LINKS = {"\x04": "remove_facet_link", "\x05": "add_facet_link", "\x06": "clear_all_filters_qs"}


@lru_cache(maxsize=128)
def _buttons(sheet: bool, submit: bool, facets_optional: bool, facets: bool, active: bool, language: str) -> list[str]:
    """The panel's buttons (change_list_filter_actions.html) for this shape, in this language, split at
    the markers where each request's links go."""
    shape = SimpleNamespace(model_admin=SimpleNamespace(list_filter_sheet=sheet, list_filter_submit=submit),
                            is_facets_optional=facets_optional, add_facets=facets, has_active_filters=active,
                            **{name: marker for marker, name in _LINKS.items()})
    return re.split(f"([{''.join(_LINKS)}])", get_template(ACTIONS).render({"cl": shape}))


def _actions(cl) -> str:
    admin = cl.model_admin
    parts = _buttons(bool(admin.list_filter_sheet), bool(admin.list_filter_submit), bool(cl.is_facets_optional),
                     bool(cl.add_facets), bool(cl.has_active_filters), get_language())
    return "".join(conditional_escape(getattr(cl, _LINKS[part])) if part in _LINKS else part for part in parts)


def _filter(cl, spec) -> str:
    """admin_list_filter(cl, spec), in Python where the filter's template is written out."""
    from apps.lowcode.filter_widgets import RENDERERS  # not at import: the engine loads this library while Unfold loads

    choices = list(spec.choices(cl))
    render = RENDERERS.get(spec.template)
    html = render(spec, choices) if render else None
    if html is None:
        html = get_template(spec.template).render({"title": spec.title, "choices": choices, "spec": spec})
    return html


def _preserved(context) -> str:
    """unfold/templatetags/preserve_changelist_filters.html for Unfold's choice of parameters."""
    params = preserve_changelist_filters(context)["params"]
    return "".join(f'\n  <input type="hidden" name="{conditional_escape(key)}" value="{conditional_escape(value)}">\n'
                   for key, value in params.items()) + "\n"


@register.simple_tag(takes_context=True)
def desk_filter_panel(context) -> str:
    cl = context["cl"]
    admin = cl.model_admin
    parts, before, after = _frame(bool(admin.list_filter_sheet), bool(admin.list_filter_submit))
    fill = {
        _PRESERVED: _preserved,
        _FILTERS: lambda _context: "".join(f"{before}{_filter(cl, spec)}{after}" for spec in cl.filter_specs),
        _ACTIONS: lambda _context: _actions(cl),
    }
    return mark_safe("".join(fill[part](context) if part in fill else part for part in parts))  # noqa: S308 (Unfold's markup, filters escaped by their renderers)
