"""The versioned JSON API (`/api/v1/`) for the city's mobile app: same services and messages as the portal."""
