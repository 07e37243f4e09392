/**
 * The reports and assessments as tables people open in Excel (contract section 8): Chinese headers
 * and labels, one sheet per section, each figure row naming the JSON field it shows (`字段`), and
 * one table per document that is served as CSV. Pure: shared/http/spreadsheet.ts writes these as
 * xlsx (exceljs) or CSV.
 */
import { ASSESSMENT_ITEM_LABELS, ASSESSMENT_ITEMS } from './assessment.js';
import { formatShanghai } from './calendar.js';
import {
  AREA_NAMES,
  BRIGADE_NAME,
  bureauName,
  DISTRICT_NAMES,
  periodLabel,
  principalName,
  REPORT_STATUS_LABELS,
  SOURCE_LABELS,
  VIOLATION_TYPE_LABELS,
} from './labels.js';
import { VIOLATION_TYPES } from './model.js';
import { type MonthlyFigures, REPORT_SOURCES } from './monthly-report.js';
import { PATROL_KIND_LABELS, PATROL_KINDS } from './patrol.js';
import type {
  ConsolidatedReportView,
  MonthlyReportView,
  QuarterAssessmentView,
  YearAssessmentView,
} from './report-view-schema.js';

export type CellValue = string | number | boolean | null;
export type CellFormat = 'text' | 'integer' | 'decimal' | 'percent' | 'score';

export interface SheetColumn {
  key: string;
  header: string;
  /** Excel column width in characters (a Chinese character counts about two). */
  width: number;
  format?: CellFormat;
}

export interface SheetRow {
  cells: Record<string, CellValue>;
  /** Per-cell formats where a column mixes them (a figure sheet's value column). */
  formats?: Record<string, CellFormat>;
}

export interface Sheet {
  name: string;
  columns: SheetColumn[];
  rows: SheetRow[];
}

export interface Workbook {
  /** The file name people see, without extension (Chinese). */
  name: string;
  /** An ASCII file name for clients that cannot read the Chinese one. */
  asciiName: string;
  sheets: Sheet[];
  /** The one table served as `format=csv`. */
  csv: Sheet;
}

const when = (instant: string | null | undefined): string =>
  instant ? formatShanghai(instant).slice(0, 19).replace('T', ' ') : '';
const yesNo = (value: boolean) => (value ? '是' : '否');
const monthName = (month: string) => periodLabel({ kind: 'month', id: month });

/** One figure: what it is called, which JSON field it is, its value and format. */
interface Figure {
  label: string;
  field: string;
  value: CellValue;
  format: CellFormat;
}

const FIGURE_COLUMNS: SheetColumn[] = [
  { key: 'label', header: '指标', width: 30, format: 'text' },
  { key: 'value', header: '数值', width: 14 },
  { key: 'field', header: '字段', width: 40, format: 'text' },
];

const figureSheet = (name: string, figures: readonly Figure[]): Sheet => ({
  name,
  columns: FIGURE_COLUMNS,
  rows: figures.map((figure) => ({
    cells: { label: figure.label, value: figure.value, field: figure.field },
    formats: { value: figure.format },
  })),
});

const int = (label: string, field: string, value: number | undefined): Figure => ({
  label,
  field,
  value: value ?? 0,
  format: 'integer',
});

/** The figures of a month by section: the sheets of a monthly report. */
export function figureSections(figures: MonthlyFigures): Array<{ name: string; figures: Figure[] }> {
  const { patrols, cases, deadlines, hotline } = figures;
  return [
    {
      name: '巡查',
      figures: [
        int('巡查总次数', 'patrols.total', patrols.total),
        ...PATROL_KINDS.map((kind) =>
          int(`其中：${PATROL_KIND_LABELS[kind]}`, `patrols.byKind.${kind}`, patrols.byKind[kind]),
        ),
        int('应考核周数', 'patrols.weeks', patrols.weeks),
        int('巡查达标周数', 'patrols.weeksMet', patrols.weeksMet),
        int('有发现的巡查次数', 'patrols.withFindings', patrols.withFindings),
      ],
    },
    {
      name: '案件',
      figures: [
        int('新发案件（起）', 'cases.new', cases.new),
        ...REPORT_SOURCES.map((source) =>
          int(`来源：${SOURCE_LABELS[source]}`, `cases.bySource.${source}`, cases.bySource[source]),
        ),
        ...VIOLATION_TYPES.map((type) =>
          int(
            `违法类型：${VIOLATION_TYPE_LABELS[type]}`,
            `cases.byViolationType.${type}`,
            cases.byViolationType[type],
          ),
        ),
        int('核查属实的违法行为（起）', 'cases.violationsConfirmed', cases.violationsConfirmed),
        int('其中巡查发现（起）', 'cases.violationsConfirmedByPatrol', cases.violationsConfirmedByPatrol),
        int('制止（起）', 'cases.stopped', cases.stopped),
        int('告知镇政府（起）', 'cases.townNotified', cases.townNotified),
        int('办结（起）', 'cases.closed', cases.closed),
        { label: '涉及面积（亩）', field: 'cases.areaMu', value: cases.areaMu, format: 'decimal' },
      ],
    },
    {
      name: '办理时限',
      figures: [
        int('按时完成的办理时限（个）', 'deadlines.met', deadlines.met),
        int('超时的办理时限（个）', 'deadlines.breached', deadlines.breached),
        {
          label: '巡查发现率',
          field: 'patrolDiscoveryRate',
          value: figures.patrolDiscoveryRate,
          format: 'percent',
        },
      ],
    },
    {
      name: '催办回访',
      figures: [
        int('催办（次）', 'hotline.urges', hotline.urges),
        int('回访（次）', 'hotline.callbacks', hotline.callbacks),
        int('满意', 'hotline.satisfied', hotline.satisfied),
        int('基本满意', 'hotline.basicallySatisfied', hotline.basicallySatisfied),
        int('不满意', 'hotline.dissatisfied', hotline.dissatisfied),
        {
          label: '满意率',
          field: 'hotline.satisfactionRate',
          value: hotline.satisfactionRate,
          format: 'percent',
        },
      ],
    },
  ];
}

const text = (label: string, field: string, value: CellValue): Figure => ({
  label,
  field,
  value,
  format: 'text',
});

function submissionFigures(view: {
  status: keyof typeof REPORT_STATUS_LABELS;
  dueAt: string;
  submittedAt: string | null;
  submittedBy: string | null;
  submittedByName?: string | undefined;
  analysis: string | null;
}): Figure[] {
  return [
    text('状态', 'status', REPORT_STATUS_LABELS[view.status]),
    text('报送时限', 'dueAt', when(view.dueAt)),
    text('报送时间', 'submittedAt', when(view.submittedAt)),
    text('报送单位', 'submittedBy', view.submittedBy ? principalName(view.submittedBy) : ''),
    text('报送人', 'submittedByName', view.submittedByName ?? ''),
    text('情况分析', 'analysis', view.analysis ?? ''),
  ];
}

/** A bureau's monthly report: 概况, then one sheet per section of its figures. */
export function monthlyReportWorkbook(view: MonthlyReportView): Workbook {
  const summary = [
    text('分局', 'area', bureauName(view.area)),
    text('月份', 'month', monthName(view.month)),
    text('零报告', 'zeroReport', yesNo(view.zeroReport)),
    ...submissionFigures(view),
  ];
  const sections = [{ name: '概况', figures: summary }, ...figureSections(view.figures)];
  return {
    name: `${bureauName(view.area)}${monthName(view.month)}巡查月报`,
    asciiName: `monthly-report-${view.area}-${view.month}`,
    sheets: sections.map((section) => figureSheet(section.name, section.figures)),
    csv: {
      name: '月报',
      columns: [{ key: 'section', header: '类别', width: 12, format: 'text' }, ...FIGURE_COLUMNS],
      rows: sections.flatMap((section) =>
        section.figures.map((figure) => ({
          cells: { section: section.name, label: figure.label, value: figure.value, field: figure.field },
          formats: { value: figure.format },
        })),
      ),
    },
  };
}

/** The columns of one bureau row of the consolidated report, each a JSON field of its figures. */
const ROW_FIGURES: ReadonlyArray<{
  key: string;
  header: string;
  pick: (f: MonthlyFigures) => number | null;
  format: CellFormat;
}> = [
  { key: 'patrols.total', header: '巡查次数', pick: (f) => f.patrols.total, format: 'integer' },
  { key: 'patrols.weeksMet', header: '巡查达标周数', pick: (f) => f.patrols.weeksMet, format: 'integer' },
  { key: 'patrols.weeks', header: '应考核周数', pick: (f) => f.patrols.weeks, format: 'integer' },
  {
    key: 'patrols.withFindings',
    header: '有发现的巡查',
    pick: (f) => f.patrols.withFindings,
    format: 'integer',
  },
  { key: 'cases.new', header: '新发案件', pick: (f) => f.cases.new, format: 'integer' },
  ...REPORT_SOURCES.map((source) => ({
    key: `cases.bySource.${source}`,
    header: SOURCE_LABELS[source],
    pick: (f: MonthlyFigures) => f.cases.bySource[source],
    format: 'integer' as const,
  })),
  {
    key: 'cases.violationsConfirmed',
    header: '核查属实',
    pick: (f) => f.cases.violationsConfirmed,
    format: 'integer',
  },
  {
    key: 'cases.violationsConfirmedByPatrol',
    header: '其中巡查发现',
    pick: (f) => f.cases.violationsConfirmedByPatrol,
    format: 'integer',
  },
  { key: 'cases.stopped', header: '制止', pick: (f) => f.cases.stopped, format: 'integer' },
  { key: 'cases.townNotified', header: '告知镇政府', pick: (f) => f.cases.townNotified, format: 'integer' },
  { key: 'cases.closed', header: '办结', pick: (f) => f.cases.closed, format: 'integer' },
  { key: 'cases.areaMu', header: '涉及面积（亩）', pick: (f) => f.cases.areaMu, format: 'decimal' },
  { key: 'deadlines.met', header: '时限按时', pick: (f) => f.deadlines.met, format: 'integer' },
  { key: 'deadlines.breached', header: '时限超时', pick: (f) => f.deadlines.breached, format: 'integer' },
  { key: 'patrolDiscoveryRate', header: '巡查发现率', pick: (f) => f.patrolDiscoveryRate, format: 'percent' },
];

/** The brigade's (or a leader's) consolidated report: 概况, 各分局月报 with its 合计 row, 大队巡查. */
export function consolidatedReportWorkbook(view: ConsolidatedReportView): Workbook {
  const scope = view.district ? DISTRICT_NAMES[view.district] : '全市';
  const columns: SheetColumn[] = [
    { key: 'areaName', header: '分局', width: 22, format: 'text' },
    { key: 'area', header: '代码', width: 12, format: 'text' },
    { key: 'status', header: '月报状态', width: 12, format: 'text' },
    { key: 'zeroReport', header: '零报告', width: 8, format: 'text' },
    ...ROW_FIGURES.map(({ key, header, format }) => ({
      key,
      header,
      width: Math.max(10, header.length * 2 + 2),
      format,
    })),
  ];
  const figureCells = (figures: MonthlyFigures) =>
    Object.fromEntries(ROW_FIGURES.map(({ key, pick }) => [key, pick(figures)]));
  const bureauRows: SheetRow[] = [
    ...view.bureaus.map((row) => ({
      cells: {
        areaName: bureauName(row.area),
        area: row.area,
        status: REPORT_STATUS_LABELS[row.status],
        zeroReport: yesNo(row.zeroReport),
        ...figureCells(row.figures),
      },
    })),
    { cells: { areaName: '合计', area: 'totals', status: '', zeroReport: '', ...figureCells(view.totals) } },
  ];
  const bureausSheet: Sheet = { name: '各分局月报', columns, rows: bureauRows };
  const brigade = view.brigade;
  const names = (areas: readonly (keyof typeof AREA_NAMES)[]) =>
    areas.map((area) => AREA_NAMES[area]).join('、');
  const brigadeFigures: Figure[] = [
    int('大队巡查、抽查、督查合计（次）', 'brigade.total', brigade.total),
    int('大队巡查（次）', 'brigade.byKind.brigade', brigade.byKind.brigade),
    int('大队抽查（次）', 'brigade.byKind.spot_check', brigade.byKind.spot_check),
    int('大队督查（次）', 'brigade.byKind.supervision', brigade.byKind.supervision),
    int('有发现的巡查（次）', 'brigade.withFindings', brigade.withFindings),
    int('巡查与抽查：应完成（次）', 'brigade.patrols.required', brigade.patrols.required),
    int('巡查与抽查：已完成（次）', 'brigade.patrols.done', brigade.patrols.done),
    text('巡查与抽查：是否达标', 'brigade.patrols.met', yesNo(brigade.patrols.met)),
    text('已督查的分局', 'brigade.supervision.supervised', names(brigade.supervision.supervised)),
    text('未督查的分局', 'brigade.supervision.notSupervised', names(brigade.supervision.notSupervised)),
  ];
  const summary: Figure[] = [
    text('月份', 'month', monthName(view.month)),
    text('范围', 'district', scope),
    text(
      '已报送月报的分局',
      'bureaus',
      `${view.bureaus.filter((row) => row.submittedAt !== null).length}/${view.bureaus.length}`,
    ),
    ...submissionFigures(view),
  ];
  return {
    name: `${view.district ? scope : BRIGADE_NAME}${monthName(view.month)}巡查汇总月报`,
    asciiName: `monthly-report-${view.district ?? 'city'}-${view.month}`,
    sheets: [figureSheet('概况', summary), bureausSheet, figureSheet('大队巡查', brigadeFigures)],
    csv: bureausSheet,
  };
}

const ASSESSMENT_DETAIL_COLUMNS: SheetColumn[] = [
  { key: 'areaName', header: '分局', width: 22, format: 'text' },
  { key: 'area', header: '代码', width: 12, format: 'text' },
  { key: 'item', header: '考核项目', width: 30, format: 'text' },
  { key: 'weight', header: '分值', width: 8, format: 'score' },
  { key: 'score', header: '得分', width: 8, format: 'score' },
  { key: 'basis', header: '依据', width: 90, format: 'text' },
  { key: 'vetoed', header: '一票否决', width: 10, format: 'text' },
];

interface AssessedBureau {
  area: keyof typeof AREA_NAMES;
  score: number;
  vetoed: boolean;
  items: Array<{ item: string; label: string; weight: number; score: number; basis: string }>;
}

function detailSheet(bureaus: readonly AssessedBureau[]): Sheet {
  return {
    name: '考核明细',
    columns: ASSESSMENT_DETAIL_COLUMNS,
    rows: bureaus.flatMap((bureau) => [
      ...bureau.items.map((item) => ({
        cells: {
          areaName: bureauName(bureau.area),
          area: bureau.area,
          item: item.label,
          weight: item.weight,
          score: item.score,
          basis: item.basis,
          vetoed: yesNo(bureau.vetoed),
        },
      })),
      {
        cells: {
          areaName: bureauName(bureau.area),
          area: bureau.area,
          item: '合计',
          weight: bureau.items.reduce((sum, item) => sum + item.weight, 0),
          score: bureau.score,
          basis: bureau.vetoed ? '本年度受到一票否决' : '',
          vetoed: yesNo(bureau.vetoed),
        },
      },
    ]),
  };
}

/** The quarter: 考核汇总 (one row per bureau, a column per item) and 考核明细 (every item with its basis). */
export function quarterAssessmentWorkbook(view: QuarterAssessmentView): Workbook {
  const label = periodLabel({ kind: 'quarter', id: view.quarter });
  const summary: Sheet = {
    name: '考核汇总',
    columns: [
      { key: 'areaName', header: '分局', width: 22, format: 'text' },
      { key: 'area', header: '代码', width: 12, format: 'text' },
      ...ASSESSMENT_ITEMS.map((item) => ({
        key: item,
        header: ASSESSMENT_ITEM_LABELS[item],
        width: Math.max(12, ASSESSMENT_ITEM_LABELS[item].length * 2 + 2),
        format: 'score' as const,
      })),
      { key: 'score', header: '总分', width: 10, format: 'score' },
      { key: 'vetoed', header: '一票否决', width: 10, format: 'text' },
    ],
    rows: view.bureaus.map((bureau) => ({
      cells: {
        areaName: bureauName(bureau.area),
        area: bureau.area,
        ...Object.fromEntries(bureau.items.map((item) => [item.item, item.score])),
        score: bureau.score,
        vetoed: yesNo(bureau.vetoed),
      },
    })),
  };
  const detail = detailSheet(view.bureaus);
  return {
    name: `${label}百分考核`,
    asciiName: `assessment-${view.quarter}`,
    sheets: [summary, detail],
    csv: detail,
  };
}

/** The year: 年度汇总 (quarters, satellite score, year score) and 考核明细. */
export function yearAssessmentWorkbook(view: YearAssessmentView): Workbook {
  const quarters = [
    ...new Set(view.bureaus.flatMap((bureau) => bureau.quarters.map((q) => q.quarter))),
  ].sort();
  const summary: Sheet = {
    name: '年度汇总',
    columns: [
      { key: 'areaName', header: '分局', width: 22, format: 'text' },
      { key: 'area', header: '代码', width: 12, format: 'text' },
      ...quarters.map((quarter) => ({
        key: quarter,
        header: periodLabel({ kind: 'quarter', id: quarter }).slice(5),
        width: 12,
        format: 'score' as const,
      })),
      { key: 'satellite', header: '卫片执法', width: 10, format: 'score' },
      { key: 'score', header: '年度得分', width: 10, format: 'score' },
      { key: 'vetoed', header: '一票否决', width: 10, format: 'text' },
    ],
    rows: view.bureaus.map((bureau) => ({
      cells: {
        areaName: bureauName(bureau.area),
        area: bureau.area,
        ...Object.fromEntries(bureau.quarters.map((q) => [q.quarter, q.score])),
        satellite: bureau.satellite,
        score: bureau.score,
        vetoed: yesNo(bureau.vetoed),
      },
    })),
  };
  const detail = detailSheet(view.bureaus);
  return {
    name: `${view.year}年度百分考核`,
    asciiName: `assessment-${view.year}`,
    sheets: [summary, detail],
    csv: detail,
  };
}
