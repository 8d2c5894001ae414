"""The one template sandbox for administrator-edited text (print formats, message templates).

Jinja2's SandboxedEnvironment refuses unsafe attributes (``__class__``, ``mro``, private names,
functions' internals); undefined names raise instead of printing nothing, so a typo in a template
is reported at save time rather than silently producing a blank form.
"""

from __future__ import annotations

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment


def environment(*, autoescape: bool) -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=autoescape, undefined=StrictUndefined, trim_blocks=True,
                                lstrip_blocks=True)


HTML = environment(autoescape=True)
TEXT = environment(autoescape=False)


def render(source: str, context: dict, *, html: bool) -> str:
    return (HTML if html else TEXT).from_string(source).render(context)


def template_error(source: str, context: dict | None = None, *, html: bool) -> str | None:
    """A readable description of what is wrong with a template, or None when it compiles (and,
    given a sample context, renders)."""
    env = HTML if html else TEXT
    try:
        template = env.from_string(source)
        if context is not None:
            template.render(context)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        prefix = f"line {line}: " if line else ""
        return f"{prefix}{exc.message or exc}"
    except Exception as exc:  # any failure in an administrator's template is reported, not raised
        return f"{type(exc).__name__}: {exc}"
    return None
