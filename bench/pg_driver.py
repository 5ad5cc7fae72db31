"""psycopg2 against psycopg 3 under peewee, on the desk's own kinds of work (issue #25).

Each driver runs the same workload in a child process on the same PostgreSQL database, one
after the other in one run, and the figures are printed side by side with their ratio:
import of the driver, a connection, a desk's single-row saves (one transaction each), point
reads by id, a list page of 100 rows, and a COPY of 100,000 rows. psycopg 3 is taken from the
interpreter named by CSOFFICE_PSYCOPG3_PYTHON (a venv that has it; the app pins only psycopg2),
and is skipped when none is given.

    CSOFFICE_BENCH_PG_URL=postgresql://… [CSOFFICE_PSYCOPG3_PYTHON=/path/bin/python] \
        python bench/pg_driver.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

SAVES = 2000
READS = 2000
PAGES = 200
COPY_ROWS = 100_000

CHILD = (
    r"""
import io, json, sys, time
driver, url = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if driver == "psycopg2":
    import psycopg2
else:
    import psycopg
import_s = time.perf_counter() - t0
import peewee
from urllib.parse import urlparse
p = urlparse(url)
kw = dict(user=p.username, password=p.password, host=p.hostname, port=p.port)
if driver == "psycopg3":
    kw["prefer_psycopg3"] = True
t0 = time.perf_counter()
db = peewee.PostgresqlDatabase(p.path.lstrip("/"), **kw)
db.connect()
connect_s = time.perf_counter() - t0
assert type(db._adapter).__name__ == ("Psycopg2Adapter" if driver == "psycopg2" else "Psycopg3Adapter")

class Row(peewee.Model):
    name = peewee.CharField()
    mobile = peewee.CharField()
    notes = peewee.TextField(default="")
    version = peewee.IntegerField(default=1)
    class Meta:
        database = db
        table_name = "bench_pg_driver"

db.drop_tables([Row]); db.create_tables([Row])
out = {"import": import_s, "connect": connect_s}
t0 = time.perf_counter()
for n in range(SAVES):
    with db.atomic():
        Row.create(name=f"客户{n}", mobile=f"138{n:08d}", notes="备注")
out["save"] = (time.perf_counter() - t0) / SAVES
ids = [r.id for r in Row.select(Row.id)]
t0 = time.perf_counter()
for n in range(READS):
    Row.get_by_id(ids[(n * 7919) % len(ids)])
out["read"] = (time.perf_counter() - t0) / READS
t0 = time.perf_counter()
for n in range(PAGES):
    list(Row.select().order_by(Row.name).offset((n * 100) % SAVES).limit(100).tuples())
out["page"] = (time.perf_counter() - t0) / PAGES
text = "".join(f"客户{n}\t139{n:08d}\t导入\t1\n" for n in range(COPY_ROWS))
t0 = time.perf_counter()
with db.atomic():
    cursor = db.cursor()
    sql = 'COPY bench_pg_driver ("name", "mobile", "notes", "version") FROM STDIN'
    if driver == "psycopg2":
        cursor.copy_expert(sql, io.StringIO(text))
    else:
        with cursor.copy(sql) as copy:
            copy.write(text)
out["copy"] = time.perf_counter() - t0
db.drop_tables([Row])
db.close()
print(json.dumps(out))
""".replace("SAVES", str(SAVES))
    .replace("READS", str(READS))
    .replace("PAGES", str(PAGES))
)
CHILD = CHILD.replace("COPY_ROWS", str(COPY_ROWS))

LABELS = {
    "import": ("import the driver", 1000, "ms"),
    "connect": ("one connection", 1000, "ms"),
    "save": ("a single-row save (own transaction)", 1000, "ms"),
    "read": ("a point read by id", 1000, "ms"),
    "page": ("a list page of 100 rows", 1000, "ms"),
    "copy": (f"COPY {COPY_ROWS:,} rows", 1, "s"),
}


def measure(python: str, driver: str, url: str) -> dict[str, float]:
    result = subprocess.run(
        [python, "-c", CHILD, driver, url], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    url = os.environ.get("CSOFFICE_BENCH_PG_URL") or os.environ.get("CSOFFICE_TEST_PG_URL")
    if not url:
        print("pg_driver: no PostgreSQL (set CSOFFICE_BENCH_PG_URL): skipped")
        return 0
    other = os.environ.get("CSOFFICE_PSYCOPG3_PYTHON", "")
    print(f"PostgreSQL drivers under peewee (load average {os.getloadavg()[0]:.1f})")
    two = measure(sys.executable, "psycopg2", url)
    three = measure(other, "psycopg3", url) if other else None
    for key, (label, scale, unit) in LABELS.items():
        line = f"  {label:38} psycopg2 {two[key] * scale:9.3f} {unit}"
        if three is not None:
            ratio = three[key] / two[key] if two[key] else float("nan")
            line += f"   psycopg 3 {three[key] * scale:9.3f} {unit}   ratio {ratio:5.2f}"
        print(line)
    if three is None:
        print("  psycopg 3: not measured (set CSOFFICE_PSYCOPG3_PYTHON to a venv that has it)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
