/**
 * pod-template-hash: the deployment controller hashes the pod template (FNV-32a) and
 * encodes the decimal number with Kubernetes' "safe" alphabet, so names look like
 * service-a-6d4cf56db6 and stay the same for an unchanged template.
 */
import { fnv1a } from '../dataplane/loadBalancer';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE[s.charCodeAt(i) % SAFE.length];
  return out;
}

export function podTemplateHash(template: unknown, collisionCount = 0): string {
  return safeEncode(String(fnv1a(canonical(template) + (collisionCount ? String(collisionCount) : ''))));
}
