import React from 'react';
import CodeBlock from '@theme/CodeBlock';
import styles from './styles.module.css';

export interface ManifestProps {
  /** Path under examples/, e.g. "ingress-service-a/gateway.yaml". */
  file: string;
  /** Optional caption shown above the manifest. */
  title?: string;
  /** The file's text, filled in at build time by src/remark/manifestSource. */
  source?: string;
}

function downloadHref(source: string): string {
  return `data:application/yaml;charset=utf-8,${encodeURIComponent(source)}`;
}

export default function Manifest({file, title, source}: ManifestProps): React.JSX.Element {
  if (source === undefined) {
    throw new Error(`<Manifest file="${file}"> has no source: is the manifestSource remark plugin configured?`);
  }
  const fileName = file.split('/').pop() ?? file;
  return (
    <figure className={styles.manifest} data-manifest={file}>
      {title && <figcaption className={styles.caption}>{title}</figcaption>}
      <CodeBlock language="yaml" title={`examples/${file}`} showLineNumbers>
        {source.trimEnd()}
      </CodeBlock>
      <div className={styles.actions}>
        <a className="button button--sm button--secondary" href={downloadHref(source)} download={fileName}>
          Скачать {fileName}
        </a>
        <code className={styles.apply}>kubectl apply -f examples/{file}</code>
      </div>
    </figure>
  );
}
