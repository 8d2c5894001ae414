"""The parent portal (Frappe's Web Form, server-rendered, mobile-first, Chinese)."""
