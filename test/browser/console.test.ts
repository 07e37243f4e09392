/**
 * The console in a real browser against a local run (issue 12): a bureau works a case from 签收
 * to 办结, the brigade reassigns a triage case, a reporter view asks for a reason and lands in the
 * audit trail, a partner never sees another partner's case, a missing endpoint reads as a Chinese
 * sentence, and what people read is Chinese. Screenshots of the main pages go to .tmp/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make12336Tip } from '../fixtures/tips.js';
import { type ConsoleRun, startConsoleRun } from './support/console.js';

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
    await bureau.statusIs('待签收');
    await page.locator('.deadline[data-light="ok"]').first().waitFor();
    expect(await bureau.latinWords()).toEqual([]);
    await bureau.screenshot('02-case-detail');
    // Only what the state allows: no 制止 before an inspection, nothing of the brigade's.
    expect(await bureau.actionButton('stop').count()).toBe(0);
    expect(await bureau.actionButton('reassign').count()).toBe(0);

    expect(await bureau.act('acknowledge')).toBe(200);
    await bureau.statusIs('已签收');

    expect(await bureau.act('inspect', (dialog) => dialog.getByText('确认违法').click())).toBe(200);
    await bureau.statusIs('已核查');

    expect(await bureau.act('stop', (dialog) => dialog.getByText('已制止').click())).toBe(200);
    await bureau.statusIs('制止中');

    expect(
      await bureau.act('close', async (dialog) => {
        await bureau.fill(dialog, '办结情况', '已责令停止建设，地基已拆除，恢复耕种条件');
        await bureau.fill(dialog, '答复内容（反馈给来源和举报人）', '经核查属实，已依法制止并拆除');
      }),
    ).toBe(200);
    await bureau.statusIs('已办结');
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
    await brigade.statusIs('待分派');

    expect(
      await brigade.act('reassign', async (dialog) => {
        await brigade.choose(dialog, '改派至', '古里镇');
        await brigade.fill(dialog, '改派理由', '地块位于古里镇');
      }),
    ).toBe(200);
    await brigade.statusIs('待签收');
    await page.getByText(/古里镇\s*（第一片区）/).waitFor();

    const { body: record } = await run.api(`/v1/cases/${caseId}?reporter=omit`);
    expect(record).toMatchObject({ status: 'assigned', area: 'guli', routing: { method: 'reassigned' } });
  });

  it('asks for a reason before showing the reporter, and the view appears in the audit trail', async () => {
    const { caseId } = await run.newCase('12336', shajiabangTip('reporter'));
    const brigade = await run.signIn('brigade');
    const { page } = brigade;
    await brigade.open(`/cases/${caseId}`);
    await brigade.statusIs('待签收');
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
    const answer = await list;
    expect(answer.status()).toBe(200);
    const listed = ((await answer.json()) as { items: Array<{ caseId: string }> }).items.map((c) => c.caseId);
    expect(listed).not.toContain(caseId);
    expect(await housing.caseEntry(caseNo).count()).toBe(0);
    await housing.open(`/cases/${caseId}`);
    await housing.page.getByText('无权查看或办理').waitFor();
    expect(await housing.status().count()).toBe(0);
    await housing.screenshot('08-partner-refused');

    const planning = await run.signIn('partner:planning');
    await planning.caseEntry(caseNo).click();
    await planning.statusIs('待签收');
    await planning.page.getByText('协作部门只读').waitFor();
    expect(await planning.page.locator('[data-action]').count()).toBe(0);
    expect(await planning.page.getByRole('button', { name: '查看举报人' }).count()).toBe(0);
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
