//! Deterministic, seeded generator of contract-like text for benchmarks.
//!
//! Shared by the `comity-corpus` example (`server/benches/corpus.rs`) and the
//! divan benches (`server/benches/engine.rs`) through `#[path]`. It is not part
//! of the engine. The same seed and size always give the same bytes (the PRNG
//! is splitmix64; no `HashMap` iteration, no clock).
//!
//! A contract has a title, parties, a background, a definitions article (some
//! definitions name OFAC lists or the Entity List, so that later clauses that
//! only use the defined term are tainted), numbered articles and clauses
//! (`## 3.` / `3.2` / `(a)`; `## 第三条` / `3.2` / `（一）`), cross-references,
//! and a signature block. About 5 % of clauses come from risky templates in
//! the style of T01–T15; the rest are neutral boilerplate, a few of which use
//! trigger words harmlessly (customs export documents, UN sanctions, PRC law).
//! About 2/3 of contracts are English, 1/3 Chinese.
#![allow(dead_code)]

/// splitmix64: tiny, fast, and good enough for choosing templates.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5EED_C0FF_EE00_0000)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    pub fn pick<'a, T: ?Sized>(&mut self, xs: &[&'a T]) -> &'a T {
        xs[self.below(xs.len())]
    }
}

/// Fraction of clauses drawn from the risky templates.
pub const RISKY_RATE: f64 = 0.05;

/// One generated contract.
pub struct Contract {
    pub text: String,
    pub lang: &'static str,
    pub markdown: bool,
    pub clauses: usize,
    pub risky: usize,
}

/// Text of about `size` bytes (never more), made of whole contracts of
/// 20–200 KB (the last one cut at a paragraph boundary), 2/3 EN, 1/3 ZH.
pub fn corpus(size: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(size + 256 * 1024);
    let mut n = 0;
    while out.len() < size {
        let target = rng.range(20_000, 200_000).min(size - out.len() + 2_000);
        let c = contract(&mut rng, n, target.max(3_000));
        out.push_str(&c.text);
        out.push('\n');
        n += 1;
    }
    cut(&mut out, size);
    out
}

/// Truncates to at most `size` bytes at a paragraph (or else line) boundary.
pub fn cut(s: &mut String, size: usize) {
    if s.len() <= size {
        return;
    }
    let mut end = size;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let head = &s[..end];
    let at = head
        .rfind("\n\n")
        .map(|i| i + 2)
        .or_else(|| head.rfind('\n').map(|i| i + 1))
        .unwrap_or(end);
    s.truncate(at);
}

/// One contract of roughly `target` bytes (it may overshoot by one clause
/// plus the signature block).
pub fn contract(rng: &mut Rng, index: usize, target: usize) -> Contract {
    let zh = rng.below(3) == 2;
    let markdown = rng.below(5) != 0;
    let mut g = Gen {
        rng,
        out: String::with_capacity(target + 4096),
        markdown,
        clauses: 0,
        risky: 0,
        article: 0,
        tainted: None,
    };
    if zh {
        g.zh(index, target);
    } else {
        g.en(index, target);
    }
    Contract {
        text: g.out,
        lang: if zh { "zh" } else { "en" },
        markdown,
        clauses: g.clauses,
        risky: g.risky,
    }
}

struct Gen<'r> {
    rng: &'r mut Rng,
    out: String,
    markdown: bool,
    clauses: usize,
    risky: usize,
    article: usize,
    /// A defined term whose definition names a US list, if any.
    tainted: Option<&'static str>,
}

// ---------------------------------------------------------------- English

const EN_TITLES: &[&str] = &[
    "MASTER PURCHASE AGREEMENT",
    "COMPONENT SUPPLY CONTRACT",
    "DISTRIBUTION AGREEMENT",
    "SOFTWARE LICENCE AND SUPPORT AGREEMENT",
    "TECHNOLOGY TRANSFER AGREEMENT",
    "FRAMEWORK SERVICES AGREEMENT",
    "JOINT DEVELOPMENT AGREEMENT",
    "CONTRACT MANUFACTURING AGREEMENT",
    "EQUIPMENT LEASE AGREEMENT",
    "FACILITY AGREEMENT",
];
const EN_COMPANIES: &[&str] = &[
    "Northgate Photonics Ltd",
    "Harbourview Logistics Pte. Ltd.",
    "Ningbo Qiantang Precision Machinery Co., Ltd.",
    "Calder Semiconductor Inc.",
    "Suzhou Meridian Materials Co., Ltd.",
    "Albemarle Robotics GmbH",
    "Hangzhou Xiling Cloud Services Co., Ltd.",
    "Westbrook Capital Partners LLP",
    "Chengdu Tianfu Avionics Co., Ltd.",
    "Kestrel Medical Devices S.A.",
    "Dalian Haixing Shipping Co., Ltd.",
    "Oakridge Energy Systems Corp.",
];
const EN_JURIS: &[&str] = &[
    "England and Wales",
    "the People's Republic of China",
    "Singapore",
    "the State of Delaware",
    "Hong Kong",
    "Germany",
    "Switzerland",
];
const EN_ROLES: &[(&str, &str)] = &[
    ("Buyer", "Seller"),
    ("Customer", "Supplier"),
    ("Licensee", "Licensor"),
    ("Distributor", "Principal"),
    ("Borrower", "Lender"),
    ("Client", "Contractor"),
];
const EN_HEADINGS: &[&str] = &[
    "Supply of Goods",
    "Orders and Forecasts",
    "Price and Payment",
    "Delivery and Acceptance",
    "Title and Risk",
    "Warranties",
    "Intellectual Property",
    "Confidentiality",
    "Limitation of Liability",
    "Insurance",
    "Term and Termination",
    "Force Majeure",
    "Assignment and Subcontracting",
    "Notices",
    "Data Protection",
    "Anti-Bribery",
    "Audit and Records",
    "Trade Compliance",
    "Dispute Resolution",
    "Governing Law",
    "General",
];
const EN_NEUTRAL: &[&str] = &[
    "The {A} shall place each order in writing, and an order is binding only once the {B} has accepted it within {n} Business Days of receipt.",
    "Prices are exclusive of value added tax, which the {A} shall pay in addition at the rate in force on the date of the invoice.",
    "The {B} shall invoice the {A} on or after delivery, and the {A} shall pay each undisputed invoice within {d} days of its date.",
    "If the {A} disputes an invoice in good faith, it shall notify the {B} within {n} Business Days and pay the undisputed part in accordance with Clause {ref}.",
    "Interest accrues on any overdue sum at {p} per cent per annum above the base rate from the due date until payment in full.",
    "Delivery shall be made {inco} at the place named in the relevant order, and time of delivery is not of the essence unless agreed in writing.",
    "The {A} shall inspect the goods within {n} Business Days after delivery and shall notify the {B} of any visible defect within that period.",
    "Title to the goods passes to the {A} on payment in full; risk passes on delivery in accordance with Clause {ref}.",
    "The {B} warrants that the goods will, for {m} months from delivery, conform to the specification and be free from material defects in design, materials and workmanship.",
    "The warranty in Clause {ref} does not apply to any defect caused by fair wear and tear, wilful damage, negligence or abnormal storage conditions.",
    "Each Party shall keep the other Party's Confidential Information confidential and shall not use it except to perform its obligations under this Agreement.",
    "The obligations in this Clause {art} survive termination of this Agreement for a period of {y} years.",
    "Neither Party limits its liability for death or personal injury caused by its negligence, or for fraud or fraudulent misrepresentation.",
    "Subject to Clause {ref}, each Party's total liability arising under or in connection with this Agreement shall not exceed {p}0 per cent of the charges paid in the preceding twelve months.",
    "Neither Party is liable for any loss of profit, loss of revenue, loss of goodwill or any indirect or consequential loss.",
    "The {B} shall maintain product liability insurance with a reputable insurer for not less than USD {n},000,000 per claim.",
    "Either Party may terminate this Agreement by giving the other not less than {d} days' written notice.",
    "Either Party may terminate this Agreement immediately if the other commits a material breach which is not remedied within {d} days of a written notice describing it.",
    "On termination, the {A} shall pay all invoices outstanding, and each Party shall return or destroy the other's Confidential Information.",
    "Neither Party shall be liable for a delay caused by an event beyond its reasonable control, including fire, flood, epidemic, strike or failure of a public utility.",
    "A Party affected by a Force Majeure Event shall notify the other promptly and use reasonable endeavours to mitigate its effect.",
    "Neither Party may assign or transfer any of its rights under this Agreement without the prior written consent of the other, which shall not be unreasonably withheld.",
    "The {B} may subcontract the manufacture of components to its Affiliates, but remains responsible for the acts and omissions of each subcontractor.",
    "A notice under this Agreement shall be in writing and delivered by hand, by courier or by email to the address set out in Schedule {s}.",
    "Each Party shall comply with the data protection legislation applicable to it when processing personal data under this Agreement.",
    "Each Party shall comply with all applicable anti-bribery and anti-corruption laws and shall maintain adequate procedures to prevent bribery by its personnel.",
    "The {B} shall keep complete and accurate records relating to the goods for {y} years and allow the {A} to inspect them on reasonable notice.",
    "The {B} shall provide commercial invoices, packing lists and certificates of origin necessary for customs clearance and for the export of the goods from the country of shipment.",
    "Each Party shall obtain, at its own cost, any import or export licence that the laws of the People's Republic of China require for its own performance.",
    "Nothing in this Agreement requires a Party to act in a way that would breach sanctions adopted by the United Nations Security Council.",
    "Any dispute arising out of or in connection with this Agreement shall first be referred to senior executives of the Parties for resolution within {d} days.",
    "Any dispute not so resolved shall be finally settled by arbitration administered by the {forum} in accordance with its rules in force at the time.",
    "This Agreement and any non-contractual obligation arising from it are governed by the laws of {gov}.",
    "This Agreement constitutes the entire agreement between the Parties and supersedes all prior discussions relating to its subject matter.",
    "No variation of this Agreement is effective unless it is in writing and signed by authorised representatives of both Parties.",
    "If any provision of this Agreement is held invalid, the remaining provisions remain in full force and effect.",
    "A failure or delay in exercising a right under this Agreement does not waive that right.",
    "This Agreement may be executed in any number of counterparts, each of which is an original.",
    "The {B} grants the {A} a non-exclusive, non-transferable licence to use the Software solely for its internal business purposes during the Term.",
    "All Intellectual Property Rights in the Deliverables vest in the {B}, and the {A} receives the licence set out in Clause {ref}.",
];
const EN_ITEMS: &[&str] = &[
    "the goods are delivered in accordance with the agreed schedule",
    "the {B} has received the deposit referred to in Clause {ref}",
    "all necessary corporate approvals have been obtained",
    "the specification has been agreed in writing",
    "no Event of Default is continuing",
    "the performance bond has been issued by a bank acceptable to the {A}",
    "the acceptance tests have been passed",
    "the insurance policies are in full force and effect",
];
/// Risky clauses in the style of T01–T15. `{T}` is the tainted defined term.
const EN_RISKY: &[&str] = &[
    // T01
    "The {A} shall comply with all U.S. export control laws and regulations, including the Export Administration Regulations, in connection with the goods.",
    "Each Party shall at all times comply with the sanctions programmes administered by OFAC in performing this Agreement.",
    // T02
    "The {A} shall ensure that its distributors and end users comply with the U.S. Export Administration Regulations and shall include equivalent restrictions in each resale contract.",
    // T03
    "The {A} represents and warrants that neither it nor any of its Affiliates is listed on the SDN List or the Entity List.",
    "The {A} represents that it is not a {T}.",
    // T04
    "The {B} may terminate this Agreement with immediate effect if the {A} becomes a {T}.",
    "The {B} may suspend delivery without liability if the {A} or any of its Affiliates is added to the Entity List by the U.S. Department of Commerce.",
    // T05
    "The {B} shall not be obliged to make any payment if the payment would be blocked or prohibited under U.S. sanctions administered by OFAC.",
    // T06
    "The {A} shall not use Huawei Ascend chips or any other PRC advanced computing integrated circuit to train models with the Licensed Software.",
    // T07
    "Before shipment the {A} shall deliver an end-use certificate and undertake not to re-export the goods without authorisation from the U.S. Bureau of Industry and Security.",
    // T08
    "The {A} shall cooperate with any investigation by OFAC or BIS and provide the information those authorities request.",
    // T09
    "The {B} shall screen the {A} and its customers against the Specially Designated Nationals List and shall refuse to deal with any match.",
    // T10
    "The {A} shall indemnify the {B} against all losses arising from any breach of U.S. sanctions or from the {A} being designated a {T}.",
    // T11
    "\"Sanctions\" means the economic sanctions laws of the United States, and where laws conflict the most restrictive shall apply.",
    // T12
    "The {B} will apply its group trade compliance policy, which follows United States export control law, to all transactions under this Agreement.",
    // T13
    "The {B} shall not supply any component manufactured by Huawei, Hikvision or Dahua or any item covered by Section 889 of the NDAA.",
    "The {B} shall ensure that no goods contain materials originating in the Xinjiang Uyghur Autonomous Region.",
    // T14
    "The {A} shall not resell the goods to any person in Iran, Russia or Cuba in breach of U.S. secondary sanctions.",
    // T15
    "The imposition of U.S. sanctions or export controls affecting a Party constitutes a Force Majeure Event, and the affected Party's obligations are suspended.",
];
const EN_DEFS: &[&str] = &[
    "\"**Affiliate**\" means any entity that controls, is controlled by or is under common control with a Party;",
    "\"**Business Day**\" means a day other than a Saturday, Sunday or public holiday in {city};",
    "\"**Confidential Information**\" means all information disclosed by one Party to the other, whether before or after the date of this Agreement, that is marked or should reasonably be understood to be confidential;",
    "\"**Deliverables**\" means the documents, products and materials developed by the {B} under this Agreement;",
    "\"**Force Majeure Event**\" has the meaning given in Clause {ref};",
    "\"**Goods**\" means the products described in Schedule {s};",
    "\"**Intellectual Property Rights**\" means patents, copyright, trade marks, designs, database rights and know-how;",
    "\"**Software**\" means the object code version of the programs listed in Schedule {s};",
    "\"**Specification**\" means the technical specification of the Goods agreed by the Parties;",
    "\"**Term**\" means the period set out in Clause {ref};",
];
/// Definitions that name a US list: uses of these terms are tainted.
const EN_TAINTED: &[(&str, &str)] = &[
    (
        "Sanctioned Person",
        "\"**Sanctioned Person**\" means any person listed on the Specially Designated Nationals and Blocked Persons List maintained by OFAC, or owned 50 per cent or more by such a person;",
    ),
    (
        "Restricted Party",
        "\"**Restricted Party**\" means a person named on the Entity List or the Denied Persons List maintained by the U.S. Bureau of Industry and Security;",
    ),
    (
        "Designated Entity",
        "\"**Designated Entity**\" means any entity designated by the U.S. Department of the Treasury or included in the Entity List;",
    ),
];

// ---------------------------------------------------------------- Chinese

const ZH_TITLES: &[&str] = &[
    "采购合同",
    "设备买卖合同",
    "技术服务合同",
    "软件许可协议",
    "委托加工合同",
    "经销协议",
    "技术开发合同",
    "仓储物流服务合同",
];
const ZH_COMPANIES: &[&str] = &[
    "杭州云帆智能科技有限公司",
    "上海浦江精密仪器有限公司",
    "深圳市南山微电子有限公司",
    "北京中关村数据服务有限公司",
    "苏州工业园区新材料有限公司",
    "武汉光谷光电科技有限公司",
    "成都天府航空设备有限公司",
    "青岛海湾物流有限公司",
];
const ZH_HEADINGS: &[&str] = &[
    "合同标的",
    "价格与支付",
    "交付与验收",
    "质量保证",
    "知识产权",
    "保密",
    "违约责任",
    "不可抗力",
    "合同的变更与解除",
    "争议解决",
    "通知与送达",
    "合规",
    "其他",
];
const ZH_NEUTRAL: &[&str] = &[
    "乙方应当按照本合同附件{s}约定的规格、数量和期限向甲方交付货物。",
    "甲方应当在收到乙方开具的合法有效发票后{d}日内支付相应货款。",
    "合同总价款为人民币{n}万元（含税），除本合同另有约定外不作调整。",
    "甲方应当在货物到达后{n}个工作日内组织验收，验收不合格的，乙方应当负责更换或者修理。",
    "货物的所有权自甲方付清全部价款之日起转移至甲方，毁损、灭失的风险自交付时转移。",
    "乙方保证所交付的货物自验收合格之日起{m}个月内不存在设计、材料或者工艺上的缺陷。",
    "任何一方对在履行本合同过程中知悉的对方商业秘密负有保密义务，保密期限为合同终止后{y}年。",
    "一方违反本合同约定的，应当向对方支付合同总价款百分之{p}的违约金，违约金不足以弥补损失的，还应当赔偿损失。",
    "因不可抗力不能履行合同的，根据不可抗力的影响，部分或者全部免除责任，但应当及时通知对方。",
    "未经对方书面同意，任何一方不得将本合同项下的权利义务转让给第三方。",
    "本合同的订立、效力、解释、履行和争议解决均适用中华人民共和国法律。",
    "因本合同引起的或者与本合同有关的争议，双方应当友好协商解决；协商不成的，提交{zhforum}按照其仲裁规则进行仲裁。",
    "本合同一式{n}份，双方各执{n}份，具有同等法律效力。",
    "本合同未尽事宜，双方可以另行签订补充协议，补充协议与本合同具有同等法律效力。",
    "乙方应当按照本合同第{zart}条的约定提供技术培训和售后服务。",
    "双方应当遵守中华人民共和国出口管制法及其他适用于其自身的法律法规。",
    "乙方应当向甲方提供货物出口报关所需的商业发票、装箱单和原产地证明。",
    "甲方有权在合理通知后查阅与本合同履行有关的账簿和记录。",
    "一方变更通知地址的，应当在变更后{n}日内书面通知对方，否则按原地址送达视为有效送达。",
    "各方应当遵守适用的反商业贿赂法律，不得向对方工作人员提供任何不正当利益。",
];
const ZH_ITEMS: &[&str] = &[
    "货物已按约定完成交付",
    "甲方已支付本合同第{zart}条约定的预付款",
    "双方已就技术规格书达成书面一致",
    "乙方已提交有效的履约保函",
    "验收测试已全部通过",
];
const ZH_RISKY: &[&str] = &[
    // T01
    "乙方应当遵守美国出口管制法律法规，包括《出口管理条例》（EAR）的规定。",
    // T02
    "甲方应当要求其下游客户和最终用户遵守美国出口管制规定，并在转售合同中作出同等约定。",
    // T03
    "甲方声明并保证，其及其关联方均未被列入美国商务部实体清单或者特别指定国民清单。",
    "甲方声明其不属于{T}。",
    // T04
    "如甲方被列入实体清单，乙方有权立即解除本合同且不承担任何责任。",
    "甲方成为{T}的，乙方有权暂停履行本合同。",
    // T05
    "如付款可能违反美国海外资产控制办公室（OFAC）的制裁规定，乙方有权拒绝或者暂停付款。",
    // T07
    "甲方应当出具最终用户证明，并承诺未经美国商务部工业与安全局许可不得再出口本合同项下的货物。",
    // T08
    "甲方应当配合美国政府主管部门的调查并提供其要求的信息。",
    // T09
    "乙方应当依据美国特别指定国民清单对甲方及其客户进行筛查。",
    // T10
    "因甲方违反美国制裁规定给乙方造成的任何损失，由甲方全额赔偿。",
    // T13
    "乙方不得使用华为、海康威视生产的任何零部件。",
    // T14
    "甲方不得将货物转售至伊朗、俄罗斯等受美国次级制裁的国家或者地区。",
    // T15
    "美国实施的制裁或者出口管制措施构成本合同项下的不可抗力事件。",
];
const ZH_DEFS: &[&str] = &[
    "“**关联方**”是指直接或者间接控制一方、受一方控制或者与一方受同一主体控制的任何实体；",
    "“**工作日**”是指中华人民共和国法定节假日以外的任何一日；",
    "“**保密信息**”是指一方向另一方披露的、标明为保密或者按其性质应当保密的任何信息；",
    "“**货物**”是指本合同附件{s}所列的产品；",
    "“**知识产权**”是指专利权、著作权、商标权、商业秘密及其他知识产权；",
];
const ZH_TAINTED: &[(&str, &str)] = &[
    (
        "受限制方",
        "“**受限制方**”是指被列入美国商务部实体清单或者美国财政部海外资产控制办公室特别指定国民清单的任何人；",
    ),
    (
        "被制裁人",
        "“**被制裁人**”是指被美国政府制裁或者被列入OFAC制裁名单的任何个人或者实体；",
    ),
];
const ZH_DIGITS: &[&str] = &["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// 1 → 一, 12 → 十二, 25 → 二十五 (enough for article numbers below 100).
pub fn zh_number(n: usize) -> String {
    match n {
        0..=9 => ZH_DIGITS[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", ZH_DIGITS[n - 10]),
        _ if n.is_multiple_of(10) => format!("{}十", ZH_DIGITS[n / 10 % 10]),
        _ => format!("{}十{}", ZH_DIGITS[n / 10 % 10], ZH_DIGITS[n % 10]),
    }
}

impl Gen<'_> {
    fn fill(&mut self, t: &str, a: &str, b: &str) -> String {
        let mut s = String::with_capacity(t.len() + 32);
        let mut rest = t;
        while let Some(i) = rest.find('{') {
            s.push_str(&rest[..i]);
            let j = i + rest[i..].find('}').expect("closed slot");
            let slot = &rest[i + 1..j];
            let r = &mut *self.rng;
            match slot {
                "A" => s.push_str(a),
                "B" => s.push_str(b),
                "T" => s.push_str(self.tainted.unwrap_or("Sanctioned Person")),
                "n" => s.push_str(&r.range(2, 30).to_string()),
                "d" => s.push_str(&[10, 14, 15, 30, 45, 60, 90][r.below(7)].to_string()),
                "m" => s.push_str(&[6, 12, 18, 24, 36][r.below(5)].to_string()),
                "y" => s.push_str(&r.range(2, 7).to_string()),
                "p" => s.push_str(&r.range(1, 9).to_string()),
                "s" => s.push_str(&r.range(1, 6).to_string()),
                "art" => s.push_str(&self.article.max(1).to_string()),
                "zart" => s.push_str(&zh_number(r.range(1, self.article.max(2)))),
                "ref" => {
                    let art = r.range(1, self.article.max(2) + 3);
                    s.push_str(&format!("{}.{}", art, r.range(1, 6)));
                }
                "inco" => s.push_str(r.pick(&["FCA", "DAP", "CIF", "FOB", "DDP"])),
                "forum" => s.push_str(r.pick(&[
                    "Singapore International Arbitration Centre",
                    "Hong Kong International Arbitration Centre",
                    "London Court of International Arbitration",
                    "China International Economic and Trade Arbitration Commission",
                ])),
                "zhforum" => s.push_str(r.pick(&[
                    "中国国际经济贸易仲裁委员会",
                    "上海国际仲裁中心",
                    "深圳国际仲裁院",
                    "北京仲裁委员会",
                ])),
                "gov" => s.push_str(r.pick(&[
                    "England and Wales",
                    "Singapore",
                    "the People's Republic of China",
                    "Hong Kong",
                    "Switzerland",
                ])),
                "city" => s.push_str(r.pick(&["London", "Shanghai", "Singapore", "Hong Kong"])),
                other => s.push_str(other),
            }
            rest = &rest[j + 1..];
        }
        s.push_str(rest);
        s
    }

    fn heading(&mut self, h: &str) {
        if self.markdown {
            self.out.push_str("## ");
        }
        self.out.push_str(h);
        self.out.push_str("\n\n");
    }

    /// A clause body: risky with probability [`RISKY_RATE`], else neutral.
    fn sentence(&mut self, zh: bool, a: &str, b: &str) -> String {
        let risky = self.rng.chance(RISKY_RATE);
        if risky {
            self.risky += 1;
        }
        let t = match (zh, risky) {
            (false, false) => self.rng.pick(EN_NEUTRAL),
            (false, true) => self.rng.pick(EN_RISKY),
            (true, false) => self.rng.pick(ZH_NEUTRAL),
            (true, true) => self.rng.pick(ZH_RISKY),
        };
        self.fill(t, a, b)
    }

    fn en(&mut self, index: usize, target: usize) {
        let title = self.rng.pick(EN_TITLES);
        let (ra, rb) = EN_ROLES[self.rng.below(EN_ROLES.len())];
        let ca = self.rng.pick(EN_COMPANIES);
        let mut cb = self.rng.pick(EN_COMPANIES);
        if cb == ca {
            cb = EN_COMPANIES[(self.rng.below(EN_COMPANIES.len() - 1) + 1) % EN_COMPANIES.len()];
        }
        let (ja, jb) = (self.rng.pick(EN_JURIS), self.rng.pick(EN_JURIS));
        if self.markdown {
            self.out.push_str("# ");
        }
        self.out.push_str(&format!("{title}\n\n"));
        self.out.push_str(&format!(
            "Agreement No. CX-{index:05}-{}\n\nThis Agreement is dated {} {} 2026 and is made between:\n\n",
            self.rng.range(100, 999),
            self.rng.range(1, 28),
            self.rng.pick(&["January", "March", "May", "July", "September", "November"]),
        ));
        self.out.push_str(&format!(
            "(1) **{ca}**, a company incorporated in {ja} (the \"**{ra}**\"); and\n\n(2) **{cb}**, a company incorporated in {jb} (the \"**{rb}**\").\n\n"
        ));
        self.heading("Background");
        self.out.push_str(&format!(
            "(A) The {rb} carries on the business of supplying the goods and services described in this Agreement.\n\n(B) The {ra} wishes to obtain them from the {rb} on the terms of this Agreement.\n\n"
        ));
        // Definitions.
        self.article = 1;
        self.heading("1. Definitions and Interpretation");
        self.out.push_str("1.1 In this Agreement:\n\n");
        let ndefs = (target / 2_500).clamp(2, EN_DEFS.len());
        let start = self.rng.below(EN_DEFS.len());
        let taint_at = if self.rng.chance(0.5) {
            Some(self.rng.below(ndefs))
        } else {
            None
        };
        for k in 0..ndefs {
            if Some(k) == taint_at {
                let (term, def) = EN_TAINTED[self.rng.below(EN_TAINTED.len())];
                self.tainted = Some(term);
                self.out.push_str(def);
                self.out.push_str("\n\n");
            }
            let d = self.fill(EN_DEFS[(start + k) % EN_DEFS.len()], ra, rb);
            self.out.push_str(&d);
            self.out.push_str("\n\n");
        }
        self.out.push_str("1.2 References to Clauses and Schedules are to the clauses of and schedules to this Agreement.\n\n");
        self.clauses += 2;
        let sig = 400;
        while self.out.len() + sig < target {
            self.article += 1;
            let h = self.rng.pick(EN_HEADINGS);
            self.heading(&format!("{}. {h}", self.article));
            for c in 1..=self.rng.range(2, 6) {
                self.clauses += 1;
                let body = self.sentence(false, ra, rb);
                self.out.push_str(&format!("{}.{c} {body}", self.article));
                if self.rng.chance(0.15) {
                    self.out.push_str(&format!(
                        " The {ra} may not rely on this Clause {}.{c} where:\n\n",
                        self.article
                    ));
                    let n = self.rng.range(2, 4);
                    for i in 0..n {
                        let item = self.rng.pick(EN_ITEMS);
                        let item = self.fill(item, ra, rb);
                        let sep = if i + 1 == n {
                            "."
                        } else if i + 2 == n {
                            "; and"
                        } else {
                            ";"
                        };
                        self.out
                            .push_str(&format!("({}) {item}{sep}\n", (b'a' + i as u8) as char));
                    }
                    self.out.push('\n');
                } else {
                    self.out.push_str("\n\n");
                }
                if self.out.len() + sig >= target {
                    break;
                }
            }
        }
        self.out.push_str(&format!(
            "IN WITNESS WHEREOF the Parties have executed this Agreement on the date first written above.\n\n| For the {ra} | For the {rb} |\n|---|---|\n| Name: | Name: |\n| Title: Authorised Signatory | Title: Authorised Signatory |\n\n"
        ));
    }

    fn zh(&mut self, index: usize, target: usize) {
        let title = self.rng.pick(ZH_TITLES);
        let ca = self.rng.pick(ZH_COMPANIES);
        let mut cb = self.rng.pick(ZH_COMPANIES);
        if cb == ca {
            cb = ZH_COMPANIES[(self.rng.below(ZH_COMPANIES.len() - 1) + 1) % ZH_COMPANIES.len()];
        }
        if self.markdown {
            self.out.push_str("# ");
        }
        self.out
            .push_str(&format!("{title}\n\n合同编号：ZC-{index:05}\n\n"));
        self.out.push_str(&format!(
            "甲方：{ca}（以下简称“甲方”）\n\n乙方：{cb}（以下简称“乙方”）\n\n甲乙双方根据《中华人民共和国民法典》及相关法律法规，经平等协商，就下列事项达成一致，签订本合同。\n\n"
        ));
        self.article = 1;
        self.heading("第一条 定义");
        self.out
            .push_str("1.1 除非本合同另有约定，下列词语具有如下含义：\n\n");
        let ndefs = (target / 3_000).clamp(2, ZH_DEFS.len());
        let start = self.rng.below(ZH_DEFS.len());
        let taint_at = if self.rng.chance(0.5) {
            Some(self.rng.below(ndefs))
        } else {
            None
        };
        for k in 0..ndefs {
            if Some(k) == taint_at {
                let (term, def) = ZH_TAINTED[self.rng.below(ZH_TAINTED.len())];
                self.tainted = Some(term);
                self.out.push_str(def);
                self.out.push_str("\n\n");
            }
            let d = self.fill(ZH_DEFS[(start + k) % ZH_DEFS.len()], "甲方", "乙方");
            self.out.push_str(&d);
            self.out.push_str("\n\n");
        }
        self.clauses += 1;
        let sig = 300;
        while self.out.len() + sig < target {
            self.article += 1;
            let h = self.rng.pick(ZH_HEADINGS);
            self.heading(&format!("第{}条 {h}", zh_number(self.article)));
            for c in 1..=self.rng.range(2, 5) {
                self.clauses += 1;
                let body = self.sentence(true, "甲方", "乙方");
                self.out.push_str(&format!("{}.{c} {body}", self.article));
                if self.rng.chance(0.15) {
                    self.out
                        .push_str(&format!("有下列情形之一的，适用本条第{c}款：\n\n"));
                    let n = self.rng.range(2, 4);
                    for i in 0..n {
                        let item = self.rng.pick(ZH_ITEMS);
                        let item = self.fill(item, "甲方", "乙方");
                        let sep = if i + 1 == n { "。" } else { "；" };
                        self.out
                            .push_str(&format!("（{}）{item}{sep}\n", ZH_DIGITS[i + 1]));
                    }
                    self.out.push('\n');
                } else {
                    self.out.push_str("\n\n");
                }
                if self.out.len() + sig >= target {
                    break;
                }
            }
        }
        self.out.push_str("（以下无正文）\n\n| 甲方（盖章） | 乙方（盖章） |\n|---|---|\n| 法定代表人或授权代表： | 法定代表人或授权代表： |\n| 日期： | 日期： |\n\n");
    }
}
