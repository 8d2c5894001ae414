"""Who read whose personal data: an append-only record of staff reads, prints and exports."""
