import {expect, test, type Page} from '@playwright/test';
import {buildShareUrl} from '../../src/components/ManifestEditor/share';
import {launchTerminal, runs, screenText, terminalScreen, type, waitRuns} from '../support/terminal';

/**
 * The page is safe against what it displays and what it is given: a stranger's share link is
 * only loaded into the editor and applied as data, terminal output cannot type for the learner,
 * only http(s) links open, and damaged stored state gives a fresh start with a notice.
 */

const LESSON = '/docs/scenarios/ingress-service-a';
const NAMESPACE = 'ingress-service-a/namespace.yaml';

/** Fails the test on any dialog (an alert from a javascript: link, a confirm from xterm). */
function noDialogs(page: Page): void {
  page.on('dialog', (d) => {
    throw new Error(`unexpected ${d.type()} dialog: ${d.message()}`);
  });
}

test('a share link whose YAML holds lone carriage returns applies the manifest and runs nothing else', async ({page, baseURL}) => {
  noDialogs(page);
  // Before the fix, the apply was a here-document on the command line: "\r" ended a line in the
  // terminal, the line "EOF" closed the here-document, and the rest ran as commands.
  const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shared # \rEOF\rkubectl delete namespace istio-system\recho PWNED\r\n';
  const url = await buildShareUrl(`${baseURL}${LESSON}`, NAMESPACE, text);
  await page.goto(url);
  const block = page.locator(`figure[data-manifest="${NAMESPACE}"]`);
  await expect(block).toHaveAttribute('data-interactive', 'true', {timeout: 20_000});
  await expect(block.getByRole('status')).toContainText('Открыта правка из ссылки', {timeout: 10_000});
  // opening the link ran nothing: the terminal is not even started
  await expect(page.getByTestId('terminal')).toHaveCount(0);

  await block.getByRole('button', {name: 'Применить в песочнице'}).click();
  await expect(terminalScreen(page)).toHaveAttribute('data-state', 'ready', {timeout: 20_000});
  await expect.poll(() => runs(page), {timeout: 30_000}).toBe(1);
  await expect(screenText(page)).toContainText('$ kubectl apply -f ~/edited/ingress-service-a/namespace.yaml');
  await expect(screenText(page)).toContainText('namespace/shared created');
  await type(page, 'kubectl get ns istio-system -o name');
  await expect(screenText(page)).toContainText('namespace/istio-system');
  await expect(screenText(page)).not.toContainText('PWNED');
  await expect(screenText(page)).not.toContainText('deleted');
  expect(await runs(page)).toBe(2);
});

test('output cannot type for the learner, and only http(s) links open', async ({page}) => {
  noDialogs(page);
  const popups: string[] = [];
  page.context().on('page', (p) => popups.push(p.url()));
  await page.goto(LESSON);
  await launchTerminal(page);
  // device attributes (DA1, DA2), a setting report (DECRQSS), the cursor position (DSR): a
  // terminal answers them as if typed (once `[>0;276;0c1$r0m\` appeared at the prompt)
  await type(page, "printf '\\033[c\\033[>c\\033P$qm\\033\\\\\\033[6n\\n'");
  // an OSC 8 hyperlink to javascript: is shown as text, not a link
  await type(page, "printf '\\033]8;;javascript:alert(1)\\033\\\\CLICK-ME\\033]8;;\\033\\\\\\n'");
  await type(page, 'echo typed-by-me');
  await expect(screenText(page)).toContainText('$ echo typed-by-me');
  const text = await screenText(page).innerText();
  expect(text).not.toMatch(/276|\$r|command not found|1;2c/);
  // the row that shows the link's text (xterm's screen layer takes the pointer, so aim by coordinates)
  const row = page.locator('[data-testid=terminal] .xterm-rows > div', {hasText: /^\s*CLICK-ME\s*$/}).first();
  const box = await row.boundingBox();
  if (!box) throw new Error('the CLICK-ME row is not on screen');
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.waitForTimeout(100);
  // a link under the pointer would be underlined and get a pointer cursor; this text is not a link
  expect(await page.locator('[data-testid=terminal] .xterm-screen').evaluate((el) => getComputedStyle(el).cursor)).not.toBe('pointer');
  await page.mouse.click(box.x + 20, box.y + box.height / 2);
  await page.waitForTimeout(300);
  expect(popups).toEqual([]);
});

test('a corrupted sandbox snapshot in IndexedDB and a damaged saved edit give a fresh start with notices', async ({page}) => {
  await page.goto(LESSON);
  await launchTerminal(page);
  await type(page, 'kubectl apply -f examples/ingress-service-a/namespace.yaml');
  await expect(screenText(page)).toContainText('namespace/demo created');
  // the worker saves the snapshot after the command; replace it (and a saved edit) with garbage
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          new Promise<boolean>((resolve) => {
            const open = indexedDB.open('istio-practicum-sandbox', 1);
            open.onsuccess = () => {
              const tx = open.result.transaction('snapshots', 'readwrite');
              const store = tx.objectStore('snapshots');
              const get = store.get('ingress-service-a');
              get.onsuccess = () => {
                if (get.result === undefined) return resolve(false);
                store.put({version: 1, fs: 'garbage', cluster: {objects: [{metadata: {ownerReferences: 7}}]}, shell: null}, 'ingress-service-a');
                tx.oncomplete = () => resolve(true);
              };
            };
            open.onerror = () => resolve(false);
          }),
      ),
    )
    .toBe(true);
  await page.evaluate(() => localStorage.setItem('istio-practicum:manifest-edit:v1:/docs/scenarios/ingress-service-a:ingress-service-a/gateway.yaml', '{"v":1,"text":'));

  await page.reload();
  const gateway = page.locator('figure[data-manifest="ingress-service-a/gateway.yaml"]');
  await expect(gateway).toHaveAttribute('data-interactive', 'true', {timeout: 20_000});
  await expect(gateway.getByRole('status')).toContainText('повреждена и не читается');
  await launchTerminal(page);
  await expect(screenText(page)).toContainText('Сохранённая песочница урока повреждена и отброшена: урок начат заново.');
  const before = await runs(page);
  await type(page, 'kubectl get ns demo');
  await waitRuns(page, before);
  await expect(screenText(page)).toContainText('namespaces "demo" not found');
});
