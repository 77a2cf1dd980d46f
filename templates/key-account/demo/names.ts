/**
 * Word pools the demo builds customer names, contacts and texts from. Names are unique per
 * plan (names.ts draws again on a clash): records name their customer by `name` (x-lookup).
 */
import type { CustomerProfile } from '../types.generated.ts';
import type { Random } from './random.ts';

export type Industry = NonNullable<CustomerProfile['industry']>;

const REGIONS = ['华东', '华北', '华南', '西南', '东海', '北辰', '南岭', '中原', '江淮', '湘江', '闽江', '渤海', '长城', '天山', '珠江', '松江'];
const BRANDS = ['恒信', '瑞丰', '天成', '宏达', '博远', '启明', '鼎盛', '嘉禾', '华泰', '立信', '远航', '金桥', '新锐', '卓越', '同创', '汇通', '晨光', '永安', '正源', '海纳'];
const SUFFIXES: Record<Industry, readonly string[]> = {
  manufacturing: ['精密制造有限公司', '机械股份有限公司', '装备制造集团'],
  retail: ['零售连锁', '商贸有限公司', '百货集团'],
  finance: ['金融服务有限公司', '投资管理公司'],
  it: ['信息科技有限公司', '软件股份有限公司', '数据服务公司'],
  healthcare: ['医疗器械有限公司', '医药集团'],
  logistics: ['物流集团', '供应链管理有限公司'],
  energy: ['能源股份有限公司', '电力设备有限公司'],
  other: ['实业有限公司', '控股集团'],
};
export const INDUSTRIES = Object.keys(SUFFIXES) as Industry[];

const SURNAMES = ['陈', '王', '李', '赵', '刘', '杨', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '林'];
const GIVEN = ['伟', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '建华', '晓燕', '志强', '海燕', '立新'];
const CITIES: readonly (readonly [string, string])[] = [
  ['上海市浦东新区', '021'], ['北京市朝阳区', '010'], ['广州市天河区', '020'], ['深圳市南山区', '0755'],
  ['杭州市西湖区', '0571'], ['南京市鼓楼区', '025'], ['成都市高新区', '028'], ['武汉市洪山区', '027'],
];
const STREETS = ['人民路', '建设路', '中山路', '解放路', '科技园路', '滨江大道', '创业路', '长江路'];

/** A customer name not in `taken` (which it joins). */
export function companyName(random: Random, industry: Industry, taken: Set<string>): string {
  for (;;) {
    const name = random.pick(REGIONS) + random.pick(BRANDS) + random.pick(SUFFIXES[industry]);
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

export function personName(random: Random): string {
  return random.pick(SURNAMES) + random.pick(GIVEN);
}

export function address(random: Random): { address: string; areaCode: string } {
  const [district, areaCode] = random.pick(CITIES);
  return { address: `${district}${random.pick(STREETS)} ${random.int(1, 999)} 号`, areaCode };
}

export const CONTRACT_TITLES = ['年度设备维保服务合同', '软件许可与实施合同', '产品采购框架协议', '技术咨询服务合同', '备件供应合同', '系统升级项目合同'];
export const VISIT_PURPOSES = ['季度业务回顾', '新产品介绍', '合同续签沟通', '投诉回访', '年度规划交流', '技术支持上门'];
export const VISIT_SUMMARIES = ['客户对服务整体满意，关注交付周期。', '客户计划扩大采购规模，需报价。', '客户反馈价格偏高，建议提供方案对比。', '已解决上次遗留问题，客户认可。', '客户新任采购负责人，需建立联系。'];
export const COMPLAINT_TEXTS: Record<'billing' | 'quality' | 'delivery' | 'service' | 'other', readonly string[]> = {
  billing: ['发票抬头有误，需要重开。', '对账单金额与合同不符。', '重复扣款，要求退还。'],
  quality: ['一批产品外观划伤，要求更换。', '设备运行噪音偏大，怀疑装配问题。', '到货零件尺寸超差。'],
  delivery: ['货物延迟送达，影响生产安排。', '物流破损，部分包装受潮。', '送货地址错误，延误两天。'],
  service: ['客服电话长时间无人接听。', '工程师上门迟到且未提前通知。', '售后响应慢，问题拖了一周。'],
  other: ['希望增加电子版操作手册。', '对合同条款的解释有疑问。'],
};
export const SURVEY_COMMENTS = ['服务及时，沟通顺畅。', '产品质量稳定。', '交付偶有延迟，希望改进。', '价格有优势。', '希望响应更快一些。'];
export const PRODUCTS = ['数控加工中心维保', '工业软件许可', '备品备件包', '自动化产线改造', '技术咨询服务', '设备远程监测服务'];
