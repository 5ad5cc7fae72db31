"""The Qt widgets of csoffice. Only this package (and app.py, i18n.py) import PySide6."""
