"""What a partner system may reach: the access policy applied to its agency (ARCHITECTURE §5).

A partner client sees exactly the cases a professional of its agency with a
legitimate relationship would see: those where someone from the agency is an
active TAC member or the lead professional. There is no manager, coordinator or
break-glass rule for a machine. What it may see *of* each case is narrowed
further by the family's sharing preferences (``cases.sharing``).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from cases.models import Case, CaseQuerySet, LeadProfessionalAssignment, TeamMembership


def agency_relationship_filter(agency_id: int) -> Q:
    """A filter on ``Case``: the agency has a legitimate relationship with the case.

    Correlated ``EXISTS`` probes: the plan for reaching one case (or a few) by id.
    Lists use ``cases_visible_to_agency``, the same rules as a set.
    """
    members = TeamMembership.objects.active().filter(case=OuterRef("pk"))
    leads = LeadProfessionalAssignment.objects.active().filter(case=OuterRef("pk"))
    # Rule 1: someone from the agency is an active member of the TAC.
    rule_member = Exists(members.filter(professional__agency_id=agency_id))
    # Rule 1 (lead): someone from the agency is the case's lead professional.
    rule_lead = Exists(leads.filter(professional__agency_id=agency_id))
    return Q(rule_member) | Q(rule_lead)


def cases_visible_to_agency(agency_id: int) -> CaseQuerySet:
    """The cases an agency's partner client may reach; anything else is a 404.

    Each rule is its own line so that tests cover every branch. Written as
    ``id IN (...)`` semi-joins: for a page of a list PostgreSQL builds the
    agency's case set once instead of probing case after case.
    """
    members = TeamMembership.objects.active().filter(professional__agency_id=agency_id)
    leads = LeadProfessionalAssignment.objects.active().filter(professional__agency_id=agency_id)
    # Rule 1: someone from the agency is an active member of the TAC.
    rule_member = Q(pk__in=members.values("case_id"))
    # Rule 1 (lead): someone from the agency is the case's lead professional.
    rule_lead = Q(pk__in=leads.values("case_id"))
    return Case.objects.filter(rule_member | rule_lead)
