/**
 * Browser tests of the console: Debian's chromium (never a downloaded browser) driven by
 * playwright-core against a local run. One browser context for the file; each signed-in person is
 * a page of their own (the console keeps its session per tab). Every wait is on something the page
 * or the API shows; timeouts are bounds stretched with the machine's measured slowdown.
 *
 * A new browser test (patrols, monthly reports …) starts a ConsoleRun, signs people in with
 * `run.signIn(principal)` and works through `ConsolePage`'s helpers.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import type { Source } from '../../../shared/domain/model.js';
import { machineSlowdown } from '../../support/emulators.js';
import {
  DEV_BRIGADE_TOKEN,
  startTestStack,
  submitAndRoute,
  type TestLocalStack,
} from '../../support/local-stack.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), '.tmp', 'screenshots');

/** Debian's chromium as root in a container: no sandbox, nothing phoned home, nothing to update. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const PHONE = { width: 390, height: 844 };

/** `2026-11-30 09:00:00`: an instant as the console's date pickers read it (Asia/Shanghai). */
export function shanghaiDateTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

// biome-ignore lint/suspicious/noExplicitAny: API answers are read field by field.
export type Json = Record<string, any>;

export interface ConsoleRun {
  stack: TestLocalStack;
  context: BrowserContext;
  /** A new tab signed in as `principal` (e.g. `bureau:shajiabang`) through the sign-in page. */
  signIn(principal: string, options?: { phone?: boolean }): Promise<ConsolePage>;
  /** The API as the brigade (or another development token): for set-up and for checking outcomes. */
  api(path: string, token?: string): Promise<{ status: number; body: Json }>;
  /** Submits a tip as its source would and waits for its case: the case id and number. */
  newCase(source: Source, tip: unknown): Promise<{ caseId: string; caseNo: string }>;
  close(): Promise<void>;
}

export async function startConsoleRun(): Promise<ConsoleRun> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's browser and a CJK font (apt-get install -y chromium fonts-wqy-microhei; .ci/run does).`,
    );
  await mkdir(SCREENSHOTS, { recursive: true });
  const stack = await startTestStack();
  const profile = await mkdtemp(join(tmpdir(), 'landline-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1280, height: 900 },
    });
  } catch (error) {
    await stack.cleanup();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  const timeoutMs = Math.round(30_000 * machineSlowdown());
  context.setDefaultTimeout(timeoutMs);

  const api = async (path: string, token = DEV_BRIGADE_TOKEN) => {
    const response = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Json };
  };

  return {
    stack,
    context,
    api,
    async signIn(principal, options = {}) {
      const page = await context.newPage();
      if (options.phone) await page.setViewportSize(PHONE);
      await page.goto(`${stack.url}/console/`);
      await page.locator(`[data-principal="${principal}"]`).click();
      await page.locator('[data-test="who-am-i"]').waitFor();
      return new ConsolePage(page, stack.url);
    },
    async newCase(source, tip) {
      const caseId = await submitAndRoute(stack, source, tip);
      const { body } = await api(`/v1/cases/${caseId}?reporter=omit`);
      return { caseId, caseNo: body.caseNo as string };
    },
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
      await stack.cleanup();
    },
  };
}

export class ConsolePage {
  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  /** Opens a console path (`/cases`, `/cases/<id>` …) and waits for the page's heading or header. */
  async open(path: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/console${path}`);
  }

  /** The case list's entry of a case (a table row link on a desktop, a card on a phone). */
  caseEntry(caseNo: string): Locator {
    return this.page.locator(`[data-case="${caseNo}"]`);
  }

  /**
   * Waits for the next answer of the API to a request whose path starts with `path` (and whose query
   * has each of `query`'s values).
   */
  answerTo(path: string, method = 'GET', query: Record<string, string> = {}) {
    return this.page.waitForResponse((response) => {
      const url = new URL(response.url());
      return (
        url.pathname.startsWith(path) &&
        response.request().method() === method &&
        Object.entries(query).every(([key, value]) => url.searchParams.get(key) === value)
      );
    });
  }

  status(): Locator {
    return this.page.locator('[data-test="status"]');
  }

  /** Waits until the case detail shows `label` as the case's status (已签收, 已办结 …). */
  async statusIs(label: string): Promise<void> {
    await this.status().filter({ hasText: label }).waitFor();
  }

  actionButton(type: string): Locator {
    return this.page.locator(`[data-action="${type}"]`);
  }

  /**
   * Sends one case event through its button and dialog: `fill` fills the dialog (choices, texts),
   * then the dialog's confirm button is pressed and the API's answer awaited.
   */
  async act(type: string, fill: (dialog: Locator) => Promise<void> = async () => {}): Promise<number> {
    await this.actionButton(type).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.waitFor();
    await fill(dialog);
    const answer = this.answerTo('/v1/cases/', 'POST');
    await dialog.locator('[data-test="confirm-event"]').click();
    const status = (await answer).status();
    if (status === 200) await dialog.waitFor({ state: 'hidden' });
    return status;
  }

  /** The form item labelled exactly `label` within `scope` (a dialog, a form). */
  field(scope: Locator, label: string): Locator {
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    return scope
      .locator('.el-form-item')
      .filter({ has: this.page.locator('.el-form-item__label', { hasText: exact }) });
  }

  /** Types `text` into the input or text area of the form item labelled `label`. */
  async fill(scope: Locator, label: string, text: string): Promise<void> {
    await this.field(scope, label).locator('input, textarea').first().fill(text);
  }

  /** Picks `option` in the Element Plus select of the form item labelled `label`. */
  async choose(scope: Locator, label: string, option: string): Promise<void> {
    await this.field(scope, label).locator('.el-select').click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  /**
   * Types `text` into the Element Plus date picker of the form item labelled `label` (as a person
   * typing a date rather than clicking through the calendar) and confirms it with Enter.
   */
  async typeDate(scope: Locator, label: string, text: string): Promise<void> {
    const input = this.field(scope, label).locator('input').first();
    await input.click();
    await input.fill(text);
    await input.press('Enter');
  }

  /** Adds `value` to the multiple, creatable select of the form item labelled `label`. */
  async addTo(scope: Locator, label: string, value: string): Promise<void> {
    const select = this.field(scope, label).locator('.el-select').first();
    // The select's placeholder covers its input: a person taps the select, types, picks the entry.
    await select.click();
    await select.locator('input').first().pressSequentially(value);
    await this.page.locator('.el-select-dropdown__item:visible', { hasText: value }).first().click();
    await select.locator('.el-tag', { hasText: value }).waitFor();
    // A multiple select stays open for the next entry: close it, as tapping elsewhere would.
    await select.locator('input').first().press('Escape');
    await select.locator('input[aria-expanded="false"]').first().waitFor();
  }

  async screenshot(name: string): Promise<void> {
    // Transitions (a tag zooming in) are finished first, so the picture shows the page at rest.
    await this.page.screenshot({
      path: join(SCREENSHOTS, `${name}.png`),
      fullPage: true,
      animations: 'disabled',
    });
  }

  /**
   * Latin words a person would read on the page: its visible text without ids, case numbers,
   * source numbers and texts that come from the API as data (marked `data-api-text`).
   */
  async latinWords(): Promise<string[]> {
    // Runs in the page (the tests' TypeScript has no DOM types, hence the source text).
    const text = await this.page.evaluate<string>(`(() => {
      const clone = document.body.cloneNode(true);
      for (const element of clone.querySelectorAll('[data-api-text], script, style')) element.remove();
      document.body.appendChild(clone);
      clone.style.position = 'absolute';
      const text = clone.innerText;
      clone.remove();
      return text;
    })()`);
    const withoutIds = text
      .replace(/\b(case|tip)_[a-z2-7]{26}\b/g, ' ')
      .replace(/\b\d{4}-\d{6}\b/g, ' ')
      .replace(/\b[\w-]*\d[\w-]*\b/g, ' ');
    return [...new Set(withoutIds.match(/[A-Za-z]{2,}/g) ?? [])];
  }
}
