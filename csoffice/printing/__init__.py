"""Printed forms and reports, drawn with reportlab into PDF."""
