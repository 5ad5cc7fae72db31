"""psycopg2 needs nothing hidden: the contributed hook asks for mx.DateTime, a library of the
1990s that is not installed, and the build would warn about it."""

hiddenimports: list[str] = []
