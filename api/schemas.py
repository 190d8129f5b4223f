"""Response and request bodies of /api/v1/, as the OpenAPI document describes them.

Amounts are strings with two decimals (万元), percentages numbers, dates ISO strings — as PRODUCT.md's
summary contract says, and the same in every endpoint.
"""

from typing import Any, Literal

from ninja import Field, Schema

Colour = Literal["green", "yellow", "red"]


class Error(Schema):
    detail: str = Field(description="What went wrong, in the caller's language")


class Lights(Schema):
    green: int
    yellow: int
    red: int


# -- figures ---------------------------------------------------------------------------------------
class Summary(Schema):
    year: int
    month: int
    projects: int
    planned_investment: str = Field(description="万元, two decimals")
    ytd_investment: str = Field(description="万元, two decimals")
    completion_rate: float | None = Field(description="percent")
    schedule_target: float | None = Field(description="percent")
    gap_points: float | None = Field(description="percentage points ahead (+) or behind (−)")
    lights: Lights
    not_started: int
    blockers_open: int
    blockers_overdue: int
    tasks_overdue: int


class Figure(Schema):
    key: int | str | None
    label: str
    projects: int
    planned_investment: str
    ytd_investment: str
    completion_rate: float | None
    schedule_target: float
    gap_points: float | None
    lights: Lights
    not_started: int
    started: int


class FiguresOut(Schema):
    year: int
    month: int
    by: str
    groups: list[Figure]


class LightRow(Schema):
    id: int
    code: str
    name: str
    unit: str
    planned_investment: str
    ytd_investment: str
    completion_rate: float | None
    schedule_target: float | None
    gap_points: float | None
    started: bool
    light: Colour
    reason: str


class LightsOut(Schema):
    year: int
    month: int
    projects: list[LightRow]


# -- the battle map --------------------------------------------------------------------------------
class DrillFigure(Figure):
    scheduled_investment: str
    url: str = Field(description="the ledger filtered to the projects behind the figure")
    light_urls: dict[str, str]
    rank: int | None = None


class Headline(DrillFigure):
    blockers_open: int
    blockers_overdue: int
    tasks_open: int
    tasks_overdue: int
    as_of: str = Field(description="the day the blocker and task counts are taken on")
    as_of_label: str
    started_url: str
    not_started_url: str
    blockers_url: str | None
    tasks_url: str | None


class Curve(Schema):
    months: list[int]
    planned_investment: str
    actual_rate: list[float | None]
    actual_ytd: list[str | None]
    schedule_target: list[float]


class ShortItem(Schema):
    id: int
    code: str
    name: str
    unit: str
    sector: str
    leader: str
    planned_investment: str
    ytd_investment: str
    completion_rate: float | None
    gap_points: float | None
    planned_start_month: int | None
    light: Colour
    reason: str
    url: str


class ShortList(Schema):
    items: list[ShortItem]
    url: str


class Scope(Schema):
    region: str
    role: str


class DashboardOut(Schema):
    year: int
    month: int
    scope: Scope
    headline: Headline
    sectors: list[DrillFigure]
    regions: list[DrillFigure]
    units: list[DrillFigure] = Field(
        description="ranked (rank: ties share it), then those listed apart (rank null)"
    )
    units_total: int
    units_ranked: int
    townships: list[DrillFigure]
    townships_total: int
    townships_ranked: int
    units_url: str
    curve: Curve
    lagging: ShortList
    not_started: ShortList
    baseline: dict[str, list[dict[str, Any]]] = Field(
        description="overruns and delays: the year's largest 10 each against the original baseline"
    )


class WallMonth(Schema):
    month: int
    plan: str | None
    actual: str | None
    behind: bool
    marks: list[str]


class WallRow(Schema):
    id: int
    code: str
    name: str
    unit: str
    leader: str
    planned_investment: str | None
    ytd_investment: str | None
    completion_rate: float | None
    light: Colour
    reason: str
    planned_start: str | None
    actual_start: str | None
    planned_end: str | None
    actual_end: str | None
    blockers_open: int
    blockers_overdue: int
    months: list[WallMonth]


class WallGroup(Schema):
    key: int | str | None
    label: str
    figures: DrillFigure | None
    rows: list[WallRow]


class WallchartOut(Schema):
    year: int
    month: int
    by: str
    page: int
    pages: int
    count: int
    groups: list[WallGroup]


class Tiles(Schema):
    url: str
    attribution: str


class PointGeometry(Schema):
    type: Literal["Point"]
    coordinates: list[float]


class PointProperties(Schema):
    id: int
    code: str
    name: str
    sector: str
    unit: str
    planned_investment: str
    ytd_investment: str
    completion_rate: float | None
    light: Colour
    reason: str
    url: str


class Feature(Schema):
    type: Literal["Feature"]
    geometry: PointGeometry
    properties: PointProperties


class FeatureCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[Feature]


class MapOut(Schema):
    year: int
    month: int
    tiles: Tiles
    boundary: dict[str, Any] | None = Field(description="GeoJSON of the region's outline, if uploaded")
    projects: FeatureCollection


# -- projects --------------------------------------------------------------------------------------
class Named(Schema):
    id: int
    name: str


class ProjectRef(Schema):
    id: int
    code: str
    name: str


class MonthFigures(Schema):
    year: int
    month: int
    stage: str
    planned_investment: str
    month_amount: str
    ytd_investment: str
    since_start: str
    completion_rate: float | None
    schedule_target: float | None
    gap_points: float | None
    started: bool
    light: Colour
    reason: str
    report_status: str | None


class ProjectRow(Schema):
    id: int
    code: str
    name: str
    region: Named
    sector: Named
    lead_unit: Named
    leader: Named | None
    townships: list[Named]
    level: str
    status: str
    total_investment: str
    planned_start: str | None
    planned_end: str | None
    actual_start: str | None
    actual_end: str | None
    figures: MonthFigures


class ProjectList(Schema):
    count: int
    year: int
    month: int
    results: list[ProjectRow]


class PlanMonthOut(Schema):
    month: int
    amount: str


class PlanOut(Schema):
    year: int
    stage: str
    planned_investment: str
    invested_before: str
    planned_start_month: int | None
    progress_target: str
    months: list[PlanMonthOut]


class WarningOut(Schema):
    """A warning (预警) beside the light: it never changes the light."""

    kind: str  # e.g. approval_department_late, approval_owner_late, land_behind
    label: str
    reason: str  # in words, in the caller's language


class BaselineFigures(Schema):
    """Total investment (万元, two decimals) and planned dates."""

    total_investment: str | None
    planned_start: str | None
    planned_end: str | None


class VarianceOut(Schema):
    overrun_pct: float | None = Field(
        description="超概算 %: (current − original) ÷ original × 100, two places"
    )
    months_late: int | None = Field(
        description="whole months from the original planned completion to the current one (the actual "
        "completion once done); negative when early"
    )


class RevisionOut(Schema):
    """A change of total investment or planned dates after the baseline (概算调整/工期调整)."""

    id: int
    state: Literal["requested", "approved", "rejected"]
    old: BaselineFigures
    new: BaselineFigures
    reason: str
    approval_number: str  # 批复文号
    approving_authority: str
    requested_by: str | None
    requested_at: str
    decided_by: str | None
    decided_at: str | None
    rejection_reason: str


class ProjectDetail(ProjectRow):
    national_code: str  # 项目代码, "" until issued
    nature: str
    content: str
    owner: str
    location: str
    cooperating_units: list[Named]
    team_name: str
    contact_person: str
    contact_phone: str
    funding_sources: str
    longitude: float | None
    latitude: float | None
    plans: list[PlanOut]
    figures: MonthFigures | None  # None when the project has no plan in the month's year
    warnings: list[WarningOut]  # the project's warnings today, in kind order
    original: BaselineFigures | None  # as the project entered the list; None if none was recorded
    current: BaselineFigures
    variance: VarianceOut
    revisions: list[RevisionOut]  # newest first


# -- reports ---------------------------------------------------------------------------------------
ReportStatus = Literal["draft", "submitted", "approved", "returned"]


class ReportOut(Schema):
    id: int
    project: ProjectRef
    year: int
    month: int
    amount: str
    progress: str
    completion_pct: float
    started: bool
    start_date: str | None
    workers: int
    problems: str
    status: ReportStatus
    version: int = Field(description="one more on every change; send it back to be told 409 if it moved")
    first_submitted_at: str | None
    submitted_at: str | None
    approved_at: str | None
    return_reason: str


class ReportList(Schema):
    count: int
    results: list[ReportOut]


class ReportIn(Schema):
    """A month's report as the unit's own system files it: the web form's fields, checked by the
    web form (so an amount such as "约3亿" is refused with the form's message)."""

    project: int = Field(ge=1, le=2**63 - 1)
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)
    amount: str | float | None = Field(None, description='万元, a plain number, e.g. "1234.56"')
    progress: str | None = Field(None, description="physical progress (形象进度)")
    completion_pct: str | float | None = Field(None, description="physical completion, 0..100")
    started: bool = False
    start_date: str | None = Field(None, description="YYYY-MM-DD, when started")
    workers: str | int | None = None
    problems: str | None = None
    submit: bool = Field(False, description="submit it as well (draft → submitted)")
    version: int | None = Field(
        None,
        ge=0,
        le=2**31 - 1,
        description="the report's version you last read (0: you saw none); another answers 409 and "
        "saves nothing. Left out: the version this request reads, so nothing saved meanwhile is lost",
    )


# -- registers -------------------------------------------------------------------------------------
class BlockerOut(Schema):
    id: int
    project: ProjectRef
    kind: str
    kind_label: str
    description: str
    status: str
    level: int
    lead_unit: Named
    leader: Named | None
    deadline: str | None
    measures: str
    raised_at: str
    resolved_at: str | None
    closed_at: str | None
    overdue: bool


class BlockerList(Schema):
    count: int
    results: list[BlockerOut]


class TaskOut(Schema):
    id: int
    title: str
    requirement: str
    source: str
    project: ProjectRef | None
    assignee_unit: Named
    leader: Named | None
    deadline: str
    status: str
    overdue: bool
    created_at: str
    reported_at: str | None
    closed_at: str | None


class TaskList(Schema):
    count: int
    results: list[TaskOut]


class DecisionOut(Schema):
    number: int
    text: str
    project: ProjectRef | None
    blocker: int | None
    committed_start: str | None
    tasks: list[int]


class MeetingOut(Schema):
    id: int
    type: str
    title: str
    date: str
    location: str
    chair: Named | None
    attending_units: list[Named]
    projects: list[ProjectRef]
    decisions: list[DecisionOut]


class MeetingList(Schema):
    count: int
    results: list[MeetingOut]


def answers(ok: Any, *errors: int, created: Any = None) -> dict:
    """The responses an operation documents: `ok` for 200 (and 201 if `created`), the error shape for
    400, 401 and 429 always (bad parameters, no caller, past the rate) and for `errors`."""
    documented: dict[int, Any] = {200: ok}
    if created is not None:
        documented[201] = created
    for status in (400, 401, 429, *errors):
        documented[status] = Error
    return documented
