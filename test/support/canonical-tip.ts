/** CanonicalTip builders for tests that start after intake. */
import { contentHash, deriveTipId } from '../../shared/domain/ids.js';
import type { CanonicalTip, Source } from '../../shared/domain/model.js';

export function canonicalTip(
  overrides: Partial<CanonicalTip> & { source?: Source; externalId?: string } = {},
): CanonicalTip {
  const source = overrides.source ?? '12336';
  const externalId = overrides.externalId ?? '12336-320581-20261128-0042';
  const base: CanonicalTip = {
    tipId: deriveTipId(source, externalId),
    source,
    externalId,
    receivedAt: '2026-11-27T09:15:00+08:00',
    acceptedAt: '2026-11-27T01:15:05.000Z',
    description: '有人在基本农田上建厂房，已经开始打地基',
    urgency: 'normal',
    location: { address: '常熟市沙家浜镇唐市社区北侧', town: '沙家浜镇' },
    details: { channel: 'phone' },
    attachments: [],
    reporter: { anonymous: false, confidential: false, sealed: 'sealed-identity' },
    contentHash: '',
  };
  const tip = { ...base, ...overrides };
  const { contentHash: _ignored, acceptedAt: _acceptedAt, ...content } = tip;
  return { ...tip, contentHash: overrides.contentHash ?? contentHash(content) };
}
