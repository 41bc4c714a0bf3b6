/**
 * openssl as the istio.io secure-gateway and mTLS tasks use it, with real keys and X.509
 * certificates (src/sandbox/pki): `req` (-x509 self-signed, or a CSR), `x509` (-req signing,
 * -text/-subject/-dates printing), `genrsa`, `genpkey`, `ecparam -genkey`, `verify`, `version`.
 * Output and messages as OpenSSL 3.0 prints them (checked against openssl 3.0.19).
 */
import { untilCancelled } from '../core/clock';
import type { CommandContext, CommandSpec } from './types';
import { createCertificate, createRequest, formatName, generateKey, importPrivateKey, parseCertificateRequest, parseCertificates, parseSan, parseSubject, privateKeyPem, randomSerial, verifyChain, VERIFY_ERRORS, type Certificate, type PrivateKey } from '../pki';
import type { SubjectAltNames } from '../pki/issue';
import { hex, pem } from '../pki/der';
import { certificateText, opensslDate, requestText } from '../pki/text';

const DAY = 86_400_000;

interface Opts {
  flags: Set<string>;
  values: Map<string, string[]>;
  positional: string[];
  bad?: string;
}

/** openssl's option parser: one dash, long names; `-name value`. */
function options(argv: string[], withValue: string[], boolean: string[]): Opts {
  const o: Opts = { flags: new Set(), values: new Map(), positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') {
      o.positional.push(a);
      continue;
    }
    const name = a.replace(/^--?/, '');
    if (withValue.includes(name)) {
      if (i + 1 >= argv.length) return { ...o, bad: `Option -${name} needs a value` };
      o.values.set(name, [...(o.values.get(name) ?? []), argv[++i]]);
    } else if (boolean.includes(name)) o.flags.add(name);
    else return { ...o, bad: `Unknown option or cipher: ${name}` };
  }
  return o;
}

const val = (o: Opts, k: string): string | undefined => o.values.get(k)?.at(-1);

function readText(ctx: CommandContext, file: string): string | undefined {
  try {
    return file === '-' ? ctx.stdin : ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, file));
  } catch {
    return undefined;
  }
}

function write(ctx: CommandContext, file: string | undefined, text: string): boolean {
  if (!file) {
    ctx.out(text);
    return true;
  }
  try {
    ctx.fs.writeFile(ctx.fs.resolve(ctx.cwd, file), text);
    return true;
  } catch {
    ctx.err(`Could not open file or uri for writing ${file}\n`);
    return false;
  }
}

/** The dots and pluses OpenSSL prints while it searches for primes. */
function primeDots(ctx: CommandContext): void {
  const r = ctx.cluster.rng;
  const run = (): string => Array.from({ length: 8 + r.int(30) }, () => (r.next() < 0.5 ? '.' : '+')).join('') + '+'.repeat(16);
  ctx.err(`${run()}*${run()}*${run()}\n`);
}

/** -newkey rsa:2048 | rsa | ec (with -pkeyopt ec_paramgen_curve:P-256) */
async function newKey(ctx: CommandContext, spec: string, pkeyopts: string[]): Promise<PrivateKey | string> {
  const m = spec.match(/^rsa(?::(\d+))?$/i);
  if (m) {
    const bits = Number(m[1] ?? 2048);
    if (bits < 512 || bits > 16384 || bits % 8) return `Error: key size ${bits} is not supported\n`;
    // on WebCrypto's thread; Ctrl-C does not wait for the primes
    return untilCancelled(generateKey({ kind: 'rsa', bits }), ctx.token);
  }
  if (/^ec$/i.test(spec)) {
    const curve = pkeyopts.map((p) => p.match(/^ec_paramgen_curve:(.*)$/)?.[1]).find(Boolean);
    if (curve && !/^(P-256|prime256v1|secp256r1)$/i.test(curve)) return `Error: the sandbox's openssl knows the P-256 curve only (prime256v1)\n`;
    if (!curve) return 'Error: no curve given: add -pkeyopt ec_paramgen_curve:prime256v1\n';
    return untilCancelled(generateKey({ kind: 'ec' }), ctx.token);
  }
  return `Unknown algorithm ${spec}\n`;
}

function sanFrom(addext: string[]): SubjectAltNames | string | undefined {
  let san: SubjectAltNames | undefined;
  for (const e of addext) {
    const m = e.match(/^\s*subjectAltName\s*=\s*(.*)$/);
    if (!m) continue;
    const parsed = parseSan(m[1]);
    if (!parsed) return `Error: the sandbox's openssl reads subjectAltName entries of kind DNS:, IP: and URI: only: ${m[1]}\n`;
    san = parsed;
  }
  return san;
}

async function loadKey(ctx: CommandContext, file: string): Promise<PrivateKey | undefined> {
  const text = readText(ctx, file);
  if (text === undefined) {
    ctx.err(`Could not open file or uri for loading private key from ${file}\n`);
    return undefined;
  }
  const k = await importPrivateKey(text);
  if (!k) ctx.err(`Could not read private key from ${file}\n`);
  return k;
}

function loadCert(ctx: CommandContext, file: string | undefined, what = 'certificate'): Certificate | undefined {
  const text = file === undefined ? ctx.stdin : readText(ctx, file);
  if (text === undefined) {
    ctx.err(`Could not open file or uri for loading ${what} from ${file}\n`);
    return undefined;
  }
  const c = parseCertificates(text)[0];
  if (!c) ctx.err(`Could not read ${what} from ${file ?? '<stdin>'}\nUnable to load ${what}\n`);
  return c;
}

function serialFrom(ctx: CommandContext, s: string | undefined): Uint8Array {
  if (s === undefined) return randomSerial(() => ctx.cluster.rng.next());
  let v = BigInt(/^0x/i.test(s) ? s : /^\d+$/.test(s) ? s : 0);
  const out: number[] = [];
  do {
    out.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  return Uint8Array.from(out);
}

async function req(ctx: CommandContext, argv: string[]): Promise<number> {
  const o = options(argv, ['newkey', 'days', 'subj', 'addext', 'keyout', 'out', 'key', 'in', 'config', 'pkeyopt', 'set_serial', 'extensions', 'reqexts'], ['x509', 'nodes', 'noenc', 'new', 'sha256', 'text', 'noout', 'verify', 'batch', 'subject', 'pubkey', 'utf8']);
  if (o.bad) return usage(ctx, 'req', o.bad);
  const now = ctx.cluster.clock.now();
  // printing / checking an existing request
  if (val(o, 'in') && !o.flags.has('x509')) {
    const text = readText(ctx, val(o, 'in')!);
    const r = text === undefined ? undefined : parseCertificateRequest(text);
    if (!r) {
      ctx.err(`Could not read certificate request from ${val(o, 'in')}\nUnable to load X509 request\n`);
      return 1;
    }
    if (o.flags.has('verify')) ctx.err('Certificate request self-signature verify OK\n');
    let out = '';
    if (o.flags.has('text')) out += requestText(r);
    if (o.flags.has('subject')) out += `subject=${formatName(r.subject)}\n`;
    if (!o.flags.has('noout')) out += pem('CERTIFICATE REQUEST', r.der);
    return write(ctx, val(o, 'out'), out) ? 0 : 1;
  }
  if (!o.flags.has('nodes') && !o.flags.has('noenc') && !val(o, 'key')) {
    ctx.err("Error: the sandbox's openssl writes unencrypted keys only: add -nodes (or -noenc)\n");
    return 1;
  }
  const subj = val(o, 'subj');
  if (subj === undefined) {
    ctx.err("Error: the sandbox's openssl cannot prompt for the subject: add -subj \"/CN=…\"\n");
    return 1;
  }
  const subject = parseSubject(subj);
  if (typeof subject === 'string') {
    ctx.err(`${subject}\nError making certificate request\n`);
    return 1;
  }
  const san = sanFrom(o.values.get('addext') ?? []);
  if (typeof san === 'string') {
    ctx.err(san);
    return 1;
  }
  let key: PrivateKey | undefined;
  if (val(o, 'key')) key = await loadKey(ctx, val(o, 'key')!);
  else {
    const k = await newKey(ctx, val(o, 'newkey') ?? 'rsa:2048', o.values.get('pkeyopt') ?? []);
    if (typeof k === 'string') {
      ctx.err(k);
      return 1;
    }
    key = k;
    if (key.kind === 'rsa') primeDots(ctx);
    ctx.err('-----\n');
    if (!write(ctx, val(o, 'keyout') ?? 'privkey.pem', privateKeyPem(key))) return 1;
  }
  if (!key) return 1;
  if (o.flags.has('x509')) {
    const days = Number(val(o, 'days') ?? 30);
    // req -x509 takes the v3_ca section of the default openssl.cnf: key ids and a critical CA:TRUE
    const cert = await createCertificate({ subject, spki: key.spki, serial: serialFrom(ctx, val(o, 'set_serial')), notBefore: now, notAfter: now + days * DAY, selfKey: key, ca: true, san });
    return write(ctx, val(o, 'out'), (o.flags.has('text') ? certificateText(cert) : '') + (o.flags.has('noout') ? '' : cert.pem)) ? 0 : 1;
  }
  const csr = await createRequest(subject, key, san);
  return write(ctx, val(o, 'out'), pem('CERTIFICATE REQUEST', csr)) ? 0 : 1;
}

/** An -extfile's subjectAltName (the section named by -extensions, or the whole file). */
function extfileSan(ctx: CommandContext, file: string, section: string | undefined): SubjectAltNames | string | undefined {
  const text = readText(ctx, file);
  if (text === undefined) return `Could not open file or uri for loading extensions from ${file}\n`;
  let cur = '';
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const s = line.replace(/#.*/, '').trim();
    const sec = s.match(/^\[\s*(.*?)\s*\]$/);
    if (sec) cur = sec[1];
    else if (s && (!section || cur === section)) lines.push(s);
  }
  // subjectAltName = @alt_names: the entries of that section
  const ref = lines.map((l) => l.match(/^subjectAltName\s*=\s*@(\S+)/)?.[1]).find(Boolean);
  if (ref) {
    const entries: string[] = [];
    let in_ = '';
    for (const line of text.split('\n')) {
      const s = line.replace(/#.*/, '').trim();
      const sec = s.match(/^\[\s*(.*?)\s*\]$/);
      if (sec) in_ = sec[1];
      else if (in_ === ref) {
        const m = s.match(/^(DNS|IP|URI)\.\d+\s*=\s*(.*)$/);
        if (m) entries.push(`${m[1]}:${m[2]}`);
      }
    }
    return parseSan(entries.join(',')) ?? `Error: unsupported subjectAltName entries in ${file}\n`;
  }
  return sanFrom(lines);
}

async function x509(ctx: CommandContext, argv: string[]): Promise<number> {
  const o = options(
    argv,
    ['in', 'out', 'CA', 'CAkey', 'set_serial', 'days', 'extfile', 'extensions', 'signkey', 'inform', 'outform', 'ext', 'nameopt'],
    ['req', 'text', 'noout', 'subject', 'issuer', 'dates', 'enddate', 'startdate', 'serial', 'sha256', 'CAcreateserial', 'fingerprint', 'pubkey', 'copy_extensions'],
  );
  if (o.bad) return usage(ctx, 'x509', o.bad);
  const now = ctx.cluster.clock.now();
  let cert: Certificate | undefined;
  if (o.flags.has('req')) {
    const file = val(o, 'in');
    const text = file === undefined ? ctx.stdin : readText(ctx, file);
    const csr = text === undefined ? undefined : parseCertificateRequest(text);
    if (!csr) {
      ctx.err(`Could not read certificate request from ${file ?? '<stdin>'}\nUnable to load certificate request input\n`);
      return 1;
    }
    ctx.err('Certificate request self-signature ok\n');
    ctx.err(`subject=${formatName(csr.subject)}\n`);
    const days = Number(val(o, 'days') ?? 30);
    let san: SubjectAltNames | undefined;
    if (val(o, 'extfile')) {
      const ext = extfileSan(ctx, val(o, 'extfile')!, val(o, 'extensions'));
      if (typeof ext === 'string') {
        ctx.err(ext);
        return 1;
      }
      san = ext ?? { dns: [], ip: [], uri: [] };
    }
    // without -extfile OpenSSL 3.0's x509 -req makes a version 1 certificate with no extensions
    const v3 = san !== undefined;
    if (val(o, 'CA')) {
      const caCert = loadCert(ctx, val(o, 'CA'), 'CA certificate');
      if (!caCert) return 1;
      const caKey = await loadKey(ctx, val(o, 'CAkey') ?? val(o, 'CA')!);
      if (!caKey) return 1;
      if (hex(caKey.spki) !== hex(caCert.spki)) {
        ctx.err('Warning: CA private key does not match CA certificate\n');
        // OpenSSL 3.0 still signs; the signature then fails verification against the CA
      }
      cert = await createCertificate({ subject: csr.subject.attrs, spki: csr.spki, serial: serialFrom(ctx, val(o, 'set_serial')), notBefore: now, notAfter: now + days * DAY, issuer: { cert: caCert, key: caKey }, san, keyIds: v3, v1: !v3 });
    } else if (val(o, 'signkey')) {
      const key = await loadKey(ctx, val(o, 'signkey')!);
      if (!key) return 1;
      cert = await createCertificate({ subject: csr.subject.attrs, spki: csr.spki, serial: serialFrom(ctx, val(o, 'set_serial')), notBefore: now, notAfter: now + days * DAY, selfKey: key, san, keyIds: v3, v1: !v3 });
    } else {
      ctx.err('Error: x509 -req needs -CA and -CAkey (or -signkey)\n');
      return 1;
    }
  } else {
    cert = loadCert(ctx, val(o, 'in'));
    if (!cert) return 1;
  }
  let out = '';
  if (o.flags.has('text')) out += certificateText(cert);
  if (o.flags.has('serial')) out += `serial=${hex(cert.serial, '').toUpperCase()}\n`;
  if (o.flags.has('subject')) out += `subject=${formatName(cert.subject)}\n`;
  if (o.flags.has('issuer')) out += `issuer=${formatName(cert.issuer)}\n`;
  if (o.flags.has('dates') || o.flags.has('startdate')) out += `notBefore=${opensslDate(cert.notBefore)}\n`;
  if (o.flags.has('dates') || o.flags.has('enddate')) out += `notAfter=${opensslDate(cert.notAfter)}\n`;
  const ext = val(o, 'ext');
  if (ext && ext.split(',').includes('subjectAltName') && cert.extensions.dnsNames.length + cert.extensions.ipAddresses.length + cert.extensions.uris.length)
    out += `X509v3 Subject Alternative Name: \n    ${[...cert.extensions.dnsNames.map((d) => `DNS:${d}`), ...cert.extensions.ipAddresses.map((i) => `IP Address:${i}`), ...cert.extensions.uris.map((u) => `URI:${u}`)].join(', ')}\n`;
  if (ext && !cert.extensions.present.length) out += 'No extensions in certificate\n';
  if (!o.flags.has('noout')) out += cert.pem || pem('CERTIFICATE', cert.der);
  return write(ctx, val(o, 'out'), out) ? 0 : 1;
}

async function genkey(ctx: CommandContext, sub: string, argv: string[]): Promise<number> {
  let key: PrivateKey | string;
  let outFile: string | undefined;
  if (sub === 'genrsa') {
    const o = options(argv, ['out'], ['traditional']);
    if (o.bad) return usage(ctx, 'genrsa', o.bad);
    outFile = val(o, 'out');
    key = await newKey(ctx, `rsa:${o.positional[0] ?? 2048}`, []);
  } else if (sub === 'genpkey') {
    const o = options(argv, ['algorithm', 'out', 'pkeyopt'], []);
    if (o.bad) return usage(ctx, 'genpkey', o.bad);
    outFile = val(o, 'out');
    const alg = (val(o, 'algorithm') ?? '').toUpperCase();
    const bits = (o.values.get('pkeyopt') ?? []).map((p) => p.match(/^rsa_keygen_bits:(\d+)$/)?.[1]).find(Boolean);
    key = alg === 'RSA' ? await newKey(ctx, `rsa:${bits ?? 2048}`, []) : alg === 'EC' ? await newKey(ctx, 'ec', o.values.get('pkeyopt') ?? []) : `genpkey: Error initializing ${alg || 'unknown'} context\n`;
  } else {
    // ecparam -genkey -name prime256v1 [-noout] -out key.pem
    const o = options(argv, ['name', 'out'], ['genkey', 'noout']);
    if (o.bad) return usage(ctx, 'ecparam', o.bad);
    outFile = val(o, 'out');
    if (!o.flags.has('genkey')) {
      ctx.err("Error: the sandbox's openssl ecparam only generates keys (-genkey)\n");
      return 1;
    }
    key = await newKey(ctx, 'ec', [`ec_paramgen_curve:${val(o, 'name') ?? ''}`]);
  }
  if (typeof key === 'string') {
    ctx.err(key);
    return 1;
  }
  return write(ctx, outFile, privateKeyPem(key)) ? 0 : 1;
}

function verify(ctx: CommandContext, argv: string[]): number {
  const o = options(argv, ['CAfile', 'untrusted'], []);
  if (o.bad) return usage(ctx, 'verify', o.bad);
  const trusted = val(o, 'CAfile') ? parseCertificates(readText(ctx, val(o, 'CAfile')!) ?? '') : [];
  const untrusted = val(o, 'untrusted') ? parseCertificates(readText(ctx, val(o, 'untrusted')!) ?? '') : [];
  let code = 0;
  for (const file of o.positional) {
    const leaf = loadCert(ctx, file);
    if (!leaf) return 2;
    const r = verifyChain([leaf, ...untrusted], trusted, ctx.cluster.clock.now());
    if (r.ok) ctx.out(`${file}: OK\n`);
    else {
      const num = { 'unable-to-get-local-issuer': 20, 'self-signed': 18, 'self-signed-in-chain': 19, 'bad-signature': 7, expired: 10, 'not-yet-valid': 9, 'invalid-ca': 24 }[r.error];
      ctx.err(`${formatName(r.cert.subject).replace(/ = /g, ' = ')}\nerror ${num} at ${r.depth} depth lookup: ${VERIFY_ERRORS[r.error]}\nerror ${file}: verification failed\n`);
      code = 2;
    }
  }
  return code;
}

function usage(ctx: CommandContext, sub: string, msg: string): number {
  ctx.err(`${sub}: ${msg}\n${sub}: Use -help for summary.\n`);
  return 1;
}

export const openssl: CommandSpec = {
  name: 'openssl',
  summary: 'openssl req|x509|genrsa|genpkey|ecparam|verify: keys, requests and certificates',
  async run(ctx) {
    const [sub, ...rest] = ctx.argv.slice(1);
    switch (sub) {
      case 'version':
        ctx.out('OpenSSL 3.0.15 3 Sep 2024 (Library: OpenSSL 3.0.15 3 Sep 2024)\n');
        return 0;
      case 'req':
        return req(ctx, rest);
      case 'x509':
        return x509(ctx, rest);
      case 'genrsa':
      case 'genpkey':
      case 'ecparam':
        return genkey(ctx, sub, rest);
      case 'verify':
        return verify(ctx, rest);
      default:
        ctx.err(`Invalid command '${sub ?? ''}'; type "help" for a list.\n`);
        return 1;
    }
  },
};
