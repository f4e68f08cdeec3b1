"""The honours app's models: innovation studios, innovation results and exhibitions, and the
selections that name honours."""

from .results import (
    PATENT_KINDS,
    ApplicationStatus,
    Exhibition,
    ExhibitionItem,
    InnovationResult,
    ResultKind,
    ResultPhoto,
)
from .selections import (
    Award,
    Category,
    Criterion,
    Honour,
    MaterialAnswer,
    Nomination,
    Objection,
    Panel,
    PanelMember,
    Quota,
    RecipientKind,
    RequiredMaterial,
    Review,
    Selection,
)
from .studios import Studio, StudioCheck, StudioRecognition, StudioReport

__all__ = [
    "PATENT_KINDS",
    "ApplicationStatus",
    "Award",
    "Category",
    "Criterion",
    "Exhibition",
    "ExhibitionItem",
    "Honour",
    "InnovationResult",
    "MaterialAnswer",
    "Nomination",
    "Objection",
    "Panel",
    "PanelMember",
    "Quota",
    "RecipientKind",
    "RequiredMaterial",
    "ResultKind",
    "ResultPhoto",
    "Review",
    "Selection",
    "Studio",
    "StudioCheck",
    "StudioRecognition",
    "StudioReport",
]
