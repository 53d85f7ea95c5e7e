"""Smart city on IoT (đô thị thông minh): devices, their telemetry, rules and commands."""

from langson.city.models.commands import Command, RuleCondition
from langson.city.models.devices import Device
from langson.city.models.telemetry import DeadLetter, LatestValue, Reading

__all__ = ["Command", "DeadLetter", "Device", "LatestValue", "Reading", "RuleCondition"]
