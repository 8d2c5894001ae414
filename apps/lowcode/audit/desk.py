"""Desk pages that show personal data record each read."""

from apps.lowcode.audit.record import Action, record


class RecordsReadsAdmin:
    """Mixin for a DocType holding personal data: opening a record's full page, or one of its
    history versions, is recorded once the page is actually shown."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            record(request, Action.VIEW, self.model, object_id=object_id, detail=request.path)
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if response.status_code == 200:
            record(request, Action.VIEW, self.model, object_id=object_id, detail=request.path)
        return response
