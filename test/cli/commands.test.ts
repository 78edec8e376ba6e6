/**
 * The CLI registers the command its command line names, and every command otherwise (src/cli/main.ts, issue 11:
 * each command's module is imported on demand). `commandOf` finds the command after the program's `--lang`.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, commandOf, runsFromModules } from '../../src/cli/main.js';

const ALL = [
  'assess',
  'explain',
  'convert',
  'validate',
  'referential',
  'service',
  'mapping',
  'scenario',
  'compare',
  'kpis',
  'trajectory',
  'report',
  'admin',
  'serve',
  'worker',
];

describe('commandOf', () => {
  it('is the first operand, after --lang and its value', () => {
    expect(commandOf(['assess', 'x.csv', '--summary'])).toBe('assess');
    expect(commandOf(['--lang', 'fr', 'validate', 'x.csv'])).toBe('validate');
    expect(commandOf(['--lang=fr', 'referential', 'list'])).toBe('referential');
    expect(commandOf(['help', 'assess'])).toBe('help');
  });
  it('is undefined when another option comes first or there is no operand', () => {
    expect(commandOf([])).toBeUndefined();
    expect(commandOf(['--help'])).toBeUndefined();
    expect(commandOf(['-V'])).toBeUndefined();
    expect(commandOf(['--lang', 'fr'])).toBeUndefined();
    expect(commandOf(['--bogus', 'assess'])).toBeUndefined();
  });
});

describe('runsFromModules (the server commands run from the ES module bundle, bin/empreinte)', () => {
  it('is true for admin, serve and worker as the command, after --lang too', () => {
    expect(runsFromModules(['serve'])).toBe(true);
    expect(runsFromModules(['--lang', 'fr', 'admin', 'create-user'])).toBe(true);
    expect(runsFromModules(['worker', '--help'])).toBe(true);
  });
  it('is false for the other commands, help and no command', () => {
    expect(runsFromModules(['assess', 'serve'])).toBe(false); // an operand of assess, not the command
    expect(runsFromModules(['help', 'serve'])).toBe(false); // help only: commander's text, no server module
    expect(runsFromModules(['--help'])).toBe(false);
    expect(runsFromModules([])).toBe(false);
    expect(runsFromModules(['report', 'x'])).toBe(false);
  });
});

describe('buildProgram', () => {
  it('registers the named command only', async () => {
    const p = await buildProgram({ lang: 'en' }, {}, ['--lang', 'fr', 'scenario', 'a.yaml']);
    expect(p.commands.map((c) => c.name())).toEqual(['scenario']);
  });
  it('registers every command, in the order of the help, for an unknown command, help or no command', async () => {
    for (const argv of [[], ['--help'], ['help', 'assess'], ['asess', 'x.csv']]) {
      const p = await buildProgram({ lang: 'en' }, {}, argv);
      expect(p.commands.map((c) => c.name())).toEqual(ALL);
    }
  });
});
