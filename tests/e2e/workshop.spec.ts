/**
 * A workshop room end to end (issue #14): the workshop server (scripts/workshop.ts, on a free
 * loopback port, a temp data dir) serves this build; an instructor and three participants in
 * separate browser contexts. The instructor creates a room, the participants join, each runs the
 * first step of a lesson with its run buttons on the server's sandbox and checks it; the roster
 * shows their progress, the mirror shows a participant's output, follow-me moves their pages.
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {expect, test, type Browser, type Locator, type Page} from '@playwright/test';
import {seriousViolations} from '../support/axe';
import {runs, screenText, terminalScreen} from '../support/terminal';

const KEY = 'e2e-instructor-key-0123456789';
let server: ChildProcess | undefined;
let base = '';
let dataDir = '';

/**
 * A TypeScript script of the repo run with node itself (not npx → tsx → node: the kill must reach
 * it, not a wrapper that leaves it running); resolves with the first match of `ready` in its output.
 */
async function startScript(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, what: string): Promise<{child: ChildProcess; match: RegExpExecArray}> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']});
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${what} did not start in 30 s`));
    }, 30_000);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
  });
  return {child, match};
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill();
    await exited;
  }
}

const WORKSHOP_READY = /Workshop server: (http:\/\/127\.0\.0\.1:\d+)\//;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'workshop-e2e-'));
  const started = await startScript(['scripts/workshop.ts', '--port', '0', '--data', dataDir], {WORKSHOP_INSTRUCTOR_KEY: KEY}, WORKSHOP_READY, 'the workshop server');
  server = started.child;
  base = started.match[1];
});

test.afterAll(async () => {
  await stop(server);
  rmSync(dataDir, {recursive: true, force: true});
});

async function participant(browser: Browser, code: string, name: string, on = base): Promise<Page> {
  const page = await (await browser.newContext({serviceWorkers: 'block', viewport: {width: 1280, height: 720}})).newPage();
  await page.goto(`${on}/room/?code=${code}`);
  await page.getByTestId('room-name').fill(name);
  await page.getByRole('button', {name: 'Войти в комнату'}).click();
  await expect(page.getByTestId('room-connection')).toHaveAttribute('data-state', 'open');
  return page;
}

/** A room made through the HTTP API (as the instructor page does). */
async function createRoom(title: string, on = base): Promise<string> {
  const res = await fetch(`${on}/api/rooms`, {
    method: 'POST',
    headers: {authorization: `Bearer ${KEY}`, 'content-type': 'application/json'},
    body: JSON.stringify({title, lessons: ['practice/resilience'], capacity: 10, durationMinutes: 60}),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as {code: string}).code;
}

/** The heading's top is below the sticky bar's bottom: the bar does not cover it. */
async function expectBelow(bar: Locator, heading: Locator): Promise<void> {
  await expect
    .poll(async () => {
      const [b, h] = [await bar.boundingBox(), await heading.boundingBox()];
      return b && h ? Math.round(h.y - (b.y + b.height)) : -1;
    })
    .toBeGreaterThanOrEqual(0);
}

/** Runs step 1 of the resilience lesson with its run buttons, then its check. */
async function runFirstStep(page: Page): Promise<void> {
  await page.getByTestId('room-lessons').getByRole('link', {name: 'Отказоустойчивость'}).click();
  // the lesson page and the bar's chunk load on click; three participants and the instructor share a loaded CI machine
  await expect(page.getByTestId('room-bar')).toBeVisible({timeout: 30_000});
  const check = page.locator('[data-step="setup"]');
  const buttons = page.locator('h2:has-text("Шаг 1.") ~ *').getByRole('button', {name: 'Выполнить'});
  await buttons.nth(0).click();
  await expect(terminalScreen(page)).toHaveAttribute('data-state', /ready|busy/, {timeout: 30_000});
  await expect.poll(() => runs(page), {timeout: 45_000}).toBeGreaterThanOrEqual(5);
  await buttons.nth(1).click();
  await expect.poll(() => runs(page), {timeout: 30_000}).toBeGreaterThanOrEqual(6);
  await expect(screenText(page)).toContainText('42 items in stock');
  await check.getByRole('button', {name: 'Проверить шаг'}).click();
  await expect(check).toHaveAttribute('data-result', 'passed', {timeout: 30_000});
}

test('a room: instructor, three participants, progress, mirror and follow-me', async ({browser}) => {
  test.setTimeout(150_000);
  const instructor = await (await browser.newContext({serviceWorkers: 'block'})).newPage();
  await instructor.goto(`${base}/room/instructor/`);
  await instructor.getByTestId('instructor-key').fill(KEY);
  await instructor.getByRole('button', {name: 'Войти'}).click();
  await instructor.getByTestId('room-title').fill('Istio: e2e');
  await instructor.locator('input[data-lesson="practice/resilience"]').check();
  await instructor.getByRole('button', {name: 'Создать комнату'}).click();
  const code = (await instructor.getByTestId('room-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[A-Z0-9]{4,}$/);
  await expect(instructor.getByTestId('room-qr')).toBeVisible();

  const people = await Promise.all(['Анна', 'Борис', 'Вера'].map((n) => participant(browser, code, n)));
  await expect(instructor.getByTestId('roster').locator('tbody tr')).toHaveCount(3);

  // the mirror first, so it shows Анна's commands as she runs them
  await instructor.locator('tr[data-participant="Анна"]').getByRole('button', {name: /Терминал/}).click();
  await Promise.all(people.map(runFirstStep));
  for (const name of ['Анна', 'Борис', 'Вера']) await expect(instructor.locator(`tr[data-participant="${name}"] [data-testid=roster-passed]`)).toHaveText('1', {timeout: 15_000});
  // the step by its title in the lesson, not its id
  await expect(instructor.locator('tr[data-participant="Анна"] [data-testid=roster-step]')).toHaveText('Шаг 1. Сервис inventory и клиенты');
  await expect(instructor.getByTestId('mirror-screen')).toContainText('42 items in stock', {timeout: 15_000});
  // a mirror opened after the work was done shows it too: the server's replay of Борис's recent output
  await instructor.locator('tr[data-participant="Борис"]').getByRole('button', {name: /Терминал/}).click();
  await expect(instructor.getByRole('heading', {name: 'Терминал: Борис'})).toBeVisible();
  await expect(instructor.getByTestId('mirror-screen')).toContainText('42 items in stock', {timeout: 15_000});
  await expect(instructor.getByTestId('mirror-screen')).toContainText('kubectl exec');

  // follow-me from the presenter's lesson page: every participant's banner, then their page, moves to the section
  await instructor.setViewportSize({width: 1280, height: 720});
  await instructor.goto(`${base}/room/present/?code=${code}`);
  await instructor.getByRole('button', {name: 'Отказоустойчивость'}).click();
  await expect(instructor.getByTestId('presenter-bar')).toBeVisible();
  // the lesson's terminal opens beside it, though the lesson came by client-side navigation from /room/present/
  await expect(terminalScreen(instructor)).toHaveAttribute('data-state', 'ready', {timeout: 30_000});
  // the terminal beside the lesson has the focus (its keys are its own): the bar's button moves on
  const next = instructor.getByRole('button', {name: 'Следующий раздел (PageDown)'});
  await next.click();
  await next.click();
  await expect(instructor.getByTestId('presenter-position')).toContainText('Шаг 1.');
  await expect(instructor.getByTestId('presenter-follow')).toContainText('следует за вами');
  // the step's heading stops below the presenter's sticky bar, on a projector's 1280×720
  await expectBelow(instructor.getByTestId('presenter-bar'), instructor.locator('h2:has-text("Шаг 1.")'));
  await instructor.screenshot({path: 'test-results/workshop-presenter-1280x720.png'});
  for (const page of people) {
    const banner = page.getByTestId('room-follow');
    await expect(banner).toContainText('Шаг 1.');
    await banner.getByRole('button', {name: 'Перейти к шагу'}).click();
    await expect(page).toHaveURL(/#/);
    await expect(page.locator('h2:has-text("Шаг 1.")')).toBeInViewport();
    await expectBelow(page.getByTestId('room-bar'), page.locator('h2:has-text("Шаг 1.")'));
  }
  await people[0].screenshot({path: 'test-results/workshop-participant-follow.png'});
});

test('a second tab on the same seat takes it over: the first tab says so and does not take it back', async ({browser}) => {
  test.setTimeout(60_000);
  const code = await createRoom('Istio: две вкладки');
  const first = await participant(browser, code, 'Гена');
  // a duplicated tab: the same session storage, so the same seat
  const seat = await first.evaluate(() => JSON.stringify(Object.entries(sessionStorage)));
  const second = await first.context().newPage();
  await second.addInitScript((entries: string) => {
    for (const [k, v] of JSON.parse(entries) as [string, string][]) sessionStorage.setItem(k, v);
  }, seat);
  await second.goto(`${base}/room/?code=${code}`);
  await expect(second.getByTestId('room-connection')).toHaveAttribute('data-state', 'open');
  await expect(first.getByTestId('room-connection')).toHaveAttribute('data-state', 'stopped');
  await expect(first.getByTestId('room-link-error')).toContainText('в другой вкладке');
  // no tug of war: a few reconnect periods later the second tab still holds the seat
  await first.waitForTimeout(3000);
  await expect(second.getByTestId('room-connection')).toHaveAttribute('data-state', 'open');
  await expect(first.getByTestId('room-connection')).toHaveAttribute('data-state', 'stopped');
  // taking it back is the learner's choice
  await first.getByRole('button', {name: 'Продолжить здесь'}).click();
  await expect(first.getByTestId('room-connection')).toHaveAttribute('data-state', 'open');
  await expect(first.getByTestId('room-link-error')).toHaveCount(0);
  await expect(second.getByTestId('room-link-error')).toContainText('в другой вкладке');
});

test('the room pages have no serious accessibility violations in either theme', async ({browser}) => {
  test.setTimeout(120_000);
  const code = await createRoom('Istio: доступность');
  for (const colorScheme of ['light', 'dark'] as const) {
    const learner = await (await browser.newContext({serviceWorkers: 'block', colorScheme})).newPage();
    await learner.goto(`${base}/room/?code=${code}`);
    await expect(learner.getByTestId('room-name')).toBeVisible();
    expect(await seriousViolations(learner), `${colorScheme}: join form`).toEqual([]);
    await learner.getByTestId('room-name').fill(`Дина ${colorScheme}`);
    await learner.getByRole('button', {name: 'Войти в комнату'}).click();
    await expect(learner.getByTestId('room-connection')).toHaveAttribute('data-state', 'open');
    expect(await seriousViolations(learner), `${colorScheme}: room`).toEqual([]);

    const instructor = await (await browser.newContext({serviceWorkers: 'block', colorScheme, viewport: {width: 1280, height: 720}})).newPage();
    await instructor.goto(`${base}/room/instructor/?code=${code}`);
    await instructor.getByTestId('instructor-key').fill(KEY);
    await instructor.getByRole('button', {name: 'Войти'}).click();
    const row = instructor.locator(`tr[data-participant="Дина ${colorScheme}"]`);
    await row.getByRole('button', {name: /Терминал/}).click();
    await expect(instructor.getByTestId('mirror-screen')).toBeVisible();
    expect(await seriousViolations(instructor), `${colorScheme}: instructor`).toEqual([]);

    await instructor.goto(`${base}/room/present/?code=${code}`);
    await instructor.getByRole('button', {name: 'Отказоустойчивость'}).click();
    await expect(instructor.getByTestId('presenter-bar')).toBeVisible();
    await instructor.getByRole('button', {name: 'Следующий раздел (PageDown)'}).click();
    await expect(instructor.getByTestId('presenter-follow')).toContainText('следует за вами');
    expect(await seriousViolations(instructor), `${colorScheme}: presenter`).toEqual([]);
    await instructor.context().close();
    await learner.context().close();
  }
});

test('a cluster room: the lesson terminal is the participant\'s shell with the real kubectl, run buttons mapped to their namespace', async ({browser}) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'workshop-cluster-e2e-'));
  const kubeconfig = join(dir, 'admin.kubeconfig');
  // the real kubectl v1.35.2 (tests/conformance/realKubectl.ts), on the PATH of the participants' shells
  const kubectl = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', "const m = await import('./tests/conformance/realKubectl.ts'); console.log((m.realKubectl ?? m.default.realKubectl)())"], {encoding: 'utf8'}).trim();
  let api: ChildProcess | undefined;
  let workshop: ChildProcess | undefined;
  try {
    // the sandbox's Kubernetes API over HTTPS stands in for the cluster (as src/workshop/cluster/workshopCluster.test.ts does)
    api = (await startScript(['scripts/sandbox-cli.ts', '--serve', '127.0.0.1:0', '--kubeconfig', kubeconfig], {}, /Kubernetes API of the sandbox at (\S+)/, 'the served sandbox')).child;
    const started = await startScript(['scripts/workshop.ts', '--port', '0', '--data', join(dir, 'data'), '--cluster', kubeconfig], {WORKSHOP_INSTRUCTOR_KEY: KEY, PATH: `${dirname(kubectl)}:${process.env.PATH ?? ''}`}, WORKSHOP_READY, 'the cluster workshop server');
    workshop = started.child;
    const on = started.match[1];
    const code = await createRoom('Istio: кластер', on);
    const page = await participant(browser, code, 'Кира', on);
    const ns = (await page.getByTestId('room-namespace').textContent())?.trim() ?? '';
    expect(ns).toMatch(/^ws-[a-z0-9]+-[0-9a-f]{10}$/);
    await expect(page.getByTestId('room-cluster-note')).toContainText('настоящем кластере');
    await page.screenshot({path: 'test-results/workshop-cluster-room-1280x720.png'});

    await page.getByTestId('room-lessons').getByRole('link', {name: 'Отказоустойчивость'}).click();
    await expect(page.getByTestId('room-bar').getByTestId('room-namespace')).toHaveText(ns);
    await page.locator('h2:has-text("Шаг 1.") ~ *').getByRole('button', {name: 'Выполнить'}).nth(0).click();
    await expect(terminalScreen(page)).toHaveAttribute('data-state', 'ready', {timeout: 30_000});
    // the real kubectl's answers, in the participant's namespace
    await expect(screenText(page)).toContainText('deployment "fortio" successfully rolled out', {timeout: 60_000});
    await expect(screenText(page)).toContainText(`Namespace ${ns} уже создан для вас`);
    await expect(screenText(page)).toContainText('deployment.apps/inventory created');
    await expect(screenText(page)).toContainText(`kubectl rollout status deployment/inventory -n ${ns}`);
    await expect(screenText(page)).not.toContainText('forbidden');
    // step checks say plainly where they run
    const check = page.locator('[data-step="setup"]');
    await check.getByRole('button', {name: 'Проверить шаг'}).click();
    await expect(check).toContainText('проверки шагов не выполняются');
    await page.screenshot({path: 'test-results/workshop-cluster-lesson-1280x720.png'});
    await page.context().close();
  } finally {
    await stop(workshop);
    await stop(api);
    rmSync(dir, {recursive: true, force: true});
  }
});
