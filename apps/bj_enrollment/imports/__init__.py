"""Schools and school plans from the spreadsheets districts send each spring: every row checked first,
then all saved in one transaction, or nothing (zones: apps/bj_enrollment/zones/importer.py)."""
