"""The columns of a key-project list: header patterns (Chinese, their variants, and the English
headers of keyproj's own export), the words for stage, nature and level, and change labels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as __

from projects.models import Project, YearPlan

from .headers import FieldSpec

Y = r"(20\d\d年)?"
FIELDS = [
    FieldSpec("seq", __("No."), (r"序号", r"No\.?", r"#")),
    # Before "code": a 项目代码 column is the national code (lib/national_code); 项目编号 is the ledger's.
    FieldSpec(
        "national_code",
        __("National project code"),
        (r"(国家|全国)?(投资)?项目(统一)?代码", r"nationalprojectcode"),
    ),
    FieldSpec("code", __("Code"), (r"项目(编号|编码|代码)", r"编号|编码|代码", r"(project)?code")),
    FieldSpec("name", __("Project name"), (r"项目名称", r"名称", r"(project)?name"), required=True),
    FieldSpec(
        "content",
        __("Construction content"),
        (r"(主要)?建设(内容|规模)((及|和|与)?(建设)?(规模|内容))?", r"constructioncontent(andscale)?"),
    ),
    FieldSpec(
        "period",
        __("Construction period"),
        (r"建设(起止)?(年限|期限|周期|时间)", r"起止(年限|时间)", r"constructionperiod"),
    ),
    FieldSpec(
        "total", __("Total investment"), (r"(项目|计划)?总投资(额)?", r"totalinvestment"), required=True
    ),
    FieldSpec(
        "planned",
        __("Annual planned investment"),
        (
            rf"{Y}(年度|本年度?|全年)?计划(完成)?投资(额)?",
            rf"{Y}(年度)?投资计划",
            r"20\d\d年度?(计划)?投资",
            r"(20\d\d|annual)plannedinvestment",
            r"plannedinvestment",
        ),
        required=True,
    ),
    FieldSpec(
        "before",
        __("Completed before the year"),
        (
            r"截[至止](20\d\d年|上年|上一年)(底|末|年底)?(累计)?(已)?完成(投资)?(额)?",
            r"(以前年度|上年底前|20\d\d年(底)?前|开工至上年底)(累计)?完成(投资)?",
            r"累计完成投资",
            r"completedbeforetheyear",
        ),
    ),
    FieldSpec(
        "lead_unit",
        __("Lead responsible unit"),
        (r"(牵头)?责任单位", r"(牵头|主责|主管)单位", r"(lead)?responsibleunit"),
        required=True,
    ),
    FieldSpec("cooperating", __("Cooperating units"), (r"(配合|协同|协助)单位", r"cooperatingunits")),
    FieldSpec("owner", __("Owner"), (r"(项目)?业主(单位)?", r"建设单位", r"owner")),
    FieldSpec(
        "location",
        __("Location"),
        (r"建设地点|项目地点|实施地点|所在地", r"location"),
    ),
    # A column of townships beside 建设地点 (keyproj's own export has both); alone, it is the location.
    FieldSpec("townships", __("Townships"), (r"(所在|所属)?乡镇(\(街道\)|街道)?", r"townships?")),
    FieldSpec(
        "leader", __("Leader in charge"), (r"(分管|包联|联系|责任)(县)?领导", r"县领导", r"leaderincharge")
    ),
    # Offices write a stage (续建) and a nature (新建) in either column; both read the same words.
    FieldSpec("stage", __("Stage"), (r"建设阶段|项目阶段|阶段", r"stage")),
    FieldSpec("nature", __("Nature"), (r"建设性质|项目性质|性质", r"nature")),
    FieldSpec("sector", __("Sector"), (r"行业(领域|类别)?|项目类别|类别|领域|产业类别", r"sector")),
    FieldSpec("level", __("Level"), (r"项目级别|级别|项目层级", r"level")),
    FieldSpec(
        "start_month",
        __("Planned start"),
        (r"计划开工(时间|月份|日期)?", r"开工(时间|月份)", r"plannedstart(month)?"),
    ),
    FieldSpec(
        "progress_target",
        __("Physical progress target"),
        (rf"{Y}(年度)?形象进度(目标)?", r"年度目标(任务)?", r"physicalprogresstarget"),
    ),
    FieldSpec("funding", __("Funding sources"), (r"资金来源|资金筹措", r"fundingsources")),
    FieldSpec("contact", __("Contact person"), (r"(项目)?联系人|专人|责任人", r"(contact|named)person")),
    FieldSpec("phone", __("Contact phone"), (r"联系(电话|方式)|电话|手机", r"(contact)?phone")),
]
MONEY_KEYS = ("total", "planned", "before")
STAGES = [
    (("新开工", "新开", "newstart"), "stage", YearPlan.Stage.NEW),
    (("续建", "在建", "continuing"), "stage", YearPlan.Stage.CONTINUING),
    (("竣工", "完工", "建成", "completing"), "stage", YearPlan.Stage.COMPLETING),
    (("前期", "储备", "预备", "preparatory"), "stage", YearPlan.Stage.PREPARATORY),
    (("改扩建", "改建", "扩建", "改造", "expansionorrenovation"), "nature", Project.Nature.EXPANSION),
    (("新建", "newconstruction"), "nature", Project.Nature.NEW),
    (("其他", "other"), "nature", Project.Nature.OTHER),
]
LEVELS = [
    (("省", "province"), Project.Level.PROVINCE),
    (("市", "city"), Project.Level.CITY),
    (("县", "区", "county"), Project.Level.COUNTY),
]

CHANGE_LABELS = {
    "code": __("code"),
    "national_code": __("national project code"),
    "name": __("name"),
    "content": __("content"),
    "sector": __("sector"),
    "level": __("level"),
    "nature": __("nature"),
    "owner": __("owner"),
    "lead_unit": __("lead unit"),
    "cooperating_units": __("cooperating units"),
    "townships": __("townships"),
    "location": __("location"),
    "leader": __("leader in charge"),
    "total_investment": __("total investment"),
    "funding_sources": __("funding sources"),
    "planned_start": __("planned start"),
    "planned_end": __("planned completion"),
    "contact_person": __("contact person"),
    "contact_phone": __("contact phone"),
    "stage": __("stage"),
    "planned_investment": __("annual plan"),
    "invested_before": __("completed before the year"),
    "planned_start_month": __("planned start month"),
    "progress_target": __("progress target"),
    "plan": __("new year plan"),
}
