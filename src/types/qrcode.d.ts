/** The part of the `qrcode` package (node-qrcode 1.5) the room pages use: the symbol's modules, drawn as SVG by React. */
declare module 'qrcode' {
  export interface QRCodeSymbol {
    modules: { size: number; get(row: number, col: number): number | boolean };
  }
  export function create(text: string, options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' }): QRCodeSymbol;
  const QRCode: { create: typeof create };
  export default QRCode;
}
