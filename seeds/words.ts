import type { returnExclusion } from '../src/db/schema/enums';

type ReturnExclusion = (typeof returnExclusion.enumValues)[number];

/**
 * Word lists for the Suizhou demo data: places, streets, shop names and people. The streets,
 * towns and scenic areas are real places in Suizhou; every merchant, person and phone number
 * built from them is made up.
 */

export type DistrictCode = '421303' | '421321' | '421381';

/** Main streets of the city centre (曾都区). 解放路 is kept for the demonstration street. */
export const ZENGDU_STREETS = [
  '烈山大道',
  '沿河大道',
  '交通大道',
  '舜井大道',
  '青年路',
  '明珠路',
  '文帝大道',
  '季梁大道',
  '汉东路',
  '编钟大道',
  '清河路',
  '白云大道',
  '擂鼓墩大道',
  '龙门街',
  '天后宫街',
  '碾盘山路',
] as const;

export const JIEFANG_ROAD = '解放路';

/** Towns of 曾都区 outside the centre. */
export const ZENGDU_TOWNS = ['万店镇', '何店镇', '洛阳镇', '府河镇'] as const;

export const SUIXIAN_TOWNS = [
  '厉山镇',
  '洪山镇',
  '殷店镇',
  '草店镇',
  '小林镇',
  '淮河镇',
  '万和镇',
  '尚市镇',
  '均川镇',
  '安居镇',
  '吴山镇',
  '三里岗镇',
  '唐县镇',
  '高城镇',
  '环潭镇',
] as const;

export const GUANGSHUI_STREETS = ['应山大道', '永阳大道', '广安路', '城南大道', '兴业路', '平靖路', '长安路'] as const;

export const GUANGSHUI_TOWNS = [
  '马坪镇',
  '杨寨镇',
  '长岭镇',
  '武胜关镇',
  '郝店镇',
  '余店镇',
  '陈巷镇',
  '关庙镇',
  '李店镇',
  '太平镇',
  '蔡河镇',
  '吴店镇',
] as const;

/** Streets of a market town (every town has a 正街). */
export const TOWN_STREETS = ['正街', '新街', '中心街', '集镇大道', '人民路', '建设路', '商贸街'] as const;

/** 厉山镇 is the seat of 随县 and has real avenues of its own. */
export const LISHAN_STREETS = ['神农大道', '炎帝大道', '烈山路', '正街'] as const;

/** Shop names' trade names (字号). */
export const BRANDS = [
  '福临门',
  '惠民',
  '佳乐',
  '鑫源',
  '万家',
  '金凤',
  '汇丰',
  '顺达',
  '宏发',
  '兴隆',
  '永昌',
  '百佳',
  '家和',
  '盛世',
  '天顺',
  '金鼎',
  '富源',
  '恒通',
  '利民',
  '诚信',
  '和兴',
  '新城',
  '好邻居',
  '聚源',
  '昌盛',
  '荣华',
  '众鑫',
  '楚天',
  '汉东',
  '神农',
  '炎帝',
  '编钟',
  '烈山',
  '季梁',
  '曾侯',
  '随缘',
  '瑞丰',
  '嘉禾',
  '康达',
  '美佳',
  '德润',
  '金桥',
  '银河',
  '天成',
  '博远',
  '恒昌',
  '红运',
  '吉祥',
  '同心',
  '益民',
  '安康',
  '华兴',
  '东方',
  '旺旺来',
  '乐购',
  '优品',
  '鸿运',
  '金穗',
  '四季',
  '万福',
] as const;

/** How small shops are often named: after the owner or a nickname. */
export const SHOP_PREFIXES = [
  '小李',
  '老王',
  '张记',
  '刘姐',
  '阿强',
  '胖哥',
  '老街',
  '陈记',
  '周家',
  '德香',
  '好再来',
  '聚福',
  '食尚',
  '老乡',
  '金牌',
  '湘味',
  '川香',
  '蜀香',
  '老杨',
  '小黄',
  '吴妈',
  '赵家',
  '孙记',
  '马师傅',
  '老曾',
  '何记',
  '二姐',
  '小胡',
  '郭记',
  '明明',
  '红红',
  '兄弟',
  '姐妹',
  '一品',
  '福满园',
  '老地方',
] as const;

/** Endings of individual-business names per industry. */
export const SMALL_SHOP_ENDINGS: Readonly<Record<string, readonly string[]>> = {
  CATERING: [
    '烧烤店',
    '热干面馆',
    '牛肉面馆',
    '拉面馆',
    '小龙虾馆',
    '火锅店',
    '三蒸馆',
    '饺子馆',
    '土菜馆',
    '快餐店',
    '麻辣烫店',
    '早餐店',
    '米粉店',
    '黄焖鸡米饭店',
    '炸鸡店',
    '奶茶店',
    '甜品店',
    '泡泡青火锅店',
    '拐子饭店',
    '农家菜馆',
  ],
  FOOD: [
    '香菇干货店',
    '粮油店',
    '食品商行',
    '鲜肉店',
    '水果店',
    '蔬菜店',
    '副食店',
    '烟酒副食商行',
    '糕点店',
    '茶叶店',
    '调味品店',
    '土特产店',
    '水产店',
    '酒水批发部',
  ],
  CLOTHING: ['服装店', '服饰店', '女装店', '童装店', '鞋店', '鞋业', '男装店', '内衣店', '箱包店', '时装店'],
  SUPERMARKET: ['超市', '便利店', '生活超市', '百货超市', '购物超市'],
  HOME_APPLIANCES: ['家电商行', '电器商行', '家电城', '电器维修部', '手机店', '数码通讯店'],
  SCENIC_SPOT: ['农家乐', '生态农庄', '垂钓园', '采摘园'],
  AUTOMOBILE: ['汽车维修部', '汽车美容店', '汽配店', '二手车行', '轮胎店', '汽车服务部'],
  PREPAID_SERVICES: ['美容美发店', '理发店', '健身工作室', '洗衣店', '瑜伽馆', '舞蹈工作室', '美甲店', '洗车店', '养生馆', '摄影工作室'],
  FURNITURE_BUILDING_MATERIALS_MARKET: ['家具店', '瓷砖经营部', '陶瓷卫浴店', '灯饰店', '门窗店', '地板店', '涂料经营部', '五金建材店', '橱柜店', '窗帘布艺店'],
};

/** Endings of company names per industry (the `有限公司` is added sometimes). */
export const COMPANY_ENDINGS: Readonly<Record<string, readonly string[]>> = {
  CATERING: ['餐饮管理', '大酒店', '酒楼', '餐饮服务'],
  FOOD: ['食品', '香菇食品', '粮油贸易', '农产品', '食品贸易', '酒业'],
  CLOTHING: ['服饰', '服装', '鞋业', '纺织品'],
  SUPERMARKET: ['超市', '购物广场', '连锁超市', '商贸'],
  SHOPPING_CENTER: ['商业广场', '百货大楼', '购物中心', '商业管理'],
  HOME_APPLIANCES: ['家电', '电器销售', '电器', '家电商贸'],
  SCENIC_SPOT: ['旅游开发', '文化旅游', '生态旅游'],
  PROPERTY_MANAGEMENT: ['物业服务', '物业管理'],
  AUTOMOBILE: ['汽车销售服务', '汽车贸易', '汽车服务', '新能源汽车销售'],
  PREPAID_SERVICES: ['教育咨询', '健身管理', '文化艺术培训', '体育发展', '美容管理', '职业技能培训'],
  FURNITURE_BUILDING_MATERIALS_MARKET: ['家居', '建材', '装饰材料', '家具'],
};

/** Scenic areas by district, for 风景区 and 农家乐 names. */
export const SCENIC_PLACES: Readonly<Record<DistrictCode, readonly string[]>> = {
  '421303': ['白云湖', '擂鼓墩', '涢水', '洛阳银杏', '府河', '七尖峰'],
  '421321': ['大洪山', '西游记', '琵琶湖', '千年银杏谷', '尚市桃花', '炎帝故里', '封江口', '七姑山'],
  '421381': ['三潭', '中华山', '武胜关', '徐家河', '黄土关', '大贵寺'],
};

export const SCENIC_ENDINGS = ['风景区', '生态旅游区', '景区', '度假村', '漂流', '生态园'] as const;

/** What farmer cooperatives around Suizhou grow or raise. */
export const COOPERATIVE_PRODUCTS = [
  '香菇种植',
  '蔬菜种植',
  '水果种植',
  '茶叶',
  '生猪养殖',
  '家禽养殖',
  '优质稻',
  '银杏',
  '蜂业',
  '葛根',
  '泡泡青种植',
  '油茶',
] as const;

/** Stalls in a farmers' market. */
export const MARKET_STALL_ENDINGS = [
  '蔬菜摊',
  '鲜肉摊',
  '水产摊',
  '禽蛋店',
  '粮油店',
  '干货店',
  '豆制品店',
  '香菇干货店',
  '水果摊',
  '调料店',
  '熟食店',
  '牛羊肉店',
] as const;

export const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '余', '蒋', '蔡',
  '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '熊',
] as const;

export const GIVEN_NAMES = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平',
  '刚', '桂英', '华', '红', '建国', '建华', '志强', '玉兰', '海燕', '文', '斌', '浩', '宇', '欣', '婷', '鹏', '辉', '丹', '玲', '峰',
  '琴', '云', '燕', '萍', '雪', '亮', '成', '俊', '健', '红梅', '小红', '晓东', '天明', '春华', '德胜', '国庆', '桂芳', '金山',
] as const;

/** Mobile number prefixes in use in China. */
export const PHONE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157', '158', '159', '166', '173', '177', '180', '181', '186', '187', '188', '189', '191', '199'] as const;

/** The supervising office per district, as written before an inspector's name. */
export const INSPECTION_OFFICES: Readonly<Record<DistrictCode, string>> = {
  '421303': '市场监管局曾都分局',
  '421321': '随县市场监管局',
  '421381': '广水市市场监管局',
};

/** Prefix of decision numbers (文号) per district. */
export const DECISION_PREFIXES: Readonly<Record<DistrictCode, string>> = {
  '421303': '随曾市监',
  '421321': '随县市监',
  '421381': '广市监',
};

/** Goods categories a LISTED_CATEGORIES pledge names, per industry. */
export const PLEDGE_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  SUPERMARKET: ['日用百货', '家居用品', '预包装食品', '酒水饮料', '文具', '小家电'],
  SHOPPING_CENTER: ['服装', '鞋帽', '箱包', '化妆品', '家居用品', '儿童用品', '钟表眼镜'],
  HOME_APPLIANCES: ['小家电', '厨房电器', '个护电器', '照明灯具', '电脑配件'],
  FOOD: ['预包装食品', '酒水饮料', '茶叶', '土特产礼盒'],
  CLOTHING: ['服装', '鞋帽', '箱包', '围巾配饰'],
  FURNITURE_BUILDING_MATERIALS_MARKET: ['成品家具', '灯具', '五金配件', '卫浴洁具', '窗帘布艺'],
};

/** Exclusions a pledge of that industry plausibly lists (all from the legal list). */
export const PLEDGE_EXCLUSIONS = {
  SUPERMARKET: ['FRESH_PERISHABLE', 'NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED', 'UNSEALING_AFFECTS_SAFETY_HEALTH', 'NEWSPAPERS_PERIODICALS'],
  SHOPPING_CENTER: ['MADE_TO_ORDER', 'UNSEALING_AFFECTS_SAFETY_HEALTH', 'LOSES_VALUE_ONCE_ACTIVATED', 'NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED'],
  HOME_APPLIANCES: ['LOSES_VALUE_ONCE_ACTIVATED', 'MADE_TO_ORDER', 'DIGITAL_DOWNLOADED_OR_UNSEALED', 'NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED'],
  FOOD: ['FRESH_PERISHABLE', 'UNSEALING_AFFECTS_SAFETY_HEALTH', 'NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED'],
  CLOTHING: ['MADE_TO_ORDER', 'UNSEALING_AFFECTS_SAFETY_HEALTH', 'NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED'],
  FURNITURE_BUILDING_MATERIALS_MARKET: ['MADE_TO_ORDER', 'NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED'],
} satisfies Readonly<Record<string, readonly ReturnExclusion[]>>;
