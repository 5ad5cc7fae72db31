"""csoffice parses and validates numbers: the metadata, never the geocoder, carrier or time-zone
data (40 MB of source) that the contributed hook collects as well."""

from PyInstaller.utils.hooks import collect_submodules

UNUSED = ("geocoder", "geodata", "carrier", "carrierdata", "timezone", "tzdata")


def wanted(name: str) -> bool:
    parts = name.split(".")
    return len(parts) < 2 or parts[1] not in UNUSED


hiddenimports = collect_submodules("phonenumbers", filter=wanted)
