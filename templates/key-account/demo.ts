/**
 * Demo records installed with the key-account app on first start. Typed with the generated
 * record types, so `tsc` catches demo data that drifted from a schema.
 *
 * These few hand-written records come with the forms (templates/loader.ts), also when the
 * generated demo is off (LIUZHUAN_DEMO_CUSTOMERS=0, as in tests, which rely on exactly them).
 * The generated demo (demo/, npm run demo) adds its customers, history and live instances
 * beside them and never draws their names.
 */
import type { Complaint, Contract, CustomerProfile } from './types.generated.ts';

export const demoCustomers: CustomerProfile[] = [
  {
    name: '华东精密制造有限公司',
    industry: 'manufacturing',
    tier: 'A',
    contact: '陈立',
    phone: '021-5555 0101',
    email: 'chen.li@example.com',
    address: '上海市浦东新区张江路 100 号',
    annual_revenue: 12_800_000,
    owner: 'zhangsan',
    rfm: { recency: 5, frequency: 4, monetary: 5 },
  },
  {
    name: '北辰零售连锁',
    industry: 'retail',
    tier: 'B',
    contact: '王敏',
    phone: '010-5555 0202',
    address: '北京市朝阳区建国路 88 号',
    annual_revenue: 3_600_000,
    owner: 'zhangsan',
    rfm: { recency: 3, frequency: 5, monetary: 3 },
  },
  {
    name: '南海物流集团',
    industry: 'logistics',
    tier: 'A',
    contact: '李强',
    phone: '020-5555 0303',
    annual_revenue: 9_400_000,
    owner: 'lisi',
    rfm: { recency: 4, frequency: 3, monetary: 4 },
  },
  {
    name: '云帆信息科技',
    industry: 'it',
    tier: 'C',
    contact: '赵婷',
    phone: '+86 755 5555 0404',
    email: 'zhao.ting@example.com',
    annual_revenue: 450_000,
    owner: 'lisi',
    rfm: { recency: 2, frequency: 2, monetary: 1 },
  },
  {
    name: '康宁医疗器械',
    industry: 'healthcare',
    tier: 'B',
    contact: '孙悦',
    phone: '0571-5555 0505',
    annual_revenue: 2_100_000,
    owner: 'zhangsan',
    rfm: { recency: 4, frequency: 2, monetary: 3 },
  },
];

export const demoComplaints: Complaint[] = [
  {
    customer: '北辰零售连锁',
    category: 'delivery',
    severity: 'high',
    description: '三月份第二批货物延迟 5 天送达，影响门店促销。',
    received_at: '2025-03-18T09:30:00+08:00',
    first_response_at: '2025-03-18T11:05:00+08:00',
    status: 'in_progress',
    handler: 'lisi',
  },
  {
    customer: '云帆信息科技',
    category: 'billing',
    severity: 'low',
    description: '发票抬头有误，需要重开。',
    received_at: '2025-04-02T14:00:00+08:00',
    status: 'open',
  },
];

export const demoContracts: Contract[] = [
  {
    customer: '华东精密制造有限公司',
    contract_no: 'HT-2025-001',
    title: '年度设备维保服务合同',
    amount: 1_200_000,
    currency: 'CNY',
    signed_on: '2025-01-15',
    end_on: '2025-12-31',
    payments: [
      { due_on: '2025-02-15', amount: 600_000, paid: true },
      { due_on: '2025-08-15', amount: 600_000, paid: false },
    ],
  },
];

/** Form key → demo data rows, in install order. */
export const demoRecords: Record<string, object[]> = {
  customer_profile: demoCustomers,
  complaint: demoComplaints,
  contract: demoContracts,
};
