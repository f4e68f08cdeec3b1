"""Forms of the practice pages: input parsing only; every rule is in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from deltaunion.contests.models import Contest, Stage
from deltaunion.core.forms import BootstrapForm
from deltaunion.orgs.forms import OrganisationChoiceField
from deltaunion.practice.models import Difficulty, QuestionBank, QuestionKind, Quiz
from deltaunion.practice.selectors import OPTION_COLUMNS

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# Labels of the officers' pages. The model's own labels share msgids with other apps ("Open" is
# a contest's 报名中), which read wrongly for a quiz.
QUIZ_STATUS_CHOICES = [
    (Quiz.Status.DRAFT, _("Draft")),
    (Quiz.Status.OPEN, _("Open for answers")),
    (Quiz.Status.CLOSED, _("Closed for answers")),
]
OPTION_LETTERS = "ABCDEF"[: len(OPTION_COLUMNS)]


def datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )


def date_field(label, required=True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}))


class ContestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contest) -> str:
        return f"{obj.title} · {obj.lead_org.name}"


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Stage) -> str:
        return f"{obj.contest.title} · {obj.name}"


class BankChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: QuestionBank) -> str:
        return f"{obj.name} · {obj.owner.name}"


# --- banks and questions ------------------------------------------------------------------------


class BankForm(BootstrapForm):
    owner = OrganisationChoiceField(label=_("Owner (union)"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    trade = forms.CharField(label=_("Trade"), max_length=100, required=False)
    occupation_code = forms.CharField(label=_("National occupation code"), max_length=20, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    published = forms.BooleanField(label=_("Open for practice to every worker"), required=False, initial=True)

    def __init__(self, *args: Any, organisations=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations


class QuestionForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Question type"), choices=QuestionKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=100)
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"), choices=Difficulty.choices, coerce=int, initial=Difficulty.EASY
    )
    stem = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    answer = forms.CharField(
        label=_("Answer"),
        max_length=500,
        help_text=_(
            "Choice: the letters of the right options (A or AC); true or false: 对 or 错; fill-in: the accepted answers separated by |"
        ),
    )
    explanation = forms.CharField(
        label=_("Explanation"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for letter in OPTION_LETTERS:
            self.fields[f"option_{letter}"] = forms.CharField(
                label=_("Option %(letter)s") % {"letter": letter}, required=False, max_length=500
            )
            self.fields[f"option_{letter}"].widget.attrs["class"] = "form-control form-control-sm"

    def option_fields(self) -> list:
        return [self[f"option_{letter}"] for letter in OPTION_LETTERS]

    def clean(self) -> dict[str, Any]:
        cd = super().clean()
        options = [(cd.get(f"option_{letter}") or "").strip() for letter in OPTION_LETTERS]
        last = max((i for i, o in enumerate(options) if o), default=-1)
        if not all(options[: last + 1]):
            raise forms.ValidationError(_("Leave no gaps between options: fill A, B, C … in order"))
        cd["options"] = options[: last + 1]
        return cd


class QuizForm(BootstrapForm):
    """A quiz and, when creating, its contest: an existing contest of the quiz format, or a new one."""

    contest = ContestChoiceField(label=_("Contest (online-quiz format)"), queryset=None, required=False)
    new_contest_title = forms.CharField(label=_("…or create a contest titled"), max_length=200, required=False)
    new_contest_lead = OrganisationChoiceField(
        label=_("Lead organiser of the new contest"), queryset=None, required=False
    )
    bank = BankChoiceField(label=_("Question bank"), queryset=None)
    title = forms.CharField(label=_("Quiz title"), max_length=200)
    points_per_question = forms.IntegerField(label=_("Points per question"), min_value=1, max_value=1000, initial=10)
    time_limit_seconds = forms.IntegerField(label=_("Time limit (seconds)"), min_value=10, initial=600)
    attempts_per_day = forms.IntegerField(label=_("Attempts per day"), min_value=1, max_value=100, initial=3)
    opens_at = datetime_field(_("Opens at"))
    closes_at = datetime_field(_("Closes at"))
    status = forms.ChoiceField(label=_("Status"), choices=QUIZ_STATUS_CHOICES, initial=Quiz.Status.DRAFT)
    stage = StageChoiceField(
        label=_("Feeds the theory score of stage"),
        queryset=None,
        required=False,
        help_text=_("Optional: a stage of a judged skill contest whose theory part this quiz's best scores fill."),
    )

    def __init__(
        self,
        *args: Any,
        contests=None,
        organisations=None,
        banks=None,
        stages=None,
        creating=True,
        statuses=None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        if statuses is not None:  # the states the quiz may be moved to now (and the one it is in)
            self.fields["status"].choices = [(v, label) for v, label in QUIZ_STATUS_CHOICES if v in statuses]
        self.fields["contest"].queryset = contests
        self.fields["new_contest_lead"].queryset = organisations
        self.fields["bank"].queryset = banks
        self.fields["stage"].queryset = stages
        if not creating:
            for name in ("contest", "new_contest_title", "new_contest_lead", "bank"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cd = super().clean()
        if self.creating and not self.errors:
            if cd.get("contest") is None and not (cd.get("new_contest_title") or "").strip():
                raise forms.ValidationError(
                    _("Choose a contest of the online-quiz format, or give a new contest a title")
                )
            if cd.get("contest") is None and cd.get("new_contest_lead") is None:
                self.add_error("new_contest_lead", _("Choose the lead organiser of the new contest"))
        return cd


def quiz_rules_from(data: Any) -> list[dict[str, Any]]:
    """The paper rules typed in the rules table: rows of topic / difficulty / count.
    Rows with no count are ignored; the service checks the rest."""
    topics = data.getlist("rule_topic")
    difficulties = data.getlist("rule_difficulty")
    counts = data.getlist("rule_count")
    rules = []
    for i, count in enumerate(counts):
        count = (count or "").strip()
        if not count:
            continue
        rules.append(
            {
                "topic": (topics[i] if i < len(topics) else "").strip(),
                "difficulty": (difficulties[i] if i < len(difficulties) else "").strip() or None,
                "count": count,
            }
        )
    return rules
