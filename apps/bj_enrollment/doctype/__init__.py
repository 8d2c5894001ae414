"""One module per DocType, as in a Frappe app; `models.py` re-exports them for Django."""
