"""Families, children and their early help cases (DOMAIN §1, §2.2 B, §3.1, §4.1, §5.4, §8.2).

One module per aggregate:

- ``people``: families, children and the adults around them;
- ``case``: the case (an early help episode), its subject children, TAC membership, lead
  professional, levels of need and chronology;
- ``requests``: requests for support, duplicate-record checks, safeguarding concerns;
- ``consent``: consent and sharing records, decisions to share without consent;
- ``episode``: the turning points (handover, step-up, step-down in, closure);
- ``access``: the access policy's records (break-glass grants, restricted items, the
  record-access log).

Import models from here (``from cases.models import Case``); Django finds them here too.
"""

from cases.models.access import (
    MASKED_TOGETHER,
    RESTRICTABLE_FIELDS,
    AccessPurpose,
    BreakGlassGrant,
    RecordAccess,
    Restriction,
    RestrictionTarget,
    Unmasking,
)
from cases.models.case import (
    ROLES_FOR_KIND,
    Case,
    CaseEvent,
    CaseQuerySet,
    CaseSubject,
    ClosureReason,
    Involvement,
    JoinRequest,
    LeadProfessionalAssignment,
    LevelOfNeed,
    LevelOfNeedJudgement,
    TACRole,
    TeamInvitation,
    TeamMembership,
)
from cases.models.consent import ConsentRecord, DisclosureDecision, InformationLevel
from cases.models.episode import CaseClosure, LeadHandover, StepDownIn, StepUpReferral
from cases.models.people import (
    CHILD_NAME_KEY_FIELDS,
    Child,
    ChildMerge,
    ChildRelationship,
    DetailChange,
    DisabilityStatus,
    Ethnicity,
    Family,
    FamilyMember,
    KnownName,
    Religion,
    SenStatus,
    Sex,
)
from cases.models.requests import (
    ChildRecordCheck,
    ReferralSource,
    RequestForSupport,
    SafeguardingConcern,
    TriageDecision,
)
from cases.models.tracking import tracked

__all__ = [
    "CHILD_NAME_KEY_FIELDS",
    "MASKED_TOGETHER",
    "RESTRICTABLE_FIELDS",
    "ROLES_FOR_KIND",
    "AccessPurpose",
    "BreakGlassGrant",
    "Case",
    "CaseClosure",
    "CaseEvent",
    "CaseQuerySet",
    "CaseSubject",
    "Child",
    "ChildMerge",
    "ChildRecordCheck",
    "ChildRelationship",
    "ClosureReason",
    "ConsentRecord",
    "DetailChange",
    "DisabilityStatus",
    "DisclosureDecision",
    "Ethnicity",
    "Family",
    "FamilyMember",
    "InformationLevel",
    "Involvement",
    "JoinRequest",
    "KnownName",
    "LeadHandover",
    "LeadProfessionalAssignment",
    "LevelOfNeed",
    "LevelOfNeedJudgement",
    "RecordAccess",
    "ReferralSource",
    "Religion",
    "RequestForSupport",
    "Restriction",
    "RestrictionTarget",
    "SafeguardingConcern",
    "SenStatus",
    "Sex",
    "StepDownIn",
    "StepUpReferral",
    "TACRole",
    "TeamInvitation",
    "TeamMembership",
    "TriageDecision",
    "Unmasking",
    "tracked",
]
