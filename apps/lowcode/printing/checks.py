"""Start-up checks of stored print formats: a provider that changed its context must not leave a
format that only fails when a parent downloads the form."""

from __future__ import annotations

from django.core import checks


@checks.register(checks.Tags.database)
def check_print_formats(app_configs=None, databases=None, **kwargs):
    """Runs with the database checks (`migrate`, `check --database default`)."""
    if not databases or "default" not in databases:
        return []
    from apps.lowcode.printing import service
    from apps.lowcode.printing.models import PrintFormat
    from apps.lowcode.printing.registry import provider_for
    from apps.lowcode.schema import rows_checkable

    if not rows_checkable("default", PrintFormat):
        return []
    problems = []
    for print_format in PrintFormat.objects.filter(active=True).select_related("document_type"):
        model = print_format.document_type.model_class()
        if provider_for(model) is None:
            problems.append(checks.Warning(
                f"print format {print_format.key!r}: no print context is registered for {print_format.document_type}",
                obj=print_format, id="lowcode_printing.W001"))
            continue
        problem = service.template_problem(print_format.template, service.sample_context(model))
        if problem:
            problems.append(checks.Error(f"print format {print_format.key!r} does not render: {problem}",
                                         obj=print_format, id="lowcode_printing.E001"))
    return problems
