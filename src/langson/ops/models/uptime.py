"""Models of the uptime part of ops."""
