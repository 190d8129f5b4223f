"""The columns of a reserve-pool list, as offices exchange them: header patterns (Chinese, their
variants, and the headers of keyproj's own export in either language), the words for maturity and
priority, and the cells of a candidate as the export writes them — so that an export re-imports
unchanged."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as __

from lib.xlsx import Column
from pool.models import Candidate

from .headers import FieldSpec

FIELDS = [
    FieldSpec("seq", __("No."), (r"序号", r"No\.?", r"#")),
    FieldSpec(
        "national_code",
        __("National project code"),
        (r"(国家)?(投资)?项目(统一)?代码", r"(national)?projectcode"),
    ),
    FieldSpec("name", __("Project name"), (r"项目名称", r"名称", r"(project)?name"), required=True),
    FieldSpec("sector", __("Sector"), (r"行业(领域|类别)?|项目类别|类别|领域", r"sector"), required=True),
    FieldSpec(
        "lead_unit",
        __("Proposing unit"),
        (r"(申报|谋划|责任|牵头|主责)单位", r"proposingunit", r"(lead)?responsibleunit"),
        required=True,
    ),
    FieldSpec("townships", __("Townships"), (r"(所在|所属)?乡镇(\(街道\)|街道)?", r"townships?")),
    FieldSpec(
        "leader", __("Leader in charge"), (r"(分管|包联|联系|责任)(县)?领导", r"县领导", r"leaderincharge")
    ),
    FieldSpec("owner", __("Owner"), (r"(项目)?业主(单位)?", r"建设单位", r"owner")),
    FieldSpec("location", __("Location"), (r"建设地点|项目地点|实施地点|所在地", r"location")),
    FieldSpec(
        "content",
        __("Construction content and scale"),
        (r"(主要)?建设(内容|规模)((及|和|与)?(建设)?(规模|内容))?", r"constructioncontent(andscale)?"),
    ),
    FieldSpec(
        "estimated_investment",
        __("Estimated total investment"),
        (r"(估算|预计|计划|项目)?总投资(额)?", r"estimated(total)?investment", r"totalinvestment"),
        required=True,
    ),
    FieldSpec(
        "proposed_start_year",
        __("Proposed start year"),
        (r"(拟|计划|预计)开工(年份|年度|时间)?", r"(proposed)?startyear"),
    ),
    FieldSpec("maturity", __("Maturity"), (r"(项目)?成熟度|(项目)?(推进)?阶段", r"maturity")),
    FieldSpec(
        "channels",
        __("Funding channels"),
        (r"(对接|申报|争取)?(政策)?(资金|融资)(渠道|来源)", r"fundingchannels?"),
    ),
    FieldSpec("entered_on", __("Entered the pool on"), (r"入库(日期|时间)", r"enteredthepoolon")),
    FieldSpec("priority", __("Priority"), (r"优先(级|等级|顺序)", r"priority")),
    # Written by the export for the reader; an import never changes a review (the office does, on
    # the candidate's page).
    FieldSpec("review_state", __("Review"), (r"审核(状态|情况|结果)?", r"review(state)?")),
]
SPEC = {spec.key: spec for spec in FIELDS}
MONEY_KEYS = ("estimated_investment",)

CHANGE_LABELS = {
    "national_code": __("national project code"),
    "name": __("name"),
    "sector": __("sector"),
    "lead_unit": __("proposing unit"),
    "townships": __("townships"),
    "leader": __("leader in charge"),
    "owner": __("owner"),
    "location": __("location"),
    "content": __("content"),
    "estimated_investment": __("estimated total investment"),
    "proposed_start_year": __("proposed start year"),
    "maturity": __("maturity"),
    "channels": __("funding channels"),
    "entered_on": __("entered the pool on"),
    "priority": __("priority"),
}


def _words(choices) -> dict[str, str]:
    """Each choice's label in both languages (and its stored value), lower case, → the value."""
    words: dict[str, str] = {}
    for value, label in choices:
        words[str(value).lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                words[str(label).replace(" ", "").lower()] = value
    return words


def maturity_words() -> dict[str, str]:
    words = _words(Candidate.Maturity.choices)
    # The words of the county's own lists, whatever the interface language.
    words.update(
        {
            "谋划": Candidate.Maturity.IDEA,
            "策划": Candidate.Maturity.IDEA,
            "储备": Candidate.Maturity.PACKAGED,
            "前期": Candidate.Maturity.PREPARATORY,
            "前期手续": Candidate.Maturity.PREPARATORY,
            "可开工": Candidate.Maturity.READY,
            "具备开工条件": Candidate.Maturity.READY,
        }
    )
    return words


def priority_words() -> dict[str, str]:
    words = _words(Candidate.Priority.choices)
    words.update(
        {"1": "A", "2": "B", "3": "C", "一": "A", "二": "B", "三": "C", "甲": "A", "乙": "B", "丙": "C"}
    )
    return words


def export_columns() -> list[Column]:
    widths = {"seq": 6, "national_code": 26, "name": 30, "content": 40, "channels": 24, "lead_unit": 18}
    return [
        Column(
            str(spec.label),
            width=widths.get(spec.key, 12),
            money=spec.key in MONEY_KEYS,
            wrap=spec.key in ("name", "content", "channels", "townships"),
        )
        for spec in FIELDS
    ]


def export_row(seq: int, c: Candidate) -> list[object]:
    """A candidate's cells, in FIELDS order (the candidate with its relations already fetched)."""
    return [
        seq,
        c.national_code,
        c.name,
        c.sector.name,
        c.lead_unit.name,
        "、".join(t.name for t in c.townships.all()),
        c.leader.title if c.leader else "",
        c.owner,
        c.location,
        c.content,
        Decimal(c.estimated_investment),
        c.proposed_start_year,
        c.get_maturity_display(),
        "、".join(ch.name for ch in c.channels.all()),
        c.entered_on,
        c.priority,
        c.get_review_state_display(),
    ]
