/** examples/ as file → text, generated at build time by src/plugins/manifest-editor. */
declare module '@manifest-editor/examples' {
  const examples: Record<string, string>;
  export default examples;
}
