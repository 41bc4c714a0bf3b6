import {expect, test, type Locator, type Page} from '@playwright/test';
import {launchTerminal} from '../support/terminal';

/** One terminal of the dock: its tab, its panel, what it shows (xterm's screen-reader DOM), its finished lines. */
function terminal(page: Page, n: number): {tab: Locator; panel: Locator; text: Locator; screen: Locator; runs: () => Promise<number>} {
  const panel = page.getByTestId(`terminal-panel-${n}`);
  const screen = panel.getByTestId('terminal-screen');
  return {
    tab: page.getByRole('tab', {name: new RegExp(`^Терминал ${n}`)}),
    panel,
    screen,
    text: panel.locator('.xterm-accessibility-tree'),
    runs: async () => Number(await screen.getAttribute('data-runs')),
  };
}

test('several terminals: logs -f in one shows a request sent from another; typing at machine speed right after «+» loses nothing', async ({page}) => {
  await page.setViewportSize({width: 1280, height: 900});
  await page.goto('/docs/scenarios/service-a-service-b');
  await launchTerminal(page);
  const one = terminal(page, 1);
  await expect(page.getByRole('tablist', {name: 'Терминалы песочницы'})).toBeVisible();
  await expect(one.tab).toHaveAttribute('aria-selected', 'true');

  // terminal 1 follows ServiceA's sidecar log, typed at a person's pace
  await page.locator('[data-testid=terminal-panel-1] .xterm-helper-textarea').focus();
  await page.keyboard.type('kubectl logs -f deploy/service-a -c istio-proxy -n demo --tail=0', {delay: 40});
  await page.keyboard.press('Enter');
  await expect(one.screen).toHaveAttribute('data-state', 'busy');

  // «+» opens terminal 2; keys typed at once, at machine speed, all arrive
  await page.getByRole('button', {name: 'Открыть ещё один терминал'}).click();
  await page.keyboard.type('curl -s -o /dev/null -w "code=%{http_code}\\n" -H "User-Agent: from-terminal-2" http://$INGRESS_HOST/\n');
  const two = terminal(page, 2);
  await expect(two.tab).toHaveAttribute('aria-selected', 'true');
  await expect(one.panel).toBeHidden();
  await expect.poll(two.runs, {timeout: 30_000}).toBe(1);
  await expect(two.text).toContainText('code=200');
  const typed = await two.text.innerText();
  expect(typed).toContain('$ curl -s -o /dev/null -w "code=%{http_code}\\n" -H "User-Agent: from-terminal-2" http://$INGRESS_HOST/');
  expect(typed).not.toMatch(/command not found|not found/);
  // its own shell: in ~, with the lesson's variables
  await page.keyboard.type('cd examples && echo "host=$INGRESS_HOST"\n');
  await expect.poll(two.runs).toBe(2);
  await expect(two.text).toContainText(/host=\d+\.\d+\.\d+\.\d+/);

  // back in terminal 1 (a click on its tab): the request is in the followed log, and logs -f still runs
  await one.tab.click();
  await expect(one.text).toContainText('"from-terminal-2"', {timeout: 10_000});
  await expect(one.text).toContainText(/"GET \/ HTTP\/1\.1" 200/);
  await expect(one.screen).toHaveAttribute('data-state', 'busy');
  await page.screenshot({path: test.info().outputPath('two-terminals.png')});

  // Ctrl-C stops the follow in terminal 1 only; its prompt is still in ~, terminal 2's in ~/examples
  await page.keyboard.press('Control+C');
  await expect(one.screen).toHaveAttribute('data-state', 'ready');
  await expect.poll(one.runs).toBe(1);
  await expect(one.text).toContainText(/\(default\) ~ \$/);

  // the keyboard: ←/→ move between tabs, Delete closes the focused one (not the first)
  await one.tab.focus();
  await page.keyboard.press('ArrowRight');
  await expect(two.tab).toBeFocused();
  await expect(two.tab).toHaveAttribute('aria-selected', 'true');
  await expect(two.text).toContainText(/\(default\) ~\/examples \$/);
  await page.keyboard.press('Delete');
  await expect(two.tab).toHaveCount(0);
  await expect(one.tab).toBeFocused();
  await expect(one.tab).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Delete');
  await expect(one.tab).toHaveCount(1);
  await page.screenshot({path: test.info().outputPath('one-terminal-again.png')});
});

test('kubectl exec -it POD -- sh: the pod’s shell in the terminal, its files and environment, requests through its sidecar, exit back to the node', async ({page}) => {
  await page.setViewportSize({width: 1280, height: 900});
  await page.goto('/docs/scenarios/service-a-service-b');
  await launchTerminal(page);
  await page.getByRole('button', {name: 'Во весь экран'}).click();
  const one = terminal(page, 1);
  await page.locator('[data-testid=terminal-panel-1] .xterm-helper-textarea').focus();
  // at a person's pace
  await page.keyboard.type('kubectl exec -it deploy/service-a -n demo -- sh', {delay: 30});
  await page.keyboard.press('Enter');
  await expect.poll(one.runs, {timeout: 30_000}).toBe(1);
  await expect(one.text).toContainText(/sh\s*\/ # \s*$/);
  // at machine speed: several lines typed at once run in the pod's shell, in order
  await page.keyboard.type('cat /etc/resolv.conf\nhostname\nenv | grep KUBERNETES_SERVICE_HOST\nwget -qO- service-a.demo | grep body\nkubectl get pods\n');
  await expect.poll(one.runs, {timeout: 30_000}).toBe(6);
  await expect(one.text).toContainText('sh: kubectl: not found');
  const text = await one.text.innerText();
  expect(text).toContain('search demo.svc.cluster.local svc.cluster.local cluster.local');
  expect(text).toContain('nameserver 10.96.0.10');
  expect(text).toContain('options ndots:5');
  expect(text).toMatch(/\/ # hostname\s+service-a-[a-z0-9]+-[a-z0-9]{5}/);
  expect(text).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1');
  expect(text).toContain('"body": "Hello from ServiceA"');
  expect(text).toContain('sh: kubectl: not found');
  await page.screenshot({path: test.info().outputPath('pod-shell.png')});
  await page.keyboard.type('exit\n');
  await expect.poll(one.runs).toBe(7);
  await expect(one.text).toContainText(/command terminated with exit code 127\s*\(default\) ~ \$/);
  await page.keyboard.type('kubectl exec -it deploy/service-a -n demo -- bash\n');
  await expect.poll(one.runs).toBe(8);
  await expect(one.text).toContainText('exec: "bash": executable file not found in $PATH: unknown');
});
