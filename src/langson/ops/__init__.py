"""Data infrastructure (hạ tầng dữ liệu): backups, restore drills, uptime of provincial systems, status."""
