/**
 * The «Трафик» view beside the lesson's terminal: after a scenario's steps the mesh graph shows
 * its edges and the split chart its shares; a curl's path names the VirtualService rule that
 * matched and the response flag of an injected fault. Screenshots in both themes go to
 * test-results/ for a person to look at; axe checks the view has no serious violation.
 */
import AxeBuilder from '@axe-core/playwright';
import {expect, test, type Page} from '@playwright/test';
import {launchTerminal, screenText, type} from '../support/terminal';

async function openTraffic(page: Page): Promise<void> {
  await page.getByTestId('traffic-toggle').click();
  await expect(page.getByTestId('traffic-view')).toBeVisible({timeout: 15_000});
}

async function noSeriousViolations(page: Page): Promise<void> {
  const r = await new AxeBuilder({page}).include('[data-testid=traffic-view]').withTags(['wcag2a', 'wcag2aa']).analyze();
  const serious = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  expect(serious).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({colorScheme: scheme, viewport: {width: 1400, height: 1000}});

    test('resilience: the path of a fault-injected curl names the matched rule and FI; the graph shows the edge', async ({page}) => {
      test.setTimeout(60_000);
      await page.goto('/docs/practice/resilience');
      await launchTerminal(page);
      await page.getByRole('button', {name: 'Во весь экран'}).click();
      await type(page, 'kubectl apply -f examples/resilience/namespace.yaml -f examples/resilience/inventory.yaml -f examples/resilience/client.yaml');
      await type(page, 'kubectl rollout status deployment/client -n shop && kubectl rollout status deployment/inventory -n shop');
      await type(page, 'kubectl apply -f examples/resilience/virtual-service-fault.yaml');
      await type(page, "kubectl exec deploy/client -n shop -- curl -s -H 'x-fault: abort' http://inventory:9090/");
      await openTraffic(page);

      await page.getByRole('tab', {name: 'Путь запроса'}).click();
      const path = page.getByTestId('request-path');
      await expect(path).toContainText('GET http://inventory:9090/');
      await expect(path.getByTestId('path-route')).toContainText('VirtualService shop/inventory, правило http[0]');
      await expect(path.getByTestId('path-route')).toContainText('header x-fault exact abort');
      await expect(path.getByTestId('path-response')).toContainText('ответ 503, флаги FI');
      await expect(path.getByTestId('path-response')).toContainText('fault_filter_abort');
      await page.screenshot({path: `test-results/traffic-path-${scheme}.png`});

      await type(page, 'kubectl exec deploy/client -n shop -- curl -s -o /dev/null http://inventory:9090/');
      await page.getByRole('tab', {name: 'Граф'}).click();
      const toInventory = page.locator('[data-testid=graph-edge][data-from="shop/client"][data-to="shop/inventory"]');
      await expect(toInventory).toHaveCount(1, {timeout: 10_000});
      await expect(page.locator('[data-testid=graph-edge][data-from="shop/client"][data-to="service:shop/inventory"]')).toHaveAttribute('aria-label', /503 × 1.*флаги: FI × 1/);
      // keyboard: Tab to the edge, Enter shows its details
      await toInventory.focus();
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('graph-detail')).toContainText('client → inventory: 1 запрос');
      await expect(page.getByTestId('graph-detail')).toContainText('все по mTLS');
      await page.screenshot({path: `test-results/traffic-graph-${scheme}.png`});
      await noSeriousViolations(page);
    });
  });
}

test('traffic-split: the graph shows the lesson chain and the split chart the 90/10 shares with their range', async ({page}) => {
  test.setTimeout(60_000);
  await page.setViewportSize({width: 1400, height: 1000});
  await page.goto('/docs/scenarios/traffic-split');
  await launchTerminal(page);
  await page.getByRole('button', {name: 'Во весь экран'}).click();
  await type(page, 'kubectl apply -f examples/traffic-split/service-c.yaml -f examples/traffic-split/service.yaml -f examples/traffic-split/virtual-service-90-10.yaml');
  await type(page, 'kubectl rollout status deployment/service-c -n demo');
  await type(page, 'for i in $(seq 1 100); do curl -s -o /dev/null http://$INGRESS_HOST/; done');
  await openTraffic(page);
  const edge = (from: string, to: string) => page.locator(`[data-testid=graph-edge][data-from="${from}"][data-to="${to}"]`);
  await expect(edge('client', 'istio-system/istio-ingressgateway')).toHaveAttribute('aria-label', /100 запросов/);
  await expect(edge('istio-system/istio-ingressgateway', 'demo/service-a-app')).toHaveAttribute('aria-label', /все по mTLS/);
  await expect(edge('demo/service-a-app', 'demo/service-b-app')).toHaveCount(1);
  await expect(edge('demo/service-a-app', 'demo/service-c-app')).toHaveCount(1);
  await page.screenshot({path: 'test-results/traffic-split-graph-light.png'});
  await page.getByRole('tab', {name: 'Доли'}).click();
  const chart = page.getByTestId('split-chart');
  await expect(chart).toContainText('VirtualService demo/producer-internal-host, правило http[0] в прокси demo/service-a-app: 100 запросов');
  const numbers = chart.getByTestId('split-numbers');
  await expect(numbers.nth(0)).toContainText(/из 100 .* вес 90 % · ожидаемо 82–97/);
  await expect(numbers.nth(1)).toContainText(/из 100 .* вес 10 % · ожидаемо 3–18/);
  await page.screenshot({path: 'test-results/traffic-split-light.png'});
});

test('a marker after a curl opens its path: the matched route; the pipe saw only what curl printed', async ({page}) => {
  test.setTimeout(60_000);
  await page.setViewportSize({width: 1400, height: 1000});
  await page.goto('/docs/scenarios/service-a-service-b');
  await launchTerminal(page);
  await type(page, 'echo before-any-request');
  // a command that sends no request gets no marker
  await expect(page.getByTestId('request-marker')).toHaveCount(0);
  await type(page, 'curl -s http://$INGRESS_HOST/ | grep -c \'"name"\'');
  const marker = page.getByTestId('request-marker');
  await expect(marker).toHaveCount(1);
  await expect(marker).toHaveText('→ путь запроса');
  await type(page, 'for i in 1 2 3; do curl -s -o /dev/null -H "x-try: $i" http://$INGRESS_HOST/; done');
  // between the line and the next prompt, only the count grep printed: the marker is neither in the pipe nor in the screen's text
  await expect(screenText(page)).toContainText(/grep -c '"name"'\s*1\s*\(default\) ~ \$ for i in 1 2 3/);
  await expect(marker).toHaveCount(2);
  await expect(marker.nth(1)).toHaveText('→ пути запросов (3)');

  // the first marker: the «Трафик» view opens on that request's path, the focus stays in the terminal
  await marker.first().click();
  await expect(page.getByTestId('traffic-view')).toBeVisible({timeout: 15_000});
  await expect(page.getByRole('tab', {name: 'Путь запроса'})).toHaveAttribute('aria-selected', 'true');
  const path = page.getByTestId('request-path');
  await expect(path).toContainText('GET http://');
  await expect(path.getByTestId('path-route').first()).toContainText('VirtualService demo/service-a, правило http[0]');
  await expect(page.locator('[data-testid=traffic-request][aria-current=true]')).toHaveText(/200 GET http:\/\//);
  // the request list beside it is the keyboard's way to the same paths: the chosen one is the oldest of the four
  await expect(page.getByTestId('traffic-request')).toHaveCount(4);
  await expect(page.getByTestId('traffic-request').last()).toHaveAttribute('aria-current', 'true');
  await expect(page.locator('[data-testid=terminal] .xterm-helper-textarea')).toBeFocused();
  await page.screenshot({path: 'test-results/traffic-marker-light.png'});

  // the second: the last of its three requests
  await marker.nth(1).click();
  await expect(page.getByTestId('traffic-request').first()).toHaveAttribute('aria-current', 'true');
});
