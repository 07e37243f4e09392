/** A stored case for tests of the notifier and the API. */
import type { CaseRecord } from '../../shared/domain/model.js';

export function caseRecord(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseId: 'case_aaaaaaaaaaaaaaaaaaaaaaaaaa',
    caseNo: '2026-000042',
    status: 'assigned',
    area: 'shajiabang',
    areaName: '沙家浜镇',
    district: 'district-1',
    bureau: 'bureau:shajiabang',
    routing: {
      area: 'shajiabang',
      district: 'district-1',
      method: 'town_field',
      matched: '沙家浜镇',
      confidence: 1,
      explanation: '依据所属镇字段中的"沙家浜镇"分派至沙家浜镇国土分局（第一片区）。',
    },
    description: '有人在基本农田上建厂房',
    location: { address: '常熟市沙家浜镇唐市社区北侧', town: '沙家浜镇' },
    violationType: 'farmland_destruction',
    severity: 'normal',
    severityReasons: [],
    partners: ['planning', 'urban_management'],
    partnerReasons: { planning: '涉及在土地上建设（厂房）', urban_management: '涉及在土地上建设（厂房）' },
    deadlines: [
      { kind: 'acknowledge', dueAt: '2026-11-30T23:59:59+08:00', metAt: null, breachedAt: null },
      { kind: 'inspect', dueAt: '2026-12-01T23:59:59+08:00', metAt: null, breachedAt: null },
      { kind: 'close', dueAt: '2026-12-18T23:59:59+08:00', metAt: null, breachedAt: null },
    ],
    tips: [
      {
        tipId: 'tip_aaaaaaaaaaaaaaaaaaaaaaaaaa',
        source: '12336',
        externalId: '12336-1',
        receivedAt: '2026-11-28T09:15:00+08:00',
      },
    ],
    reporter: { anonymous: false, confidential: false, sealed: 'sealed' },
    reporterTipId: 'tip_aaaaaaaaaaaaaaaaaaaaaaaaaa',
    events: [{ type: 'created', at: '2026-11-28T01:15:10.000Z', by: 'system' }],
    createdAt: '2026-11-28T01:15:10.000Z',
    updatedAt: '2026-11-28T01:15:10.000Z',
    version: 1,
    ...overrides,
  };
}
