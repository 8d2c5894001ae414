"""Transition conditions: administrator-written expressions evaluated by simpleeval, never `eval`.

An expression may name the document's concrete fields (foreign keys by their `_id` column, so a
condition never triggers a query) and the attributes its model lists in
`workflow_condition_attributes`; nothing else. Problems are found when the workflow is saved, so a
typo is reported to the administrator instead of silently blocking an action later.
"""

from __future__ import annotations

import ast
import logging
import warnings
from functools import lru_cache

from django.utils.translation import gettext as _
from simpleeval import EvalWithCompoundTypes, InvalidExpression, MultipleExpressions

logger = logging.getLogger(__name__)

FUNCTIONS = {"len": len, "int": int, "str": str, "bool": bool, "min": min, "max": max, "abs": abs}
CONSTANTS = frozenset({"True", "False", "None"})


class ConditionSyntaxError(ValueError):
    pass


def allowed_names(model) -> frozenset[str]:
    fields = {field.attname for field in model._meta.concrete_fields}
    return frozenset(fields | set(getattr(model, "workflow_condition_attributes", ())))


def _evaluator(names=None) -> EvalWithCompoundTypes:
    return EvalWithCompoundTypes(names=names or {}, functions=dict(FUNCTIONS))


_SUPPORTED = _evaluator()
SUPPORTED_NODES = frozenset(_SUPPORTED.nodes)
SUPPORTED_OPERATORS = frozenset(_SUPPORTED.operators)
KNOWN_FUNCTIONS = frozenset(_SUPPORTED.functions)


@lru_cache(maxsize=512)
def parse(expression: str) -> ast.AST:
    """The expression's tree; raises ConditionSyntaxError with a readable message."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", MultipleExpressions)
            node = EvalWithCompoundTypes.parse(expression)
    except SyntaxError as exc:
        raise ConditionSyntaxError(_("it does not parse (%(error)s)") % {"error": exc.msg}) from exc
    except MultipleExpressions as exc:
        raise ConditionSyntaxError(_("it must be a single expression")) from exc
    except InvalidExpression as exc:
        raise ConditionSyntaxError(_("it is empty")) from exc
    if not isinstance(node, ast.Expr):
        raise ConditionSyntaxError(_("it must be an expression, not a statement"))
    return node


def names_in(node: ast.AST) -> set[str]:
    """Names the expression reads from the document (comprehension variables excluded)."""
    local = {
        target.id
        for comp in ast.walk(node)
        if isinstance(comp, ast.comprehension)
        for target in ast.walk(comp.target)
        if isinstance(target, ast.Name)
    }
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} - local - CONSTANTS


def problem(expression: str, model, extra_names: frozenset[str] = frozenset()) -> str | None:
    """Why the condition cannot be used on documents of `model`, or None when it is fine.
    `extra_names`: further names the caller supplies (a DocType's custom fields)."""
    try:
        node = parse(expression)
    except ConditionSyntaxError as exc:
        return str(exc)
    called = {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    unknown_functions = sorted(called - KNOWN_FUNCTIONS)
    if unknown_functions:
        return _("it calls %(names)s, which is not an allowed function") % {"names": ", ".join(unknown_functions)}
    unknown = sorted(names_in(node) - called - allowed_names(model) - set(extra_names))
    if unknown:
        return _("%(model)s has no field %(names)s") % {
            "model": model._meta.verbose_name,
            "names": ", ".join(unknown),
        }
    for sub in ast.walk(node.value):
        if isinstance(sub, ast.expr) and type(sub) not in SUPPORTED_NODES and not isinstance(sub, ast.Starred):
            return _("%(construct)s is not allowed in a condition") % {"construct": type(sub).__name__}
        ops = getattr(sub, "ops", None) or [getattr(sub, "op", None)]
        for op in ops:
            if op is not None and not isinstance(op, ast.boolop) and type(op) not in SUPPORTED_OPERATORS:
                return _("the operator %(operator)s is not allowed in a condition") % {
                    "operator": type(op).__name__
                }
        if isinstance(sub, ast.Attribute) and sub.attr.startswith("_"):
            return _("private attributes such as %(name)s are not allowed") % {"name": sub.attr}
    return None


def holds(expression: str, document) -> bool:
    """Whether the condition is true for the document; an empty condition always holds. An error
    while evaluating (say, comparing an empty date) counts as "not met", and is logged."""
    if not expression.strip():
        return True
    try:
        node = parse(expression)
        names = {name: getattr(document, name) for name in names_in(node) if name not in KNOWN_FUNCTIONS}
        return bool(_evaluator(names).eval(expression, previously_parsed=node))
    except Exception:  # an administrator's expression must never break the page that asks
        logger.warning("workflow condition %r failed on %r", expression, document, exc_info=True)
        return False


def evaluate(expression: str, names: dict) -> bool:
    """The condition over plain values (`names` may hold more than it reads); raises on any error,
    so the caller decides what a failure means."""
    node = parse(expression)
    values = {name: names.get(name) for name in names_in(node) if name not in KNOWN_FUNCTIONS}
    return bool(_evaluator(values).eval(expression, previously_parsed=node))
