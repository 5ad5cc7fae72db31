"""Start the csoffice desktop application."""

from csoffice.app import run

if __name__ == "__main__":
    raise SystemExit(run())
