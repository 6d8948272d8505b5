"""Telco customer churn model."""

__version__ = "1.2.0"
