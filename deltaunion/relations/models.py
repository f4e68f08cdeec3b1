"""Labour relations: early-warning signals, cases between unions with their referrals, building
projects with their wage-arrears prevention measures, evidence files and recorded situation reports.

Personal data (names, ID numbers, phones of the workers concerned) lives in `SignalWorker` and
`CaseParty`; who may read it is decided in `permissions.py`, and every read is logged.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.core.models import TimeStampedModel
from deltaunion.core.statemachine import StateMachine, Transition
from deltaunion.core.uploads import private_storage
from deltaunion.orgs.models import Organisation, Region
from deltaunion.people.models import Employer, Ownership, Worker
from deltaunion.relations.evidence import upload_to as evidence_upload_to

# The four provinces of the region (GB/T 2260 province codes).
PROVINCES = [
    ("310000", _("Shanghai")),
    ("320000", _("Jiangsu")),
    ("330000", _("Zhejiang")),
    ("340000", _("Anhui")),
]
PROVINCE_CODES = [code for code, _label in PROVINCES]
# Provinces outside the region that workers come from are counted together.
OTHER_PROVINCES = "other"
ORIGIN_CHOICES = [*PROVINCES, (OTHER_PROVINCES, _("Other provinces"))]


def province_label(code: str) -> str:
    return str(dict(ORIGIN_CHOICES).get(code, _("Other provinces")))


def province_of(code: str) -> str:
    """The region's province code of a division code ("330106" → "330000"), or "other"."""
    code = (code or "")[:2] + "0000"
    return code if code in PROVINCE_CODES else OTHER_PROVINCES


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("Manufacturing")
    CONSTRUCTION = "construction", _("Construction")
    LOGISTICS = "logistics", _("Transport and logistics")
    SERVICES = "services", _("Catering, hotels and services")
    PLATFORM = "platform", _("Platform and gig work")
    RETAIL = "retail", _("Wholesale and retail")
    OTHER = "other", _("Other industries")


class Placed(models.Model):
    """Where a signal or a case is: the union that records it, the city and the employer."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Handling union")
    )
    city = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("City"))
    employer_name = models.CharField(_("Employer"), max_length=200)
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Employer record")
    )
    industry = models.CharField(_("Industry"), max_length=16, choices=Industry.choices, default=Industry.OTHER)
    ownership = models.CharField(_("Ownership type"), max_length=16, choices=Ownership.choices, default="private")
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"

    class Meta:
        abstract = True

    @property
    def province_code(self) -> str:
        return province_of(self.city_id)


# --- early-warning signals ------------------------------------------------------------------------------


class SignalKind(models.TextChoices):
    WAGE_ARREARS = "wage_arrears", _("Wage arrears")
    RELOCATION = "relocation", _("Relocation or closure")
    LAYOFFS = "layoffs", _("Mass layoffs")
    SOCIAL_INSURANCE = "social_insurance", _("Social-insurance arrears")
    COLLECTIVE_COMPLAINT = "collective_complaint", _("Collective complaint")
    SAFETY_INCIDENT = "safety_incident", _("Safety incident")


class Severity(models.TextChoices):
    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Very serious")


SEVERITY_RANK = {Severity.GENERAL: 1, Severity.SERIOUS: 2, Severity.MAJOR: 3, Severity.CRITICAL: 4}


class Signal(Placed, TimeStampedModel):
    """An early-warning signal (预警信号) about an employer, shared with the federations whose
    workers are affected or where the employer has sites."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("signal status", "Open")
        HANDLING = "handling", _("Being handled")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed without action")

    Kind = SignalKind

    kind = models.CharField(_("Kind of signal"), max_length=24, choices=SignalKind.choices)
    severity = models.CharField(_("Severity"), max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    workers_affected = models.PositiveIntegerField(_("Workers affected"))
    # {"330000": 12, "340000": 30, "other": 3}: how many of the affected workers come from where.
    origins = models.JSONField(_("Where the workers come from"), default=dict, blank=True)
    site_provinces = models.JSONField(_("Other provinces with sites of the employer"), default=list, blank=True)
    occurred_on = models.DateField(_("Date noticed"))
    description = models.TextField(_("What is happening"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("person", "Recorded by"),
    )
    shared_with = models.ManyToManyField(
        Organisation, through="SignalShare", related_name="+", verbose_name=_("Shared with")
    )

    audit_choices = {"site_provinces": PROVINCES, "origins_text": [], "home_province": ORIGIN_CHOICES}
    audit_labels = {
        "origins_text": _("Where the workers come from"),
        "shared_with_text": _("Shared with"),
        "worker": _("Affected worker"),
        "home_province": _("Home province"),
    }
    audit_hidden = ("origins",)

    class Meta:
        verbose_name = _("Early-warning signal")
        verbose_name_plural = _("Early-warning signals")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(workers_affected__gte=1), name="relations_signal_workers_positive"),
        ]
        indexes = [models.Index(fields=["occurred_on"], name="relations_signal_date_idx")]

    def __str__(self) -> str:
        return f"{self.employer_name} · {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.HANDLING)


class SignalShare(models.Model):
    """A federation the signal is shared with, and why."""

    class Reason(models.TextChoices):
        WORKERS = "workers", _("Affected workers come from there")
        SITES = "sites", _("The employer has sites there")
        BOTH = "both", _("Workers come from there and the employer has sites there")

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="shares")
    federation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("Reason"), max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["signal", "federation"], name="relations_share_once")]

    def __str__(self) -> str:
        return f"{self.signal_id} → {self.federation_id}"


class SignalWorker(models.Model):
    """A named affected worker of a signal (personal data)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="workers")
    name = models.CharField(_("Full name"), max_length=100)
    id_number = models.CharField(_("ID number"), max_length=18)
    phone = models.CharField(_("Mobile number"), max_length=20, blank=True, default="")
    home_province = models.CharField(_("Home province"), max_length=6, choices=ORIGIN_CHOICES)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["signal", "id_number"], name="relations_signal_worker_once")]

    def __str__(self) -> str:
        return str(_("Affected worker"))


# --- building projects and their prevention measures -------------------------------------------------------


class Project(TimeStampedModel):
    """A building project (建设项目): its contractor, its main contractor and the measures in place
    against unpaid wages (承诺书, 门禁记录, 劳动合同, 普法宣传)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Union"))
    name = models.CharField(_("Project"), max_length=200)
    city = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("City"))
    contractor = models.CharField(_("Contractor"), max_length=200)
    main_contractor = models.CharField(_("Main contractor"), max_length=200)
    project_manager = models.CharField(_("Project manager"), max_length=100, blank=True, default="")
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"

    class Meta:
        verbose_name = _("Building project")
        verbose_name_plural = _("Building projects")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="relations_project_unique")]

    def __str__(self) -> str:
        return self.name


class MeasureKind(models.TextChoices):
    COMMITMENT_LETTER = "commitment_letter", _("Commitment letter signed by the project manager")
    ACCESS_CONTROL = "access_control", _("Access-control records")
    LABOUR_CONTRACTS = "labour_contracts", _("Labour contracts signed")
    LEGAL_VISIT = "legal_visit", _("Legal-information visit")


class PreventionMeasure(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="measures", verbose_name=_("Project"))
    kind = models.CharField(_("Measure"), max_length=20, choices=MeasureKind.choices)
    done_on = models.DateField(_("Date"))
    note = models.CharField(_("Note"), max_length=300, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("person", "Recorded by"),
    )

    class Meta:
        verbose_name = _("Prevention measure")
        verbose_name_plural = _("Prevention measures")
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_on}"


# --- cases -----------------------------------------------------------------------------------------------


class CaseKind(models.TextChoices):
    DISPUTE = "dispute", _("Labour dispute")
    LEGAL_AID = "legal_aid", _("Legal-aid request")
    UNPAID_WAGES = "unpaid_wages", _("Unpaid wages")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    REFERRED = "referred", _("Referred, awaiting an answer")
    ACCEPTED = "accepted", _("Accepted by the receiving union")
    MEDIATION = "mediation", _("In mediation")
    AGREEMENT = "agreement", _("Agreement reached")
    NO_AGREEMENT = "no_agreement", _("No agreement")
    ARBITRATION = "arbitration", _("Arbitration")
    LITIGATION = "litigation", _("Litigation")
    LEGAL_AID = "legal_aid", _("Legal aid")
    CLOSED = "closed", pgettext_lazy("case status", "Closed")
    FOLLOW_UP = "follow_up", _("Followed up")


FINISHED = (CaseStatus.CLOSED, CaseStatus.FOLLOW_UP)


class Channel(models.TextChoices):
    OFFICER = "officer", _("Recorded by the union")
    ONLINE = "online", _("Asked for help online")


class Outcome(models.TextChoices):
    AGREEMENT_FULFILLED = "agreement_fulfilled", _("Agreement carried out")
    WAGES_PAID = "wages_paid", _("Wages paid")
    AWARD = "award", _("Arbitration award")
    JUDGMENT = "judgment", _("Court judgment")
    LEGAL_AID_DONE = "legal_aid_done", _("Legal aid completed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the worker")
    NOT_ACCEPTED = "not_accepted", _("Not a matter for the union")
    OTHER = "other", _("Other outcome")


class Case(Placed, TimeStampedModel):
    """A case between unions (案件): a labour dispute, a legal-aid request or an unpaid-wage case,
    for one worker or a group (its parties)."""

    Kind = CaseKind
    Status = CaseStatus

    number = models.CharField(_("Case number"), max_length=20, blank=True, default="")
    kind = models.CharField(_("Kind of case"), max_length=16, choices=CaseKind.choices)
    channel = models.CharField(_("How it came in"), max_length=10, choices=Channel.choices, default=Channel.OFFICER)
    summary = models.TextField(_("What happened"))
    status = models.CharField(_("Status"), max_length=14, choices=CaseStatus.choices, default=CaseStatus.RECEIVED)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relations_cases",
        verbose_name=_("Asked for help by"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Handled by"),
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases", verbose_name=_("Project")
    )
    signal = models.ForeignKey(
        Signal, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases", verbose_name=_("From signal")
    )
    opened_on = models.DateField(_("Date received"))
    # The current step's deadline (services: workdays.step_deadline).
    step_started_on = models.DateField(_("Step started on"), null=True, blank=True)
    due_on = models.DateField(_("Deadline of this step"), null=True, blank=True)
    due_estimated = models.BooleanField(_("Deadline estimated"), default=False)
    mediation_applied_on = models.DateField(_("Mediation applied for on"), null=True, blank=True)
    outcome = models.CharField(_("Outcome"), max_length=20, choices=Outcome.choices, blank=True, default="")
    closed_on = models.DateField(_("Date closed"), null=True, blank=True)

    scope_owner_field = "applicant"
    audit_hidden = ("step_started_on", "due_estimated")

    class Meta:
        verbose_name = _("Case")
        verbose_name_plural = _("Cases")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="relations_case_number_unique"),
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="relations_case_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="relations_case_due_idx"),
            models.Index(fields=["opened_on"], name="relations_case_date_idx"),
        ]

    def __str__(self) -> str:
        return self.number or str(_("New case"))

    @property
    def is_active(self) -> bool:
        return self.status not in FINISHED


class CaseParty(models.Model):
    """A worker a case is for (personal data), with the wages owed and recovered."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties", verbose_name=_("Case"))
    worker = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Worker record")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("Full name"), max_length=100)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, default="")
    phone = models.CharField(_("Mobile number"), max_length=20, blank=True, default="")
    home_province = models.CharField(_("Home province"), max_length=6, choices=ORIGIN_CHOICES, blank=True, default="")
    amount_owed = models.DecimalField(_("Wages owed (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    amount_recovered = models.DecimalField(
        _("Wages recovered (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )

    class Meta:
        verbose_name = _("Worker concerned")
        verbose_name_plural = _("Workers concerned")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_owed__gte=0, amount_recovered__gte=0), name="relations_party_amounts_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount_recovered__lte=models.F("amount_owed")), name="relations_party_recovered_le_owed"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Worker concerned"))

    @property
    def amount_outstanding(self) -> Decimal:
        return self.amount_owed - self.amount_recovered


class ReferralMode(models.TextChoices):
    REFERRAL = "referral", _("Referral: the receiving union works on it, we keep the case")
    TRANSFER = "transfer", _("Transfer: the receiving union takes the case over")


class DeclineReason(models.TextChoices):
    NOT_COMPETENT = "not_competent", _("Not within our competence")
    NO_CONNECTION = "no_connection", _("Neither the employer nor the worker is here")
    DUPLICATE = "duplicate", _("Already handled here")
    INSUFFICIENT = "insufficient", _("Not enough information to act")
    OTHER = "other", _("Other reason")


class Referral(TimeStampedModel):
    """A case passed to another union: it accepts (a referral: it gains access, we keep the
    case; a transfer: it takes the case over) or declines with a reason code."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    Mode = ReferralMode
    Reason = DeclineReason

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("Case"))
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("From")
    )
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("To"))
    mode = models.CharField(_("Kind of referral"), max_length=10, choices=ReferralMode.choices)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.CharField(_("Message"), max_length=500, blank=True, default="")
    decline_reason = models.CharField(
        _("Reason for declining"), max_length=16, choices=DeclineReason.choices, blank=True, default=""
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Sent by")
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Answered by"),
    )
    answered_at = models.DateTimeField(_("Answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Referral")
        verbose_name_plural = _("Referrals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="relations_one_pending_referral"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_organisation}"

    def audit_organisation(self) -> Organisation:
        return self.case.organisation


# --- evidence files -----------------------------------------------------------------------------------------


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    CONTRACT = "contract", _("Contract")
    PAY_SLIP = "pay_slip", _("Pay slip")
    CHAT = "chat", _("Chat screenshot")
    RECORD = "record", _("Record or list")
    OTHER = "other", _("Other document")


class Evidence(models.Model):
    """An uploaded file of a case or of a prevention measure. Stored outside the web root under a
    random name; served only through the access-checked view, by its random key."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    measure = models.ForeignKey(
        PreventionMeasure, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("Kind of evidence"), max_length=10, choices=EvidenceKind.choices)
    original_name = models.CharField(_("File name"), max_length=120)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField(_("Size"))
    sha256 = models.CharField(max_length=64)
    file = models.FileField(_("File"), storage=private_storage, upload_to=evidence_upload_to, max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Uploaded by")
    )
    created_at = models.DateTimeField(_("Uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Evidence")
        verbose_name_plural = _("Evidence")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, measure__isnull=True) | Q(case__isnull=True, measure__isnull=False),
                name="relations_evidence_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


# --- recorded situation reports --------------------------------------------------------------------------


class SituationReport(models.Model):
    """A situation report (会商研判) recorded for a joint meeting: the figures as they were."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Prepared by")
    )
    year = models.PositiveSmallIntegerField(_("Year"))
    title = models.CharField(pgettext_lazy("report", "Title"), max_length=200)
    figures = models.JSONField(_("Figures"), default=dict)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("person", "Recorded by"),
    )
    created_at = models.DateTimeField(_("Recorded at"), auto_now_add=True)
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"
    audit_hidden = ("figures",)

    class Meta:
        verbose_name = _("Situation report")
        verbose_name_plural = _("Situation reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


# --- how the audit history names what is not a field -----------------------------------------------------

_EVIDENCE_LABELS = {"evidence": _("Evidence file"), "evidence_kind": _("Kind of evidence")}
Case.audit_labels = {"parties_text": _("Workers concerned"), **_EVIDENCE_LABELS}
Case.audit_choices = {"evidence_kind": EvidenceKind.choices}
Project.audit_labels = {"measure": _("Prevention measure"), "done_on": _("Date"), **_EVIDENCE_LABELS}
Project.audit_choices = {"measure": MeasureKind.choices, "evidence_kind": EvidenceKind.choices}

# --- state machines -----------------------------------------------------------------------------------------

_G = Signal.Status
Signal.workflow = StateMachine(
    Signal,
    "status",
    action="relations_signal",
    transitions=[
        Transition("handle", [_G.OPEN], _G.HANDLING, _("started handling the signal"), "relations.manage_signal"),
        Transition(
            "resolve", [_G.OPEN, _G.HANDLING], _G.RESOLVED, _("marked the signal resolved"), "relations.manage_signal"
        ),
        Transition(
            "close", [_G.OPEN, _G.HANDLING], _G.CLOSED, _("closed the signal without action"), "relations.manage_signal"
        ),
        Transition(
            "reopen", [_G.RESOLVED, _G.CLOSED], _G.HANDLING, _("reopened the signal"), "relations.manage_signal"
        ),
    ],
)

_S = CaseStatus
Case.workflow = StateMachine(
    Case,
    "status",
    action="relations_case",
    transitions=[
        Transition("assign", [_S.RECEIVED], _S.ASSIGNED, _("assigned the case"), "relations.own_case"),
        Transition("refer", [_S.RECEIVED, _S.ASSIGNED], _S.REFERRED, _("referred the case"), "relations.own_case"),
        Transition("accept", [_S.REFERRED], _S.ACCEPTED, _("accepted the referral"), "relations.answer_referral"),
        Transition("decline", [_S.REFERRED], _S.ASSIGNED, _("declined the referral"), "relations.answer_referral"),
        Transition("withdraw_referral", [_S.REFERRED], _S.ASSIGNED, _("withdrew the referral"), "relations.own_case"),
        Transition(
            "mediate", [_S.ASSIGNED, _S.ACCEPTED], _S.MEDIATION, _("started mediation"), "relations.handle_case"
        ),
        Transition("agree", [_S.MEDIATION], _S.AGREEMENT, _("recorded an agreement"), "relations.handle_case"),
        Transition(
            "no_agreement",
            [_S.MEDIATION],
            _S.NO_AGREEMENT,
            _("recorded that no agreement was reached"),
            "relations.handle_case",
        ),
        Transition(
            "arbitrate",
            [_S.ASSIGNED, _S.ACCEPTED, _S.NO_AGREEMENT],
            _S.ARBITRATION,
            _("took the case to arbitration"),
            "relations.handle_case",
        ),
        Transition(
            "litigate",
            [_S.NO_AGREEMENT, _S.ARBITRATION],
            _S.LITIGATION,
            _("took the case to court"),
            "relations.handle_case",
        ),
        Transition(
            "legal_aid",
            [_S.ASSIGNED, _S.ACCEPTED, _S.NO_AGREEMENT, _S.ARBITRATION],
            _S.LEGAL_AID,
            _("granted legal aid"),
            "relations.handle_case",
        ),
        Transition(
            "close",
            [
                _S.RECEIVED,
                _S.ASSIGNED,
                _S.ACCEPTED,
                _S.AGREEMENT,
                _S.NO_AGREEMENT,
                _S.ARBITRATION,
                _S.LITIGATION,
                _S.LEGAL_AID,
            ],
            _S.CLOSED,
            _("closed the case"),
            "relations.own_case",
        ),
        Transition("follow_up", [_S.CLOSED], _S.FOLLOW_UP, _("followed the case up"), "relations.handle_case"),
        Transition("reopen", [_S.CLOSED, _S.FOLLOW_UP], _S.ASSIGNED, _("reopened the case"), "relations.own_case"),
    ],
)

_R = Referral.Status
Referral.workflow = StateMachine(
    Referral,
    "status",
    action="relations_referral",
    transitions=[
        Transition("accept", [_R.PENDING], _R.ACCEPTED, _("accepted the referral"), "relations.answer_referral"),
        Transition("decline", [_R.PENDING], _R.DECLINED, _("declined the referral"), "relations.answer_referral"),
        Transition("withdraw", [_R.PENDING], _R.WITHDRAWN, _("withdrew the referral"), "relations.own_case"),
    ],
)
