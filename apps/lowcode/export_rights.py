"""The right to export a DocType's rows to a file, as a permission of its own (`<app>.export_<model>`),
so reading rows on screen and taking them away are granted separately (a role's "export", see
apps/bj_enrollment/doctype/role.py). Every export asks `may_export` before it starts."""


def export_codename(model) -> str:
    return f"export_{model._meta.concrete_model._meta.model_name}"


def may_export(user, model) -> bool:
    opts = model._meta.concrete_model._meta
    return bool(user.is_active and user.has_perm(f"{opts.app_label}.{export_codename(model)}"))
