"""dialogs of the csoffice window."""
