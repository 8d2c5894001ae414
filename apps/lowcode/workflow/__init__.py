"""Role-based workflows stored as data (Frappe's Workflow): states, transitions, an engine, a timeline."""
