"""Agencies, their teams, and the professionals who sign in (the custom user)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from base64 import b32encode
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models, transaction
from django.db.models import ExpressionWrapper, F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from agencies.hashers import BackupCodeHasher
from tac_portal import sealing
from tac_portal.fields import BoundedTextField


class AgencyKind(models.TextChoices):
    """Agency types (DOMAIN §8.1), each mapped to a CIN census referral-source code."""

    SCHOOL = "school", "School, academy or alternative provision"
    EARLY_YEARS = "early_years", "Early years, childcare or nursery"
    EDUCATION_SERVICES = "education_services", "Education services (local authority)"
    COLLEGE = "college", "College or further education"
    GP = "gp", "GP practice"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    SCHOOL_NURSING = "school_nursing", "School nursing"
    COMMUNITY_HEALTH = "community_health", "Other primary or community health"
    HOSPITAL = "hospital", "Hospital or A&E"
    MENTAL_HEALTH = "mental_health", "Mental health and other health"
    HOUSING = "housing", "Housing"
    SOCIAL_CARE = "social_care", "Local authority children's social care"
    EARLY_HELP = "early_help", "Local authority early help or family hub"
    OTHER_LA = "other_la", "Other local authority services"
    POLICE = "police", "Police"
    YOUTH_JUSTICE = "youth_justice", "Youth justice, probation, courts or Cafcass"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    DWP = "dwp", "DWP or Jobcentre Plus"


#: CIN census referral-source code for each agency kind (DOMAIN §8.1; local
#: mappings vary, so the code is stored on each agency and only defaulted here).
CIN_SOURCE_CODES: dict[str, str] = {
    AgencyKind.SCHOOL: "2A",
    AgencyKind.EARLY_YEARS: "2B",
    AgencyKind.EDUCATION_SERVICES: "2B",
    AgencyKind.COLLEGE: "2A",
    AgencyKind.GP: "3A",
    AgencyKind.HEALTH_VISITING: "3B",
    AgencyKind.SCHOOL_NURSING: "3C",
    AgencyKind.COMMUNITY_HEALTH: "3D",
    AgencyKind.HOSPITAL: "3E",
    AgencyKind.MENTAL_HEALTH: "3F",
    AgencyKind.HOUSING: "4",
    AgencyKind.SOCIAL_CARE: "5A",
    AgencyKind.EARLY_HELP: "5D",
    AgencyKind.OTHER_LA: "5B",
    AgencyKind.POLICE: "6",
    AgencyKind.YOUTH_JUSTICE: "7",
    AgencyKind.VOLUNTARY: "8",
    AgencyKind.DWP: "8",
}

#: Agency kinds that belong to the local authority itself (DOMAIN §7.1 M8).
LOCAL_AUTHORITY_KINDS = frozenset(
    {
        AgencyKind.EDUCATION_SERVICES,
        AgencyKind.SOCIAL_CARE,
        AgencyKind.EARLY_HELP,
        AgencyKind.OTHER_LA,
    }
)


class Agency(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    cin_source_code = models.CharField(
        "CIN referral source code",
        max_length=4,
        blank=True,
        help_text="Defaults from the agency kind when left blank.",
    )
    school_urn = models.CharField("School URN", max_length=8, blank=True)
    ods_code = models.CharField("NHS ODS code", max_length=10, blank=True)
    locality = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="agency_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.cin_source_code:
            self.cin_source_code = CIN_SOURCE_CODES.get(self.kind, "8")
        super().save(*args, **kwargs)

    @property
    def is_local_authority(self) -> bool:
        return self.kind in LOCAL_AUTHORITY_KINDS


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    locality = models.CharField(max_length=100, blank=True)
    managers = models.ManyToManyField("agencies.User", related_name="managed_teams", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint("agency", Lower("name"), name="team_name_unique_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("A professional needs an email address to sign in.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", User.Role.SYSTEM_ADMINISTRATOR)
        return self._create_user(email, password, **extra)


# django-otp is untyped, so the plugin cannot see BackupCodeDevice.user's reverse manager.
class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    """A professional who signs in with their work email address."""

    class Role(models.TextChoices):
        PRACTITIONER = "practitioner", "Practitioner"
        TEAM_MANAGER = "team_manager", "Team manager"
        COORDINATOR = "coordinator", "Early help coordinator"
        SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
        INFORMATION_GOVERNANCE = "information_governance", "Information governance officer"

    #: The roles that work on cases: find and add children, join teams, contribute.
    #: System administrators configure the service and information governance audits
    #: it; neither is offered case work (``cases.access.can_work_on_cases`` asks this).
    CASE_WORKING_ROLES = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER, Role.COORDINATOR})

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="professionals", null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, related_name="members", null=True, blank=True
    )
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PRACTITIONER)
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)
    #: When the account was deactivated (set and cleared by ``save``): a leaver's account
    #: is anonymised a set time after it (retention class ``leaver_account``).
    deactivated_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_staff = models.BooleanField(
        "admin site access",
        default=False,
        help_text="Can sign in to the configuration (admin) site.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = "professional"
        ordering = ["full_name"]
        constraints = [
            # Emails are stored lower-cased (see save()); this keeps it so.
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_lower"),
        ]
        indexes = [
            # Leavers (the dashboards' "workers who have left", retention's leavers): the
            # few deactivated accounts, by name, without reading every professional.
            models.Index(
                fields=["full_name", "id"],
                condition=Q(is_active=False),
                name="user_leavers_by_name_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        if self.is_active:
            self.deactivated_at = None
        elif self.deactivated_at is None:
            self.deactivated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "is_active" in update_fields:
            kwargs["update_fields"] = {*update_fields, "deactivated_at"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ", 1)[0] if self.full_name else self.email

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR

    @property
    def is_system_administrator(self) -> bool:
        return self.role == self.Role.SYSTEM_ADMINISTRATOR

    @property
    def is_information_governance(self) -> bool:
        return self.role == self.Role.INFORMATION_GOVERNANCE

    @property
    def role_and_agency(self) -> str:
        """How a contribution is attributed: by role and agency, never by seniority."""
        title = self.job_title or self.get_role_display()
        return f"{title}, {self.agency}" if self.agency else title


class ApiScope(models.TextChoices):
    """What a partner system's token may do (ARCHITECTURE §2, partner auth)."""

    CASES_READ = "cases:read", "Read the cases, children, teams, plans and meetings it may see"
    REFERRALS_WRITE = "referrals:write", "Submit requests for support"
    ACTIONS_WRITE = "actions:write", "Update actions its agency owns"
    CONTRIBUTIONS_WRITE = (
        "contributions:write",
        "Add contributions to cases its agency is on the team of",
    )
    MEETINGS_WRITE = "meetings:write", "Reply to meeting invitations for its agency's staff"
    REFERENCE_READ = "reference:read", "Read agencies and reference data"
    DOCUMENTS_WRITE = "documents:write", "Add documents to the cases its agency works on"


def _default_scopes() -> list[str]:
    return [ApiScope.CASES_READ, ApiScope.REFERENCE_READ]


class PartnerClient(models.Model):
    """A partner system (school MIS, health system) that calls the API for one agency.

    It owns one OAuth2 application (client credentials only). The client sees
    what a professional of its agency with a legitimate relationship would see.
    Deactivating the client, or its agency, stops its tokens at once.
    """

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE, related_name="partner"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="partner_clients")
    allowed_scopes = ArrayField(
        models.CharField(max_length=32, choices=ApiScope.choices),
        default=_default_scopes,
        help_text="Scopes this client may ask for (comma-separated).",
    )
    contact_email = models.EmailField(blank=True, help_text="Who runs the partner system.")
    sharing_agreement = models.CharField(
        max_length=200,
        default="",
        help_text="The information sharing agreement the system's access rests on: its "
        "reference and title. A system without one gets no data.",
    )
    purpose = BoundedTextField(
        default="", help_text="What the partner system uses the data for, as the agreement says."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency__name", "application__name"]

    def __str__(self) -> str:
        return f"{self.application.name} ({self.agency})"

    @property
    def client_id(self) -> str:
        return str(self.application.client_id)

    @property
    def is_usable(self) -> bool:
        """Active, of an active agency, and with a sharing agreement on record."""
        return self.is_active and self.agency.is_active and bool(self.sharing_agreement.strip())


class IdempotencyKey(models.Model):
    """A write the partner API already answered, replayed when the same key comes again.

    ``principal`` is the caller (``client:<id>`` for a partner client, ``user:<id>``
    for a professional's session), so keys of different callers never meet. The
    answer is stored in the same transaction as the write it describes. It holds
    only what the write answered (ids and a status), never the request body.
    """

    principal = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the request body.")
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    location = models.CharField(max_length=200, blank=True)
    etag = models.CharField(
        max_length=100, blank=True, help_text="The ETag the answer carried (an edit's new version)."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["principal", "key"], name="idempotency_key_unique_per_caller"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.principal})"


#: The sealing purpose of authenticator-app keys (and so their own derived key).
AUTHENTICATOR_KEY_SEALED_AS = "tac-authenticator-keys"


def _new_sealed_authenticator_key() -> str:
    return sealing.seal(secrets.token_bytes(20), purpose=AUTHENTICATOR_KEY_SEALED_AS)


class AuthenticatorApp(TimestampMixin, ThrottlingMixin, Device):
    """A professional's authenticator app: TOTP (RFC 6238) with a 160-bit key.

    The key is kept sealed (``tac_portal.sealing``), so a copy of the database alone
    cannot make codes. A code works for its own 30-second step only (no clock drift
    either side, ASVS 6.5.5), and once only: the step of the last code accepted is
    stored, and a code is accepted only by the one request that moves it on (6.5.1).
    """

    sealed_key = models.CharField(
        max_length=200,
        default=_new_sealed_authenticator_key,
        editable=False,
        help_text="The 160-bit TOTP key, sealed under the secret key.",
    )
    step = models.PositiveSmallIntegerField(default=30, help_text="Seconds each code lasts.")
    t0 = models.BigIntegerField(default=0, help_text="Unix time of step 0.")
    digits = models.PositiveSmallIntegerField(default=6)
    last_t = models.BigIntegerField(
        default=-1, help_text="The step of the last code accepted; the next must be later."
    )

    class Meta(Device.Meta):
        verbose_name = "authenticator app"

    def __str__(self) -> str:
        return f"Authenticator app of user {self.user_id}"  # type: ignore[attr-defined]

    @property
    def bin_key(self) -> bytes:
        return sealing.unseal(self.sealed_key, purpose=AUTHENTICATOR_KEY_SEALED_AS)

    @property
    def key_readable(self) -> bool:
        try:
            self.bin_key  # noqa: B018
        except sealing.Unreadable:
            return False
        return True

    @property
    def config_url(self) -> str:
        """The ``otpauth://`` URI an authenticator app scans (Key Uri Format)."""
        issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
        label = quote(f"{issuer}:{self.user.get_username()}")  # type: ignore[attr-defined]
        query = urlencode(
            {
                "secret": b32encode(self.bin_key).decode(),
                "algorithm": "SHA1",
                "digits": self.digits,
                "period": self.step,
            }
        )
        return f"otpauth://totp/{label}?{query}&issuer={quote(issuer)}"

    def get_throttle_factor(self) -> int:
        # After the n-th wrong code in a row, no code is checked for 2^(n-1) seconds.
        return 1

    def verify_token(self, token: object) -> bool:
        allowed, _ = self.verify_is_allowed()
        if isinstance(token, int) and not isinstance(token, bool):
            code = f"{token:0{self.digits}d}"  # a code as a number has lost its leading 0s
        else:
            code = str(token).strip()
        if not allowed or not (code.isascii() and code.isdigit() and len(code) == self.digits):
            return False
        try:
            key = self.bin_key
        except sealing.Unreadable:
            # Sealed under a secret key no longer given: no code can be checked. An
            # administrator removes the app and its owner sets up a new one.
            return False
        totp = TOTP(key, self.step, self.t0, self.digits, 0)
        totp.time = time.time()
        step = totp.t()
        # Tolerance 0: the current step's code only. The conditional update lets one
        # request only move last_t on to this step, however many carry the same code.
        accepted = totp.verify(int(code), 0, self.last_t + 1) and bool(
            type(self).objects.filter(pk=self.pk, last_t__lt=step).update(last_t=step)
        )
        if accepted:
            self.last_t = step
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
        else:
            self.throttle_increment(commit=False)
        # Never last_t: a stale copy must not move it back.
        self.save(update_fields=[*self._THROTTLING_FIELDS, "last_used_at"])
        return accepted

    _THROTTLING_FIELDS = ("throttling_failure_count", "throttling_failure_timestamp")


sealing.sealed_column(
    "agencies.AuthenticatorApp", "sealed_key", purpose=AUTHENTICATOR_KEY_SEALED_AS
)


#: Eight characters of lower-case base32: 40 random bits.
BACKUP_CODE_FORMAT = re.compile(r"[a-z2-7]{8}")


class BackupCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A professional's single-use backup codes, for when their phone is lost. Each code
    is shown once, when made, and kept only as a salted Argon2id hash (ASVS 6.5.2)."""

    hasher = BackupCodeHasher()

    codes: models.Manager[BackupCode]

    def __str__(self) -> str:
        return f"Backup codes of user {self.user_id}"  # type: ignore[attr-defined]

    def get_throttle_factor(self) -> int:
        # As django-otp's static device: after the n-th wrong code in a row, no code is
        # checked for 2^(n-1) seconds.
        return 1

    def replace_codes(self, count: int) -> list[str]:
        """Delete every code of this device and make ``count`` new ones; return them (the
        only time they are seen in the clear)."""
        plain: list[str] = []
        while len(plain) < count:
            code = b32encode(secrets.token_bytes(5)).decode().lower()
            if code not in plain:
                plain.append(code)
        self.codes.all().delete()
        BackupCode.objects.bulk_create(
            BackupCode(device=self, hashed_code=self.hasher.encode(code, self.hasher.salt()))
            for code in plain
        )
        return plain

    def verify_token(self, token: object) -> bool:
        """True, once, for one of the unused codes; the code is then deleted."""
        code = str(token).replace(" ", "").replace("-", "").lower()
        if not BACKUP_CODE_FORMAT.fullmatch(code):
            # An authenticator app's 6 digits, or anything else that cannot be a backup
            # code: nothing to hash, and it does not count as a wrong backup code.
            return False
        with transaction.atomic():
            # Lock the device row: a second submit of the same code waits here until the
            # first one commits, then finds the code gone (ASVS 6.5.1).
            type(self).objects.select_for_update().get(pk=self.pk)
            self.refresh_from_db()
            allowed, _ = self.verify_is_allowed()
            if not allowed:
                return False
            match = next(
                (
                    stored
                    for stored in self.codes.select_for_update()
                    if self.hasher.verify(code, stored.hashed_code)
                ),
                None,
            )
            if match is None:
                self.throttle_increment()
                return False
            match.delete()
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True


class BackupCode(models.Model):
    """One unused backup code, as its Argon2id hash (salt and cost in the string)."""

    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    hashed_code = models.CharField(max_length=128)

    def __str__(self) -> str:
        return f"Backup code {self.pk} of device {self.device_id}"


class UserSessionQuerySet(models.QuerySet["UserSession"]):
    def live(self) -> UserSessionQuerySet:
        """Sessions still usable: active within the idle limit, signed in within the
        absolute limit. Each row's ``last_active_at`` comes from its session's expiry
        (the session is saved at most once a minute while in use, and each save sets
        the expiry SESSION_COOKIE_AGE ahead), so being active costs no write here."""
        now = timezone.now()
        age = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        idle = dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)
        return self.filter(
            session__expire_date__gt=now + age - idle, signed_in_at__gt=now - age
        ).annotate(
            last_active_at=ExpressionWrapper(
                F("session__expire_date") - age, output_field=models.DateTimeField()
            )
        )


class UserSession(models.Model):
    """Who a session belongs to, so a professional can see and end their own sessions
    without every session in the store being decoded (ASVS 7.5.2).

    The row goes with its session: ending the session (signing out, timing out, a new
    password, deactivation, an administrator) deletes it. A new session id (after the
    second factor, or a new password) carries the row over (``agencies.session_store``).
    No address is kept: only a coarse description of the browser, like "Chrome on
    Windows".
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_sessions")
    session = models.OneToOneField(
        "sessions.Session", on_delete=models.CASCADE, related_name="owner"
    )
    device = models.CharField(max_length=60)
    signed_in_at = models.DateTimeField(default=timezone.now)

    objects = UserSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_in_at", "-pk"]
        indexes = [
            # "Your sessions": one person's sessions.
            models.Index(fields=["user", "signed_in_at"], name="user_session_by_user"),
        ]

    def __str__(self) -> str:
        return f"{self.device}, signed in {self.signed_in_at:%d %b %Y %H:%M}"
