"""Contest engine models. Shared by every format: contest, stage, registration, result set,
appeal, notice, award, certificate. Judged-skill marking: module, aspect, assignment, mark."""

from .awards import Award, Certificate, PrizeTier, PromotionRule, TitleRule
from .contest import (
    STAGE_STEPS_BY_HAND,
    Contest,
    ContestFormat,
    ContestLevel,
    ContestRole,
    Stage,
    TieBreak,
    Trade,
    Venue,
)
from .marking import Aspect, JudgeAssignment, Mark, Module
from .registration import Draw, Qualification, Quota, Registration, SealedMapping, SecretNumber, TeamMember
from .results import Appeal, Objection, Recheck, RecheckItem, ResultRow, ResultSet

__all__ = [
    "STAGE_STEPS_BY_HAND",
    "Appeal",
    "Aspect",
    "Award",
    "Certificate",
    "Contest",
    "ContestFormat",
    "ContestLevel",
    "ContestRole",
    "Draw",
    "JudgeAssignment",
    "Mark",
    "Module",
    "Objection",
    "PrizeTier",
    "PromotionRule",
    "Qualification",
    "Quota",
    "Recheck",
    "RecheckItem",
    "Registration",
    "ResultRow",
    "ResultSet",
    "SealedMapping",
    "SecretNumber",
    "Stage",
    "TeamMember",
    "TieBreak",
    "TitleRule",
    "Trade",
    "Venue",
]
