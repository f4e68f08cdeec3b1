"""Every write of the honours app (see each module)."""

from deltaunion.honours.services.results import (  # noqa: F401
    exhibition_create,
    exhibition_item_add,
    exhibition_item_remove,
    exhibition_transition,
    exhibition_update,
    result_create,
    result_photo_add,
    result_update,
)
from deltaunion.honours.services.review import (  # noqa: F401
    outlier_resolve,
    panel_sign_off,
    refresh_outlier,
    review_submit,
)
from deltaunion.honours.services.selections import (  # noqa: F401
    award_revoke,
    category_add,
    category_set_places,
    criterion_add,
    criterion_remove,
    material_add,
    material_give,
    material_remove,
    nomination_accept,
    nomination_create,
    nomination_disqualify,
    nomination_return,
    nomination_submit,
    nomination_update,
    nomination_withdraw,
    objection_answer,
    objection_file,
    panel_add,
    panel_member_add,
    panel_member_remove,
    quota_set,
    selection_create,
    selection_name,
    selection_notice,
    selection_transition,
    selection_update,
)
from deltaunion.honours.services.studios import (  # noqa: F401
    studio_check_set,
    studio_create,
    studio_recognise,
    studio_report_save,
    studio_update,
)
