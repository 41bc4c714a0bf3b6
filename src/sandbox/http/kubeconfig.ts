/** A kubeconfig for the served sandbox (one cluster, one user with the token, one context). */
export function kubeconfigFor(url: string, token: string, caPem: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${btoa(caPem)}`,
    `    server: ${url}`,
    '  name: sandbox',
    'contexts:',
    '- context:',
    '    cluster: sandbox',
    '    namespace: default',
    '    user: sandbox-admin',
    '  name: sandbox',
    'current-context: sandbox',
    'preferences: {}',
    'users:',
    '- name: sandbox-admin',
    '  user:',
    `    token: ${token}`,
    '',
  ].join('\n');
}
