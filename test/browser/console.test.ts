/**
 * The console in a real browser against a local run (issue 12): a bureau works a case from 签收
 * to 办结, the brigade reassigns a triage case, a reporter view asks for a reason and lands in the
 * audit trail, a partner never sees another partner's case, a missing endpoint reads as a Chinese
 * sentence, and what people read is Chinese. Screenshots of the main pages go to .tmp/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FINDING_LABELS,
  REPORT_STATUS_LABELS,
  SOURCE_LABELS,
  STATUS_LABELS,
  STOP_RESULT_LABELS,
} from '../../shared/domain/labels.js';
import { make12336Tip } from '../fixtures/tips.js';
import { testNow } from '../support/clock.js';
import { type ConsoleRun, shanghaiDateTime, startConsoleRun } from './support/console.js';

let run: ConsoleRun;

beforeAll(async () => {
  run = await startConsoleRun();
});

afterAll(async () => {
  await run?.close();
});

/** A tip of the contract's example for 沙家浜镇: partners 城乡规划局 and 城管执法局, reporter 张三. */
const shajiabangTip = (id: string) => make12336Tip({ reportId: `browser-${id}-${Date.now()}` });

/** A tip no place in it decides: it waits in triage for the brigade. */
function unplaceableTip() {
  const tip = make12336Tip({
    reportId: `browser-triage-${Date.now()}`,
    location: { address: '村东头那块地' },
    description: '有人在农田里挖土堆放建筑垃圾',
  });
  const location = tip.location as Record<string, unknown>;
  for (const key of ['town', 'lng', 'lat', 'crs']) delete location[key];
  return tip;
}

describe('the console in a browser', () => {
  it('lets a bureau sign in and work a case from 签收 to 办结', async () => {
    const { caseId, caseNo } = await run.newCase('12336', shajiabangTip('work'));
    const bureau = await run.signIn('bureau:shajiabang');
    const { page } = bureau;

    await bureau.caseEntry(caseNo).waitFor();
    expect(await bureau.latinWords()).toEqual([]);
    await bureau.screenshot('01-case-list');

    await bureau.caseEntry(caseNo).click();
    await bureau.statusIs(STATUS_LABELS.assigned);
    await page.locator('.deadline[data-light="ok"]').first().waitFor();
    expect(await bureau.latinWords()).toEqual([]);
    await bureau.screenshot('02-case-detail');
    // Only what the state allows: no 制止 before an inspection, nothing of the brigade's.
    expect(await bureau.actionButton('stop').count()).toBe(0);
    expect(await bureau.actionButton('reassign').count()).toBe(0);

    expect(await bureau.act('acknowledge')).toBe(200);
    await bureau.statusIs(STATUS_LABELS.acknowledged);

    expect(
      await bureau.act('inspect', (dialog) => dialog.getByText(FINDING_LABELS.violation_confirmed).click()),
    ).toBe(200);
    await bureau.statusIs(STATUS_LABELS.inspected);

    expect(await bureau.act('stop', (dialog) => dialog.getByText(STOP_RESULT_LABELS.stopped).click())).toBe(
      200,
    );
    await bureau.statusIs(STATUS_LABELS.stopping);

    expect(
      await bureau.act('close', async (dialog) => {
        await bureau.fill(dialog, '办结情况', '已责令停止建设，地基已拆除，恢复耕种条件');
        await bureau.fill(dialog, '答复内容（反馈给来源和举报人）', '经核查属实，已依法制止并拆除');
      }),
    ).toBe(200);
    await bureau.statusIs(STATUS_LABELS.closed);
    await page.getByText('办结情况：已责令停止建设，地基已拆除，恢复耕种条件').waitFor();
    expect(await bureau.actionButton('close').count()).toBe(0);
    await bureau.screenshot('03-case-closed');

    const { body: record } = await run.api(`/v1/cases/${caseId}?reporter=omit`);
    expect(record.status).toBe('closed');
    expect(record.events.map((event: { type: string }) => event.type)).toEqual(
      expect.arrayContaining(['acknowledge', 'inspect', 'stop', 'close']),
    );
    const closing = record.events.find((event: { type: string }) => event.type === 'close');
    expect(closing).toMatchObject({
      by: 'bureau:shajiabang',
      outcome: '已责令停止建设，地基已拆除，恢复耕种条件',
    });
    expect(record.deadlines.find((d: { kind: string }) => d.kind === 'close').metAt).not.toBeNull();
  });

  it('shows a bureau its cases as cards on a phone', async () => {
    const { caseNo } = await run.newCase('12336', shajiabangTip('phone'));
    const bureau = await run.signIn('bureau:shajiabang', { phone: true });
    await bureau.page.locator(`.case-card[data-case="${caseNo}"]`).waitFor();
    await bureau.screenshot('04-case-list-phone');
    await bureau.caseEntry(caseNo).click();
    await bureau.actionButton('acknowledge').waitFor();
    await bureau.screenshot('05-case-detail-phone');
  });

  it('lets the brigade reassign a case from its triage queue', async () => {
    const { caseId, caseNo } = await run.newCase('12336', unplaceableTip());
    const brigade = await run.signIn('brigade');
    const { page } = brigade;
    const triage = brigade.answerTo('/v1/cases', 'GET', { area: 'triage' });
    await page.getByRole('tab', { name: '待分派（分诊）' }).click();
    expect((await triage).status()).toBe(200);
    await brigade.caseEntry(caseNo).waitFor();
    await brigade.screenshot('06-triage-queue');
    await brigade.caseEntry(caseNo).click();
    await brigade.statusIs(STATUS_LABELS.triage);

    expect(
      await brigade.act('reassign', async (dialog) => {
        await brigade.choose(dialog, '改派至', '古里镇');
        await brigade.fill(dialog, '改派理由', '地块位于古里镇');
      }),
    ).toBe(200);
    await brigade.statusIs(STATUS_LABELS.assigned);
    await page.getByText(/古里镇\s*（第一片区）/).waitFor();

    const { body: record } = await run.api(`/v1/cases/${caseId}?reporter=omit`);
    expect(record).toMatchObject({ status: 'assigned', area: 'guli', routing: { method: 'reassigned' } });
  });

  it('asks for a reason before showing the reporter, and the view appears in the audit trail', async () => {
    const { caseId } = await run.newCase('12336', shajiabangTip('reporter'));
    const brigade = await run.signIn('brigade');
    const { page } = brigade;
    await brigade.open(`/cases/${caseId}`);
    await brigade.statusIs(STATUS_LABELS.assigned);
    // Opening the page opened nothing.
    await page.locator('[data-test="audit"]').getByText('暂无查阅记录').waitFor();
    expect((await run.api(`/v1/audit?caseId=${caseId}`)).body.items).toEqual([]);

    await page.getByRole('button', { name: '查看举报人' }).click();
    const prompt = page.getByRole('dialog', { name: '查看举报人' });
    await prompt.getByText('本次查看将记入查阅记录').waitFor();
    // No reason, no view.
    await prompt.getByRole('button', { name: '确认查看' }).click();
    await prompt.getByText('请填写查看理由').waitFor();
    await prompt.getByPlaceholder('例如：回访举报人，核实现场位置').fill('回访举报人，核实地基位置');
    await prompt.getByRole('button', { name: '确认查看' }).click();

    await page.locator('[data-test="reporter"]').getByText('张三').waitFor();
    await page.locator('[data-test="audit"]').getByText('回访举报人，核实地基位置').waitFor();
    await brigade.screenshot('07-reporter-viewed');

    const { body: trail } = await run.api(`/v1/audit?caseId=${caseId}`);
    expect(trail.items).toEqual([
      expect.objectContaining({ principal: 'brigade', reason: '回访举报人，核实地基位置' }),
    ]);
  });

  it('never shows a partner a case of another partner, and shows its own read-only', async () => {
    const { caseId, caseNo } = await run.newCase('12336', shajiabangTip('partner'));

    const housing = await run.signIn('partner:housing');
    const list = housing.answerTo('/v1/cases');
    await housing.open('/cases');
    expect((await list).status()).toBe(200);
    // What the partner's list holds, asked of the API itself: the page may navigate on (its router
    // settling) before a response body it fetched can be read, and then the browser drops the body.
    const { body } = await run.api('/v1/cases?limit=100', 'dev-partner-housing');
    const listed = (body.items as Array<{ caseId: string }>).map((c) => c.caseId);
    expect(listed).not.toContain(caseId);
    expect(await housing.caseEntry(caseNo).count()).toBe(0);
    await housing.open(`/cases/${caseId}`);
    await housing.page.getByText('无权查看或办理').waitFor();
    expect(await housing.status().count()).toBe(0);
    await housing.screenshot('08-partner-refused');

    const planning = await run.signIn('partner:planning');
    await planning.caseEntry(caseNo).click();
    await planning.statusIs(STATUS_LABELS.assigned);
    await planning.page.getByText('协作部门只读').waitFor();
    expect(await planning.page.locator('[data-action]').count()).toBe(0);
    expect(await planning.page.getByRole('button', { name: '查看举报人' }).count()).toBe(0);
  });

  it("records a patrol with a finding on a phone, and the finding is a case in the bureau's list", async () => {
    const bureau = await run.signIn('bureau:meili', { phone: true });
    const { page } = bureau;
    await bureau.open('/patrols');
    const form = page.locator('form').first();
    await bureau.field(form, '巡查类型').waitFor();
    // A patrol that ended an hour ago (by the run's clock, which may be pinned), two hours long.
    const endedAt = new Date(testNow().getTime() - 3_600_000);
    const startedAt = new Date(endedAt.getTime() - 2 * 3_600_000);
    await bureau.typeDate(form, '开始时间', shanghaiDateTime(startedAt));
    await bureau.typeDate(form, '结束时间', shanghaiDateTime(endedAt));
    await bureau.addTo(form, '巡查人员', '王五');
    await bureau.addTo(form, '巡查人员', '赵六');
    await bureau.fill(form, '巡查路线', '珍门社区—珍北村—沈市村');
    await bureau.addTo(form, '巡查地点', '珍北村');
    await bureau.field(form, '巡查重点').getByText('基本农田保护区').click();
    await bureau
      .field(form, '巡查重点')
      .locator('.el-checkbox.is-checked', { hasText: '基本农田保护区' })
      .waitFor();

    await page.getByRole('button', { name: '添加发现的问题' }).click();
    const finding = page.locator('.el-card').filter({ hasText: '问题 1' });
    await bureau.fill(finding, '问题描述', '新建彩钢棚约200平方米');
    await bureau.fill(finding, '地址', '梅李镇珍北村五组');
    await bureau.choose(finding, '违法类型', '非法占用土地');
    await bureau.fill(finding, '当事人', '某物流公司');
    await bureau.fill(finding, '处置措施', '现场制止，下达停工通知');
    await bureau.fill(finding, '照片链接', 'https://example.org/f1.jpg');
    await bureau.screenshot('10-patrol-entry-phone');

    const answer = bureau.answerTo('/v1/patrols', 'POST');
    await page.getByRole('button', { name: '登记巡查' }).click();
    expect((await answer).status()).toBe(201);
    // The stored patrol, asked of the API: a response body the page fetched is gone once it navigates.
    const { body: patrols } = await run.api('/v1/patrols?area=meili&limit=1', 'dev-bureau-meili');
    const patrol = patrols.items[0] as {
      patrolNo: string;
      findings: Array<{ caseId: string; caseNo: string }>;
    };
    expect(patrol).toMatchObject({ officers: ['王五', '赵六'], focus: ['basic_farmland'] });
    expect(patrol.patrolNo).toMatch(/^XC-meili-\d{8}-\d{2}$/);
    const caseNo = patrol.findings[0]!.caseNo;
    await page.locator('[data-test="patrol-recorded"]').getByText(patrol.patrolNo).waitFor();
    await page.locator(`[data-finding-case="${caseNo}"]`).waitFor();
    expect(await bureau.latinWords()).toEqual([]);
    await bureau.screenshot('11-patrol-recorded-phone');

    await page.getByRole('tab', { name: '巡查台账' }).click();
    await page.locator('.el-table').getByText(patrol.patrolNo).waitFor();

    // The bureau's list (a desktop this time) has the finding's case, from 巡查发现.
    const desk = await run.signIn('bureau:meili');
    const row = desk.page.locator('.el-table__row').filter({ has: desk.caseEntry(caseNo) });
    await row.getByText(SOURCE_LABELS.patrol, { exact: true }).first().waitFor();
    await desk.screenshot('12-patrol-case-in-list');
    await desk.caseEntry(caseNo).click();
    await desk.statusIs(STATUS_LABELS.inspected);
    const { body: record } = await run.api(`/v1/cases/${patrol.findings[0]!.caseId}?reporter=omit`);
    expect(record).toMatchObject({ source: 'patrol', area: 'meili', tips: [], status: 'inspected' });
  });

  it('submits a monthly report, as a zero report for a month without cases', async () => {
    // The month before the run's clock (pinned or not) is over; no test opens a case in 海虞镇.
    const shanghai = new Date(testNow().getTime() + 8 * 3_600_000);
    const previous = new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth() - 1, 1));
    const month = previous.toISOString().slice(0, 7);

    const bureau = await run.signIn('bureau:haiyu');
    const { page } = bureau;
    await bureau.open('/reports');
    const monthInput = page.getByPlaceholder('月份');
    await monthInput.click();
    await monthInput.fill(month);
    await monthInput.press('Enter');
    const loaded = bureau.answerTo('/v1/reports/monthly', 'GET', { area: 'haiyu', month });
    await page.getByRole('button', { name: '查询' }).click();
    expect((await loaded).status()).toBe(200);
    await page.getByText('须按零报告报送').waitFor();
    await bureau.fill(page.locator('form'), '情况分析', '本月巡查未发现违法用地行为');

    // The zero-report rule: a month without cases cannot be reported as anything else.
    await page.locator('[data-test="zero-report"]').click();
    const refused = bureau.answerTo(`/v1/reports/monthly/haiyu/${month}/submit`, 'POST');
    await page.locator('[data-test="submit-report"]').click();
    expect((await refused).status()).toBe(422);
    await page.getByText('“零报告”选择与本月实际情况不符').waitFor();

    await page.locator('[data-test="zero-report"]').click();
    const submitted = bureau.answerTo(`/v1/reports/monthly/haiyu/${month}/submit`, 'POST');
    await page.locator('[data-test="submit-report"]').click();
    expect((await submitted).status()).toBe(200);
    const status = page.locator('[data-test="report-status"]');
    await status
      .filter({ hasText: new RegExp(`${REPORT_STATUS_LABELS.submitted}|${REPORT_STATUS_LABELS.late}`) })
      .waitFor();
    expect(await page.locator('[data-test="submit-report"]').count()).toBe(0);
    expect(await bureau.latinWords()).toEqual([]);
    await bureau.screenshot('13-monthly-report-submitted');

    const { body: report } = await run.api(`/v1/reports/monthly?area=haiyu&month=${month}`);
    expect(report).toMatchObject({
      zeroReport: true,
      analysis: '本月巡查未发现违法用地行为',
      submittedBy: 'bureau:haiyu',
    });
    expect(['submitted', 'late']).toContain(report.status);

    // The brigade sees it in the consolidated report.
    const brigade = await run.signIn('brigade');
    await brigade.open('/reports');
    await brigade.page.getByRole('tab', { name: '全市汇总' }).click();
    await brigade.page.getByText('海虞镇国土分局').waitFor();
    await brigade.screenshot('14-consolidated-report');
  });

  it('shows the brigade the feedback deliveries and the quarterly assessment', async () => {
    const brigade = await run.signIn('brigade');
    const deliveries = brigade.answerTo('/v1/deliveries');
    await brigade.open('/deliveries');
    expect((await deliveries).status()).toBe(200);
    await brigade.page.locator('[data-test="deliveries"]').waitFor();
    expect(await brigade.latinWords()).toEqual([]);
    await brigade.screenshot('15-deliveries');

    const assessment = brigade.answerTo('/v1/assessments');
    await brigade.open('/assessments');
    expect((await assessment).status()).toBe(200);
    await brigade.page.getByText('巡查频次').first().waitFor();
    expect(await brigade.latinWords()).toEqual([]);
    await brigade.screenshot('16-assessment');
  });

  it('says in Chinese that a function whose endpoint is missing is not open yet', async () => {
    const bureau = await run.signIn('bureau:meili');
    // As the local gateway answers a path no route serves.
    await bureau.page.route('**/v1/patrols**', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'not_found', message: 'No such resource.' } }),
      }),
    );
    await bureau.open('/patrols');
    await bureau.page.getByRole('tab', { name: '巡查台账' }).click();
    await bureau.page.getByText('“巡查台账”的服务接口尚未开通').waitFor();
    expect(await bureau.latinWords()).toEqual([]);
    await bureau.screenshot('09-patrols');
  });
});
