"""The desk page's frame (issue #17): a fragment whose HTML depends only on a few context values is
rendered once per process for each set of those values, not node by node on every page.

    {% load desk_frame %}
    {% desk_once colors border_radius %} ...Unfold's markup... {% end_desk_once %}

The values named are the fragment's whole input, with the active language, the URL prefix and the
autoescaping added to the key; a fragment that reads anything else (the request, a nonce) or sets a
variable used after it must not be wrapped. A CSRF token is the exception: the fragment is kept with
a marker where `{% csrf_token %}` wrote the token, and each page puts its own in. A value the key
cannot hold (a model instance, a form, a queryset: anything but text, numbers, lists, mappings,
dataclasses, enums, classes and a model's options) renders the fragment every time."""

from __future__ import annotations

import dataclasses
import weakref
from enum import Enum

from django import template
from django.contrib.admin.views.main import PAGE_VAR
from django.core.signals import setting_changed
from django.db.models.options import Options
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

# per fragment, the most recently used kept: a sidebar's items are ~40 KB for the city administrator,
# and one is kept for each permission set x active page x language
MAX_VARIANTS = 64
CSRF_MARKER = "desk-once-csrf-token-marker"
NOT_PROVIDED = "NOTPROVIDED"  # django.template.context_processors.csrf without a request


class _Unkeyable(Exception):
    pass


class Keyed(list):
    """A list that carries its own key, what it was built from, when that is cheaper to compare than
    its items (the sidebar: which of the configured entries the user may open and which is active)."""

    def __init__(self, items, key):
        super().__init__(items)
        self.key = key


def _frozen(value):
    """A hashable copy that tells apart every value which could render differently (safe text from
    plain text of the same characters; a list from a tuple is not needed, both iterate alike)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if type(value) is Keyed:
        return ("keyed", value.key)
    if isinstance(value, SafeData):
        return ("safe", str(value))
    if isinstance(value, str):  # a str enum's member reads .value, plain text does not
        return value if type(value) is str else (type(value), str(value))
    if isinstance(value, Promise):
        return ("lazy", str(value))
    if isinstance(value, dict):
        return ("dict", tuple((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, type | Enum):
        return value
    if isinstance(value, Options):  # a model's, made once per process
        return ("opts", value.label_lower)
    if dataclasses.is_dataclass(value):
        return (type(value), _frozen(dataclasses.asdict(value)))
    raise _Unkeyable


_NODES: weakref.WeakSet = weakref.WeakSet()


@receiver(setting_changed)
def _forget_rendered(**kwargs):
    """A fragment holds what settings gave when it rendered (static files' URLs, the site's name):
    a test that changes a setting gets fragments rendered afresh."""
    for node in list(_NODES):
        node.rendered.clear()


class OnceNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist, self.values, self.rendered = nodelist, values, {}
        _NODES.add(self)

    def render(self, context):
        try:
            key = (translation.get_language(), get_script_prefix(), context.autoescape,
                   *(_frozen(value.resolve(context)) for value in self.values))
        except _Unkeyable:
            return self.nodelist.render(context)
        html = self.rendered.pop(key, None)
        if html is None:
            with context.push(csrf_token=CSRF_MARKER):
                html = self.nodelist.render(context)
            while len(self.rendered) >= MAX_VARIANTS:  # the least recently used goes (first in order)
                self.rendered.pop(next(iter(self.rendered), None), None)
        self.rendered[key] = html  # last in order: the most recently used
        if CSRF_MARKER in html:
            page_token = context.get("csrf_token")
            if not page_token or page_token == NOT_PROVIDED:  # {% csrf_token %} writes nothing then
                return self.nodelist.render(context)
            html = mark_safe(html.replace(CSRF_MARKER, conditional_escape(page_token)))  # noqa: S308 (rendered by the template, token escaped)
        return html


@register.filter
def desk_user(user) -> tuple:
    """All Unfold's templates read of a user (navigation_user.html, avatar.html, account_links.html,
    the header's welcome), as one key; `avatar_url` read by the template engine costs a dir() of the
    user when it is missing."""
    if not getattr(user, "is_authenticated", False):  # anonymous, or no user in the context: nothing of their own
        return ("no user", type(user))
    return (user.pk, user.get_username(), user.get_full_name(), user.get_short_name(), user.email,
            user.has_usable_password(), getattr(user, "avatar_url", ""))


@register.filter
def desk_action_form(form) -> tuple:
    """A list's action form as a key: the admin's and Unfold's ActionForm render from their choices
    (the actions the user may run) and initial values alone while unbound, as the changelist makes
    them; any other form, or one bound to data, renders every time."""
    from django.contrib.admin.helpers import ActionForm
    from unfold.forms import ActionForm as UnfoldActionForm

    if type(form) not in (ActionForm, UnfoldActionForm) or form.is_bound:
        raise _Unkeyable
    return (type(form), form.prefix, form.auto_id, _frozen(form.initial), _frozen(form.fields["action"].choices))


@register.filter
def desk_pagination(cl) -> tuple:
    """What Django's pagination tag and Unfold's pagination templates read of a list: its page, its
    paginator's size and pages, its counts, and its links' query string without the page number (the
    links differ from it only by the number they set). A list with a formset renders every time."""
    if getattr(cl, "formset", None) is not None:
        raise _Unkeyable
    paginator = cl.paginator
    return (type(cl), type(paginator), cl.opts.label_lower, paginator.per_page, paginator.num_pages, cl.page_num,
            cl.show_all, cl.can_show_all, cl.multi_page, cl.result_count, len(cl.result_list),
            cl.get_query_string({PAGE_VAR: None}), cl.model_admin.list_fullwidth)


@register.filter
def desk_when(value, condition):
    """The value where a template reads it only under a condition (a key needs it then alone)."""
    return value if condition else None


@register.tag
def desk_once(parser, token):
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("end_desk_once",))
    parser.delete_first_token()
    return OnceNode(nodelist, values)
