"""Roles and unit kinds: their Chinese and English labels and colours — the one table
every layer (parser, graph, analysis, pages, CLI) reads."""

from __future__ import annotations

#: The roles a unit can have on a measure.
ROLES = ("lead", "support", "joint")
ROLE_LABELS = {"lead": "牵头", "support": "配合", "joint": "负责"}
ROLE_NAMES_EN = {"lead": "lead", "support": "support", "joint": "jointly responsible"}
ROLE_COLORS = {"lead": "#e45756", "joint": "#4c78a8", "support": "#9ecae9"}

#: Unit kinds: key (the term's local name in the graph) → Chinese label.
KINDS = {
    "party": "党委部门",
    "government": "政府部门",
    "mass": "群团组织",
    "institution": "事业单位",
    "branch": "上级派驻",
    "collective": "集体",
    "enterprise": "企业",
    "other": "其他",
}
KIND_NAMES_EN = {"party": "party committee body", "government": "government department",
                 "mass": "mass organisation", "institution": "public institution",
                 "branch": "higher-level branch", "collective": "collective", "enterprise": "enterprise",
                 "other": "other"}
#: Colour of each kind (by its Chinese label) on pages and plots.
KIND_COLORS = {
    "党委部门": "#d62728", "政府部门": "#1f77b4", "群团组织": "#2ca02c", "事业单位": "#9467bd",
    "上级派驻": "#8c564b", "集体": "#e377c2", "企业": "#bcbd22", "其他": "#7f7f7f",
}

#: The statuses a unit reports on a task (the 进展状态 drop-down), by the term's local name.
STATUS_LABELS = {"notStarted": "未启动", "inProgress": "推进中", "done": "已完成", "behind": "滞后",
                 "notApplicable": "不适用"}
STATUS_NAMES_EN = {"notStarted": "not started", "inProgress": "in progress", "done": "done", "behind": "behind",
                   "notApplicable": "not applicable"}
#: Colours of follow-up states on pages: done, due soon, overdue, not reported, and reported
#: with nothing urgent (on track).
FOLLOW_UP_COLORS = {"done": "#2ca02c", "due_soon": "#f2c318", "overdue": "#d62728", "not_reported": "#9e9e9e",
                    "on_track": "#9ecae1"}
FOLLOW_UP_LABELS = {"done": "已完成", "due_soon": "即将到期", "overdue": "逾期", "not_reported": "未报送",
                    "on_track": "推进中"}
