"""HTML escaping for markup written out in Python where Django's templates would escape it."""

from __future__ import annotations

import html

from django.utils.functional import Promise


def escaped(value) -> str:
    """Django's conditional_escape without its wrapper for lazy arguments (keep_lazy looks for lazy
    arguments in every call), which costs more than the escaping on a page of a few hundred short
    strings: list cells, filter options (html.escape is what Django's escape calls)."""
    if isinstance(value, Promise):
        value = str(value)
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))
