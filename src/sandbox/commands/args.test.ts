import { describe, expect, it } from 'vitest';
import { FlagError, flagSet, goDurationError, parseFlags } from './args';

// kubectl logs' flags as `kubectl logs --help` (v1.35.2) lists them, plus -n
const LOGS = flagSet(["-c, --container=''", '-f, --follow=false', "-l, --selector=''", '--tail=-1', '--since=0s', '-p, --previous=false', "-n, --namespace=''", '-A, --all-namespaces=false', "--dry-run='none'"], { 'dry-run': 'unchanged' });

describe('parseFlags (pflag semantics)', () => {
  const cases: { argv: string[]; set: Record<string, string>; args: string[] }[] = [
    { argv: ['-f', '-l', 'app=x', '--tail=5'], set: { follow: 'true', selector: 'app=x', tail: '5' }, args: [] },
    { argv: ['-fl', 'app=x'], set: { follow: 'true', selector: 'app=x' }, args: [] },
    { argv: ['-lapp=x', 'pod'], set: { selector: 'app=x' }, args: ['pod'] },
    { argv: ['-n=demo', 'pod'], set: { namespace: 'demo' }, args: ['pod'] },
    { argv: ['pod', '-ndemo', '-cweb'], set: { namespace: 'demo', container: 'web' }, args: ['pod'] },
    { argv: ['--tail', '-1', 'pod'], set: { tail: '-1' }, args: ['pod'] },
    { argv: ['-fp', 'pod'], set: { follow: 'true', previous: 'true' }, args: ['pod'] },
    { argv: ['--follow=false', 'pod'], set: { follow: 'false' }, args: ['pod'] },
    { argv: ['--dry-run', 'pod'], set: { 'dry-run': 'unchanged' }, args: ['pod'] },
    { argv: ['-', 'pod'], set: {}, args: ['-', 'pod'] },
    { argv: ['pod', '--', '-f', 'x'], set: {}, args: ['pod', '-f', 'x'] },
  ];
  for (const c of cases)
    it(`${c.argv.join(' ')}`, () => {
      const f = parseFlags(c.argv, LOGS);
      expect(Object.fromEntries([...f.values].map(([k, v]) => [k, v[v.length - 1]]))).toEqual(c.set);
      expect(f.args).toEqual(c.args);
    });

  it('keeps the position of "--"', () => {
    const f = parseFlags(['pod', '-c', 'x', '--', 'ls', '-l'], LOGS);
    expect(f.positional).toEqual(['pod']);
    expect(f.dashArgs).toEqual(['ls', '-l']);
  });

  const errors: [string[], string][] = [
    [['--replicas=3'], 'unknown flag: --replicas'],
    [['-x'], "unknown shorthand flag: 'x' in -x"],
    [['-fx'], "unknown shorthand flag: 'x' in -x"],
    [['-n'], "flag needs an argument: 'n' in -n"],
    [['--selector'], 'flag needs an argument: --selector'],
    [['--tail=abc'], 'invalid argument "abc" for "--tail" flag: strconv.ParseInt: parsing "abc": invalid syntax'],
    [['-A=maybe'], 'invalid argument "maybe" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "maybe": invalid syntax'],
    [['--since=5x'], 'invalid argument "5x" for "--since" flag: time: unknown unit "x" in duration "5x"'],
    [['--since=5'], 'invalid argument "5" for "--since" flag: time: missing unit in duration "5"'],
  ];
  for (const [argv, msg] of errors)
    it(`refuses ${argv.join(' ')}`, () => {
      expect(() => parseFlags(argv, LOGS)).toThrow(new FlagError(msg));
    });

  it('reads Go durations as time.ParseDuration does', () => {
    for (const ok of ['0', '1h', '1h30m', '1.5s', '300ms', '-2m', '.5s']) expect(goDurationError(ok)).toBeUndefined();
    expect(goDurationError('')).toBe('time: invalid duration ""');
    expect(goDurationError('h')).toBe('time: invalid duration "h"');
  });
});
