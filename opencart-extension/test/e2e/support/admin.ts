import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Dialog, type Page } from 'playwright-core';

export const OUTPUT_DIR = path.resolve(__dirname, '../../../test-output');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function shot(page: Page, version: string, name: string): Promise<string> {
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${version}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The admin as a merchant drives it; major = 3 or 4 picks the markup and routes of the release. */
export class OpenCartAdmin {
  token = '';
  constructor(
    readonly page: Page,
    readonly adminUrl: string,
    readonly major: 3 | 4,
  ) {}

  /** index.php?route=… with the session's token; 4.x separates the method with '.', 3.x with '/'. */
  url(route: string, query = ''): string {
    const r = this.major === 4 ? route : route.replace(/\.(\w+)$/, '/$1');
    return `${this.adminUrl.replace(/\/?$/, '/')}index.php?route=${r}&user_token=${this.token}${query ? `&${query}` : ''}`;
  }

  async login(username: string, password: string): Promise<void> {
    await this.page.goto(`${this.adminUrl.replace(/\/?$/, '/')}index.php?route=common/login`);
    await this.page.fill('#input-username', username);
    await this.page.fill('#input-password', password);
    await Promise.all([
      this.page.waitForURL(/user_token=/, { timeout: 30_000 }),
      this.page.click('button[type=submit]'),
    ]);
    this.token = new URL(this.page.url()).searchParams.get('user_token') ?? '';
    if (!this.token) throw new Error('no user_token after login');
  }

  /** Extensions > Installer: upload the .ocmod.zip, then (4.x) press its Install button. */
  async uploadExtension(zip: string): Promise<void> {
    const page = this.page;
    await page.goto(this.url('marketplace/installer'));
    await page.click('#button-upload');
    await page.setInputFiles('#form-upload input[name="file"]', zip);
    if (this.major === 4) {
      await page.waitForSelector('#alert .alert-success, #alert .alert-danger', { timeout: 30_000 });
      if (await page.locator('#alert .alert-danger').count())
        throw new Error(`upload refused: ${await page.locator('#alert .alert-danger').first().innerText()}`);
      const row = page.locator('#extension tr', { hasText: 'Xero connector' });
      await row.locator('.btn-success').click();
      await page.waitForFunction(
        () => document.querySelector('#progress-bar')?.getAttribute('style')?.includes('100%'),
        undefined,
        { timeout: 60_000 },
      );
      const text = await page.locator('#progress-text').innerText();
      if (!/success/i.test(text)) throw new Error(`installer said: ${text}`);
    } else {
      // 3.x unzips, copies upload/ and stores install.xml in one chain after the upload.
      await page.waitForSelector('#progress-text .text-success, #progress-text .text-danger', {
        timeout: 60_000,
      });
      const text = await page.locator('#progress-text').innerText();
      if (!/success/i.test(text)) throw new Error(`installer said: ${text}`);
    }
  }

  /** Extensions > Extensions > Modules: install the Xero connector (its install() registers the events). */
  async installModule(): Promise<void> {
    const page = this.page;
    await page.goto(this.url('marketplace/extension', 'type=module'));
    const row = page.locator('#extension tr, #content tr', { hasText: 'Xero connector' }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.locator('.btn-success').click();
    await page
      .locator('#extension tr, #content tr', { hasText: 'Xero connector' })
      .first()
      .locator('.btn-danger')
      .waitFor({ timeout: 30_000 });
  }

  /** Extensions > Extensions > Modules: uninstall the Xero connector (its uninstall() removes events, settings, permissions). */
  async uninstallModule(): Promise<void> {
    const page = this.page;
    await page.goto(this.url('marketplace/extension', 'type=module'));
    const row = () => page.locator('#extension tr, #content tr', { hasText: 'Xero connector' }).first();
    await this.confirming(async () => {
      await row().locator('.btn-danger').click();
      await row().locator('.btn-success').waitFor({ timeout: 30_000 });
    });
  }

  /** Runs steps with OpenCart's confirm() dialogs ("Are you sure?") answered OK. */
  private async confirming(steps: () => Promise<void>): Promise<void> {
    const accept = (d: Dialog) => void d.accept();
    this.page.on('dialog', accept);
    try {
      await steps();
    } finally {
      this.page.off('dialog', accept);
    }
  }

  /** Extensions > Installer: remove the package's files and its install record (4.x: Uninstall, then Delete). */
  async removeExtension(): Promise<void> {
    const page = this.page;
    await page.goto(this.url('marketplace/installer'));
    await this.confirming(async () => {
      if (this.major === 4) {
        const row = () => page.locator('#extension tr', { hasText: 'Xero connector' });
        await row().locator('.btn-warning').click();
        await page.waitForFunction(
          () => document.querySelector('#progress-bar')?.getAttribute('style')?.includes('100%'),
          undefined,
          { timeout: 60_000 },
        );
        await row().locator('a.btn-danger').waitFor({ timeout: 30_000 });
        await row().locator('a.btn-danger').click();
        await page
          .locator('#extension tr', { hasText: 'Xero connector' })
          .waitFor({ state: 'detached', timeout: 30_000 });
      } else {
        const row = page.locator('#history tr', { hasText: /xero/i });
        await row.first().waitFor({ timeout: 30_000 });
        await row.first().locator('.btn-danger').click();
        await page.waitForSelector('#content > .container-fluid > .alert-success', { timeout: 30_000 });
      }
    });
  }

  /** System > Users > User Groups (OpenCart's own permission page): tick access to one route for a group. */
  async grantAccess(userGroupId: number, route: string): Promise<void> {
    const page = this.page;
    await page.goto(
      this.url(
        this.major === 4 ? 'user/user_permission.form' : 'user/user_permission/edit',
        `user_group_id=${userGroupId}`,
      ),
    );
    await page.locator(`input[name="permission[access][]"][value="${route}"]`).check();
    await page.click('button[form="form-user-group"]');
    if (this.major === 4) await page.waitForSelector('#alert .alert-success', { timeout: 15_000 });
    else await page.waitForSelector('.alert-success', { timeout: 15_000 }); // 3.x redirects to the list
  }
}
