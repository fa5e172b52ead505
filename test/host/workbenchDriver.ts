import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';

/**
 * Drives the real VS Code workbench the way a person does: keyboard, command palette, input boxes,
 * status bar, notifications. Shared by the end-to-end tests and the demo.
 */

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

/** Opens the command palette, types the text, checks the first match is the expected command, and runs it. */
export async function runCommand(page: Page, typed: string, expectedLabel: string): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('F1');
  await page.locator(QUICK_INPUT_BOX).waitFor({ state: 'visible' });
  await page.keyboard.type(typed);
  await page.waitForFunction(([rows, label]) => (document.querySelector(rows)?.textContent ?? '').includes(label), [QUICK_INPUT_ROWS, expectedLabel] as const);
  await page.keyboard.press('Enter');
}

/** Waits for a quick input whose title contains `title`, then returns it: what it asks, and whether it masks. */
export async function waitForQuickInput(page: Page, title: string): Promise<{ title: string; message: string; masked: boolean; value: string }> {
  await page.waitForFunction(
    ([selector, expected]) => {
      const widget = document.querySelector(selector) as HTMLElement | null;
      return !!widget && widget.style.display !== 'none' && (widget.querySelector('.quick-input-title')?.textContent ?? '').includes(expected);
    },
    [QUICK_INPUT, title] as const,
  );
  return page.evaluate(
    ([selector, box]) => {
      const widget = document.querySelector(selector)!;
      const input = document.querySelector(box) as HTMLInputElement;
      return {
        title: widget.querySelector('.quick-input-title')?.textContent ?? '',
        message: widget.querySelector('.quick-input-message')?.textContent ?? '',
        masked: input.type === 'password',
        value: input.value,
      };
    },
    [QUICK_INPUT, QUICK_INPUT_BOX] as const,
  );
}

/** Types into the open input box (replacing what is there) and presses Enter. */
export async function answer(page: Page, text: string): Promise<void> {
  await page.locator(QUICK_INPUT_BOX).fill(text);
  await page.keyboard.press('Enter');
}

/** Filters the open quick pick by typing, waits for the item, and picks it. */
export async function pick(page: Page, label: string): Promise<void> {
  await page.locator(QUICK_INPUT_BOX).fill(label);
  await page.waitForFunction(([rows, expected]) => (document.querySelector(rows)?.textContent ?? '').includes(expected), [QUICK_INPUT_ROWS, label] as const);
  await page.keyboard.press('Enter');
}

/** The text of the status-bar entry that mentions Fortellis ('' if none). */
export async function fortellisStatus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const items = Array.from(document.querySelectorAll('.statusbar .statusbar-item'));
    return items.map((item) => (item.textContent ?? '').trim()).find((text) => text.includes('Fortellis')) ?? '';
  });
}

export async function waitForStatus(page: Page, expected: RegExp, timeoutMs = 30_000): Promise<string> {
  await page.waitForFunction(
    (source) => {
      const items = Array.from(document.querySelectorAll('.statusbar .statusbar-item'));
      return items.some((item) => new RegExp(source).test((item.textContent ?? '').trim()));
    },
    expected.source,
    { timeout: timeoutMs },
  );
  return fortellisStatus(page);
}

/** Waits for a notification toast containing the text, and returns its text. */
export async function waitForNotification(page: Page, text: string, timeoutMs = 30_000): Promise<string> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await toast.textContent()) ?? '';
}

/** Waits until no progress notification ("…") is on screen, e.g. before a screenshot. */
export async function waitForProgressToEnd(page: Page, timeoutMs = 10_000): Promise<void> {
  await page.waitForFunction(
    () => !Array.from(document.querySelectorAll('.notifications-toasts .notification-toast')).some((toast) => (toast.textContent ?? '').includes('…')),
    undefined,
    { timeout: timeoutMs },
  );
}

export interface DemoCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}

/**
 * The main job, as a new user does it: "Get Fortellis Token" in the palette, the sandbox environment,
 * the key and the secret in the input boxes, then the countdown in the status bar.
 * Returns the milliseconds from running the command to the countdown showing (typing included), and from
 * the last answer to the countdown (the extension's own share: token request, storage, status bar).
 */
export async function getTokenThroughPalette(
  page: Page,
  credentials: DemoCredentials,
): Promise<{ commandToCountdownMs: number; lastAnswerToCountdownMs: number; prompts: string[]; secretMasked: boolean }> {
  await waitForStatus(page, /^Fortellis/);
  const started = Date.now();
  await runCommand(page, 'Get Fortellis Token', 'Fortellis: Get Fortellis Token');
  const prompts: string[] = [];
  prompts.push((await waitForQuickInput(page, '(1/5)')).title);
  await pick(page, 'Local sandbox');
  prompts.push((await waitForQuickInput(page, '(2/5)')).title);
  await answer(page, 'sandbox');
  prompts.push((await waitForQuickInput(page, '(3/5)')).title);
  await answer(page, credentials.apiKey);
  const secretBox = await waitForQuickInput(page, '(4/5)');
  prompts.push(secretBox.title);
  await answer(page, credentials.apiSecret);
  prompts.push((await waitForQuickInput(page, '(5/5)')).title);
  await answer(page, '');
  const lastAnswer = Date.now();
  await waitForStatus(page, /Fortellis: sandbox · \d+m$/);
  const now = Date.now();
  return { commandToCountdownMs: now - started, lastAnswerToCountdownMs: now - lastAnswer, prompts, secretMasked: secretBox.masked };
}

/** Closes every notification, as "Notifications: Clear All Notifications" does, so the next toast checked is new. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Clear All Notifications', 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
}

/** The labels of the buttons on the notification toast containing the text. */
export async function notificationButtons(page: Page, text: string): Promise<string[]> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  return (await toast.locator('.monaco-button').allTextContents()).map((label) => label.trim()).filter(Boolean);
}

/** Clicks a button (e.g. "Cancel") on the notification toast containing the text. */
export async function clickNotificationButton(page: Page, text: string, button: string): Promise<void> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.locator('.monaco-button', { hasText: button }).first().click();
}

/** Rests the pointer on the status-bar entry showing `itemText`, and returns the tooltip containing `hoverText`. */
export async function statusBarTooltip(page: Page, itemText: string, hoverText: string): Promise<string> {
  await page.locator('.statusbar-item', { hasText: itemText }).first().hover();
  const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: hoverText }).first();
  await hover.waitFor({ state: 'visible' });
  const text = (await hover.textContent()) ?? '';
  await page.keyboard.press('Escape');
  await page.mouse.move(600, 300);
  await hover.waitFor({ state: 'hidden' }).catch(() => undefined);
  return text;
}

/**
 * Like runCommand, for a command whose name is also the start of another one's ("Sign In with Browser" and
 * "Sign In with Browser (Legacy Implicit Flow)"), where recently used commands come first: moves to the row whose
 * label is exactly `label` and presses Enter.
 */
export async function runCommandNamed(page: Page, typed: string, label: string): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('F1');
  await page.locator(QUICK_INPUT_BOX).waitFor({ state: 'visible' });
  await page.keyboard.type(typed);
  const exactly = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const row = page
    .locator(QUICK_INPUT_ROWS)
    .filter({ has: page.locator('.label-name', { hasText: exactly }) })
    .first();
  await row.waitFor();
  // The arrow keys move the focus to it, as a person does; then Enter.
  for (let step = 0; step < 20 && !(await row.evaluate((element) => element.classList.contains('focused'))); step++) {
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
}

/** The message of the notification toast containing the text, without its source and buttons. */
export async function notificationMessage(page: Page, text: string): Promise<string> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  return (await toast.locator('.notification-list-item-message').innerText()).trim();
}

/**
 * Replaces the user's settings.json the way a person does in the workbench: "Preferences: Open User Settings (JSON)",
 * select all, paste, save, close. (code-server does not notice the file changing on disk behind its back.)
 * Returns once `file` (that settings.json) holds the text, before the editor closes: closing an unsaved editor would ask.
 */
export async function replaceUserSettingsJson(page: Page, text: string, file: string): Promise<void> {
  await runCommand(page, 'Open User Settings (JSON)', 'Preferences: Open User Settings (JSON)');
  // It opens focused, in a modal editor (VS Code 1.139) or a tab.
  await page.locator('.monaco-editor.focused').waitFor();
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  const deadline = Date.now() + 15_000;
  let saved = false;
  while (!saved && Date.now() < deadline) {
    // Saving again is harmless; it covers a paste the editor applied after the first save.
    await page.keyboard.press('ControlOrMeta+S');
    for (let poll = 0; poll < 10 && !saved; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      saved = (await readFile(file, 'utf8').catch(() => '')) === text;
    }
  }
  if (!saved) {
    throw new Error(`The workbench did not save ${file} within 15 s.`);
  }
  const modal = page.locator('.monaco-modal-editor-block');
  if (await modal.isVisible()) {
    await modal.locator('.action-label[aria-label^="Close Modal Editor"]').click();
    await modal.waitFor({ state: 'hidden' });
  } else {
    await runCommand(page, 'View: Close All Editors', 'View: Close All Editors');
  }
}

/** The messages of the notification toasts on screen, without their sources and buttons. */
export async function notificationMessages(page: Page): Promise<string[]> {
  const messages = await page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();
  return messages.map((message) => message.trim());
}

/** Waits until no status-bar entry matches `pattern` (e.g. a countdown that goes away on sign-out). */
export async function waitForStatusGone(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(
    (source) => !Array.from(document.querySelectorAll('.statusbar .statusbar-item')).some((item) => new RegExp(source).test((item.textContent ?? '').trim())),
    pattern.source,
    { timeout: timeoutMs },
  );
}

const DIALOG = '.monaco-dialog-box';

/** Waits for the workbench's modal dialog to show text containing `text`; returns its message and its buttons' labels. */
export async function waitForDialog(page: Page, text: string, timeoutMs = 30_000): Promise<{ message: string; buttons: string[] }> {
  const dialog = page.locator(DIALOG, { hasText: text });
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const message = (await dialog.locator('.dialog-message-container').innerText()).trim();
  const buttons = (await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((label) => label.trim());
  return { message, buttons };
}

/** Clicks a button of the modal dialog, as a person does, and waits for the dialog to close. */
export async function clickDialogButton(page: Page, label: string): Promise<void> {
  const dialog = page.locator(DIALOG);
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Clicks the Accounts icon at the bottom of the activity bar; returns the labels of the menu it opens. */
export async function openAccountsMenu(page: Page): Promise<string[]> {
  await page.locator('.activitybar .action-item', { has: page.locator('.codicon-accounts-view-bar-icon') }).click();
  const menu = page.locator('.context-view .monaco-menu').first();
  await menu.waitFor();
  return (await menu.locator('a.action-menu-item .action-label').allInnerTexts()).map((label) => label.trim());
}

/** In the open menu: rests the pointer on the item `label`; returns the labels of the submenu that opens. */
export async function openSubmenu(page: Page, label: string): Promise<string[]> {
  await page.getByRole('menuitem', { name: label, exact: true }).hover();
  const submenu = page.locator('.context-view .monaco-submenu .monaco-menu');
  await submenu.waitFor();
  return (await submenu.locator('a.action-menu-item .action-label').allInnerTexts()).map((item) => item.trim());
}

/** Clicks the item `label` of the open menu or submenu. */
export async function clickMenuItem(page: Page, label: string): Promise<void> {
  await page.getByRole('menuitem', { name: label, exact: true }).click();
}
