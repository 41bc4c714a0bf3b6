/**
 * A QR code of a link, drawn as one SVG path (dark modules on a white quiet zone in both
 * themes: phone cameras read dark-on-light). The link itself is shown beside it by the caller.
 */
import React, { useEffect, useState } from 'react';

interface Drawing {
  text: string;
  path: string;
  n: number;
}

/**
 * The encoder (the qrcode package, ~9 KB gzip) is loaded when a code is first shown: lesson pages carry
 * presenter mode, whose room QR most readers never open.
 */
async function draw(text: string): Promise<Drawing> {
  const { default: QRCode } = await import(/* webpackChunkName: "qrcode" */ 'qrcode');
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  let d = '';
  for (let r = 0; r < modules.size; r++) {
    for (let c = 0; c < modules.size; c++) if (modules.get(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
  }
  return { text, path: d, n: modules.size + 8 };
}

export default function QrCode({ text, size = 192, label }: { text: string; size?: number; label: string }): React.JSX.Element {
  const [drawing, setDrawing] = useState<Drawing>();
  useEffect(() => {
    let current = true;
    draw(text).then(
      (d) => current && setDrawing(d),
      () => undefined, // offline before the chunk was cached: the link is shown beside the code anyway
    );
    return () => {
      current = false;
    };
  }, [text]);
  // Until the encoder is there (or for a text it has not drawn yet): the white square, no modules.
  const { path, n } = drawing?.text === text ? drawing : { path: '', n: 29 };
  return (
    <svg role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${n} ${n}`} shapeRendering="crispEdges" data-testid="room-qr" style={{ background: '#fff', borderRadius: 4 }}>
      <rect width={n} height={n} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
