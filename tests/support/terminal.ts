/**
 * Driving the lesson terminal in end-to-end tests the way a learner does, and reading it the
 * way a screen reader does (xterm's screen-reader DOM).
 */
import {expect, type Locator, type Page} from '@playwright/test';

export const terminalScreen = (page: Page): Locator => page.locator('[data-testid=terminal-screen]');

/** The terminal's text as screen readers (and these tests) see it. */
export const screenText = (page: Page): Locator => page.locator('[data-testid=terminal] .xterm-accessibility-tree');

/** How many command lines have finished since the terminal opened. */
export async function runs(page: Page): Promise<number> {
  return Number(await terminalScreen(page).getAttribute('data-runs'));
}

/** Waits until `count` more command lines have finished and the prompt is back. */
export async function waitRuns(page: Page, before: number, count = 1): Promise<void> {
  await expect.poll(() => runs(page), {timeout: 45_000}).toBeGreaterThanOrEqual(before + count);
  await expect(terminalScreen(page)).toHaveAttribute('data-state', 'ready');
}

/** Clicks «Запустить терминал» on the current page and waits for the prompt. */
export async function launchTerminal(page: Page): Promise<void> {
  await page.getByRole('button', {name: 'Запустить терминал'}).click();
  await expect(terminalScreen(page)).toHaveAttribute('data-state', 'ready', {timeout: 20_000});
}

/** Types a command as a learner would, presses Enter, waits for it to finish. */
export async function type(page: Page, command: string): Promise<void> {
  const before = await runs(page);
  await page.locator('[data-testid=terminal] .xterm-helper-textarea').focus();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  await waitRuns(page, before);
}

/** Pastes text into the terminal (a clipboard paste event, as Ctrl-V delivers it). */
export async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.querySelector('[data-testid=terminal] .xterm-helper-textarea')?.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
  }, text);
}

/** Clicks a step's «Проверить шаг» and waits for the answer (passed or missing). */
export async function checkStep(box: Locator): Promise<Locator> {
  await box.scrollIntoViewIfNeeded();
  await box.getByRole('button', {name: 'Проверить шаг'}).click();
  await expect(box).not.toHaveAttribute('data-result', /idle|checking/, {timeout: 30_000});
  return box;
}
