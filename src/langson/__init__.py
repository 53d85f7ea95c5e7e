"""Lạng Sơn digital province platform: one modular monolith with the IOC at its heart."""

__version__ = "0.1.0"
