"""Static lists of the demo site.

Real: the 16 districts and their GB/T 2260 codes, the names of the streets and towns (乡镇/街道), the
names of the well-known schools of 东城, 西城 and 海淀, and the special categories of R5/R6.
Invented (believable, but do not phone or visit them): hotlines, office and school addresses, school
codes, street codes, residential compound names, employers, certificate and permit numbers.
"""

import datetime as dt

from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.choices import CategoryKind

# code, name, enrollment hotline, office address, share of the city's applicants (weight)
DISTRICTS: list[tuple[str, str, str, str, float]] = [
    ("110101", "东城区", "010-64041850", "北京市东城区交道口东大街78号", 5),
    ("110102", "西城区", "010-66183022", "北京市西城区南礼士路36号", 7),
    ("110105", "朝阳区", "010-65094130", "北京市朝阳区日坛北路33号", 14),
    ("110106", "丰台区", "010-63811563", "北京市丰台区文体路65号", 9),
    ("110107", "石景山区", "010-68862207", "北京市石景山区石景山路18号", 3),
    ("110108", "海淀区", "010-88486432", "北京市海淀区长春桥路15号", 13),
    ("110109", "门头沟区", "010-69842219", "北京市门头沟区新桥大街45号", 2),
    ("110111", "房山区", "010-89350128", "北京市房山区良乡拱辰大街12号", 6),
    ("110112", "通州区", "010-69543318", "北京市通州区新华北路59号", 8),
    ("110113", "顺义区", "010-69443726", "北京市顺义区府前中街6号", 6),
    ("110114", "昌平区", "010-69742041", "北京市昌平区政府街19号", 9),
    ("110115", "大兴区", "010-69243052", "北京市大兴区兴政街15号", 8),
    ("110116", "怀柔区", "010-69623915", "北京市怀柔区府前街9号", 2),
    ("110117", "平谷区", "010-69962288", "北京市平谷区府前街5号", 2),
    ("110118", "密云区", "010-69044127", "北京市密云区鼓楼东大街3号", 2),
    ("110119", "延庆区", "010-69103641", "北京市延庆区高塔街11号", 1.5),
]

# Districts with real schools by name; the others get patterned ones.
DETAILED_DISTRICTS = ("东城区", "西城区", "海淀区")

# Towns and subdistricts. The kind follows the name: …镇 is a town, …地区 an area, the rest subdistricts.
# Codes are given in list order (district code + 3 digits + 000), so they only match the official ones
# where the list order does.
STREETS: dict[str, list[str]] = {
    "东城区": [
        "东华门街道", "景山街道", "交道口街道", "安定门街道", "北新桥街道", "东四街道", "朝阳门街道",
        "建国门街道", "东直门街道", "和平里街道", "前门街道", "崇文门外街道", "东花市街道", "龙潭街道",
        "体育馆路街道", "天坛街道", "永定门外街道",
    ],
    "西城区": [
        "西长安街街道", "新街口街道", "月坛街道", "展览路街道", "德胜街道", "金融街街道", "什刹海街道",
        "大栅栏街道", "天桥街道", "椿树街道", "陶然亭街道", "广安门内街道", "牛街街道", "白纸坊街道",
        "广安门外街道",
    ],
    "海淀区": [
        "万寿路街道", "永定路街道", "羊坊店街道", "甘家口街道", "八里庄街道", "紫竹院街道", "北下关街道",
        "北太平庄街道", "学院路街道", "中关村街道", "海淀街道", "青龙桥街道", "清华园街道", "燕园街道",
        "香山街道", "清河街道", "花园路街道", "西三旗街道", "马连洼街道", "田村路街道", "上地街道",
        "曙光街道", "万柳地区", "东升地区", "温泉镇", "四季青镇", "西北旺镇", "苏家坨镇", "上庄镇",
    ],
    "朝阳区": [
        "建外街道", "朝外街道", "呼家楼街道", "三里屯街道", "左家庄街道", "团结湖街道", "劲松街道",
        "潘家园街道", "亚运村街道", "望京街道", "酒仙桥街道", "双井街道",
    ],
    "丰台区": ["右安门街道", "太平桥街道", "西罗园街道", "方庄街道", "丰台街道", "卢沟桥街道", "王佐镇"],
    "石景山区": ["八宝山街道", "老山街道", "八角街道", "古城街道", "苹果园街道", "鲁谷街道"],
    "通州区": ["中仓街道", "新华街道", "北苑街道", "玉桥街道", "永顺镇", "梨园镇", "宋庄镇"],
    "昌平区": ["城北街道", "城南街道", "回龙观街道", "霍营街道", "天通苑北街道", "北七家镇", "小汤山镇"],
    "大兴区": ["兴丰街道", "林校路街道", "清源街道", "观音寺街道", "天宫院街道", "西红门镇"],
}

# Schools of the detailed districts:
# (name, street, private, offers junior high, address inside the district, lanes of its service zone)
DETAILED_SCHOOLS: dict[str, list[tuple[str, str, bool, bool, str, tuple[str, ...]]]] = {
    "东城区": [
        ("北京市东城区史家胡同小学", "朝阳门街道", False, False, "史家胡同59号",
         ("史家胡同", "内务部街", "演乐胡同")),
        ("北京市东城区府学胡同小学", "交道口街道", False, False, "府学胡同65号",
         ("府学胡同", "东公街", "南锣鼓巷")),
        ("北京市东城区黑芝麻胡同小学", "交道口街道", False, False, "黑芝麻胡同13号",
         ("黑芝麻胡同", "沙井胡同")),
        ("北京市东城区灯市口小学", "东华门街道", False, False, "灯市口北巷5号",
         ("灯市口大街", "本司胡同")),
        ("北京市东城区东四七条小学", "东四街道", False, False, "东四七条31号",
         ("东四六条", "东四七条", "东四八条")),
        ("北京市东城区和平里第四小学", "和平里街道", False, False, "和平里七区16号", ()),
        ("北京市东城区培新小学", "北新桥街道", False, False, "东直门北小街6号",
         ("北新桥三条",)),
        ("北京市东城区安定门小学", "安定门街道", False, False, "安定门内大街方家胡同12号",
         ("方家胡同", "国子监街")),
        ("北京市东城区崇文小学", "崇文门外街道", False, False, "花市上头条24号", ()),
        ("北京市东城区回民实验小学", "前门街道", False, False, "前门东大街北侧8号",
         ("草厂头条", "长巷二条")),
        ("北京市东城区龙潭小学", "龙潭街道", False, False, "龙潭路12号", ()),
        ("北京市东城区天坛小学", "天坛街道", False, False, "天坛东里北区9号", ()),
        ("北京景山学校", "景山街道", False, True, "灯市口大街53号",
         ("景山东街", "嵩祝院北巷")),
        ("北京市东城区汇才民办实验学校", "建国门街道", True, True, "建国门内大街甲18号", ()),
    ],
    "西城区": [
        ("北京第二实验小学", "西长安街街道", False, False, "新文化街111号",
         ("新文化街", "西单北大街")),
        ("北京小学", "广安门内街道", False, False, "广安门内大街南线阁12号",
         ("南线阁街", "报国寺前街")),
        ("北京市西城区奋斗小学", "月坛街道", False, False, "月坛北街26号", ()),
        ("北京市西城区育民小学", "西长安街街道", False, False, "灵境胡同8号",
         ("灵境胡同", "府右街")),
        ("北京市西城区黄城根小学", "新街口街道", False, False, "西四北大街169号",
         ("西四北三条", "砖塔胡同")),
        ("北京市西城区三里河第三小学", "月坛街道", False, False, "三里河三区21号", ()),
        ("北京市西城区展览路第一小学", "展览路街道", False, False, "百万庄大街18号", ()),
        ("北京市西城区厂桥小学", "什刹海街道", False, False, "地安门西大街甲101号",
         ("护国寺街", "大石碑胡同")),
        ("北京市西城区宏庙小学", "金融街街道", False, False, "宏庙胡同43号",
         ("宏庙胡同",)),
        ("北京市西城区德胜门小学", "德胜街道", False, False, "德胜门外大街60号", ()),
        ("北京市西城区白纸坊小学", "白纸坊街道", False, False, "白纸坊东街15号", ()),
        ("北京市西城区陶然亭小学", "陶然亭街道", False, False, "陶然亭路5号", ()),
        ("北京市西城区大栅栏实验学校", "大栅栏街道", False, True, "大栅栏西街32号",
         ("铁树斜街", "杨梅竹斜街")),
        ("北京市西城区启明民办小学", "天桥街道", True, False, "天桥南大街9号", ()),
    ],
    "海淀区": [
        ("北京市海淀区中关村第一小学", "中关村街道", False, False, "科学院南路甲2号", ()),
        ("北京市海淀区中关村第二小学", "中关村街道", False, False, "中关村东路91号", ()),
        ("北京市海淀区中关村第三小学", "中关村街道", False, False, "北四环西路知春里28号", ()),
        ("中国人民大学附属小学", "海淀街道", False, False, "中关村大街35号", ()),
        ("北京市海淀区海淀实验小学", "海淀街道", False, False, "苏州街27号", ()),
        ("北京市海淀区万泉小学", "万柳地区", False, False, "万泉河路68号", ()),
        ("北京市海淀区翠微小学", "万寿路街道", False, False, "复兴路甲38号", ()),
        ("北京市海淀区七一小学", "万寿路街道", False, False, "复兴路19号", ()),
        ("北京市海淀区羊坊店中心小学", "羊坊店街道", False, False, "羊坊店路11号", ()),
        ("北京市海淀区学院路小学", "学院路街道", False, False, "学院路30号", ()),
        ("北京市海淀区清河第四小学", "清河街道", False, False, "清河小营东路21号", ()),
        ("北京市海淀区温泉第二小学", "温泉镇", False, False, "温泉路17号", ()),
        ("北京市海淀区上地实验学校", "上地街道", False, True, "上地西路22号", ()),
        ("北京市海淀区明远民办实验学校", "西北旺镇", True, True, "永丰路9号", ()),
    ],
}

# Patterned schools of the other districts; "{root}" is the district's first street without its suffix
# (or "第三中心" where the district has no streets in this list).
PATTERNED_SCHOOLS = (
    "北京市{d}第一中心小学", "北京市{d}实验小学", "北京市{d}第二中心小学", "北京市{d}{root}小学",
)
# A few more for some districts: (name, private, offers junior high)
EXTRA_SCHOOLS: dict[str, list[tuple[str, bool, bool]]] = {
    "朝阳区": [
        ("北京市朝阳区望京实验小学", False, False),
        ("北京市朝阳区劲松第一小学", False, False),
        ("北京市朝阳区实验学校", False, True),
        ("北京市朝阳区英才民办学校", True, True),
    ],
    "丰台区": [("北京市丰台区实验学校", False, True)],
    "通州区": [("北京市通州区实验学校", False, True)],
    "昌平区": [("北京市昌平区回龙观第二小学", False, False), ("北京市昌平区育英民办学校", True, False)],
    "大兴区": [("北京市大兴区第三中心小学", False, False)],
}
SCHOOL_ROADS = (
    "府前街", "新华路", "建设路", "文化路", "育才路", "学府路", "滨河路", "光明街", "振兴路", "青年路",
)

# Residential compounds: a street's root + a suffix; districts without streets use these roots instead.
COMPOUND_SUFFIXES = (
    "东里", "西里", "南里", "北里", "小区", "新村", "家园", "嘉园", "花园", "公寓", "东区", "西区",
    "北苑", "南苑",
)
COMPOUND_ROOTS = (
    "府前", "滨河", "新华", "阳光", "富乐", "康居", "青春", "金秋", "和平", "文化", "育才", "幸福",
)

# One multi-school zone per detailed district (R35): name, schools, compounds, property cutoff.
MULTI_SCHOOL_ZONES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], dt.date]] = {
    "东城区": (
        "东四—朝阳门多校划片区",
        ("北京市东城区史家胡同小学", "北京市东城区东四七条小学", "北京市东城区灯市口小学"),
        ("东四十条新苑", "朝阳门华府", "南竹杆嘉园"),
        dt.date(2018, 7, 31),
    ),
    "西城区": (
        "月坛—展览路多校划片区",
        ("北京市西城区奋斗小学", "北京市西城区三里河第三小学", "北京市西城区展览路第一小学"),
        ("月坛新苑", "三里河壹号院", "百万庄华府"),
        dt.date(2020, 7, 31),
    ),
    "海淀区": (
        "中关村多校划片区",
        ("北京市海淀区中关村第一小学", "北京市海淀区中关村第二小学", "北京市海淀区中关村第三小学"),
        ("知春新苑", "科学城嘉园", "融科华府"),
        dt.date(2017, 6, 30),
    ),
}

# R5/R6: code, name, kind
CATEGORIES: list[tuple[str, str, str]] = [
    ("taiwan-compatriot", "台湾同胞子女", CategoryKind.COUNTS_AS_LOCAL),
    ("postdoc", "博士后研究人员子女", CategoryKind.COUNTS_AS_LOCAL),
    ("military-family", "军人子女", CategoryKind.COUNTS_AS_LOCAL),
    ("overseas-chinese", "华侨子女", CategoryKind.COUNTS_AS_LOCAL),
    ("work-residence-permit", "持有北京市工作居住证人员子女", CategoryKind.COUNTS_AS_LOCAL),
    ("martyr", "烈士子女", CategoryKind.PRIORITY),
    ("active-military", "现役军人子女", CategoryKind.PRIORITY),
    ("model-worker", "全国劳动模范子女", CategoryKind.PRIORITY),
    ("foreign-national", "外籍人员子女", CategoryKind.DISTRICT_HANDLED),
    ("hk-macao-taiwan", "港澳台儿童", CategoryKind.DISTRICT_HANDLED),
    ("over-age", "超龄儿童", CategoryKind.DISTRICT_HANDLED),
]
CATEGORY_DESCRIPTIONS = {
    CategoryKind.COUNTS_AS_LOCAL: "按本市户籍儿童对待，无需五证审核（R5）。",
    CategoryKind.PRIORITY: "同等条件下优先安排入学（R5）。",
    CategoryKind.DISTRICT_HANDLED: "请与区教委联系，由区教委在管理端代为登记（R6）。",
}

# Regions of non-Beijing hukou: code, province, city, county, weight (neighbouring provinces first)
OTHER_REGIONS: list[tuple[str, str, str, str, float]] = [
    ("130102", "河北省", "石家庄市", "长安区", 6),
    ("130104", "河北省", "石家庄市", "桥西区", 4),
    ("130602", "河北省", "保定市", "竞秀区", 5),
    ("131002", "河北省", "廊坊市", "安次区", 4),
    ("120101", "天津市", "", "和平区", 2),
    ("370102", "山东省", "济南市", "历下区", 4),
    ("370202", "山东省", "青岛市", "市南区", 2),
    ("410105", "河南省", "郑州市", "金水区", 5),
    ("410102", "河南省", "郑州市", "中原区", 2),
    ("140105", "山西省", "太原市", "小店区", 3),
    ("150102", "内蒙古自治区", "呼和浩特市", "新城区", 2),
    ("210102", "辽宁省", "沈阳市", "和平区", 2),
    ("220102", "吉林省", "长春市", "南关区", 1.5),
    ("230102", "黑龙江省", "哈尔滨市", "道里区", 3),
    ("230103", "黑龙江省", "哈尔滨市", "南岗区", 1.5),
    ("320102", "江苏省", "南京市", "玄武区", 1),
    ("330106", "浙江省", "杭州市", "西湖区", 1),
    ("340104", "安徽省", "合肥市", "蜀山区", 2.5),
    ("360102", "江西省", "南昌市", "东湖区", 1.5),
    ("420106", "湖北省", "武汉市", "武昌区", 3),
    ("430102", "湖南省", "长沙市", "芙蓉区", 2),
    ("440106", "广东省", "广州市", "天河区", 1),
    ("500103", "重庆市", "", "渝中区", 1.5),
    ("510107", "四川省", "成都市", "武侯区", 3),
    ("610113", "陕西省", "西安市", "雁塔区", 2),
]

# Adults born before an outer district became a 区 carry the old county's code in their ID number.
HISTORICAL_REGION_CODES = {
    "110111": "110225", "110112": "110223", "110113": "110222", "110114": "110221", "110115": "110224",
    "110116": "110227", "110117": "110226", "110118": "110228", "110119": "110229",
}

# Surnames with rough weights (per cent of the population), including a few two-character ones.
SURNAMES: list[tuple[str, float]] = [
    ("王", 7.1), ("李", 7.0), ("张", 6.7), ("刘", 5.4), ("陈", 4.5), ("杨", 3.1), ("赵", 2.3), ("黄", 2.1),
    ("周", 1.9), ("吴", 1.9), ("徐", 1.3), ("孙", 1.4), ("马", 1.3), ("朱", 1.1), ("胡", 1.0), ("郭", 1.1),
    ("何", 0.9), ("高", 1.0), ("林", 0.8), ("罗", 0.7), ("郑", 0.7), ("梁", 0.7), ("谢", 0.6), ("宋", 0.6),
    ("唐", 0.5), ("许", 0.5), ("韩", 0.6), ("冯", 0.5), ("邓", 0.4), ("曹", 0.5), ("彭", 0.4), ("曾", 0.3),
    ("肖", 0.4), ("田", 0.5), ("董", 0.5), ("袁", 0.4), ("潘", 0.3), ("于", 0.6), ("蒋", 0.3), ("蔡", 0.3),
    ("余", 0.3), ("杜", 0.4), ("叶", 0.3), ("程", 0.4), ("苏", 0.4), ("魏", 0.4), ("吕", 0.4), ("丁", 0.4),
    ("任", 0.4), ("沈", 0.3), ("姚", 0.3), ("卢", 0.3), ("姜", 0.4), ("崔", 0.4), ("钟", 0.2), ("谭", 0.2),
    ("陆", 0.2), ("汪", 0.2), ("范", 0.3), ("金", 0.3), ("石", 0.3), ("廖", 0.2), ("贾", 0.4), ("夏", 0.2),
    ("付", 0.3), ("方", 0.2), ("白", 0.3), ("邹", 0.2), ("孟", 0.3), ("熊", 0.2), ("秦", 0.2), ("邱", 0.2),
    ("江", 0.2), ("尹", 0.2), ("薛", 0.2), ("闫", 0.3), ("段", 0.2), ("雷", 0.2), ("侯", 0.2), ("史", 0.2),
    ("郝", 0.3), ("常", 0.2), ("康", 0.2), ("牛", 0.2), ("齐", 0.2), ("乔", 0.2), ("庞", 0.1), ("耿", 0.2),
    ("关", 0.2), ("佟", 0.1), ("安", 0.1), ("宁", 0.1), ("申", 0.1), ("尚", 0.1), ("靳", 0.1), ("翟", 0.1),
    ("欧阳", 0.05), ("司马", 0.02), ("上官", 0.01), ("诸葛", 0.01), ("司徒", 0.01), ("慕容", 0.005),
]

# Given-name characters popular for children born around 2019-2020, and for their parents' generation.
BOY_CHARS = "浩宇轩子梓豪辰泽宸然睿博文俊杰铭航晨嘉逸一奕沐霖瑞翰凯明宁毅哲昊阳皓云承安锦煜诚天乐"
GIRL_CHARS = "欣怡萱梓涵雨诗语思可馨若汐悦彤佳一诺依琪月静雅婉晴瑶妍心柔舒菲乐宁蕊清艺茜沫芷韵"
MAN_CHARS = "伟磊强军勇杰涛斌鹏超明亮刚健峰辉波宁浩东海建志俊国华飞鑫凯晓"
WOMAN_CHARS = "丽静敏燕艳娟霞婷芳娜洁丹玲颖雪琳晶慧蕾倩红梅莉萍晓佳璐"

ETHNICITIES: list[tuple[str, float]] = [
    ("汉族", 93), ("满族", 2), ("回族", 2), ("蒙古族", 1), ("朝鲜族", 0.5), ("土家族", 0.5), ("壮族", 0.4),
    ("苗族", 0.3), ("藏族", 0.1), ("维吾尔族", 0.2),
]

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
    "157", "158", "159", "166", "176", "177", "178", "180", "181", "182", "183", "185", "186", "187", "188",
    "189", "191", "198", "199",
)

EDUCATION: list[tuple[str, float]] = [
    ("博士研究生", 4), ("硕士研究生", 18), ("大学本科", 42), ("大学专科", 16), ("高中", 10), ("中等专科", 6),
    ("初中", 4),
]
WORK_TYPES: list[tuple[str, float]] = [
    ("企业职员", 45), ("专业技术人员", 12), ("事业单位人员", 12), ("公务员", 6), ("个体工商户", 9),
    ("自由职业", 8), ("军人", 1), ("无业", 3),
]
EMPLOYER_WORDS = (
    "恒信", "博远", "启明", "瑞丰", "华创", "众合", "鼎盛", "天成", "嘉禾", "宏图", "锐思", "拓维",
    "云帆", "智联", "明德", "凯达", "正元", "新源",
)
EMPLOYER_KINDS = (
    "科技有限公司", "信息技术有限公司", "咨询有限公司", "贸易有限公司", "建筑工程有限公司",
    "文化传媒有限公司", "餐饮管理有限公司", "物流有限公司", "医药有限公司", "置业有限公司",
)
INSTITUTIONS = ("人民医院", "中医医院", "妇幼保健院", "融媒体中心", "图书馆", "第二中学", "疾病预防控制中心")
GOVERNMENT_OFFICES = ("税务局", "城市管理委员会", "人力资源和社会保障局", "市场监督管理局", "发展和改革委员会")
SHOPS = ("便利店", "餐馆", "五金店", "洗衣店", "水果店", "理发店")

PROPERTY_TYPES: list[tuple[str, float]] = [
    ("商品房", 55), ("已购公房", 25), ("经济适用住房", 8), ("共有产权住房", 7), ("限价商品住房", 5),
]

# R1-R24: how applications are spread over the states a few weeks into the campaign.
LOCAL_STATE_WEIGHTS: dict[str, float] = {
    S.REGISTERED: 4, S.IDENTITY_CHECK: 3, S.IDENTITY_FAILED: 1, S.READY_TO_PRINT: 25, S.PRE_ADMITTED: 24,
    S.SCHOOL_REJECTED: 2.5, S.CONFIRMED: 35, S.DISTRICT_REJECTED: 1, S.CANCELLED: 2, S.VOID: 0.5,
}
NONLOCAL_STATE_WEIGHTS: dict[str, float] = {
    S.REGISTERED: 4, S.IDENTITY_CHECK: 3, S.IDENTITY_FAILED: 1, S.FIVE_CERTIFICATE_REVIEW: 9,
    S.FIVE_CERTIFICATE_REJECTED: 4, S.READY_TO_PRINT: 21, S.PRE_ADMITTED: 20, S.SCHOOL_REJECTED: 3,
    S.CONFIRMED: 29, S.DISTRICT_REJECTED: 1.5, S.CANCELLED: 2, S.VOID: 0.5,
}

# For refusals whose transition has no preset reasons; the others take the workflow's reason_options
REJECTION_REASONS: dict[str, tuple[str, ...]] = {
    S.IDENTITY_FAILED: (
        "身份证号码与公安部人口信息不一致，请核对后注销重新登记。",
        "出生日期与户籍登记信息不符，请携带户口簿到区教委咨询。",
        "户籍地址核验未通过，请核对户口簿首页及本人页信息。",
    ),
}
REMARKS: dict[str, tuple[str, ...]] = {
    S.CANCELLED: ("家长申请注销账号。", "家长申请注销账号，拟在居住地所在区重新登记。"),
    S.VOID: ("经公安部人口信息核查，所填信息不实，登记作废（R19）。",),
}
HOMETOWN_ROADS = (
    "人民路", "解放路", "建设大街", "和平路", "中山路", "胜利街", "新华路", "育英街", "光明路", "文化路",
)
LANE_SHARE = 0.15  # residents of a school with lanes in its zone who live in a hutong courtyard

REREGISTERED_REMARK = "基本信息填写有误，家长注销后重新登记（R14、R33）。"

# R4/R20: the documents the districts ask for online: name, hukou category ("" = every family),
# required, files at most, instructions for the family
DOCUMENT_REQUIREMENTS: list[tuple[str, str, bool, int, str]] = [
    ("户口簿", "", True, 4, "户主页和儿童本人页，每页一张"),
    ("房产证或租房合同", "", False, 3, "住房类型为自有住房或租住的家庭上传"),
    ("居住证", "nonlocal", True, 2, "监护人居住证正反面"),
    ("在京务工就业证明", "nonlocal", True, 2, "劳动合同或营业执照"),
    ("社保缴纳证明", "nonlocal", False, 2, "在京连续缴纳社会保险的证明"),
]
