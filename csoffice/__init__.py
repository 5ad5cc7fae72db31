"""csoffice — the customer-service desk of a small office."""

__version__ = "0.1.0"
