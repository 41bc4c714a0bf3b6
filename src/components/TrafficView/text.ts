/**
 * How the traffic view names what it shows, in Russian: the network contours of the course's
 * first lesson (docs/service-mesh.mdx, «Три изолированных сетевых контура»), proxy roles and
 * Envoy's response flags (their meanings as Envoy documents them: envoyproxy/envoy
 * docs/root/configuration/observability/access_log/usage.rst, %RESPONSE_FLAGS%).
 */
import type { Contour, Party, ProxyHop } from '@site/src/sandbox/network/traffic';

export const CONTOUR: Record<Contour, string> = {
  ingress: 'контур 1 — внешний (Ingress)',
  mesh: 'контур 2 — сервисный (mesh), поверх контура 3',
  node: 'контур 3 — сеть узлов (CNI), без mesh',
  pod: 'внутри пода (loopback)',
  internet: 'выход из кластера во внешнюю сеть',
};

export const DIRECTION: Record<ProxyHop['direction'], string> = {
  gateway: 'Шлюз',
  outbound: 'Sidecar вызывающего (outbound)',
  inbound: 'Sidecar получателя (inbound)',
};

export const FLAG: Record<string, string> = {
  NR: 'нет маршрута для запроса',
  UH: 'нет здоровых endpoints в cluster',
  UF: 'не удалось подключиться к upstream',
  UC: 'upstream закрыл соединение до ответа',
  UO: 'circuit breaking: пул соединений переполнен',
  URX: 'исчерпан лимит повторов',
  UT: 'истёк таймаут запроса к upstream',
  DC: 'клиент разорвал соединение',
  FI: 'ответ подставлен внедрённым сбоем (fault abort)',
  DI: 'запрос задержан внедрённым сбоем (fault delay)',
  NC: 'cluster из маршрута не найден',
  UR: 'upstream сбросил соединение',
  RL: 'запрос отклонён local rate limit',
};

export function partyName(p: Party | undefined): string {
  if (!p) return '—';
  if (p.kind === 'client') return 'клиент (терминал на узле)';
  if (p.kind === 'outside') return p.name;
  const v = p.version ? ` ${p.version}` : '';
  return `${p.app ?? p.name}${v} (${p.namespace})`;
}

export function ms(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(x >= 10_000 ? 0 : 1).replace('.', ',')} с` : `${x < 10 ? x.toFixed(1).replace('.', ',') : Math.round(x)} мс`;
}

export function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}`.replace('.', ',') + ' %';
}

/** «5 запросов», «1 запрос», «2 запроса». */
export function requestsWord(n: number): string {
  const d = n % 10;
  const h = n % 100;
  const w = d === 1 && h !== 11 ? 'запрос' : d >= 2 && d <= 4 && (h < 12 || h > 14) ? 'запроса' : 'запросов';
  return `${n} ${w}`;
}
