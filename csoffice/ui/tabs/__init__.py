"""tabs of the csoffice window."""
