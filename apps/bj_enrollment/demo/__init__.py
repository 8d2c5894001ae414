"""A believable demo city: `manage.py build_demo_site` (logic in builder.py, static lists in data.py)."""
