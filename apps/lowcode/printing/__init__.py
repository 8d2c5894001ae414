"""Print formats stored as data, rendered in a sandbox to PDF with embedded CJK fonts."""
