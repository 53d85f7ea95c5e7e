"""Models of the backup part of ops."""
