"""Fields administrators add to a DocType without code, stored in its JSON column."""
