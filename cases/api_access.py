"""What a partner system may reach: the access policy applied to its agency (ARCHITECTURE §5).

A partner client sees exactly the cases a professional of its agency with a
legitimate relationship would see: those where someone from the agency is an
active TAC member or the lead professional. There is no manager, coordinator or
break-glass rule for a machine. What it may see *of* each case is narrowed
further by the family's sharing preferences (``cases.sharing``).
"""

from __future__ import annotations

from django.db.models import Q

from cases.models import Case, CaseQuerySet, LeadProfessionalAssignment, TeamMembership


def cases_visible_to_agency(agency_id: int) -> CaseQuerySet:
    """The cases an agency's partner client may reach; anything else is a 404.

    Each rule is its own line so that tests cover every branch. Written as
    ``id IN (...)`` semi-joins: PostgreSQL builds the agency's (small) case set
    once instead of probing every case in a large list.
    """
    members = TeamMembership.objects.active().filter(professional__agency_id=agency_id)
    leads = LeadProfessionalAssignment.objects.active().filter(professional__agency_id=agency_id)
    # Rule 1: someone from the agency is an active member of the TAC.
    rule_member = Q(pk__in=members.values("case_id"))
    # Rule 1 (lead): someone from the agency is the case's lead professional.
    rule_lead = Q(pk__in=leads.values("case_id"))
    return Case.objects.filter(rule_member | rule_lead)
