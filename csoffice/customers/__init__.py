"""The customer archive (客户档案): create, update, search, archive, merge, and a file's history.

The package, by responsibility (each module imports only those above it; callers use this
``__init__``, which keeps every public name)::

    codes      the code tables and their labels        form       typed input, cleaning, duplicates
    records    create, update, archive, restore        merging    two files of one customer into one
    bulk       many files in one transaction (imports)  lists      the search and its lazy list pages
    exporting  the archive's export

Every write tells ``csoffice.changes`` after its transaction: CUSTOMER (a merge also names the
kinds of history it moved).
"""

from __future__ import annotations

from csoffice import settings  # the importer reaches it as customers.settings
from csoffice.customers.bulk import (
    BulkRejected,
    BulkResult,
    SheetCustomer,
    active_staff,
    bulk_create,
    create_many,
    duplicate_marks,
    existing_keys,
    existing_marks,
    is_archived,
)
from csoffice.customers.codes import (
    CLASSES,
    GENDERS,
    ID_TYPES,
    KINDS,
    SOURCES,
    STATUSES,
    class_label,
)
from csoffice.customers.exporting import EXPORT_COLUMNS, export
from csoffice.customers.form import (
    AUDITED_FIELDS,
    CustomerInput,
    DuplicateCustomer,
    clean,
    find_duplicate,
    responsible_choices,
    to_input,
)
from csoffice.customers.lists import (
    SORTS,
    CustomerRow,
    SearchFilter,
    all_tags,
    rows,
    search_ids,
    search_list,
)
from csoffice.customers.merging import merge
from csoffice.customers.records import archive, create, get, restore, update
from csoffice.db import search  # tests reach the search keys as customers.search
from csoffice.pinyin import full_and_initials  # the bench reaches it as customers.full_and_initials

__all__ = [
    "AUDITED_FIELDS",
    "CLASSES",
    "EXPORT_COLUMNS",
    "GENDERS",
    "ID_TYPES",
    "KINDS",
    "SORTS",
    "SOURCES",
    "STATUSES",
    "BulkRejected",
    "BulkResult",
    "CustomerInput",
    "CustomerRow",
    "DuplicateCustomer",
    "SearchFilter",
    "SheetCustomer",
    "active_staff",
    "all_tags",
    "archive",
    "bulk_create",
    "class_label",
    "clean",
    "create",
    "create_many",
    "duplicate_marks",
    "existing_keys",
    "existing_marks",
    "export",
    "find_duplicate",
    "full_and_initials",
    "get",
    "is_archived",
    "merge",
    "responsible_choices",
    "restore",
    "rows",
    "search",
    "search_ids",
    "search_list",
    "settings",
    "to_input",
    "update",
]
