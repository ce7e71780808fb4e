"""A corpus of 68 heads written for the headline engine's acceptance (issue 13).

News-style copy of our own (a few short heads are the issue's and the reference's examples of
bad breaks, kept to show they no longer happen). Each case names the module width in 对开 columns
(13 字 of 9 pt, 1-字 gutters), the main head's size and the expected rows of every part with the
synthetic font of ``tests/text/fontkit.py`` (hanzi and marks 1 em, digits and Latin ½ em). Rows
write a clause gap as U+3000 and a no-break space as NBSP. ``forced`` marks the few cases too
narrow to break between words (the engine must say so); ``short`` those that cannot avoid a row
under 3 字 (reported too).

Groups: k — kicker/main/subtitle combinations; s — clause spaces; n — numbers with units;
q — quoted names and book titles; l — long heads in 1–6 column modules; v — vertical heads
(1–3 columns, kicker and subtitle); g — explicit rows, a row count, boxed and reversed styles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

G = "\u3000"  # clause gap as rows write it
NB = "\u00a0"  # no-break clause gap


@dataclass(frozen=True)
class Case:
    """One head of the corpus and the rows expected for it."""

    id: str
    main: str
    span: int
    size: float
    rows: dict[str, tuple[str, ...]]
    kicker: str = ""
    subtitle: str = ""
    extra: dict = field(default_factory=dict)
    forced: bool = False
    short: bool = False


CORPUS: tuple[Case, ...] = (
    # --- kicker / main / subtitle -------------------------------------------------------------
    Case(
        "k01",
        "早高峰换乘时间缩短8分钟",
        4,
        36,
        kicker="轨道交通三号线今日试运营",
        rows={"kicker": ("轨道交通三号线今日试运营",), "main": ("早高峰换乘时间缩短8分钟",)},
    ),
    Case(
        "k02",
        "以政法工作现代化护航高质量发展大局",
        4,
        42,
        subtitle="——2023年株洲政法工作综述",
        rows={
            "main": ("以政法工作现代化", "护航高质量发展大局"),
            "subtitle": ("——2023年株洲政法工作综述",),
        },
    ),
    Case(
        "k03",
        "101所高校的731名大学生来株普法",
        5,
        26,
        kicker="“制造名城 株洲@你”",
        rows={"kicker": (f"“制造名城{G}株洲@你”",), "main": ("101所高校的731名大学生来株普法",)},
    ),
    Case(
        "k04",
        "万亩良田披新绿",
        3,
        26,
        kicker="春耕时节访农家",
        subtitle="机插秧覆盖率达到九成以上",
        rows={
            "kicker": ("春耕时节访农家",),
            "main": ("万亩良田披新绿",),
            "subtitle": ("机插秧覆盖率达到九成以上",),
        },
    ),
    Case(
        "k05",
        "项目为王 比学赶超",
        4,
        36,
        kicker="全市重点项目建设现场推进会举行",
        subtitle="——聚焦一季度“开门红”",
        rows={
            "kicker": ("全市重点项目建设现场推进会举行",),
            "main": (f"项目为王{G}比学赶超",),
            "subtitle": ("——聚焦一季度“开门红”",),
        },
    ),
    Case(
        "k06",
        "老旧小区加装电梯惠及三千户",
        2,
        22,
        kicker="一线见闻",
        rows={"kicker": ("一线见闻",), "main": ("老旧小区加装电梯", "惠及三千户")},
    ),
    Case(
        "k07",
        "夜间经济点亮城市烟火气",
        3,
        26,
        subtitle="步行街客流同比增长三成",
        rows={"main": ("夜间经济点亮城市烟火气",), "subtitle": ("步行街客流同比增长三成",)},
    ),
    Case(
        "k08",
        "考点周边实行交通管制",
        2,
        22,
        kicker="关注高考",
        subtitle="考生可凭准考证免费乘坐公交",
        rows={
            "kicker": ("关注高考",),
            "main": ("考点周边实行交通管制",),
            "subtitle": ("考生可凭准考证免费乘坐公交",),
        },
    ),
    Case(
        "k09",
        "在株洲，找到绽放青春的舞台",
        2,
        18,
        kicker="记者手记",
        rows={"kicker": ("记者手记",), "main": ("在株洲，找到绽放青春的舞台",)},
    ),
    Case(
        "k10",
        "一江清水向东流",
        6,
        42,
        kicker="河长制实施五周年",
        subtitle="——我市推进水生态保护修复纪实",
        rows={
            "kicker": ("河长制实施五周年",),
            "main": ("一江清水向东流",),
            "subtitle": ("——我市推进水生态保护修复纪实",),
        },
    ),
    # --- clause spaces: kept as the 一字空, breaks at them first ------------------------------
    Case(
        "s01",
        "十年情注天山南北　爱洒各族人民",
        4,
        36,
        rows={"main": ("十年情注天山南北", "爱洒各族人民")},
    ),
    Case(
        "s02",
        "十年情注天山南北 爱洒各族人民",
        6,
        36,
        rows={"main": (f"十年情注天山南北{G}爱洒各族人民",)},
    ),
    Case(
        "s03",
        "守住绿水青山\u00a0留住美丽乡愁",
        4,
        26,
        rows={"main": (f"守住绿水青山{NB}留住美丽乡愁",)},
    ),
    Case("s04", "以案释法\u2003护航营商环境", 2, 26, rows={"main": ("以案释法", "护航营商环境")}),
    Case(
        "s05",
        "春风化雨润心田   法治宣传进万家",
        3,
        26,
        rows={"main": ("春风化雨润心田", "法治宣传进万家")},
    ),
    Case("s06", "  听民声 解民忧 暖民心  ", 2, 22, rows={"main": (f"听民声{G}解民忧{G}暖民心",)}),
    Case(
        "s07",
        "科技赋能 产业升级 城市焕新",
        2,
        26,
        rows={"main": (f"科技赋能{G}产业升级", "城市焕新")},
    ),
    Case("s08", "一江两岸　百业兴旺", 1, 26, rows={"main": ("一江两岸", "百业兴旺")}),
    Case(
        "s09",
        "政策暖心　企业安心　群众放心",
        3,
        26,
        rows={"main": (f"政策暖心{G}企业安心{G}群众放心",)},
    ),
    # 14.25 em solid in 14.19: the Han–Latin gap squeezes (¼ → ⅛ em) and it is one row.
    Case(
        "s10",
        "AI 助手进社区 智慧服务零距离",
        3,
        26,
        rows={"main": (f"AI 助手进社区{G}智慧服务零距离",)},
    ),
    Case(
        "s11",
        "AI 助手进社区 智慧服务零距离",
        2,
        26,
        rows={"main": ("AI 助手进社区", "智慧服务零距离")},
    ),
    # --- numbers with units stay whole -----------------------------------------------------------
    Case(
        "n01",
        "全市生产总值增长百分之八点五",
        3,
        26,
        rows={"main": ("全市生产总值增长百分之八点五",)},
    ),
    Case(
        "n02",
        "居民人均可支配收入达3.5万元",
        2,
        26,
        extra={"protect": ("可支配收入",)},
        rows={"main": ("居民人均可支配收入", "达3.5万元")},
    ),
    Case(
        "n03",
        "2024年全市刑事案件同比下降12.5%",
        3,
        26,
        rows={"main": ("2024年全市刑事案件", "同比下降12.5%")},
    ),
    Case(
        "n04",
        "阿莱克斯20万欧元赔偿金到账",
        2,
        26,
        rows={"main": ("阿莱克斯20万欧元", "赔偿金到账")},
    ),
    Case(
        "n05",
        "第10届中国国际航空航天博览会开幕",
        3,
        26,
        rows={"main": ("第10届中国国际", "航空航天博览会开幕")},
    ),
    Case(
        "n06",
        "首周客流突破5万人次",
        1,
        22,
        short=True,
        rows={"main": ("首周客流", "突破", "5万人次")},
    ),
    Case(
        "n07",
        "二〇二四年全市春运平安有序",
        2,
        26,
        rows={"main": ("二〇二四年全市", "春运平安有序")},
    ),
    Case("n08", "十二名被告人当庭认罪悔罪", 2, 26, rows={"main": ("十二名被告人", "当庭认罪悔罪")}),
    # A new user's head broke 三个｜月: a numeral, its classifier and the unit it counts stay whole.
    Case("n12", "市消防救援支队启动为期三个月的冬季消防安全大检查", 3, 26,
         rows={"main": ("市消防救援支队启动为期", "三个月的冬季消防安全大检查")}),
    Case("n09", "新建改建农村公路1200公里", 2, 26, rows={"main": ("新建改建农村公路", "1200公里")}),
    Case(
        "n10",
        "3号线开通后早高峰车流减少两成",
        2,
        22,
        rows={"main": ("3号线开通后早高峰", "车流减少两成")},
    ),
    Case(
        "n11",
        "全市生产总值增长百分之八点五",
        2,
        34,
        short=True,
        rows={"main": ("全市生产总值", "增长", "百分之八点五")},
    ),
    # --- quoted names and book titles stay whole ------------------------------------------------
    Case(
        "q01",
        "马凯开出扩大内需“五剂药方”",
        2,
        26,
        rows={"main": ("马凯开出扩大内需", "“五剂药方”")},
    ),
    Case(
        "q02", "“德力西杯”新闻摄影比赛揭晓", 4, 26, rows={"main": ("“德力西杯”新闻摄影比赛揭晓",)}
    ),
    Case(
        "q03",
        "《中华人民共和国民法典》宣传月启动",
        3,
        26,
        rows={"main": ("《中华人民共和国民法典》", "宣传月启动")},
    ),
    Case(
        "q04",
        "我市出台“十四五”综合交通规划",
        2,
        26,
        rows={"main": ("我市出台“十四五”", "综合交通规划")},
    ),
    Case(
        "q05",
        "话剧《湘江北去》首演获好评",
        2,
        26,
        rows={"main": ("话剧《湘江北去》", "首演获好评")},
    ),
    Case("q06", "“枫桥经验”在基层落地生根", 2, 26, rows={"main": ("“枫桥经验”", "在基层落地生根")}),
    Case(
        "q07",
        "《关于加强未成年人保护工作的意见》出台",
        3,
        26,
        forced=True,
        rows={"main": ("《关于加强未成年人保护", "工作的意见》出台")},
    ),
    Case(
        "q08",
        "“一网通办”让群众少跑腿",
        1,
        26,
        forced=True,
        rows={"main": ("“一网通", "办”让群众", "少跑腿")},
    ),
    # --- long heads in 1–6 column modules --------------------------------------------------------
    Case(
        "l01",
        "全市司法行政工作会议召开",
        1,
        26,
        rows={"main": ("全市司法", "行政工作", "会议召开")},
    ),
    Case(
        "l02",
        "民族地区经济发展事业兴旺",
        1,
        22,
        rows={"main": ("民族地区", "经济发展", "事业兴旺")},
    ),
    Case("l03", "书记探望三峡移民", 1, 22, rows={"main": ("书记探望", "三峡移民")}),
    Case("l04", "快速路上的暖心救护", 1, 18, rows={"main": ("快速路上的", "暖心救护")}),
    Case(
        "l05",
        "西文使用比例字体时的混排处理",
        1,
        10.5,
        rows={"main": ("西文使用比例", "字体时的混排处理")},
    ),
    Case(
        "l06",
        "李肇星会见联合国秘书长黎巴嫩和叙利亚问题特使",
        4,
        36,
        rows={"main": ("李肇星会见联合国秘书长", "黎巴嫩和叙利亚问题特使")},
    ),
    Case("l07", "韦德是制造悬念的艺术家", 2, 36, rows={"main": ("韦德是", "制造悬念的", "艺术家")}),
    Case(
        "l08",
        "本周后半程或迎强降雨 市民出行注意安全",
        2,
        26,
        rows={"main": ("本周后半程", "或迎强降雨", "市民出行注意安全")},
    ),
    Case(
        "l09",
        "全市推进基层社会治理现代化建设工作现场会在攸县召开",
        5,
        36,
        rows={"main": ("全市推进基层社会治理现代化", "建设工作现场会在攸县召开")},
    ),
    Case(
        "l10",
        "城区十条道路提质改造工程全面完工",
        6,
        42,
        rows={"main": ("城区十条道路提质改造工程全面完工",)},
    ),
    Case(
        "l11",
        "市中级人民法院公开审理一起非法集资案",
        3,
        36,
        rows={"main": ("市中级人民法院", "公开审理一起", "非法集资案")},
    ),
    Case(
        "l12",
        "中小学生课后服务实现全覆盖",
        1,
        26,
        short=True,
        rows={"main": ("中小学生", "课后服务", "实现", "全覆盖")},
    ),
    # --- vertical heads: columns right to left, kicker and subtitle as their own columns --------
    Case(
        "v01",
        "本周后半程或迎强降雨",
        1,
        18,
        extra={"style": "vertical"},
        rows={"main": ("本周后半程或迎强降雨",)},
    ),
    Case(
        "v02",
        "台胞参访团走进闽南古厝",
        2,
        36,
        kicker="两岸往来",
        subtitle="福建两地热情接待台胞",
        extra={"style": "vertical"},
        rows={
            "kicker": ("两岸往来",),
            "main": ("台胞参访团走进闽南古厝",),
            "subtitle": ("福建两地热情接待台胞",),
        },
    ),
    Case(
        "v03",
        "台胞参访团走进\n闽南古厝与侨乡",
        2,
        36,
        extra={"style": "vertical"},
        rows={"main": ("台胞参访团走进", "闽南古厝与侨乡")},
    ),
    Case(
        "v04",
        "老街夜市焕新开放首周客流突破五万人次",
        2,
        26,
        extra={"style": "vertical", "rows": 2},
        rows={"main": ("老街夜市焕新开放", "首周客流突破五万人次")},
    ),
    Case(
        "v05",
        "万亩良田披新绿 机插秧覆盖率过九成",
        2,
        26,
        kicker="春耕",
        extra={"style": "vertical", "max_depth": 250.0},
        rows={"kicker": ("春耕",), "main": ("万亩良田披新绿", "机插秧覆盖率过九成")},
    ),
    Case(
        "v06",
        "第10届龙舟赛开幕",
        1,
        26,
        extra={"style": "vertical"},
        rows={"main": ("第10届龙舟赛开幕",)},
    ),
    Case(
        "v07",
        "2024年全市春运平安有序",
        1,
        22,
        extra={"style": "vertical"},
        rows={"main": ("2024年全市春运平安有序",)},
    ),
    Case(
        "v08",
        "“一网通办”让群众少跑腿",
        2,
        26,
        kicker="关注",
        subtitle="——政务服务改革见闻",
        extra={"style": "vertical"},
        rows={
            "kicker": ("关注",),
            "main": ("“一网通办”让群众少跑腿",),
            "subtitle": ("——政务服务改革见闻",),
        },
    ),
    Case(
        "v09",
        "守护一江碧水\n共建美丽家园\n绘就生态画卷",
        2,
        26,
        extra={"style": "vertical"},
        rows={"main": ("守护一江碧水", "共建美丽家园", "绘就生态画卷")},
    ),
    Case(
        "v10",
        "主题一行",
        1,
        26,
        kicker="引题",
        subtitle="副题",
        extra={"style": "vertical", "rows": 1},
        rows={"kicker": ("引题",), "main": ("主题一行",), "subtitle": ("副题",)},
    ),
    Case(
        "v11",
        "两岸青年共话乡情 携手同心筑梦未来",
        2,
        22,
        kicker="海峡论坛",
        subtitle="——第十六届海峡论坛侧记",
        extra={"style": "vertical", "max_depth": 200.0},
        rows={
            "kicker": ("海峡论坛",),
            "main": ("两岸青年共话乡情", "携手同心筑梦未来"),
            "subtitle": ("——第十六届海峡论坛侧记",),
        },
    ),
    # --- explicit rows, a row count, styles ------------------------------------------------------
    Case(
        "g01",
        "以政法工作现代化护航高质量发展大局",
        6,
        26,
        extra={"rows": 2},
        rows={"main": ("以政法工作现代化", "护航高质量发展大局")},
    ),
    Case(
        "g02",
        "全市春季植树活动启动\n三万市民义务植树",
        6,
        26,
        rows={"main": ("全市春季植树活动启动", "三万市民义务植树")},
    ),
    Case(
        "g03",
        "“小院议事”议出幸福新生活",
        2,
        26,
        extra={"style": "boxed"},
        rows={"main": ("“小院议事”", "议出幸福新生活")},
    ),
    Case(
        "g04",
        "全市生产总值增长百分之八点五",
        2,
        26,
        subtitle="——2024年一季度经济运行情况综述",
        extra={"style": "reversed"},
        rows={
            "main": ("全市生产总值", "增长百分之八点五"),
            "subtitle": ("——2024年一季度经济运行情况综述",),
        },
    ),
)
"""The corpus (67 heads)."""


def column_width(span: int) -> float:
    """Width of ``span`` 对开 columns in pt: n × 13 字 + (n − 1) gutters of 9 pt (R8)."""
    return (span * 13 + span - 1) * 9.0
