"""The documents section of the case page (``cases.panels``): a fixed number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cases.access import can_add_document
from cases.panels import CasePanel
from documents.views import case_document_rows, case_documents_queryset

if TYPE_CHECKING:
    from agencies.models import User
    from cases.models import Case

PANEL_ROWS = 10


def case_documents(case: Case, user: User) -> Mapping[str, Any]:
    """The newest documents (a link leads to all of them) and whether the user may add one."""
    documents = list(case_documents_queryset(case)[: PANEL_ROWS + 1])
    return {
        "case": case,
        "rows": case_document_rows(case, user, documents[:PANEL_ROWS]),
        "more": len(documents) > PANEL_ROWS,
        "can_add": can_add_document(user, case),
    }


DOCUMENTS = CasePanel(
    key="documents", template="documents/panels/case_documents.html", context=case_documents
)
