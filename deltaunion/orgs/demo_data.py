"""The union organisations of the demo that the table of divisions does not give.

The divisions themselves (every current province-, prefecture- and county-level code of
the four provinces) and their federations come from `core.divisions` (see `orgs.demo`);
here are the provincial federations' names, the industry unions the seeds name, and the
alliances as the seeds and public announcements list them.
"""

PROVINCES = [
    ("310000", "上海市", "上海市总工会", "shanghai"),
    ("320000", "江苏省", "江苏省总工会", "jiangsu"),
    ("330000", "浙江省", "浙江省总工会", "zhejiang"),
    ("340000", "安徽省", "安徽省总工会", "anhui"),
]

# Industry unions the seeds name, under their provincial federation.
INDUSTRY_UNIONS = [
    ("310000", "上海航天工会", "seeds/002"),
    ("330000", "浙江省电力工会", "seeds/003"),
    ("330000", "浙江省交通工会", "seeds/003"),
]

# (slug, name, kind, description, source, [(division code, role)])
ALLIANCES = [
    (
        "g60",
        "G60科创走廊九城市",
        "corridor",
        "沪苏浙皖九城市共建G60科创走廊，九城市工会开展劳动竞赛等活动。",
        "seeds/000, seeds/002; G60科创走廊九城市名单为公开信息",
        [
            ("310117", "成员"),
            ("330400", "成员"),
            ("330100", "成员"),
            ("330700", "成员"),
            ("330500", "成员"),
            ("320500", "成员"),
            ("341800", "成员"),
            ("340200", "成员"),
            ("340100", "成员"),
        ],
    ),
    (
        "5plus10",
        "长三角（5+10）城市工会工作联盟",
        "city_alliance",
        "由环太湖的无锡、常州、苏州、湖州、嘉兴五城市总工会共同发起，十个城市（区）总工会共同参与。",
        "seeds/004",
        [
            ("320200", "发起"),
            ("320400", "发起"),
            ("320500", "发起"),
            ("330500", "发起"),
            ("330400", "发起"),
            ("310115", "参与"),
            ("310118", "参与"),
            ("320100", "参与"),
            ("320300", "参与"),
            ("320600", "参与"),
            ("321100", "参与"),
            ("330600", "参与"),
            ("340100", "参与"),
            ("340200", "参与"),
            ("341800", "参与"),
        ],
    ),
    (
        "demo-zone",
        "长三角生态绿色一体化发展示范区",
        "demo_zone",
        "青浦、吴江、嘉善两区一县。",
        "seeds/000, seeds/003, seeds/004",
        [("310118", "成员"), ("320509", "成员"), ("330421", "成员")],
    ),
    (
        "dianshan-lake",
        "环淀山湖战略协同区",
        "collaboration_zone",
        "上海市青浦区、江苏省昆山市、浙江省嘉善县和江苏省苏州市吴江区4地共同签订《环淀山湖战略协同区一体化发展备忘录》。",
        "seeds/002",
        [("310118", "成员"), ("320583", "成员"), ("330421", "成员"), ("320509", "成员")],
    ),
]
