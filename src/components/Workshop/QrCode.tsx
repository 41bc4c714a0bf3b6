/**
 * A QR code of a link, drawn as one SVG path (dark modules on a white quiet zone in both
 * themes: phone cameras read dark-on-light). The link itself is shown beside it by the caller.
 */
import React, { useMemo } from 'react';
import QRCode from 'qrcode';

export default function QrCode({ text, size = 192, label }: { text: string; size?: number; label: string }): React.JSX.Element {
  const { path, n } = useMemo(() => {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
    let d = '';
    for (let r = 0; r < modules.size; r++) {
      for (let c = 0; c < modules.size; c++) if (modules.get(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
    }
    return { path: d, n: modules.size + 8 };
  }, [text]);
  return (
    <svg role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${n} ${n}`} shapeRendering="crispEdges" data-testid="room-qr" style={{ background: '#fff', borderRadius: 4 }}>
      <rect width={n} height={n} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
