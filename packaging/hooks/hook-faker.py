"""Demo data (`csoffice-cli demo`) speaks Chinese: of Faker's hundred locales keep zh_CN and the
English ones it falls back to. Faker lists a provider's locales from the folders it finds beside
the provider, so those travel as source files as well as modules (as in the contributed hook)."""

from pathlib import Path

from PyInstaller.utils.hooks import (
    collect_data_files,
    collect_submodules,
    get_module_file_attribute,
)

LOCALES = {"zh_CN", "en_US", "en"}
PROVIDERS = Path(get_module_file_attribute("faker.providers")).parent


def wanted(name: str) -> bool:
    """Every module but the providers' other locales (each a package inside its provider)."""
    parts = name.split(".")
    if len(parts) < 4 or parts[3] in LOCALES:
        return True
    return not (PROVIDERS / parts[2] / parts[3]).is_dir()


hiddenimports = collect_submodules("faker.providers", filter=wanted)
datas = [
    (source, dest)
    for source, dest in collect_data_files("faker.providers", include_py_files=True)
    if wanted(".".join(Path(dest, Path(source).name).parts[:4]))
]
