"""`{% desk_result_list cl %}`: Unfold's result list, rows built by apps/lowcode/changelist_rows.py."""

from django import VERSION as DJANGO_VERSION
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template import Library

from apps.lowcode.changelist_rows import result_list

register = Library()


@register.tag(name="desk_result_list")
def desk_result_list(parser, token):
    if DJANGO_VERSION >= (6, 1):
        return InclusionAdminNode(
            "desk_result_list", parser, token, func=result_list, template_name="change_list_results.html"
        )
    return InclusionAdminNode(parser, token, func=result_list, template_name="change_list_results.html")
