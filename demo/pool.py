"""The demo county's reserve pool: about 60 candidates for 2021 (a few for 2022) across every sector
at every maturity, proposed by the sectors' bureaus over 2019–2020, most accepted by the office with
a priority, a few waiting or returned with a reason; packaging documents as far as each has got, and
funding applications (中央预算内投资, 专项债, 政策性开发性金融工具 …) for a good part of them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TextIO

from accounts.models import User
from pool.models import Candidate, FundingApplication, FundingChannel, PackagingDocument
from pool.services import channels_ensure_defaults
from projects.models import Leader, Sector, Township, Unit
from regions.models import Region

from . import data

# Per sector: the proposing unit, the national-economy industry code for the project code (48 civil
# engineering, 77 ecology, ...), and six candidates (name, content, estimated investment in 万元).
POOL: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "交通": (
        "县交通局",
        "48",
        [
            ("秀山至松桃二级公路改建工程", "改建二级公路28公里", "98000.00"),
            ("清溪场至隘口旅游公路", "新建三级旅游公路16公里", "32000.00"),
            ("县城至高铁站快速通道", "新建城市快速路6.5公里", "56000.00"),
            ("乡镇客运站提档升级工程", "改造乡镇客运站12个", "4800.00"),
            ("农村公路安防工程（第二期）", "安装安防设施320公里", "6200.00"),
            ("梅江河航道整治工程", "整治航道22公里，新建码头2座", "18500.00"),
        ],
    ),
    "水利": (
        "县水利局",
        "76",
        [
            ("钟灵水库工程", "新建中型水库一座，总库容1860万立方米", "86000.00"),
            ("梅江河防洪治理工程（二期）", "新建堤防14公里", "24000.00"),
            ("农村供水保障提升工程", "新建改造集中供水工程46处", "15800.00"),
            ("隘口灌区续建配套工程", "改造渠道62公里", "9600.00"),
            ("城区第二水源工程", "新建取水泵站及输水管道18公里", "27500.00"),
            ("小型水库除险加固工程", "加固小型水库21座", "7300.00"),
        ],
    ),
    "城市建设": (
        "县住房城乡建委",
        "47",
        [
            ("老旧小区改造工程（2021年）", "改造老旧小区38个，惠及4200户", "21000.00"),
            ("城市地下综合管廊一期", "新建综合管廊5.2公里", "46000.00"),
            ("县城污水管网完善工程", "新建改造污水管网36公里", "12800.00"),
            ("凤栖湖片区棚户区改造", "改造棚户区1100户", "39000.00"),
            ("城市停车场建设工程", "新建停车场8处、车位2600个", "11500.00"),
            ("智慧城市一期", "建设城市运行管理平台及感知设施", "8600.00"),
        ],
    ),
    "农业产业": (
        "县农业农村委",
        "01",
        [
            ("高标准农田建设（2021年）", "建设高标准农田5万亩", "15000.00"),
            ("金银花产业园提升工程", "新建加工厂房及烘干线", "9800.00"),
            ("茶叶种植基地扩建", "新建茶园1.2万亩", "7200.00"),
            ("冷链物流集配中心", "新建冷库2万立方米", "6500.00"),
            ("生猪养殖基地建设", "新建年出栏10万头养殖场", "18000.00"),
            ("农产品加工园基础设施", "建设园区道路管网及标准厂房", "12600.00"),
        ],
    ),
    "文化旅游": (
        "县文化旅游委",
        "87",
        [
            ("洪安边城景区提档升级", "改造景区游客中心、步道及码头", "26000.00"),
            ("川河盖景区基础设施", "新建景区道路、停车场及配套设施", "32000.00"),
            ("花灯文化产业园", "建设花灯剧院及非遗展示中心", "18800.00"),
            ("凤凰山森林康养基地", "新建康养中心及步道", "22500.00"),
            ("乡村旅游示范村建设", "打造乡村旅游示范村10个", "6800.00"),
            ("县城文化广场及博物馆", "新建博物馆1.2万平方米", "15600.00"),
        ],
    ),
    "工业": (
        "县工业园区管委会",
        "33",
        [
            ("工业园区标准厂房四期", "新建标准厂房20万平方米", "48000.00"),
            ("锰产业绿色转型升级项目", "电解锰生产线技改及渣场治理", "65000.00"),
            ("新型建材产业园", "新建装配式建筑部品生产线", "36000.00"),
            ("园区污水处理厂扩建", "扩建污水处理能力1万吨/日", "9200.00"),
            ("电子信息产业园", "建设电子元器件生产厂房", "42000.00"),
            ("园区道路及管网四期", "新建园区道路9公里", "17500.00"),
        ],
    ),
    "生态环保": (
        "县生态环境局",
        "77",
        [
            ("酉水河流域生态修复", "河道生态修复32公里", "19800.00"),
            ("乡镇污水处理设施提标改造", "提标改造乡镇污水处理厂18座", "11200.00"),
            ("历史遗留矿山生态修复", "修复矿山2300亩", "14600.00"),
            ("生活垃圾焚烧发电项目", "新建日处理600吨焚烧发电厂", "42000.00"),
            ("国家储备林建设项目", "建设储备林8万亩", "28000.00"),
            ("农村环境综合整治", "整治村庄人居环境60个", "5600.00"),
        ],
    ),
    "社会民生": (
        "县教委",
        "83",
        [
            ("县第三中学新建工程", "新建学校7.6万平方米，学位3000个", "38000.00"),
            ("县人民医院新区医院", "新建医院床位800张", "72000.00"),
            ("乡镇敬老院改造提升", "改造敬老院16所", "4600.00"),
            ("公共卫生应急能力提升", "建设传染病救治中心及疾控实验室", "16500.00"),
            ("职业教育中心扩建", "新建实训楼及宿舍3.2万平方米", "12800.00"),
            ("全民健身中心", "新建体育馆、游泳馆", "14200.00"),
        ],
    ),
    "能源": (
        "县能源局",
        "44",
        [
            ("风电场项目（二期）", "装机容量10万千瓦", "68000.00"),
            ("农村电网巩固提升工程", "新建改造10千伏线路260公里", "14800.00"),
            ("分布式光伏整县推进", "建设屋顶光伏5万千瓦", "22000.00"),
            ("天然气管网延伸工程", "新建中压管网85公里", "9800.00"),
            ("抽水蓄能电站前期", "开展抽水蓄能电站前期工作", "8000.00"),
            ("充电基础设施建设", "新建充电站40座", "4200.00"),
        ],
    ),
    "商贸物流": (
        "县商务委",
        "59",
        [
            ("武陵山商贸物流园三期", "新建仓储及分拨中心12万平方米", "46000.00"),
            ("县城农贸市场改造", "改造农贸市场9个", "5800.00"),
            ("电商产业园二期", "建设电商孵化及直播基地", "8600.00"),
            ("公铁联运物流枢纽", "建设铁路专用线及货场", "52000.00"),
            ("乡镇商贸中心", "新建乡镇商贸综合体6个", "12000.00"),
            ("城乡配送网络", "建设县乡村三级配送站点220个", "3800.00"),
        ],
    ),
}
MATURITIES = list(Candidate.Maturity.values)  # idea, packaged, preparatory, ready
RETURN_REASONS = [
    "项目建议书深度不够，建设规模与投资估算不匹配，请补充完善后再报。",
    "与已列入2020年计划的项目内容重复，请与县发展改革委对接后调整。",
]
APPROVERS = {"proposal": "县发展改革委", "feasibility": "县发展改革委", "design": "县住房城乡建委"}


def seed(*, region: Region, year: int, stdout: TextIO) -> None:
    if Candidate.objects.filter(region=region).exists():
        stdout.write("pool demo: nothing to do\n")
        return
    channels_ensure_defaults(region=region)
    channels = {c.name: c for c in FundingChannel.objects.filter(region=region)}
    office = User.objects.filter(region=region, role=User.Role.OFFICE).order_by("pk").first()
    sectors = {s.name: s for s in Sector.objects.all()}
    units = {u.name: u for u in Unit.objects.filter(region=region)}
    leaders = {lead.title: lead for lead in Leader.objects.filter(region=region)}
    townships = list(Township.objects.filter(region=region).order_by("sort", "pk"))
    serial = 100
    made = 0
    for s_index, (sector_name, (unit_name, industry, rows)) in enumerate(POOL.items()):
        unit = units[unit_name]
        proposer = User.objects.filter(unit=unit).order_by("pk").first() or office
        for j, (name, content, investment) in enumerate(rows):
            made += 1
            maturity = MATURITIES[(s_index + j) % 4]
            step = MATURITIES.index(maturity)
            # Entered over eight quarters, 2019Q1 to 2020Q4 (the last before the meeting day).
            entered = dt.date(2019, 1, 10) + dt.timedelta(days=(made * 11) % 640)
            entered = min(entered, dt.date(year, 10, 9))
            returned = made in (9, 38)
            waiting = made % 7 == 3 and not returned
            serial += 1
            code = (
                f"{entered.year}-{region.code}-{industry}-0{1 + made % 3}-{serial:06d}" if step >= 2 else ""
            )
            candidate = Candidate(
                region=region,
                name=name,
                sector=sectors[sector_name],
                lead_unit=unit,
                leader=leaders.get(data.SECTOR_LEADERS[sector_name]),
                content=content,
                owner=unit_name,
                location=townships[made % len(townships)].name if townships else "",
                estimated_investment=Decimal(investment),
                proposed_start_year=year + 1 if j < 5 else year + 2,
                maturity=maturity,
                national_code=code,
                entered_on=entered,
                proposed_by=proposer,
            )
            if returned:
                candidate.review_state = Candidate.Review.RETURNED
                candidate.return_reason = RETURN_REASONS[made % 2]
                candidate.reviewed_by = office
            elif not waiting:
                candidate.review_state = Candidate.Review.ACCEPTED
                candidate.priority = "ABC"[j % 3] if step >= 1 else "C"
                candidate.reviewed_by = office
            candidate._history_user = proposer
            candidate.save()
            if townships:
                candidate.townships.set([townships[made % len(townships)]])
            names = _channels_for(sector_name, step)
            candidate.channels.set([channels[n] for n in names if n in channels])
            _documents(candidate, step, entered)
            if step >= 1 and made % 2 == 0:
                _application(candidate, channels[names[0]], made, year)
    stdout.write(f"pool demo: {made} candidates\n")


def _channels_for(sector: str, step: int) -> list[str]:
    if sector in ("工业", "能源", "商贸物流"):
        names = ["银行贷款", "社会资本", "政策性开发性金融工具"]
    elif sector in ("城市建设", "文化旅游"):
        names = ["地方政府专项债券", "PPP/特许经营", "银行贷款"]
    else:
        names = ["中央预算内投资", "地方政府专项债券", "超长期特别国债"]
    return names[: 1 + step % 3]


def _documents(candidate: Candidate, step: int, entered: dt.date) -> None:
    """As far as its maturity has got: packaged has a proposal, in approvals a feasibility study
    approved, ready to start a preliminary design approved too."""
    kinds = [
        PackagingDocument.Kind.PROPOSAL,
        PackagingDocument.Kind.FEASIBILITY,
        PackagingDocument.Kind.DESIGN,
    ]
    for i, kind in enumerate(kinds):
        if step == 0 or i > step:
            continue
        approved = i < step or step == 3
        doc = PackagingDocument(candidate=candidate, kind=kind)
        if approved:
            doc.state = PackagingDocument.State.APPROVED
            doc.approved_on = entered + dt.timedelta(days=40 * (i + 1))
            doc.approving_body = APPROVERS[kind]
            doc.document_number = f"秀发改投〔{doc.approved_on.year}〕{candidate.pk % 90 + 10 + i}号"
        else:
            doc.state = PackagingDocument.State.PREPARED
        doc.save()


def _application(candidate: Candidate, channel: FundingChannel, made: int, year: int) -> None:
    applied = (candidate.estimated_investment * Decimal("0.3")).quantize(Decimal("0.01"))
    approved = (applied * Decimal("0.6")).quantize(Decimal("0.01")) if made % 4 == 0 else Decimal("0.00")
    arrived = (approved / 2).quantize(Decimal("0.01")) if made % 8 == 0 else Decimal("0.00")
    FundingApplication.objects.create(
        candidate=candidate,
        channel=channel,
        batch=f"{year}年第{1 + made % 3}批",
        amount_applied=applied,
        amount_approved=approved,
        amount_arrived=arrived,
        applied_on=dt.date(year, 3 + made % 6, 15),
        approved_on=dt.date(year, 9, 1) if approved else None,
        arrived_on=dt.date(year, 9, 30) if arrived else None,
    )
