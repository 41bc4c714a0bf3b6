/**
 * Every scenario lesson done from start to end in the browser, as a learner does it: each
 * command block run with its «Выполнить» button, every step check passing, a manifest edited in
 * its block and applied to the sandbox with a visible effect, and the state found again after a
 * reload.
 */
import {expect, test, type Locator} from '@playwright/test';
import {SCENARIOS} from '../../src/terminal/scenarios';
import {splitCommands} from '../../src/terminal/splitCommands';
import {lessonBashBlocks} from '../../src/terminal/testSupport';
import {checkStep, launchTerminal, runs, screenText, terminalScreen, type, waitRuns} from '../support/terminal';

/** A command that runs until Ctrl-C (kubectl logs -f, kubectl get -w). */
const FOLLOWS = /^kubectl (logs|get)\b.*\s(-f|--follow|-w|--watch)(\s|$)/m;

interface Edit {
  /** The manifest block to edit. */
  file: string;
  from: string;
  to: string;
  /** Waits for the edited Deployment's rollout. */
  rollout: string;
  /** A command whose output shows the edit. */
  probe: string;
}

const EDITS: Partial<Record<string, Edit>> = {
  'ingress-service-a': {
    file: 'ingress-service-a/service-a.yaml',
    from: 'Hello from ServiceA',
    to: 'Привет от ServiceA',
    rollout: 'kubectl rollout status deployment/service-a -n demo',
    probe: 'curl -s http://$INGRESS_HOST/',
  },
  'service-a-service-b': {
    file: 'service-a-service-b/service-b.yaml',
    from: 'Hello from ServiceB',
    to: 'Привет от ServiceB',
    rollout: 'kubectl rollout status deployment/service-b -n demo',
    probe: 'curl -s http://$INGRESS_HOST/',
  },
  'traffic-split': {
    file: 'traffic-split/service-c.yaml',
    from: 'Hello from ServiceC',
    to: 'Привет от ServiceC',
    rollout: 'kubectl rollout status deployment/service-c -n demo',
    probe: 'curl -s http://$INGRESS_HOST/',
  },
  egress: {
    file: 'egress/service-ext.yaml',
    from: 'Hello from the external system',
    to: 'Привет из внешней системы',
    rollout: 'kubectl rollout status deployment/service-ext -n external-cluster',
    probe: 'curl -s http://$INGRESS_HOST/',
  },
  resilience: {
    file: 'resilience/inventory.yaml',
    from: '42 items in stock',
    to: 'На складе 42 единицы',
    rollout: 'kubectl rollout status deployment/inventory -n shop',
    // the broken replica answers 503 to some requests, but no more than three in a row (then it is
    // ejected): of four calls at least one reaches a healthy replica. Only the body lines are kept, so
    // four whole JSON answers cannot scroll the healthy one off the screen.
    probe: "for i in 1 2 3 4; do kubectl exec deploy/client -n shop -- curl -s http://inventory:9090/ | grep '\"body\"'; done",
  },
  mtls: {
    file: 'mtls/ledger.yaml',
    from: 'Balance is 100',
    to: 'Остаток на счёте 100',
    rollout: 'kubectl rollout status deployment/ledger -n bank',
    probe: 'kubectl exec deploy/client -n bank -- curl -s http://ledger.bank:9090/',
  },
  authorization: {
    file: 'authorization/orders.yaml',
    from: '3 orders today',
    to: 'Сегодня 3 заказа',
    rollout: 'kubectl rollout status deployment/orders -n shop',
    // frontend may read orders without a token in the lesson's final state
    probe: 'kubectl exec deploy/frontend -n shop -- curl -s http://orders.shop:9090/api/orders',
  },
  // by the end of the lesson catalog has no limit of its own (the gateway's does not see in-mesh calls)
  'rate-limit': {
    file: 'rate-limit/catalog.yaml',
    from: '12 products',
    to: '12 товаров',
    rollout: 'kubectl rollout status deployment/catalog -n store',
    probe: 'kubectl exec deploy/client -n store -- curl -s http://catalog:9090/',
  },
  observability: {
    file: 'observability/telemetry-errors-only.yaml',
    // the filter response.code >= 400 becomes >= 202: the sidecar of orders now logs 202 and 203 (and still not 200, 201)
    from: '400',
    to: '202',
    // a Telemetry applies without restarting pods: the rollout is long complete
    rollout: 'kubectl rollout status deployment/orders -n store',
    probe: "for c in $(seq 200 203); do kubectl exec deploy/client -n store -- curl -s -o /dev/null http://orders:8000/status/$c; done; kubectl logs deploy/orders -n store -c istio-proxy --tail=2 | tr ',' '\\n' | grep response_code",
  },
  'tls-ingress': {
    file: 'tls-ingress/payments.yaml',
    from: 'Payment API',
    to: 'Платёжный API',
    rollout: 'kubectl rollout status deployment/payments -n pay',
    // the gateway is in MUTUAL mode by the end of the lesson: the partner's certificate goes along
    probe: 'curl -s -HHost:pay.example.com --resolve "pay.example.com:443:$INGRESS_HOST" --cacert example.com.crt --cert partner.example.com.crt --key partner.example.com.key https://pay.example.com/',
  },
  'tls-egress': {
    file: 'tls-egress/digest.yaml',
    from: 'Digest is ready',
    to: 'Сводка готова',
    rollout: 'kubectl rollout status deployment/digest -n news',
    // digest answers its MESSAGE only when its call to http://edition.cnn.com (TLS on the egress gateway) returns 200
    probe: 'kubectl exec deploy/client -n news -- curl -s http://digest.news:9090/',
  },
};

/**
 * Checks a step as a learner does: right after an apply the pods are still starting (in real
 * time), the check says so, and the learner checks again a little later.
 */
async function checkUntilPassed(box: Locator): Promise<void> {
  const step = await box.getAttribute('data-step');
  for (let attempt = 0; (await checkStep(box).then((b) => b.getAttribute('data-result'))) !== 'passed' && attempt < 10; attempt++) {
    await expect(box, `step ${step} says why it is not done`).toContainText('подождите несколько секунд');
    await box.page().waitForTimeout(1000);
  }
  await expect(box, `step ${step}`).toHaveAttribute('data-result', 'passed');
}

/**
 * A break-and-fix challenge, as a learner meets it: the check says what is still broken, the
 * hints open one at a time, and the learner types the repair into the terminal.
 */
async function solveChallenge(challenge: Locator, box: Locator, solution: string[]): Promise<void> {
  const page = challenge.page();
  await expect(await checkStep(box), 'the challenge is broken before it is solved').toHaveAttribute('data-result', 'missing');
  const hints = challenge.locator('[data-hint]');
  const total = Number((await challenge.getByRole('button', {name: /подсказк/}).textContent())?.match(/из (\d+)/)?.[1]);
  for (let shown = 0; shown < total; shown++) {
    await expect(hints).toHaveCount(shown);
    await challenge.getByRole('button', {name: /подсказк/}).click();
  }
  await expect(hints).toHaveCount(total);
  await expect(challenge.getByRole('button', {name: /подсказк/})).toHaveCount(0);
  for (const command of solution) await type(page, command);
}

for (const lesson of Object.keys(SCENARIOS)) {
  test(`${lesson}: the whole lesson in the browser — run buttons, step checks, an edited manifest, a reload`, async ({page}) => {
    test.setTimeout(360_000); // resilience takes 2–2.6 min on a loaded 2-core machine
    await page.setViewportSize({width: 1280, height: 900});
    await page.goto(`/${SCENARIOS[lesson].lesson.replace(/\.mdx$/, '')}`);
    await launchTerminal(page);

    // the page from top to bottom: every command block with its own «Выполнить» button (blocks
    // in asides for a real cluster and the clean-up are left out), every step checked where it stands
    const blocks = lessonBashBlocks(SCENARIOS[lesson].lesson).map((b) => b.trim());
    const items = page.locator('button[data-run-command], [data-step]');
    const kinds = await items.evaluateAll((els) => els.map((el) => ((el as HTMLElement).dataset.step !== undefined ? null : ((el as HTMLElement).dataset.runCommand ?? '').trim())));
    let next = 0;
    const checked: string[] = [];
    for (const [i, command] of kinds.entries()) {
      const item = items.nth(i);
      if (command === null) {
        const id = await item.getAttribute('data-step');
        const solution = SCENARIOS[lesson].steps.find((s) => s.id === id)?.solution;
        if (solution) await solveChallenge(page.locator(`[data-challenge="${id}"]`), item, solution);
        await checkUntilPassed(item);
        checked.push((await item.getAttribute('data-step')) ?? '');
      } else if (command === blocks[next]) {
        next++;
        const before = await runs(page);
        await item.click();
        if (FOLLOWS.test(command)) {
          // kubectl logs -f streams until Ctrl-C, as the lesson says: the learner reads a little and stops it
          await expect(terminalScreen(page)).toHaveAttribute('data-state', 'busy');
          await page.waitForTimeout(1000);
          await page.locator('[data-testid=terminal] .xterm-helper-textarea').focus();
          await page.keyboard.press('Control+C');
        }
        await waitRuns(page, before, splitCommands(command).length);
      }
    }
    expect(blocks.slice(next), 'command blocks without a run button').toEqual([]);
    expect(checked).toEqual(SCENARIOS[lesson].steps.map((s) => s.id));
    await expect(screenText(page)).not.toContainText('internal error');

    // the learner edits a manifest in its block and sends it to the sandbox (lessons that have one to edit)
    const edit = EDITS[lesson];
    if (edit) {
      const manifest = page.locator(`figure[data-manifest="${edit.file}"]`);
      await manifest.scrollIntoViewIfNeeded();
      await manifest.getByRole('button', {name: 'Редактировать'}).click();
      await expect(manifest.locator('.monaco-editor')).toBeVisible({timeout: 20_000});
      await manifest.locator('.view-line').first().click();
      await page.keyboard.press('Control+f');
      await page.keyboard.type(edit.from);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape');
      await page.keyboard.type(edit.to); // replaces the found text, which is selected
      await expect(manifest.getByText('изменён')).toBeVisible();
      const before = await runs(page);
      await manifest.getByRole('button', {name: 'Применить в песочнице'}).click();
      await waitRuns(page, before, 1);
      await expect(screenText(page)).toContainText('configured');
      await type(page, edit.rollout);
      await type(page, 'clear');
      await type(page, edit.probe);
      await expect(screenText(page)).toContainText(edit.to);
    }

    // a reload brings back the same sandbox: the edit is live, every step still passes
    await page.reload();
    await launchTerminal(page);
    if (edit) {
      await type(page, 'clear');
      await type(page, edit.probe);
      await expect(screenText(page)).toContainText(edit.to);
    }
    // progress is kept, and the last step, which describes the final state, still checks out
    for (const step of SCENARIOS[lesson].steps) await expect(page.locator(`[data-step="${step.id}"]`)).toHaveAttribute('data-result', 'passed');
    const last = SCENARIOS[lesson].steps.at(-1);
    if (last) await checkUntilPassed(page.locator(`[data-step="${last.id}"]`));
  });
}
