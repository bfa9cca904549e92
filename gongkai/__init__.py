"""Gongkai (公开): government information disclosure and credit double publicity for a whole district."""

__version__ = "0.1.0"
