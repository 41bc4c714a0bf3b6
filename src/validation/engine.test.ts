import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate, serialize } from './generator/generate-schemas';
import { getCombinedJsonSchema, getJsonSchemas, getMonacoSchemas, parseManifests, schemaValidator, validateObject, validateObjectDiagnostics, validateText } from './index';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

describe('examples/', () => {
  const files = yamlFiles(join(root, 'examples'));
  const objects = new Map(files.map((f) => [f, parseManifests(readFileSync(f, 'utf8'))]));

  it('has manifests', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  // Same grouping as the CLI: a folder is one scenario, the other folders are background.
  // A break-and-fix challenge's manifest (challenge-*.yaml) is broken on purpose, in ways a cluster accepts: it may
  // carry warnings — the validator finding the fault is the point — but never an error.
  it.each(files.map((f) => [relative(root, f), f]))('%s has no error, and no warning unless it is a challenge', (rel, f) => {
    const context = files.filter((g) => g !== f).flatMap((g) => objects.get(g)!);
    const r = validateText(readFileSync(f, 'utf8'), { context });
    const worst = /(^|\/)challenge-[^/]*$/.test(rel) ? ['error'] : ['error', 'warning'];
    expect(r.diagnostics.filter((d) => worst.includes(d.severity)).map((d) => `${d.range?.start.line}: ${d.code} ${d.message}`)).toEqual([]);
  });
});

describe('the sandbox API: admission', () => {
  it('validates an already-parsed object into apiserver field errors', () => {
    const obj = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'r', namespace: 'shop' },
      spec: { hosts: ['r'], http: [{ rout: [], route: [{ destination: {} }] }], tcp: 'x' },
    };
    expect(validateObject(obj)).toEqual([
      { field: 'spec.http[0].rout', type: 'Invalid', detail: 'unknown field "spec.http[0].rout"' },
      { field: 'spec.http[0].route[0].destination.host', type: 'Required' },
      { field: 'spec.tcp', type: 'Invalid', value: 'x', detail: 'spec.tcp in body must be of type array: "x"' },
    ]);
    expect(schemaValidator(obj)).toHaveLength(3);
  });

  it('enum and webhook errors carry the apiserver and istiod wording', () => {
    const dr = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'r' }, spec: { host: 'r', trafficPolicy: { loadBalancer: { simple: 'FASTEST' } } } };
    expect(validateObject(dr)[0]).toMatchObject({ field: 'spec.trafficPolicy.loadBalancer.simple', type: 'NotSupported', value: 'FASTEST' });
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r' }, spec: { hosts: ['r'], http: [{ route: [{ destination: { host: 'a' }, weight: 0 }, { destination: { host: 'b' }, weight: 0 }] }] } };
    // istiod's webhook rules are not apiserver field errors: the sandbox runs them as the webhook
    expect(validateObject(vs)).toEqual([]);
    expect(validateObjectDiagnostics(vs).map((d) => [d.code, d.original])).toEqual([['IST0106', 'Schema validation error: total destination weight = 0']]);
  });

  it('a valid object has no field errors', () => {
    const [svc] = parseManifests(readFileSync(join(root, 'examples/virtual-service/service.yaml'), 'utf8'));
    expect(validateObject(svc)).toEqual([]);
  });
});

describe('schemas for the editor (monaco-yaml)', () => {
  it('one self-contained schema per apiVersion and kind, with descriptions', () => {
    const all = getJsonSchemas();
    const vs = all.find((s) => s.apiVersion === 'networking.istio.io/v1' && s.kind === 'VirtualService')!;
    expect(vs.uri).toMatch(/^https:\/\//);
    const spec = vs.schema.properties!.spec;
    expect(spec.description).toMatch(/routing/i);
    expect(spec.properties!.http.items!.properties!.route.description).toBeTruthy();
    expect(vs.schema.properties!.kind.enum).toEqual(['VirtualService']);
    for (const k of ['Namespace', 'Deployment', 'Service', 'Pod', 'ConfigMap', 'ServiceAccount', 'Gateway', 'DestinationRule', 'ServiceEntry', 'PeerAuthentication', 'AuthorizationPolicy']) {
      expect(all.some((s) => s.kind === k), k).toBe(true);
    }
  });

  it('every $ref resolves', () => {
    const combined = getCombinedJsonSchema();
    const text = JSON.stringify(combined);
    const refs = [...text.matchAll(/"\$ref":"#\/\$defs\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(100);
    for (const r of new Set(refs)) expect(combined.$defs[r], r).toBeDefined();
  });

  it('enums are there for completion', () => {
    const combined = getCombinedJsonSchema();
    const lb = combined.$defs['networking.istio.io.v1.DestinationRule.spec.subsets[].trafficPolicy.loadBalancer'];
    expect(lb.properties!.simple.enum).toContain('LEAST_REQUEST');
    expect(getMonacoSchemas()[0].fileMatch).toEqual(['*']);
  });
});

describe('engine purity', () => {
  it('no Node-only or DOM-only import outside generator/ and tests', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) {
          if (name !== 'generator') walk(p);
        } else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name)) {
          const src = readFileSync(p, 'utf8');
          for (const m of src.matchAll(/from\s+'([^']+)'/g)) {
            const mod = m[1];
            if (mod.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'url', 'module', 'typescript'].includes(mod)) offenders.push(`${relative(root, p)}: ${mod}`);
          }
          if (/\b(document|window|process)\./.test(src)) offenders.push(`${relative(root, p)}: global`);
        }
      }
    };
    walk(here);
    expect(offenders).toEqual([]);
  });
});

describe('generated schemas', () => {
  it('schemas.gen.json is what the generator makes from the installed packages', async () => {
    const fresh = serialize(await generate());
    const committed = readFileSync(join(here, 'schema/schemas.gen.json'), 'utf8');
    expect(fresh === committed, 'run: npx tsx src/validation/generator/generate-schemas.ts').toBe(true);
  }, 60_000);
});

describe('CLI', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/validate.ts'), ...args], { cwd: root, encoding: 'utf8' });

  it('vets examples/ with exit code 0', () => {
    const r = cli(['examples/']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/files checked in \d+ ms: 0 errors, /);
    // warnings only where a challenge breaks something on purpose
    expect(r.stdout.split('\n').filter((l) => / warning /.test(l) && !/\/challenge-[^/:]*:/.test(l))).toEqual([]);
  }, 30_000);

  it('prints file:line:column: severity CODE message and exits 1 on an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    writeFileSync(join(dir, 'vs.yaml'), 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [r]\n  http:\n    - rout: []\n');
    const r = cli([dir]);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/vs\.yaml:8:7: error K8S003 Неизвестное поле «rout»/);
    expect(lines[lines.length - 1]).toMatch(/1 files checked in \d+ ms: 1 errors/);
    const json = JSON.parse(cli(['--json', dir]).stdout) as Array<Record<string, unknown>>;
    expect(json[0]).toMatchObject({ line: 8, column: 7, endLine: 8, endColumn: 11, severity: 'error', code: 'K8S003' });
    expect(Object.keys(json[0]).sort()).toEqual(['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
  }, 30_000);

  it('exits 2 on a missing path', () => {
    expect(cli(['/nonexistent/x.yaml']).status).toBe(2);
  }, 30_000);
});


describe('admission options', () => {
  it('objectMeta: false leaves names and labels to the caller', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' }, data: { a: 'b' } };
    expect(validateObject(cm).map((e) => e.field)).toEqual(['metadata.name']);
    expect(validateObject(cm, { objectMeta: false })).toEqual([]);
  });
});
