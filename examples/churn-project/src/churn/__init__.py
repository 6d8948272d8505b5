"""Telco customer churn model (v0.3 - "prod")."""

__version__ = "0.3.0"
