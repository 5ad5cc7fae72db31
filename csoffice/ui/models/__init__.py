"""models of the csoffice window."""
