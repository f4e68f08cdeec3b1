"""Campaign rule sets as data. The Wuyi county weight-loss contest (seeds/004: 武义县首届健康减重大赛):
490 points — 20 for the pre-test; 3 a day for reaching the exercise goal, up to 180; 1 per uploaded
meal record (three meals a day), up to 180; 10 per offline activity, up to 50; 5 per weekly
weigh-in, up to 40; 20 for the post-test. Used by the demo data, offered as a starting point on
the campaign form, and by the tests."""

from __future__ import annotations

from typing import Any

WUYI_RULES: list[dict[str, Any]] = [
    {"code": "pre-test", "name": "赛前体质测", "points": 20, "once_only": True, "value_label": "体重（kg）"},
    {"code": "exercise", "name": "达到运动目标", "points": 3, "per_day_cap": 3, "total_cap": 180},
    {"code": "meal", "name": "上传膳食记录", "points": 1, "per_day_cap": 3, "total_cap": 180},
    {"code": "activity", "name": "线下健身活动", "points": 10, "total_cap": 50},
    {
        "code": "weigh-in",
        "name": "每周测量体重腰围",
        "points": 5,
        "per_week_cap": 5,
        "total_cap": 40,
        "value_label": "体重（kg）",
    },
    {"code": "post-test", "name": "赛后体测", "points": 20, "once_only": True, "value_label": "体重（kg）"},
]
WUYI_MAX_POINTS = 490
