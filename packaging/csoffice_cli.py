"""Start the csoffice command line: the console program (csoffice-cli) of the installed app."""

from csoffice.console import run_console_program

if __name__ == "__main__":
    raise SystemExit(run_console_program())
