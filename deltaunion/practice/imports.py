"""The question-bank import, declared on the kernel's import framework (`core.imports`).

The layout is the one `selectors.questions_export_rows` writes, so an exported bank can be
edited and imported elsewhere: 题型, 主题, 难度, 题干, 选项A–F, 答案, 解析."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deltaunion.core.audit import log_action
from deltaunion.core.imports import Column, Importer, Row, register
from deltaunion.core.permissions import require
from deltaunion.practice import questions
from deltaunion.practice.models import Question, QuestionBank, QuestionKind

KIND_WORDS = {
    "单选": QuestionKind.SINGLE,
    "单选题": QuestionKind.SINGLE,
    "single": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "多选题": QuestionKind.MULTIPLE,
    "multiple": QuestionKind.MULTIPLE,
    "判断": QuestionKind.TRUE_FALSE,
    "判断题": QuestionKind.TRUE_FALSE,
    "truefalse": QuestionKind.TRUE_FALSE,
    "填空": QuestionKind.FILL,
    "填空题": QuestionKind.FILL,
    "fill": QuestionKind.FILL,
}
DIFFICULTY_WORDS = {"1": 1, "2": 2, "3": 3, "易": 1, "容易": 1, "中": 2, "中等": 2, "难": 3, "困难": 3}
OPTION_KEYS = tuple(f"option_{letter}" for letter in "ABCDEF")


def parse_kind(value: Any) -> str:
    kind = KIND_WORDS.get(questions.normalise_text(str(value)))
    if kind is None:
        raise ValidationError(_("The question type must be 单选, 多选, 判断 or 填空"))
    return kind


def parse_difficulty(value: Any) -> int:
    level = DIFFICULTY_WORDS.get(questions.normalise_text(str(value)))
    if level is None:
        raise ValidationError(_("The difficulty must be 1, 2 or 3 (易, 中, 难)"))
    return level


@register
class QuestionImport(Importer):
    key = "practice.questions"
    title = gettext_lazy("Questions")
    context_models = {"bank": QuestionBank}
    columns = [
        Column(
            "kind",
            "题型",
            "Type",
            required=True,
            max_length=10,
            parse=parse_kind,
            help=gettext_lazy("单选, 多选, 判断 or 填空"),
        ),
        Column("topic", "主题", "Topic", required=True, max_length=100, help=gettext_lazy("e.g. 安全用电")),
        Column(
            "difficulty",
            "难度",
            "Difficulty",
            required=True,
            max_length=4,
            parse=parse_difficulty,
            help=gettext_lazy("1, 2 or 3 (易, 中, 难)"),
        ),
        Column("stem", "题干", "Question", required=True, max_length=2000),
        *[
            Column(
                key,
                f"选项{key[-1]}",
                f"Option {key[-1]}",
                max_length=500,
                help=gettext_lazy("Choice questions: fill A, B, C … in order, no gaps"),
            )
            for key in OPTION_KEYS
        ],
        Column(
            "answer",
            "答案",
            "Answer",
            required=True,
            max_length=500,
            help=gettext_lazy(
                "Letters for choices (AC), 对/错 for true-or-false, accepted answers separated by | for fill-in"
            ),
        ),
        Column("explanation", "解析", "Explanation", max_length=2000),
    ]
    sample = {
        "kind": "单选",
        "topic": "安全用电（示例）",
        "difficulty": "1",
        "stem": "示例题干：人体安全电压一般不高于多少伏？",
    }

    def authorise(self, by: Any) -> None:
        require(by, "practice.manage_bank", self.context["bank"])

    def clean_row(self, row: Row) -> None:
        kind = row["kind"]
        options = [row.get(k, "") for k in OPTION_KEYS]
        if kind not in questions.CHOICE_KINDS and any(options):
            row.error("option_A", _("True-or-false and fill-in questions have no options"))
            return
        if kind in questions.CHOICE_KINDS:
            filled = [bool(o) for o in options]
            last = max((i for i, f in enumerate(filled) if f), default=-1)
            if not all(filled[: last + 1]):
                row.error("option_A", _("Leave no gaps between options: fill A, B, C … in order"))
                return
        try:
            opts, answer = questions.clean_question(kind=kind, stem=row["stem"], options=options, answer=row["answer"])
        except ValidationError as exc:
            message = exc.messages[0]
            row.error("answer" if "answer" in message.lower() or "答案" in message else "stem", message)
            return
        row.values["options"], row.values["key"] = opts, answer
        row.values["fingerprint"] = questions.fingerprint(row["stem"], opts)

    def clean_all(self, rows: list[Row]) -> None:
        existing = set(Question.objects.filter(bank=self.context["bank"]).values_list("fingerprint", flat=True))
        seen: dict[str, int] = {}
        for row in rows:
            fp = row.get("fingerprint")
            if fp is None:
                continue
            if fp in existing:
                row.error("stem", _("This question is already in the bank"))
            elif fp in seen:
                row.error("stem", _("The same question as in row %(row)d") % {"row": seen[fp]})
            else:
                seen[fp] = row.number

    def write(self, rows: list[Row], by: Any) -> dict[str, int]:
        bank = self.context["bank"]
        Question.objects.bulk_create(
            [
                Question(
                    bank=bank,
                    kind=r["kind"],
                    topic=r["topic"],
                    difficulty=r["difficulty"],
                    stem=r["stem"],
                    options=r["options"],
                    answer=r["key"],
                    explanation=r.get("explanation", ""),
                    fingerprint=r["fingerprint"],
                    is_demo=bank.is_demo,
                )
                for r in rows
            ],
            batch_size=1000,
        )
        log_action(actor=by, action="bank.import", obj=bank, after={"count": len(rows)})
        return {"created": len(rows)}
