"""Forms for the team page. They parse input; the rules live in ``cases.services.teams``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from agencies.directory import directory
from agencies.models import Agency, User
from cases.models import ROLES_FOR_KIND, FamilyMember, Involvement, TACRole, TeamMembership
from cases.services.teams import MSG_REASON_REQUIRED, REASON_MAX_LENGTH
from tac_portal.forms import PersonNameField, SubmissionTokenField, VersionField

MSG_CHOOSE_ROLE = "Choose their role on the team"
MSG_CHOOSE_INVOLVEMENT = "Choose whether they are a core member or an occasional contributor"


def role_choices(kind: str) -> list[tuple[str, str]]:
    return [(role, TACRole(role).label) for role in ROLES_FOR_KIND[kind]]


def _role_field(kind: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Role on the team",
        choices=role_choices(kind),
        widget=forms.RadioSelect,
        error_messages={"required": MSG_CHOOSE_ROLE, "invalid_choice": MSG_CHOOSE_ROLE},
    )


def _involvement_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="How closely will they work with the team?",
        choices=Involvement.choices,
        initial=Involvement.CORE,
        help_text="Core members come to the meetings and share the plan's actions. Occasional "
        "contributors add updates now and then, in the same feed and the same format.",
        widget=forms.RadioSelect,
        error_messages={
            "required": MSG_CHOOSE_INVOLVEMENT,
            "invalid_choice": MSG_CHOOSE_INVOLVEMENT,
        },
    )


class DirectorySearchForm(forms.Form):
    query = forms.CharField(
        label="Search the directory",
        help_text="A name, a job title, an agency or a team, for example 'health visitor'.",
        max_length=100,
        error_messages={"required": "Enter a name, job title, agency or team to search for"},
    )


class _LabelledChoiceField(forms.ModelChoiceField[Any]):
    def __init__(self, *args: Any, label_for: Callable[[Any], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_for = label_for

    def label_from_instance(self, obj: Any) -> str:
        return self.label_for(obj)


def professional_label(user: User) -> str:
    team = f" ({user.team.name})" if user.team else ""
    return f"{user.full_name}, {user.role_and_agency}{team}"


class AddProfessionalForm(forms.Form):
    """Choose one of the directory's search results; ``query`` carries the search."""

    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    professional = _LabelledChoiceField(
        label="Who are you adding?",
        queryset=User.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label_for=professional_label,
        error_messages={
            "required": "Choose who to add to the team",
            "invalid_choice": "Choose someone from the directory",
        },
    )
    role = _role_field(TeamMembership.Kind.PROFESSIONAL)
    involvement = _involvement_field()
    submission_token = SubmissionTokenField()

    def __init__(self, *args: Any, found: list[User] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("role", TACRole.PRACTITIONER)
        super().__init__(*args, **kwargs)
        field = self.fields["professional"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        # Validates against the whole directory; lists only what the search found.
        field.queryset = directory()
        if found is not None:
            field.choices = [(u.pk, professional_label(u)) for u in found]


class AddFamilyMemberForm(forms.Form):
    family_member = _LabelledChoiceField(
        label="Who from the family are you adding?",
        queryset=FamilyMember.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label_for=str,
        error_messages={
            "required": "Choose who from the family to add to the team",
            "invalid_choice": "Choose someone from the family's record",
        },
    )
    role = _role_field(TeamMembership.Kind.FAMILY)
    involvement = _involvement_field()
    submission_token = SubmissionTokenField()

    def __init__(
        self,
        *args: Any,
        candidates: Any,
        label_for: Callable[[FamilyMember], str],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("role", TACRole.FAMILY_MEMBER)
        super().__init__(*args, **kwargs)
        field = self.fields["family_member"]
        assert isinstance(field, _LabelledChoiceField)  # noqa: S101 - declared above
        field.queryset = candidates
        field.label_for = label_for


class MemberRoleForm(forms.Form):
    version = VersionField()
    role = forms.ChoiceField(widget=forms.RadioSelect, error_messages={"required": MSG_CHOOSE_ROLE})
    involvement = _involvement_field()

    def __init__(self, *args: Any, membership: TeamMembership, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "version": membership.version,
                "role": membership.role,
                "involvement": membership.involvement,
            },
        )
        super().__init__(*args, **kwargs)
        if membership.role == TACRole.LEAD_PROFESSIONAL:
            # The lead's role follows the lead assignment: hand over the lead to change it.
            del self.fields["role"]
        else:
            self.fields["role"] = _role_field(membership.kind)


class EndMembershipForm(forms.Form):
    version = VersionField()
    reason = forms.CharField(
        label="Why is this place on the team ending?",
        help_text="For example: their work with the family has finished. The reason is kept "
        "in the team's history.",
        widget=forms.Textarea(attrs={"rows": 3, "character_count": True}),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": MSG_REASON_REQUIRED,
            "max_length": f"The reason must be {REASON_MAX_LENGTH} characters or fewer",
        },
    )


class AskToJoinForm(forms.Form):
    # Posted back unchanged from the page (sealed: about 140 characters); missing only if
    # the page was tampered with.
    offer = forms.CharField(
        widget=forms.HiddenInput,
        max_length=300,
        error_messages={"required": "Something went wrong: go back to Find a child and try again"},
    )
    reason = forms.CharField(
        label="Why do you need to work with this family?",
        help_text="The lead professional reads this before deciding. For example: I am the "
        "family's health visitor and see the youngest child every month.",
        widget=forms.Textarea(attrs={"rows": 4, "character_count": True}),
        max_length=2000,
        error_messages={
            "required": "Enter why you need to work with this family",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )
    submission_token = SubmissionTokenField()


class JoinDecisionForm(forms.Form):
    version = VersionField()
    decision = forms.ChoiceField(
        label="Do you agree to them joining the team?",
        choices=[("approve", "Yes, add them to the team"), ("decline", "No, decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they join the team"},
    )
    role = _role_field(TeamMembership.Kind.PROFESSIONAL)
    involvement = _involvement_field()


class NewFamilyMemberForm(forms.Form):
    given_names = PersonNameField(
        label="Given names",
        max_length=100,
        error_messages={"required": "Enter their given names"},
    )
    family_name = PersonNameField(
        label="Family name",
        max_length=100,
        error_messages={"required": "Enter their family name"},
    )
    relationship = forms.ChoiceField(
        label="Their relationship to the child or family",
        choices=[("", "Choose a relationship"), *FamilyMember.Relationship.choices],
        error_messages={"required": "Choose their relationship to the family"},
    )
    parental_responsibility = forms.ChoiceField(
        label="Do they have parental responsibility?",
        choices=FamilyMember.ParentalResponsibility.choices,
        initial=FamilyMember.ParentalResponsibility.UNKNOWN,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they have parental responsibility"},
    )
    role = _role_field(TeamMembership.Kind.FAMILY)
    involvement = _involvement_field()
    submission_token = SubmissionTokenField()


class InviteForm(forms.Form):
    """Someone with no account yet: their name, agency and work email."""

    full_name = PersonNameField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter their full name"},
    )
    job_title = forms.CharField(
        label="Job title (optional)",
        required=False,
        max_length=150,
        help_text="For example: Housing officer.",
        error_messages={"max_length": "The job title must be 150 characters or fewer"},
    )
    agency = forms.ModelChoiceField(
        label="Their agency",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        empty_label="Choose their agency",
        error_messages={
            "required": "Choose their agency",
            "invalid_choice": "Choose an agency from the list",
        },
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="Their account's sign-in. An administrator of their agency approves it.",
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter their work email address, like name@agency.example",
            "max_length": "The email address must be 254 characters or fewer",
        },
    )
    role = _role_field(TeamMembership.Kind.PROFESSIONAL)
    involvement = _involvement_field()
    submission_token = SubmissionTokenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("role", TACRole.PRACTITIONER)
        super().__init__(*args, **kwargs)


class AccountDecisionForm(forms.Form):
    version = VersionField()
    decision = forms.ChoiceField(
        label="Do you approve an account for them?",
        choices=[
            ("approve", "Yes, make the account and send them a link to set a password"),
            ("decline", "No, decline"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to make the account"},
    )
    reason = forms.CharField(
        label="If you decline, why?",
        required=False,
        help_text="The professional who invited them is told.",
        widget=forms.Textarea(attrs={"rows": 3, "character_count": True}),
        max_length=2000,
        error_messages={"max_length": "The reason must be 2000 characters or fewer"},
    )


class WithdrawInvitationForm(forms.Form):
    version = VersionField()
