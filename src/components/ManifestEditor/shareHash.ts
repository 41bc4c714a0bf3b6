/**
 * Where a share link keeps its manifest: `#manifest=<file>&yaml=<payload>` in the URL's hash.
 * Apart from the payload's codec (share.ts), so a lesson page reads the hash without loading it.
 */

const FILE_PARAM = 'manifest';
const TEXT_PARAM = 'yaml';

export interface ShareTarget {
  /** The block's file, e.g. "ingress-service-a/virtual-service.yaml". */
  file: string;
  payload: string;
}

/** `#manifest=<file>&yaml=<payload>` (with the leading #). */
export function buildShareHash(target: ShareTarget): string {
  return `#${FILE_PARAM}=${encodeURIComponent(target.file)}&${TEXT_PARAM}=${target.payload}`;
}

/** The share target in a location hash, or null when the hash is something else (an anchor). */
export function parseShareHash(hash: string): ShareTarget | null {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!body.startsWith(`${FILE_PARAM}=`)) return null;
  const params = new URLSearchParams(body);
  const file = params.get(FILE_PARAM);
  // URLSearchParams turns "+" into " "; base64url has no "+", but be strict anyway.
  const payload = /(?:^|&)yaml=([^&]*)/.exec(body)?.[1];
  if (!file || !payload) return null;
  return {file, payload};
}
