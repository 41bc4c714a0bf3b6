import { describe, expect, it, vi } from 'vitest';
import { Sandbox } from '../../sandbox';
import type { ManualClock } from '../../core/clock';
import { parseCertificates, verifyChain } from '../../pki';
import { fromBase64 } from '../../pki/der';

vi.setConfig({ testTimeout: 60_000 });

/** A sidecar-injected `curl` Deployment in default, 30 s after it was created. */
async function meshWithCurl(): Promise<Sandbox> {
  const sb = new Sandbox({ seed: 5 });
  await sb.exec('kubectl label namespace default istio-injection=enabled && kubectl create deployment curl --image=curlimages/curl -- sleep infinity');
  await sb.cluster.advance(30_000);
  return sb;
}

const decode = (b64: string): string => new TextDecoder().decode(fromBase64(b64));
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hexSerial = (b: Uint8Array): string => BigInt(`0x${[...b].map((x) => x.toString(16).padStart(2, '0')).join('')}`).toString(16);

interface Dump {
  dynamicActiveSecrets: Array<{ name: string; versionInfo: string; lastUpdated: string; secret: Record<string, any> }>;
}

describe('istioctl proxy-config secret', () => {
  it('-o json: default (the workload chain, key redacted) then ROOTCA (the trusted CA), as Envoy dumps SDS secrets', async () => {
    const sb = await meshWithCurl();
    const r = await sb.exec('istioctl proxy-config secret deploy/curl -o json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const dump = JSON.parse(r.stdout) as Dump;
    expect(Object.keys(dump)).toEqual(['dynamicActiveSecrets']);
    const [def, root] = dump.dynamicActiveSecrets;
    expect(dump.dynamicActiveSecrets.map((s) => s.name)).toEqual(['default', 'ROOTCA']);
    expect(Object.keys(def)).toEqual(['name', 'versionInfo', 'lastUpdated', 'secret']);
    expect(def.versionInfo).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\/1$/);
    expect(root.versionInfo).toMatch(/\/2$/);
    expect(def.secret).toEqual({
      '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
      name: 'default',
      tlsCertificate: { certificateChain: { inlineBytes: expect.any(String) }, privateKey: { inlineBytes: 'W3JlZGFjdGVkXQ==' } },
    });
    expect(decode('W3JlZGFjdGVkXQ==')).toBe('[redacted]');
    expect(Object.keys(root.secret)).toEqual(['@type', 'name', 'validationContext']);
    // protojson re-indented by four spaces, then Fprintln's newline
    expect(r.stdout).toMatch(/^\{\n {4}"dynamicActiveSecrets": \[\n {8}\{\n {12}"name": "default",\n/);
    expect(r.stdout.endsWith('\n}\n')).toBe(true);

    const chainPem = decode(def.secret.tlsCertificate.certificateChain.inlineBytes);
    const rootPem = decode(root.secret.validationContext.trustedCa.inlineBytes);
    // the chain ends with a newline; the agent's trust bundle does not (concatCerts)
    expect(chainPem.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
    expect(rootPem.endsWith('-----END CERTIFICATE-----')).toBe(true);
    const [leaf, issuer] = parseCertificates(chainPem);
    const [rootCert] = parseCertificates(rootPem);
    expect(issuer.der).toEqual(rootCert.der);
    const now = sb.cluster.clock.now();
    expect(verifyChain([leaf, issuer], [rootCert], now).ok).toBe(true);
    expect(leaf.extensions.uris).toEqual(['spiffe://cluster.local/ns/default/sa/default']);
    expect(leaf.subject.attrs).toEqual([]);
    expect(rootCert.subject.attrs).toEqual([{ type: 'O', value: 'cluster.local' }]);
    // 24 h after the proxy started, valid from two minutes before; the root for ten years
    expect(leaf.notAfter - leaf.notBefore).toBe(24 * 3_600_000 + 120_000);
    expect(rootCert.notAfter - rootCert.notBefore).toBe(3650 * 24 * 3_600_000);
    expect(Date.parse(def.lastUpdated)).toBe(leaf.notBefore + 120_000);

    // the summary table is made from the same certificates
    const table = (await sb.exec('istioctl proxy-config secret deploy/curl')).stdout;
    expect(table).toBe(
      [
        `RESOURCE NAME     TYPE           STATUS     VALID CERT     SERIAL NUMBER${' '.repeat(Math.max(hexSerial(leaf.serial).length, hexSerial(rootCert.serial).length) - 13 + 5)}NOT AFTER                NOT BEFORE`,
        `default           Cert Chain     ACTIVE     true           ${hexSerial(leaf.serial).padEnd(Math.max(hexSerial(leaf.serial).length, hexSerial(rootCert.serial).length) + 5)}${iso(leaf.notAfter)}     ${iso(leaf.notBefore)}`,
        `ROOTCA            CA             ACTIVE     true           ${hexSerial(rootCert.serial).padEnd(Math.max(hexSerial(leaf.serial).length, hexSerial(rootCert.serial).length) + 5)}${iso(rootCert.notAfter)}     ${iso(rootCert.notBefore)}`,
        '',
      ].join('\n'),
    );
    // asked again: the same certificates (made once per proxy)
    expect((await sb.exec('istioctl proxy-config secret deploy/curl')).stdout).toBe(table);
  });

  it('openssl x509 -text shows the workload certificate as Istio issues it', async () => {
    const sb = await meshWithCurl();
    const r = await sb.exec(`istioctl proxy-config secret deploy/curl -o json | jq '[.dynamicActiveSecrets[] | select(.name == "default")][0].secret.tlsCertificate.certificateChain.inlineBytes' -r | base64 -d | openssl x509 -noout -text | sed -n '/Issuer/p;/Subject:/p;/X509v3 extensions/,/Signature Algorithm/p'`);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/ {16}[0-9A-F:]{59}\n/, '                <key id>\n')).toBe(
      [
        '        Issuer: O = cluster.local',
        '        Subject: ',
        '        X509v3 extensions:',
        '            X509v3 Key Usage: critical',
        '                Digital Signature, Key Encipherment',
        '            X509v3 Extended Key Usage: ',
        '                TLS Web Server Authentication, TLS Web Client Authentication',
        '            X509v3 Basic Constraints: critical',
        '                CA:FALSE',
        '            X509v3 Authority Key Identifier: ',
        '                <key id>',
        '            X509v3 Subject Alternative Name: critical',
        '                URI:spiffe://cluster.local/ns/default/sa/default',
        '    Signature Algorithm: sha256WithRSAEncryption',
        '',
      ].join('\n'),
    );
    const root = await sb.exec(`istioctl proxy-config secret deploy/curl -o json | jq -r '.dynamicActiveSecrets[1].secret.validationContext.trustedCa.inlineBytes' | base64 --decode | openssl x509 -text -noout | sed -n '/X509v3 extensions/,/Signature Algorithm/p'`);
    expect(root.stdout.replace(/ {16}[0-9A-F:]{59}\n/, '                <key id>\n')).toBe(
      [
        '        X509v3 extensions:',
        '            X509v3 Key Usage: critical',
        '                Certificate Sign',
        '            X509v3 Basic Constraints: critical',
        '                CA:TRUE',
        '            X509v3 Subject Key Identifier: ',
        '                <key id>',
        '    Signature Algorithm: sha256WithRSAEncryption',
        '',
      ].join('\n'),
    );
  });

  it('the agent renews the workload certificate at half its life; the root stays', async () => {
    const sb = await meshWithCurl();
    const before = JSON.parse((await sb.exec('istioctl pc secret deploy/curl -o json')).stdout) as Dump;
    // 13 h later (skipped at once: nothing else needs to happen in between)
    (sb.cluster.clock as ManualClock).skip(13 * 3_600_000);
    sb.cluster.sync();
    const after = JSON.parse((await sb.exec('istioctl pc secret deploy/curl -o json')).stdout) as Dump;
    const leaf = (d: Dump) => parseCertificates(decode(d.dynamicActiveSecrets[0].secret.tlsCertificate.certificateChain.inlineBytes))[0];
    expect(leaf(after).serial).not.toEqual(leaf(before).serial);
    expect(leaf(after).notBefore - leaf(before).notBefore).toBe(12 * 3_600_000);
    expect(after.dynamicActiveSecrets[0].versionInfo).toMatch(/\/3$/);
    expect(after.dynamicActiveSecrets[1]).toEqual(before.dynamicActiveSecrets[1]);
    expect((await sb.exec('istioctl pc secret deploy/curl')).stdout).toMatch(/\ndefault +Cert Chain +ACTIVE +true +/);
  });

  it('-o yaml and bad references', async () => {
    const sb = await meshWithCurl();
    expect((await sb.exec('istioctl pc secret deploy/curl -o yaml')).stdout).toMatch(/^dynamicActiveSecrets:\n- lastUpdated: "[^"]+"\n {2}name: default\n {2}secret:\n {4}'@type': type\.googleapis\.com\/envoy\.extensions\.transport_sockets\.tls\.v3\.Secret\n/);
    expect(await sb.exec('istioctl pc secret deploy/nothing')).toEqual({ code: 1, stdout: '', stderr: 'Error: failed to get pod: deploy/nothing\n' });
  });
});
