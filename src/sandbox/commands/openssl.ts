/**
 * openssl, for the one job the course needs: a self-signed certificate and key
 * (`openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=…" -addext "subjectAltName=DNS:…"
 * -keyout K -out C`). The PEM files are real-looking but carry their subject as JSON inside,
 * so the gateway and curl can check names without cryptography.
 */
import { parseArgs, flag } from './args';
import type { CommandSpec } from './types';

function wrap64(s: string): string {
  return s.replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
}

export function makeCertificate(cn: string, san: string[], serial: number): string {
  const body = btoa(JSON.stringify({ sandbox: 'x509', cn, san, serial, issuer: cn, notAfter: '2026-01-15T10:00:00Z' }));
  return `-----BEGIN CERTIFICATE-----\n${wrap64(body)}\n-----END CERTIFICATE-----\n`;
}

export const openssl: CommandSpec = {
  name: 'openssl',
  summary: 'openssl req -x509 … : a self-signed certificate for the gateway lesson',
  async run(ctx) {
    // openssl spells long options with one dash (-newkey, -x509)
    const [sub, ...rest] = ctx.argv.slice(1).map((a) => (/^-[a-z0-9]{2,}/i.test(a) ? `-${a}` : a));
    if (sub === 'version') {
      ctx.out('OpenSSL 3.0.15 3 Sep 2024 (Library: OpenSSL 3.0.15 3 Sep 2024)\n');
      return 0;
    }
    if (sub === 'x509') {
      const p = parseArgs(rest, { withValue: ['in', 'noout'], boolean: ['text', 'noout', 'subject', 'ext'] });
      const file = flag(p, 'in');
      if (!file) {
        ctx.err('Could not read certificate from <stdin>\n');
        return 1;
      }
      let pem: string;
      try {
        pem = ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, file));
      } catch {
        ctx.err(`Could not open file or uri for loading certificate from ${file}\n`);
        return 1;
      }
      const m = pem.match(/-----BEGIN CERTIFICATE-----\s*([\s\S]*?)\s*-----END CERTIFICATE-----/);
      try {
        const v = JSON.parse(atob((m?.[1] ?? '').replace(/\s+/g, ''))) as { cn: string; san: string[] };
        ctx.out(`subject=CN = ${v.cn}\n${v.san.length ? `X509v3 Subject Alternative Name: \n    ${v.san.map((s) => `DNS:${s}`).join(', ')}\n` : ''}`);
        return 0;
      } catch {
        ctx.err('Could not read certificate\n');
        return 1;
      }
    }
    if (sub !== 'req') {
      ctx.err(`Invalid command '${sub ?? ''}'; type "help" for a list.\n`);
      return 1;
    }
    const p = parseArgs(rest, { withValue: ['newkey', 'days', 'subj', 'addext', 'keyout', 'out', 'key', 'config'], boolean: ['x509', 'nodes', 'noenc', 'new'] });
    const subj = flag(p, 'subj') ?? '';
    const cn = subj.match(/CN=([^/]+)/)?.[1] ?? '';
    const san = (p.flags.get('addext') ?? [])
      .filter((e) => e.startsWith('subjectAltName='))
      .flatMap((e) => e.slice('subjectAltName='.length).split(','))
      .map((x) => x.trim())
      .filter((x) => x.startsWith('DNS:'))
      .map((x) => x.slice(4));
    const keyout = flag(p, 'keyout');
    const out = flag(p, 'out');
    if (!p.flags.has('x509') || !keyout || !out) {
      ctx.err('the sandbox\'s openssl supports: openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=…" [-addext "subjectAltName=DNS:…"] -keyout KEY -out CERT\n');
      return 1;
    }
    const serial = ctx.cluster.rng.int(1_000_000_000);
    ctx.err('.+...+......+.+++++++++++++++++++++++++++++++++++++++*...+..+.......+++++\n-----\n');
    const key = `-----BEGIN PRIVATE KEY-----\n${wrap64(btoa(`sandbox-private-key-${serial}-${'k'.repeat(40)}`))}\n-----END PRIVATE KEY-----\n`;
    ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, keyout), key);
    ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, out), makeCertificate(cn, san, serial));
    return 0;
  },
};
