"""Start the csoffice command line: the console program (csoffice-cli) of the installed app."""

from csoffice.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
