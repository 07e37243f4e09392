/**
 * The patrol part of `npm run demo` (contract sections 7 and 8): the 梅李镇 bureau records a patrol
 * that ended half an hour ago with one finding, which becomes a case with a running 制止 deadline;
 * then the demo prints the bureau's monthly report for the current month as the API computes it.
 */
import { randomUUID } from 'node:crypto';
import { formatShanghai } from '../../shared/domain/calendar.js';
import { bureauName, REPORT_STATUS_LABELS, SOURCE_LABELS } from '../../shared/domain/labels.js';
import { periodContaining } from '../../shared/domain/periods.js';

type Request = (path: string, init?: RequestInit) => Promise<Response>;

const AREA = 'meili';
const BUREAU_TOKEN = process.env.DEMO_BUREAU_TOKEN ?? `dev-bureau-${AREA}`;

interface PatrolAnswer {
  patrolNo?: string;
  findings?: Array<{ caseId: string; caseNo?: string }>;
  error?: { code?: string; message?: string };
}

interface ReportAnswer {
  month: string;
  status: keyof typeof REPORT_STATUS_LABELS;
  dueAt: string;
  zeroReport: boolean;
  figures: {
    patrols: { total: number; weeksMet: number; weeks: number; withFindings: number };
    cases: {
      new: number;
      bySource: Record<string, number>;
      violationsConfirmed: number;
      stopped: number;
      closed: number;
      areaMu: number;
    };
    deadlines: { met: number; breached: number };
    patrolDiscoveryRate: number | null;
  };
}

const auth = { authorization: `Bearer ${BUREAU_TOKEN}`, 'content-type': 'application/json' };

/** Records the patrol and prints what it became; returns the finding's case id. */
export async function demoPatrol(request: Request): Promise<void> {
  const endedAt = Date.now() - 30 * 60_000;
  const body = {
    clientId: `demo-${randomUUID()}`,
    kind: 'bureau',
    area: AREA,
    startedAt: formatShanghai(endedAt - 150 * 60_000),
    endedAt: formatShanghai(endedAt),
    officers: ['王五', '赵六'],
    route: '珍门社区—珍北村—沈市村',
    places: ['珍北村', '沈市村'],
    focus: ['basic_farmland', 'urban_rural_fringe'],
    track: {
      type: 'LineString',
      coordinates: [
        [120.93, 31.68],
        [120.95, 31.69],
      ],
      crs: 'gcj02',
    },
    findings: [
      {
        description: '基本农田上新建彩钢棚约200平方米，正在浇筑地基',
        address: '梅李镇珍北村五组',
        violationType: 'illegal_occupation',
        party: '某物流公司',
        measures: '现场责令停工',
        stopped: false,
      },
    ],
  };
  const response = await request('/v1/patrols', {
    method: 'POST',
    headers: auth,
    body: JSON.stringify(body),
  });
  const patrol = (await response.json().catch(() => ({}))) as PatrolAnswer;
  if (!response.ok) {
    console.log(
      `巡查记录失败：${response.status} ${patrol.error?.code ?? ''} ${patrol.error?.message ?? ''}`,
    );
    return;
  }
  const finding = patrol.findings?.[0];
  console.log(`\n${bureauName(AREA)}巡查 ${patrol.patrolNo} 已记录（${body.route}）。`);
  if (finding) {
    const caseResponse = await request(`/v1/cases/${encodeURIComponent(finding.caseId)}?reporter=omit`, {
      headers: auth,
    });
    const found = caseResponse.ok
      ? ((await caseResponse.json()) as { caseNo: string; deadlines: Array<{ kind: string; dueAt: string }> })
      : undefined;
    const stop = found?.deadlines.find((deadline) => deadline.kind === 'stop');
    console.log(
      `  发现问题 → 案件 ${found?.caseNo ?? finding.caseId}（${SOURCE_LABELS.patrol}）${stop ? `，制止时限 ${stop.dueAt.slice(0, 16).replace('T', ' ')}` : ''}`,
    );
  }
  await printMonthlyReport(request);
}

async function printMonthlyReport(request: Request): Promise<void> {
  const month = periodContaining('month', new Date()).id;
  const response = await request(`/v1/reports/monthly?area=${AREA}&month=${month}`, { headers: auth });
  if (!response.ok) {
    console.log(`月报读取失败：${response.status}`);
    return;
  }
  const report = (await response.json()) as ReportAnswer;
  const { patrols, cases, deadlines, patrolDiscoveryRate } = report.figures;
  const bySource = Object.entries(cases.bySource)
    .filter(([, count]) => count > 0)
    .map(([source, count]) => `${SOURCE_LABELS[source as keyof typeof SOURCE_LABELS] ?? source}${count}件`)
    .join('、');
  console.log(
    [
      `\n${bureauName(AREA)} ${month.slice(0, 4)}年${Number(month.slice(5))}月 月报（${REPORT_STATUS_LABELS[report.status]}，报送期限 ${report.dueAt.slice(0, 10)}）`,
      `  巡查 ${patrols.total} 次，达标周 ${patrols.weeksMet}/${patrols.weeks}，有发现 ${patrols.withFindings} 次`,
      `  新立案件 ${cases.new} 件${bySource ? `（${bySource}）` : ''}，确认违法 ${cases.violationsConfirmed} 件，制止 ${cases.stopped} 件，办结 ${cases.closed} 件，涉及面积 ${cases.areaMu} 亩`,
      `  时限：按时 ${deadlines.met} 个，超时 ${deadlines.breached} 个；巡查发现率 ${patrolDiscoveryRate === null ? '—' : `${Math.round(patrolDiscoveryRate * 100)}%`}${report.zeroReport ? '；本月为零报告' : ''}`,
      `  表格下载：${'/v1/reports/monthly'}?area=${AREA}&month=${month}&format=xlsx`,
    ].join('\n'),
  );
}
