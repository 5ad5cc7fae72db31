"""A second desk for the two-desk tests: its own process on the same database.

    python tests/db/desk_process.py URL

Opens URL, starts hearing the other desks and prints ``ready``; then for every kind another
desk changed prints ``heard KIND UNIX_TIME``. Commands on stdin: ``save N`` logs N receptions
(``save N followup``: each to be called back today; then prints ``saved N``), ``rename ID VERSION NAME`` renames a customer opened at VERSION
(prints ``renamed`` or ``conflict``), ``merge ID VERSION NAME NOTES`` edits the customer opened at
VERSION as 王五 / 13912345678 and, when the other desk saved it meanwhile, merges (its own name
where both changed it; prints ``merged BY``), ``quit`` ends.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
from dataclasses import replace

from csoffice import auth, changes, conflicts, customers, live_updates, receptions
from csoffice.customers import CustomerInput, records
from csoffice.db.database import open_database
from csoffice.errors import Conflict
from csoffice.receptions import ReceptionInput

_print_lock = threading.Lock()


def say(line: str) -> None:
    with _print_lock:
        print(line, flush=True)


def main(url: str) -> int:
    target = open_database(url)
    clerk = auth.default_manager()

    def heard(kind: changes.Change) -> None:
        if changes.is_remote():
            say(f"heard {kind} {time.time():.4f}")

    changes.subscribe(heard)
    listener = live_updates.start(target)
    if not listener.connected.wait(10):
        say("not connected")
        return 1
    say("ready")
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["save"]:
            for number in range(int(words[1])):
                receptions.create(
                    clerk,
                    ReceptionInput(
                        caller_name=f"乙台{number}",
                        caller_phone="13812345678",
                        content="咨询",
                        followup_needed="followup" in words,
                        followup_due=dt.date.today() if "followup" in words else None,
                    ),
                )
            say(f"saved {words[1]}")
        elif words[:1] == ["rename"]:
            customer_id, version, name = int(words[1]), int(words[2]), words[3]
            try:
                customers.update(
                    clerk, customer_id, CustomerInput(name=name, mobile="13812345678"), version
                )
            except Conflict:
                say("conflict")
            else:
                say("renamed")
        elif words[:1] == ["merge"]:
            customer_id, version = int(words[1]), int(words[2])
            base = CustomerInput(name="王五", mobile="13912345678")
            mine = replace(base, name=words[3], notes=words[4])
            try:
                customers.update(clerk, customer_id, mine, version)
            except conflicts.StaleRecord as stale:
                diffs = records.conflict_diffs(base, CustomerInput(**stale.theirs), mine)
                values = conflicts.chosen("merge", diffs, {"name": "mine"})
                customers.update(
                    clerk,
                    customer_id,
                    records.resolved_input(mine, values),
                    stale.current,
                    resolution=("merge", diffs),
                )
                say(f"merged {stale.by}")
            else:
                say("saved without a conflict")
        elif words[:1] == ["quit"]:
            break
    listener.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
