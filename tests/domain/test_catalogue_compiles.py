"""The catalogues compile without errors: `make i18n-compile` (run by `make package`) would
otherwise print "N errors encountered" and an administrator would take the build for broken."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_babel_finds_nothing_wrong_in_the_catalogue(language):
    with (ROOT / "translations" / language / "LC_MESSAGES" / "csoffice.po").open("rb") as fh:
        catalogue = read_po(fh, locale=language)
    # The same checks `pybabel compile` runs; a "%" before a letter that Python's %-formatting
    # knows ("90% resolved") makes babel take the message for python-format.
    problems = [
        f"{message.lineno}: {message.id!r}: {'; '.join(str(error) for error in errors)}"
        for message, errors in catalogue.check()
    ]
    assert not problems, problems
