"""For desk pages and inlines of records the system writes (logs, transition records, uploaded
files): readable, never edited."""


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):  # an inline is asked with its parent object
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
