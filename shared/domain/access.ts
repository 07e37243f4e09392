/**
 * Who may see and do what (contract section 1), as pure decisions over a principal and a case.
 */
import {
  AREA_DISTRICT,
  type AreaId,
  areasOfDistrict,
  type CaseRecord,
  isAreaId,
  isDistrictId,
  isSource,
  PARTNER_DEPARTMENTS,
  type PartnerDepartment,
  type Principal,
  type TipRecord,
} from './model.js';

/**
 * Parses `brigade`, `bureau:<area>`, `partner:<dept>`, `leader:<district>`, `source:<source>`;
 * undefined when malformed.
 */
export function parsePrincipal(text: string): Principal | undefined {
  if (text === 'brigade') return { kind: 'brigade' };
  const [kind, value, ...rest] = text.split(':');
  if (rest.length > 0 || value === undefined) return undefined;
  if (kind === 'bureau' && isAreaId(value)) return { kind: 'bureau', area: value };
  if (kind === 'partner' && (PARTNER_DEPARTMENTS as readonly string[]).includes(value)) {
    return { kind: 'partner', department: value as PartnerDepartment };
  }
  if (kind === 'leader' && isDistrictId(value)) return { kind: 'leader', district: value };
  if (kind === 'source' && isSource(value)) return { kind: 'source', source: value };
  return undefined;
}

/**
 * A console user's Cognito group as the principal it stands for: `brigade`, `bureau-<area>`,
 * `partner-<dept>`, `leader-<district>` (the principal's own id with a dash); undefined for any
 * other group, sources included.
 */
export function principalOfGroup(group: string): Principal | undefined {
  if (group === 'brigade') return { kind: 'brigade' };
  const match = /^(bureau|partner|leader)-(.+)$/.exec(group);
  return match ? parsePrincipal(`${match[1]}:${match[2]}`) : undefined;
}

export function canReadCase(principal: Principal, record: CaseRecord): boolean {
  switch (principal.kind) {
    case 'brigade':
      return true;
    case 'bureau':
      return record.area === principal.area;
    case 'partner':
      return record.partners.includes(principal.department);
    case 'leader':
      return record.district === principal.district;
    case 'source':
      return false;
  }
}

/** Whether the principal may read an area's patrols, compliance, reports and assessment. */
export function canReadArea(principal: Principal, area: AreaId): boolean {
  switch (principal.kind) {
    case 'brigade':
      return true;
    case 'bureau':
      return principal.area === area;
    case 'leader':
      return AREA_DISTRICT[area] === principal.district;
    default:
      return false;
  }
}

/** A source reads the status of its own tips; others read a tip when they may read its case. */
export function canReadTip(principal: Principal, tip: TipRecord, record: CaseRecord | undefined): boolean {
  if (principal.kind === 'source') return tip.source === principal.source;
  return record !== undefined && canReadCase(principal, record);
}

/**
 * Reporter contact data: the brigade always; the case's own bureau unless the caller asked for
 * confidentiality; partners and sources never.
 */
export function canSeeReporter(principal: Principal, record: CaseRecord): boolean {
  if (record.reporter.anonymous) return false;
  if (principal.kind === 'brigade') return true;
  if (principal.kind === 'bureau') return record.area === principal.area && !record.reporter.confidential;
  return false;
}

/** The area a list request is confined to, or 'forbidden' when the principal may not list at all. */
export function listScope(
  principal: Principal,
  requestedArea: AreaId | 'triage' | undefined,
): { area?: AreaId | 'triage'; areas?: AreaId[]; partner?: PartnerDepartment } | 'forbidden' {
  switch (principal.kind) {
    case 'brigade':
      return requestedArea ? { area: requestedArea } : {};
    case 'bureau':
      if (requestedArea && requestedArea !== principal.area) return 'forbidden';
      return { area: principal.area };
    case 'partner':
      return { ...(requestedArea ? { area: requestedArea } : {}), partner: principal.department };
    case 'leader':
      // A leader reads the district's cases: one area asked for, or all of the district's areas.
      if (requestedArea === undefined) return { areas: areasOfDistrict(principal.district) };
      if (requestedArea === 'triage' || AREA_DISTRICT[requestedArea] !== principal.district)
        return 'forbidden';
      return { area: requestedArea };
    case 'source':
      return 'forbidden';
  }
}

/** The reporter-access audit trail is the brigade's to read: it names who looked at whom. */
export function canReadAudit(principal: Principal): boolean {
  return principal.kind === 'brigade';
}
