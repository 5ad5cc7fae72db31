"""widgets of the csoffice window."""
