import {readFileSync} from 'node:fs';
import {expect, test, type Locator, type Page} from '@playwright/test';
import {checkStep, launchTerminal, paste, runs, screenText, terminalScreen, type, waitRuns} from '../support/terminal';

async function openTerminal(page: Page, lesson: string): Promise<void> {
  await page.goto(`/docs/scenarios/${lesson}`);
  await launchTerminal(page);
  // a tall screen keeps long outputs (curl's JSON) in view
  await page.getByRole('button', {name: 'Во весь экран'}).click();
}

/** Clicks the «Выполнить» button of the first bash block whose text contains `command`. */
async function runBlock(page: Page, command: string, lines = 1): Promise<void> {
  const before = await runs(page);
  if (await page.getByRole('button', {name: 'Обычный размер'}).isVisible()) await page.getByRole('button', {name: 'Обычный размер'}).click();
  const button = page.locator(`button[data-run-command*="${command.replace(/"/g, '\\"')}"]`).first();
  await button.scrollIntoViewIfNeeded();
  await button.click();
  await waitRuns(page, before, lines);
  await page.getByRole('button', {name: 'Во весь экран'}).click();
}

/** Checks a step (leaving fullscreen so the step is in view). */
async function checkPageStep(page: Page, step: string): Promise<Locator> {
  if (await page.getByRole('button', {name: 'Обычный размер'}).isVisible()) await page.getByRole('button', {name: 'Обычный размер'}).click();
  return checkStep(page.locator(`[data-step="${step}"]`));
}

test('keys typed at machine speed right after «Запустить терминал» and during a command arrive, in order', async ({page}) => {
  await page.goto('/docs/scenarios/ingress-service-a');
  // the learner's click counts once React has hydrated the page
  await expect(page.locator('html')).toHaveAttribute('data-has-hydrated', 'true', {timeout: 20_000});
  await page.getByRole('button', {name: 'Запустить терминал'}).click();
  // no waiting for the prompt: a tty keeps type-ahead (once, `kubectl get ns` ran as `ctl get ns`)
  await page.keyboard.type('kubectl get ns\n');
  await expect.poll(() => runs(page), {timeout: 30_000}).toBe(1);
  await expect(screenText(page)).toContainText('istio-system');
  // typed while `sleep 2` runs: delivered after it
  await page.keyboard.type('sleep 2\n');
  await page.keyboard.type('echo after-sleep\n');
  await expect.poll(() => runs(page), {timeout: 30_000}).toBe(3);
  await expect(screenText(page)).toContainText(/echo after-sleep\s*after-sleep/);
  const text = await screenText(page).innerText();
  expect(text).toMatch(/\$ sleep 2[\s\S]*\$ echo after-sleep\s+after-sleep/);
  expect(text).not.toContain('command not found');
});

test.describe('scenario lessons in the browser sandbox', () => {
  test('Ingress → ServiceA: steps by buttons and typing, checks, reload keeps the state', async ({page}) => {
    await page.setViewportSize({width: 1280, height: 1000});
    await openTerminal(page, 'ingress-service-a');
    // before anything is applied, the check says what is missing, in Russian
    const early = await checkPageStep(page, 'namespace');
    await expect(early).toHaveAttribute('data-result', 'missing');
    await expect(early).toContainText('namespace demo');
    // the lesson starts with the access log off (istioctl install's default); step 0 turns it on
    await runBlock(page, 'istioctl install -y --set meshConfig.accessLogFile=/dev/stdout');
    await expect(await checkPageStep(page, 'access-log')).toHaveAttribute('data-result', 'passed');

    await runBlock(page, 'kubectl apply -f examples/ingress-service-a/namespace.yaml');
    await expect(await checkPageStep(page, 'namespace')).toHaveAttribute('data-result', 'passed');
    await runBlock(page, 'service-a.yaml -f examples/ingress-service-a/service.yaml', 2);
    await runBlock(page, 'kubectl apply -f examples/ingress-service-a/gateway.yaml');
    await runBlock(page, 'export INGRESS_HOST', 3);
    await type(page, 'kubectl rollout status deployment/service-a -n demo');
    await type(page, 'kubectl apply -f examples/ingress-service-a/virtual-service.yaml');
    await type(page, 'curl -s http://$INGRESS_HOST/');
    await expect(screenText(page)).toContainText('Hello from ServiceA');
    await expect(await checkPageStep(page, 'service-a')).toHaveAttribute('data-result', 'passed');
    await expect(await checkPageStep(page, 'virtual-service')).toHaveAttribute('data-result', 'passed');

    await page.reload();
    await expect(page.locator('[data-step="virtual-service"]')).toHaveAttribute('data-result', 'passed');
    await page.getByRole('button', {name: 'Запустить терминал'}).click();
    await expect(page.locator('[data-testid=terminal-screen]')).toHaveAttribute('data-state', 'ready', {timeout: 20_000});
    await type(page, 'kubectl get virtualservice -n demo');
    await expect(screenText(page)).toContainText('service-a');
    // the sandbox itself came back, logs included: the one curl typed before the reload is in
    // service-a's access log, and the step checks (which send requests too) left no lines there
    await type(page, `echo "GET lines: $(kubectl logs -n demo -l app=service-a-app -c istio-proxy | grep -c 'GET / HTTP/1.1')"`);
    await expect(screenText(page)).toContainText('GET lines: 1');
    // history survived too: ↑ three times brings back the curl typed before the reload
    await page.locator('[data-testid=terminal] .xterm-helper-textarea').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
    await expect(screenText(page)).toContainText('$ curl -s http://$INGRESS_HOST/');
  });

  test('Ingress → ServiceA → ServiceB: the response shows the chain', async ({page}) => {
    await page.setViewportSize({width: 1280, height: 1200});
    await openTerminal(page, 'service-a-service-b');
    await runBlock(page, 'service-b.yaml -f examples/service-a-service-b/service.yaml', 2);
    await runBlock(page, 'kubectl apply -f examples/service-a-service-b/virtual-service.yaml');
    await runBlock(page, 'kubectl apply -f examples/service-a-service-b/service-a.yaml', 2);
    await expect(await checkPageStep(page, 'service-a-calls-b')).toHaveAttribute('data-result', 'passed');
    await type(page, 'clear');
    await runBlock(page, 'curl -s http://$INGRESS_HOST/');
    await expect(screenText(page)).toContainText('Hello from ServiceA');
    await expect(screenText(page)).toContainText('"http://producer-internal-host"');
    await expect(screenText(page)).toContainText('Hello from ServiceB');
    await expect(await checkPageStep(page, 'chain')).toHaveAttribute('data-result', 'passed');
  });

  test('traffic split: both ServiceB and ServiceC answer at 50/50, an edited manifest moves it all to C', async ({page}) => {
    await openTerminal(page, 'traffic-split');
    await runBlock(page, 'service-c.yaml -f examples/traffic-split/service.yaml', 2);
    await type(page, 'kubectl rollout status deployment/service-c -n demo');
    // step 2 of the lesson is the 90/10 split; its check counts 60 requests against the split's 99 % range
    await runBlock(page, 'virtual-service-90-10.yaml');
    await expect(await checkPageStep(page, 'split')).toHaveAttribute('data-result', 'passed');
    await type(page, 'clear');
    await runBlock(page, 'virtual-service-50-50.yaml', 2);
    const count = async (name: string): Promise<number> => Number(new RegExp(`(\\d+) "name": "${name}"`).exec(await screenText(page).innerText())?.[1] ?? 0);
    await expect.poll(async () => (await count('service-b')) + (await count('service-c'))).toBe(100);
    const b = await count('service-b');
    const c = await count('service-c');
    expect(b).toBeGreaterThan(30);
    expect(c).toBeGreaterThan(30);
    // a learner edits the weights (ServiceB 50 → 0, ServiceC 50 → 100), pastes the manifest as a here-document and applies it
    await type(page, 'clear');
    const before = await runs(page);
    const edited = readFileSync('examples/traffic-split/virtual-service-50-50.yaml', 'utf8').replace('weight: 50', 'weight: 0').replace('weight: 50', 'weight: 100');
    await paste(page, `cat > my-split.yaml <<'EOF'\n${edited}EOF\nkubectl apply -f my-split.yaml\n`);
    await waitRuns(page, before, 2);
    await expect(screenText(page)).toContainText('virtualservice.networking.istio.io/producer-internal-host configured');
    await type(page, `for i in $(seq 1 20); do curl -s http://$INGRESS_HOST/ | grep -o '"name": "service-[bc]"'; done | sort | uniq -c`);
    await expect(screenText(page)).toContainText('20 "name": "service-c"');
    await expect(await checkPageStep(page, 'all-to-c')).toHaveAttribute('data-result', 'passed');
  });

  test('traffic split: a manifest edited in its block goes to the sandbox with «Применить в песочнице»', async ({page}) => {
    await openTerminal(page, 'traffic-split');
    await runBlock(page, 'service-c.yaml -f examples/traffic-split/service.yaml', 2);
    await type(page, 'kubectl rollout status deployment/service-c -n demo');
    await page.getByRole('button', {name: 'Обычный размер'}).click();
    // the learner turns the 50/50 block into 10/90 in the editor
    const manifest = page.locator('figure[data-manifest="traffic-split/virtual-service-50-50.yaml"]');
    await manifest.scrollIntoViewIfNeeded();
    await expect(manifest).toHaveAttribute('data-interactive', 'true');
    await manifest.getByRole('button', {name: 'Редактировать'}).click();
    await expect(manifest.locator('.monaco-editor')).toBeVisible({timeout: 20_000});
    const replaceWeightAtCursor = async (weight: string): Promise<void> => {
      await page.keyboard.press('End');
      await page.keyboard.press('Backspace');
      await page.keyboard.press('Backspace');
      await page.keyboard.type(weight);
    };
    // ServiceC's weight is the last line; ServiceB's is the first "weight: 50" left after that
    await manifest.locator('.view-line').first().click();
    await page.keyboard.press('Control+End');
    await replaceWeightAtCursor('90');
    await page.keyboard.press('Control+f');
    await page.keyboard.type('weight: 50');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await replaceWeightAtCursor('10');
    await expect(manifest.getByText('изменён')).toBeVisible();
    const before = await runs(page);
    await manifest.getByRole('button', {name: 'Применить в песочнице'}).click();
    await waitRuns(page, before);
    await page.getByRole('button', {name: 'Во весь экран'}).click();
    await expect(screenText(page)).toContainText('virtualservice.networking.istio.io/producer-internal-host configured');
    await type(page, 'clear');
    await type(page, `for i in $(seq 1 50); do curl -s http://$INGRESS_HOST/ | grep -o '"name": "service-[bc]"'; done | sort | uniq -c`);
    const count = async (name: string): Promise<number> => Number(new RegExp(`(\\d+) "name": "${name}"`).exec(await screenText(page).innerText())?.[1] ?? 0);
    await expect.poll(async () => (await count('service-b')) + (await count('service-c'))).toBe(50);
    expect(await count('service-c')).toBeGreaterThan(35);

    // a typo the editor flags is refused by the sandbox's apiserver too, in its own words
    await page.getByRole('button', {name: 'Обычный размер'}).click();
    await manifest.locator('.view-line').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Home');
    for (let i = 0; i < 'weight'.length; i++) await page.keyboard.press('Delete');
    await page.keyboard.type('weigth');
    const beforeTypo = await runs(page);
    await manifest.getByRole('button', {name: 'Применить в песочнице'}).click();
    await waitRuns(page, beforeTypo);
    await expect(screenText(page)).toContainText('strict decoding error: unknown field "spec.http[0].route[1].weigth"');
  });

  test('egress: calls from ServiceC reach the external service through the egress gateway', async ({page}) => {
    await page.setViewportSize({width: 1280, height: 1200});
    await openTerminal(page, 'egress');
    await runBlock(page, 'kubectl apply -f examples/egress/client.yaml', 2);
    await runBlock(page, 'meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY', 1);
    await runBlock(page, 'kubectl apply -f examples/egress/service-entry.yaml', 2);
    await expect(await checkPageStep(page, 'registry-only')).toHaveAttribute('data-result', 'passed');
    await runBlock(page, 'kubectl apply -f examples/egress/external-namespace.yaml', 3);
    await runBlock(page, 'kubectl apply -f examples/egress/service-c.yaml', 3);
    await runBlock(page, 'components.egressGateways[0].enabled=true', 1);
    await runBlock(page, 'egress-gateway.yaml -f examples/egress/egress-virtual-service.yaml', 2);
    await expect(screenText(page)).toContainText('"name": "service-ext"');
    await type(page, 'clear');
    await type(page, 'kubectl logs -l istio=egressgateway -n istio-system -c istio-proxy --tail=1');
    await expect(screenText(page)).toContainText('outbound|80||istio-ingressgateway.istio-system.svc.cluster.local');
    await expect(await checkPageStep(page, 'egress-gateway')).toHaveAttribute('data-result', 'passed');
  });
});

test.describe('the terminal as a terminal', () => {
  test('a «Выполнить» button opens the terminal and runs its block once the sandbox is ready', async ({page}) => {
    await page.goto('/docs/scenarios/service-a-service-b');
    const button = page.locator('button[data-run-command*="service-b.yaml"]').first();
    await button.scrollIntoViewIfNeeded();
    await button.click();
    await expect(page.locator('[data-testid=terminal-screen]')).toHaveAttribute('data-runs', '2', {timeout: 20_000});
    await expect(screenText(page)).toContainText('deployment.apps/service-b created');
    await expect(screenText(page)).toContainText('$ kubectl get pods -n demo -l app=service-b-app');
  });

  test('Ctrl-C stops a long command, Tab completes, Cyrillic is echoed, a huge paste is refused', async ({page}) => {
    await openTerminal(page, 'ingress-service-a');
    const input = page.locator('[data-testid=terminal] .xterm-helper-textarea');
    await expect(input).toHaveAttribute('aria-label', 'Ввод терминала'); // what a screen reader announces
    await input.focus();
    await page.keyboard.type('sleep 60');
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-testid=terminal-screen]')).toHaveAttribute('data-state', 'busy');
    await page.keyboard.press('Control+C');
    await expect(page.locator('[data-testid=terminal-screen]')).toHaveAttribute('data-state', 'ready', {timeout: 5_000});
    await expect(screenText(page)).toContainText('^C');

    await page.keyboard.type('kubectl get virtu');
    await page.keyboard.press('Tab');
    await expect(screenText(page)).toContainText('kubectl get virtualservices');
    await page.keyboard.press('Control+U');

    // Cyrillic from a Russian keyboard layout (key events) ...
    const cdp = await page.context().newCDPSession(page);
    await page.keyboard.type('echo ');
    for (const ch of 'Привет') {
      await cdp.send('Input.dispatchKeyEvent', {type: 'keyDown', key: ch, text: ch, unmodifiedText: ch});
      await cdp.send('Input.dispatchKeyEvent', {type: 'keyUp', key: ch});
    }
    // ... and from an input method or an on-screen keyboard (text inserted without key events)
    await page.keyboard.insertText(', меш');
    const before0 = await runs(page);
    await page.keyboard.press('Enter');
    await waitRuns(page, before0);
    await expect(screenText(page)).toContainText('$ echo Привет, меш');
    await expect(screenText(page)).toContainText(/Привет, меш[\s\S]*Привет, меш/);

    const before = await runs(page);
    await paste(
      page,
      Array.from({length: 2000}, (_, i) => `echo ${i}`).join('\n'),
    );
    await expect(screenText(page)).toContainText('Вставка слишком большая');
    expect(await runs(page)).toBe(before);

    // a small multi-line paste runs line by line
    await paste(page, 'echo первая\necho вторая\n');
    await waitRuns(page, before, 2);
    await expect(screenText(page)).toContainText('вторая');
  });

  test('output of commands that take time appears as it happens: a loop with sleeps, an injected 5 s delay', async ({page}) => {
    await openTerminal(page, 'traffic-split');
    const screenState = page.locator('[data-testid=terminal-screen]');
    await page.locator('[data-testid=terminal] .xterm-helper-textarea').focus();
    await page.keyboard.type('for i in 1 2 3; do echo "tick $i"; sleep 1; done');
    await page.keyboard.press('Enter');
    await expect(screenText(page)).toContainText('tick 1');
    await expect(screenState).toHaveAttribute('data-state', 'busy'); // the first line arrived before the loop ended
    await expect(screenText(page)).toContainText('tick 3');
    await expect(screenState).toHaveAttribute('data-state', 'ready');

    // a VirtualService with a 5 s fault delay in front of ServiceB: the request takes 5 s of real time
    const before = await runs(page);
    await paste(
      page,
      [
        "kubectl apply -f - <<'EOF'",
        'apiVersion: networking.istio.io/v1',
        'kind: VirtualService',
        'metadata:',
        '  name: producer-internal-host',
        '  namespace: demo',
        'spec:',
        '  hosts:',
        '    - producer-internal-host',
        '  http:',
        '    - fault:',
        '        delay:',
        '          fixedDelay: 5s',
        '          percentage:',
        '            value: 100',
        '      route:',
        '        - destination:',
        '            host: producer-internal-host',
        'EOF',
        '',
      ].join('\n'),
    );
    await waitRuns(page, before);
    await expect(screenText(page)).toContainText('virtualservice.networking.istio.io/producer-internal-host configured');
    const started = Date.now();
    await type(page, `curl -s -o /dev/null -w 'took %{time_total}s, %{http_code}\\n' http://$INGRESS_HOST/`);
    expect(Date.now() - started).toBeGreaterThan(4_500);
    await expect(screenText(page)).toContainText(/took 5\.\d+s, 200/);
  });

  test('a terminal whose code cannot be loaded says so in Russian', async ({page}) => {
    await page.goto('/docs/scenarios/ingress-service-a');
    await page.waitForSelector('html[data-has-hydrated=true]', {state: 'attached'});
    await page.route('**/assets/js/**', (route) => route.abort()); // the network is gone
    await page.getByRole('button', {name: 'Запустить терминал'}).click();
    await expect(page.getByTestId('terminal').getByRole('alert')).toContainText('Не удалось загрузить терминал');
  });

  test('a sandbox worker that cannot start says so in the terminal', async ({page}) => {
    await page.route('**/istio-sandbox*.js', (route) => route.abort());
    await page.goto('/docs/scenarios/ingress-service-a');
    await page.getByRole('button', {name: 'Запустить терминал'}).click();
    await expect(screenText(page)).toContainText('Песочница не запустилась', {timeout: 10_000});
  });

  test('an endless loop is stopped and the page stays responsive', async ({page}) => {
    await openTerminal(page, 'ingress-service-a');
    const before = await runs(page);
    await page.locator('[data-testid=terminal] .xterm-helper-textarea').focus();
    await page.keyboard.type('while true; do echo y; done | wc -l');
    await page.keyboard.press('Enter');
    // the main thread is free while the worker loops
    const t0 = Date.now();
    await page.evaluate(() => new Promise((r) => setTimeout(r, 10)));
    expect(Date.now() - t0).toBeLessThan(1000);
    await waitRuns(page, before);
    // the sandbox's own note, in Russian: the loop bound or the line's command limit
    await expect(screenText(page)).toContainText(/\(песочница: (цикл остановлен после \d+ итераций|командная строка остановлена после \d+ команд)/);

    // Ctrl-C reaches a loop that never waits: the sandbox yields to it and stays the same sandbox
    await type(page, 'export MARK=kept');
    await page.keyboard.type('while true; do kubectl get pods -A > /dev/null; done'); // seconds before its loop bound
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-testid=terminal-screen]')).toHaveAttribute('data-state', 'busy');
    await page.waitForTimeout(300);
    await page.keyboard.press('Control+C');
    await expect(page.locator('[data-testid=terminal-screen]')).toHaveAttribute('data-state', 'ready', {timeout: 1_400});
    await expect(screenText(page)).toContainText('^C');
    await expect(screenText(page)).not.toContainText('песочница не ответила');
    await type(page, 'echo "mark: $MARK"');
    await expect(screenText(page)).toContainText('mark: kept');
  });

  test('the lesson loads no terminal code until the learner opens it; reset restores the start', async ({page}) => {
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script' || /istio-sandbox|sandbox-start/.test(r.url())) scripts.push(r.url());
    });
    await page.goto('/docs/scenarios/traffic-split');
    await page.waitForLoadState('networkidle');
    // neither the sandbox nor the lesson's start state (src/terminal/startState.ts) before the terminal opens
    expect(scripts.filter((u) => /istio-sandbox|sandbox-start/.test(u))).toEqual([]);
    expect(await page.locator('.xterm').count()).toBe(0);
    await page.getByRole('button', {name: 'Запустить терминал'}).click();
    await expect(page.locator('[data-testid=terminal-screen]')).toHaveAttribute('data-state', 'ready', {timeout: 20_000});
    expect(scripts.some((u) => u.includes('istio-sandbox'))).toBe(true);
    // the start state prepared at build time is what the worker restored (no setup replayed in the page)
    expect(scripts.some((u) => u.includes('sandbox-start'))).toBe(true);
    await type(page, 'kubectl delete namespace demo');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', {name: 'Сбросить урок'}).click();
    await expect(page.locator('[data-testid=terminal-screen]')).toHaveAttribute('data-state', 'ready', {timeout: 20_000});
    await type(page, 'kubectl get pods -n demo');
    await expect(screenText(page)).toContainText('service-b');
    // the reset is what a reload finds too, not the deleted namespace
    await page.reload();
    await page.getByRole('button', {name: 'Запустить терминал'}).click();
    await expect(page.locator('[data-testid=terminal-screen]')).toHaveAttribute('data-state', 'ready', {timeout: 20_000});
    await type(page, 'kubectl get deployments -n demo');
    await expect(screenText(page)).toContainText('service-b');
  });

  test("the terminal's background fills the dock in both themes: no black strip under its last row", async ({page}) => {
    for (const [scheme, background] of [['light', 'rgb(251, 252, 254)'], ['dark', 'rgb(27, 27, 29)']] as const) {
      await page.emulateMedia({colorScheme: scheme});
      await page.goto('/docs/scenarios/ingress-service-a');
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      await launchTerminal(page);
      // what is painted at points below the rows and at the right edge: the first opaque layer there
      const painted = await page.evaluate(() => {
        const rows = document.querySelector('[data-testid=terminal] .xterm-screen')!.getBoundingClientRect();
        const dock = document.querySelector('[data-testid=terminal]')!.getBoundingClientRect();
        const points = [
          [rows.left + 20, (rows.bottom + dock.bottom) / 2],
          [dock.right - 3, (rows.top + rows.bottom) / 2],
        ];
        return points.map(([x, y]) => {
          for (const el of document.elementsFromPoint(x, y)) {
            const color = getComputedStyle(el).backgroundColor;
            if (color !== 'rgba(0, 0, 0, 0)' && color !== 'transparent') return color;
          }
          return 'none';
        });
      });
      expect(painted, scheme).toEqual([background, background]);
    }
  });

  test("the dock's «Сбросить» is the lesson's reset: it asks first, and declining keeps everything", async ({page}) => {
    await page.goto('/docs/scenarios/traffic-split');
    await launchTerminal(page);
    await type(page, 'kubectl delete namespace demo');
    const reset = page.getByRole('button', {name: 'Сбросить', exact: true}).and(page.getByTitle('Сбросить урок: песочница вернётся к началу урока'));
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await reset.click();
    await expect.poll(() => asked).toEqual([expect.stringContaining('Сбросить урок?')]);
    await type(page, 'kubectl get ns demo');
    await expect(screenText(page)).toContainText('namespaces "demo" not found');
    page.once('dialog', (d) => void d.accept());
    await reset.click();
    await expect(terminalScreen(page)).toHaveAttribute('data-state', 'ready', {timeout: 20_000});
    await type(page, 'kubectl get pods -n demo');
    await expect(screenText(page)).toContainText('service-b');
  });
});

test.describe('live routing blocks', () => {
  test('VirtualService lesson: editing the request changes the matched rule and subset', async ({page}) => {
    await page.goto('/docs/virtual-service');
    // the block's editor loads when the reader scrolls to it; until then its code is text
    await page.locator('[data-live-block]').first().scrollIntoViewIfNeeded();
    const result = page.getByTestId('routing-result').first();
    await result.scrollIntoViewIfNeeded();
    await expect(result).toHaveAttribute('data-rule', '1');
    await expect(result).toHaveAttribute('data-subset', 'v2');
    await expect(result).toContainText('Путь переписан: /v2/items → /items');
    // the learner becomes jason: the first rule now wins
    const editor = page.locator('[class*=playgroundEditor]').first();
    await editor.getByText("'anna'").dblclick();
    await page.keyboard.type('jason');
    await expect(result).toHaveAttribute('data-rule', '0');
    await expect(result).toHaveAttribute('data-subset', 'v2');
    await expect(result).toContainText('jason-to-v2');
    // «Сбросить» brings the example back
    await page.getByRole('button', {name: 'Сбросить'}).and(page.locator('[title="Вернуть исходный код примера"]')).first().click();
    await expect(result).toHaveAttribute('data-rule', '1');
  });

  test('DestinationRule lesson: the weights show as shares per subset', async ({page}) => {
    await page.goto('/docs/destination-rule');
    await page.locator('[data-live-block]').first().scrollIntoViewIfNeeded();
    const result = page.getByTestId('routing-result').first();
    await result.scrollIntoViewIfNeeded();
    await expect(result).toContainText('90 %');
    await expect(result).toContainText('version=v2');
    // the learner changes the weight of v1 from 90 to 30: v2 now gets a quarter
    const editor = page.locator('[class*=playgroundEditor]').first();
    await editor.getByText('90', {exact: true}).dblclick();
    await page.keyboard.type('30');
    await expect(result).toContainText('25 %');
    await expect(result).toContainText('75 %');
  });
});
