"""The generated back-office (Frappe's Desk): Django admin registrations with scope and masking."""
